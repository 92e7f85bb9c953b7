package syntax

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD078",
	Name:     "expose-proto-casing",
	Severity: diagnose.Style,
	Category: diagnose.Maintainability,
	Aliases:  []string{"ExposeProtoCasing"},
	Summary:  "EXPOSE protocol is not lower case",
	Fixable:  diagnose.FixAlways,
	Changes:  []string{"ExposedPorts"},
	Doc: diagnose.Doc{
		What: "Flags an `EXPOSE` port whose protocol is written with upper-case letters, such as `80/TCP` or `53/Udp`.",
		Why: "Docker lower-cases the protocol when it records the port (`80/TCP` becomes `80/tcp` in the image), so " +
			"the capitals mean nothing. Everywhere else (`docker run -p`, compose files, `docker inspect`) the " +
			"protocol is written in lower case; writing it the same way here keeps the file consistent with what " +
			"the image ends up holding.",
		Bad:  "EXPOSE 8080/TCP 53/UDP",
		Good: "EXPOSE 8080/tcp 53/udp",
		Fix:  "Writes the protocol in lower case. Safe: Docker records exactly the same port either way.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/expose-proto-casing/",
			"https://docs.docker.com/reference/dockerfile/#expose",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, in := range p.Doc.Instructions {
			if in.Keyword != "expose" {
				continue
			}
			for _, w := range in.Words()[1:] {
				if strings.ContainsAny(w.Text, "$\"'") {
					continue
				}
				cp := w.Text[strings.LastIndex(w.Text, ":")+1:]
				slash := strings.IndexByte(cp, '/')
				if slash < 0 {
					continue
				}
				proto := cp[slash+1:]
				low := strings.ToLower(proto)
				if proto == low || (low != "tcp" && low != "udp" && low != "sctp") {
					continue
				}
				ps := diagnose.Span{Start: w.Span.End - len(proto), End: w.Span.End}
				f := p.Report(in.OrigSpan(ps), "protocol %q of EXPOSE %s should be lower case (Docker records it as %s)", proto, w.Text, low)
				if o, ok := buildvars.SrcIs(p.Doc, in, ps, proto); ok {
					f.AddFix("Write the protocol as "+low, fixes.Safe, diagnose.Replace(o, low))
				}
			}
		}
	},
})
