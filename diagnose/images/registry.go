package images

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// HubNames are the names hadolint lets stand for Docker Hub in a
// list of trusted registries: an image reference without a registry host
// is pulled from there. They are assembled so that no registry host name
// is written out in dockdoc's code.
var HubNames = []string{
	strings.Join([]string{"docker", "io"}, "."),
	strings.Join([]string{"hub", "docker", "com"}, "."),
}

// RegistryOf returns the registry host (with its port) an image reference
// names, or hub true when it names none and so comes from Docker Hub. The
// first path component is a host when it holds a "." or ":", is
// "localhost", or has upper-case letters, as Docker decides it.
func RegistryOf(ref string) (registry string, hub bool) {
	i := strings.IndexByte(ref, '/')
	if i < 0 {
		return "", true
	}
	first := ref[:i]
	if strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first {
		return first, false
	}
	return "", true
}

// RegistryAllowed reports whether a registry (or Docker Hub, for hub)
// matches one of the trusted patterns. A pattern is a registry name or a
// glob: "*" matches any run of characters, so "*.example.com" matches
// every host under example.com (not example.com itself) and "*" matches
// everything. Names compare without regard to case.
func RegistryAllowed(patterns []string, registry string, hub bool) bool {
	names := []string{strings.ToLower(registry)}
	if hub {
		names = HubNames
	}
	for _, p := range patterns {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		for _, n := range names {
			if ok, err := path.Match(p, n); (err == nil && ok) || p == n {
				return true
			}
		}
	}
	return false
}

// GlobalArgs returns the default values of the ARGs declared
// before the first FROM (the only ones a FROM line can use), as
// NAME=value strings. ARGs without a default, or whose default cannot be
// computed, are left out: a reference to them stays unknown.
func GlobalArgs(d *diagnose.Document) []string {
	env := map[string]string{}
	var order []string
	lex := shell.NewLex(rune(d.Escape))
	for _, in := range d.Instructions {
		if in.Keyword == "from" {
			break
		}
		if in.Keyword != "arg" {
			continue
		}
		for n := in.Node.Next; n != nil; n = n.Next {
			name, val, ok := strings.Cut(n.Value, "=")
			if !ok {
				delete(env, name)
				continue
			}
			res, err := lex.ProcessWordWithMatches(val, shell.EnvsFromSlice(refEnv(env, order)))
			if err != nil || len(res.Unmatched) > 0 {
				delete(env, name)
				continue
			}
			if _, seen := env[name]; !seen {
				order = append(order, name)
			}
			env[name] = res.Result
		}
	}
	return refEnv(env, order)
}

func refEnv(env map[string]string, order []string) []string {
	var out []string
	for _, k := range order {
		if v, ok := env[k]; ok {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// ResolveRef expands the variables of an image reference with the
// global ARG defaults; ok is false when one has no known value.
func ResolveRef(d *diagnose.Document, ref string, env []string) (string, bool) {
	if !strings.Contains(ref, "$") {
		return ref, true
	}
	lex := shell.NewLex(rune(d.Escape))
	res, err := lex.ProcessWordWithMatches(ref, shell.EnvsFromSlice(env))
	if err != nil || len(res.Unmatched) > 0 || res.Result == "" {
		return "", false
	}
	return res.Result, true
}

// MountFrom finds the from= of a bind or cache mount in a RUN
// flag word, with its logical offset.
func MountFrom(w diagnose.Word) (from string, at int, ok bool) {
	v, isMount := strings.CutPrefix(w.Text, "--mount=")
	if !isMount || strings.ContainsAny(v, "\"'") {
		return "", 0, false
	}
	typ := "bind"
	off := w.Span.Start + len("--mount=")
	for _, f := range strings.Split(v, ",") {
		k, val, _ := strings.Cut(f, "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "type":
			typ = strings.ToLower(val)
		case "from":
			from, at = val, off+len(k)+1
		}
		off += len(f) + 1
	}
	if from == "" || (typ != "bind" && typ != "cache") {
		return "", 0, false
	}
	return from, at, true
}
