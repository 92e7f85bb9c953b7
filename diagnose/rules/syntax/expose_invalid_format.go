package syntax

import (
	"net"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD079",
	Name:     "expose-invalid-format",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"ExposeInvalidFormat"},
	Summary:  "EXPOSE with an IP address or host port",
	Fixable:  diagnose.FixAlways,
	Changes:  []string{"ExposedPorts"},
	Doc: diagnose.Doc{
		What: "Flags an `EXPOSE` port written with a host port or an IP address, the way `docker run -p` takes it: " +
			"`8080:80`, `127.0.0.1:80:80`, `[::1]:80:80`.",
		Why: "`EXPOSE` only records which ports the container listens on; it never publishes anything. Docker " +
			"quietly drops the address and the host port and records the container port alone, so `EXPOSE 8080:80` " +
			"documents port 80 while looking as if it mapped 8080 on the host. BuildKit warns that this form will " +
			"become an error in a future release. Host ports belong to `docker run -p` or a compose file.",
		Bad:  "EXPOSE 8080:80\nEXPOSE 127.0.0.1:5432:5432/tcp",
		Good: "EXPOSE 80\nEXPOSE 5432/tcp",
		Fix: "Keeps only the container port and its protocol (`8080:80` becomes `80`). Safe when the spec is valid: " +
			"the image records exactly the same port as before, only the misleading part goes. Unsafe when the " +
			"address or the host port is invalid, because BuildKit rejects that spec today and the fix makes the " +
			"build pass; publish the host side with `docker run -p` instead.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/expose-invalid-format/",
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
				ip, host, cont := split(w.Text)
				if ip == "" && host == "" {
					continue
				}
				valid := valid(ip, host, cont)
				var f *diagnose.Finding
				if valid {
					f = p.Report(in.OrigSpan(w.Span), "EXPOSE %s: EXPOSE takes no IP address or host port; Docker only records %s", w.Text, cont)
				} else {
					f = p.Report(in.OrigSpan(w.Span), "EXPOSE %s: EXPOSE takes no IP address or host port, and BuildKit rejects this one", w.Text)
				}
				if cont == "" {
					continue
				}
				o, ok := buildvars.SrcIs(p.Doc, in, w.Span, w.Text)
				if !ok {
					continue
				}
				if valid {
					f.AddFix("Keep only the container port "+cont, fixes.Safe, diagnose.Replace(o, cont))
				} else {
					fx := f.AddFix("Keep only the container port "+cont, fixes.Unsafe, diagnose.Replace(o, cont))
					fx.Note = "BuildKit rejects the address or host port of " + w.Text + " today; with only the container port the build passes."
				}
			}
		}
	},
})

// split splits [ip:]host:container[/proto] as BuildKit does.
func split(raw string) (ip, host, cont string) {
	parts := strings.Split(raw, ":")
	switch n := len(parts); n {
	case 1:
		return "", "", parts[0]
	case 2:
		return "", parts[0], parts[1]
	case 3:
		return parts[0], parts[1], parts[2]
	default:
		return strings.Join(parts[:n-2], ":"), parts[n-2], parts[n-1]
	}
}

// valid reports whether BuildKit accepts the spec.
func valid(ip, host, cont string) bool {
	port, proto, _ := strings.Cut(cont, "/")
	switch strings.ToLower(proto) {
	case "", "tcp", "udp", "sctp":
	default:
		return false
	}
	if strings.HasPrefix(ip, "[") {
		h, _, err := net.SplitHostPort(ip + ":")
		if err != nil {
			return false
		}
		ip = h
	}
	if ip != "" && net.ParseIP(ip) == nil {
		return false
	}
	cs, ce, ok := exposeRange(port)
	if !ok {
		return false
	}
	if host != "" {
		hs, he, ok := exposeRange(host)
		if !ok {
			return false
		}
		if he-hs != ce-cs && ce != cs {
			return false
		}
	}
	return true
}

// exposeRange parses a port or a start-end range (0-65535).
func exposeRange(s string) (int, int, bool) {
	if s == "" {
		return 0, 0, false
	}
	a, b, isRange := strings.Cut(s, "-")
	start, err := strconv.Atoi(a)
	if err != nil || start < 0 || start > 65535 {
		return 0, 0, false
	}
	if !isRange || a == b {
		return start, start, true
	}
	end, err := strconv.Atoi(b)
	if err != nil || end < start || end > 65535 {
		return 0, 0, false
	}
	return start, end, true
}
