package syntax

import (
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD058",
	Name:     "expose-invalid-port",
	Severity: diagnose.Error,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3011"},
	Summary:  "EXPOSE names a port outside 0-65535 or no port at all",
	Fixable:  diagnose.FixNone,
	Changes:  []string{"ExposedPorts"},
	Doc: diagnose.Doc{
		What: "Checks each port of `EXPOSE`: single ports (`8080`), ranges (`8000-8100`) and either with a " +
			"protocol (`53/udp`). Flagged: a port above 65535, a range whose end is below its start, a word " +
			"that is not a number, and a protocol other than `tcp`, `udp` or `sctp`. Words that hold a variable " +
			"(`$PORT`, `${PORT}/tcp`) are skipped, since their value is only known at build time. (hadolint checks " +
			"the range only; the other mistakes stop its parser or go unnoticed.)",
		Why: "Ports are 16-bit numbers, so nothing can listen on port 70000. The build fails on such an " +
			"`EXPOSE` (\"invalid containerPort\" or \"invalid range\"), usually because of a typo: a digit too " +
			"many, or a host mapping written where only the container port belongs.",
		Bad:  "EXPOSE 80800\nEXPOSE 9000-8000\nEXPOSE 53/dns",
		Good: "EXPOSE 8080\nEXPOSE 8000-9000\nEXPOSE 53/udp",
		Fix: "No automatic fix: dockdoc cannot tell which port was meant. Write the port the program listens on. " +
			"Note that `EXPOSE` only documents the port; it is `docker run -p` that publishes it.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#expose",
			"https://github.com/hadolint/hadolint/wiki/DL3011",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Keyword != "expose" {
				continue
			}
			for _, w := range in.Words()[1:] {
				v, hasVar, ok := buildvars.Lex(w.Text, d.Escape)
				if !ok || hasVar || v == "" {
					continue
				}
				if msg := portProblem(v); msg != "" {
					p.Report(in.OrigSpan(w.Span), "EXPOSE %s", msg)
				}
			}
		}
	},
})

// portProblem says what is wrong with an EXPOSE port spec
// (port[-end][/proto]), or "" when it is valid. A host part written before
// the container port (ip:host:container) is left to the format rules; only
// the container port is checked.
func portProblem(spec string) string {
	ports, proto, hasProto := strings.Cut(spec, "/")
	if hasProto {
		switch strings.ToLower(proto) {
		case "", "tcp", "udp", "sctp":
		default:
			return spec + " uses the unknown protocol " + strconv.Quote(proto) + " (use tcp, udp or sctp)"
		}
	}
	if i := strings.LastIndexByte(ports, ':'); i >= 0 {
		ports = ports[i+1:]
	}
	lo, hi, isRange := strings.Cut(ports, "-")
	l, lok := portNumber(lo)
	if !lok {
		return strconv.Quote(lo) + " is not a port number"
	}
	if !isRange {
		if l > 65535 {
			return "port " + lo + " is out of range: ports go from 0 to 65535"
		}
		return ""
	}
	h, hok := portNumber(hi)
	switch {
	case !hok:
		return strconv.Quote(hi) + " is not a port number"
	case l > 65535 || h > 65535:
		return "range " + ports + " goes past 65535, the highest port"
	case h < l:
		return "range " + ports + " ends before it starts"
	}
	return ""
}

// portNumber reads a port the way BuildKit does (strconv.ParseInt);
// values too large count as out of range (returned as 65536).
func portNumber(s string) (int, bool) {
	n, err := strconv.ParseInt(s, 10, 0)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && !strings.HasPrefix(s, "-") {
			return 65536, true
		}
		return 0, false
	}
	if n < 0 {
		return 0, false
	}
	if n > 65535 {
		return 65536, true
	}
	return int(n), true
}
