package diagnose

import (
	"encoding/csv"
	"path"
	"strings"
)

// Mount is one `RUN --mount=...` flag, read the way BuildKit reads it (a
// CSV of key=value fields; type defaults to bind).
type Mount struct {
	Type, Source, Target, From string
}

// ParseMounts reads the --mount flags among an instruction's flags; other
// flags and unreadable mounts are skipped.
func ParseMounts(flags []string) []Mount {
	var out []Mount
	for _, fl := range flags {
		v, ok := strings.CutPrefix(fl, "--mount=")
		if !ok {
			continue
		}
		fields, err := csv.NewReader(strings.NewReader(v)).Read()
		if err != nil {
			continue
		}
		m := Mount{Type: "bind"}
		for _, f := range fields {
			k, val, _ := strings.Cut(f, "=")
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "type":
				m.Type = strings.ToLower(strings.TrimSpace(val))
			case "source", "src":
				m.Source = val
			case "target", "dst", "destination":
				m.Target = val
			case "from":
				m.From = val
			}
		}
		out = append(out, m)
	}
	return out
}

// EphemeralTargets are the cleaned targets of the cache and tmpfs mounts:
// what a RUN writes there never lands in the layer.
func EphemeralTargets(ms []Mount) []string {
	var out []string
	for _, m := range ms {
		if (m.Type == "cache" || m.Type == "tmpfs") && m.Target != "" {
			out = append(out, path.Clean(m.Target))
		}
	}
	return out
}

// EphemeralMountTargets returns the cleaned targets of a RUN's cache and
// tmpfs mounts: what is written there never reaches the image.
func EphemeralMountTargets(in *Instruction) []string {
	return EphemeralTargets(ParseMounts(in.Node.Flags))
}
