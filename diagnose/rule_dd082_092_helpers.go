package diagnose

// Helpers shared by DD082 (trusted registries) and DD083–DD092 (label keys
// and the label schema).

import (
	"path"
	"sort"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// ---- labels ----

// lblPair is one key/value pair of a LABEL (or ONBUILD LABEL) instruction.
type lblPair struct {
	In      *Instruction
	OnBuild bool
	// KeyRaw and ValueRaw are the pair as written (quotes, escapes, $VAR).
	KeyRaw, ValueRaw string
	// Key and Value are what BuildKit sets: quotes removed, escapes
	// applied. They are only meaningful when KeyKnown / ValueKnown: a part
	// that refers to a variable (its value comes from the build) or that
	// BuildKit cannot read is unknown.
	Key, Value           string
	KeyKnown, ValueKnown bool
	// Src spans of the key, the value and the whole pair. When dockdoc
	// cannot find the pair in the text, all three cover the instruction.
	KeySpan, ValueSpan, PairSpan Span
}

// lblNode returns the parser node of a LABEL, or of the LABEL an ONBUILD
// carries (then onbuild is true); nil for other instructions.
func lblNode(in *Instruction) (n *parser.Node, onbuild bool) {
	switch in.Keyword {
	case "label":
		return in.Node, false
	case "onbuild":
		if in.Node.Next != nil && len(in.Node.Next.Children) == 1 {
			if c := in.Node.Next.Children[0]; strings.EqualFold(c.Value, "label") {
				return c, true
			}
		}
	}
	return nil, false
}

// lblPairs lists the pairs a LABEL (or ONBUILD LABEL) sets, in order.
// BuildKit's parser gives each pair three nodes: key, value and separator
// ("=" for key=value, "" for the legacy "key value" form, which holds one
// pair).
func lblPairs(d *Document, in *Instruction) []lblPair {
	n, onbuild := lblNode(in)
	if n == nil {
		return nil
	}
	var pairs []lblPair
	legacy := false
	for k := n.Next; k != nil && k.Next != nil; {
		var next *parser.Node
		sep := ""
		if k.Next.Next != nil {
			sep, next = k.Next.Next.Value, k.Next.Next.Next
		}
		if sep == "" {
			legacy = true
		}
		p := lblPair{In: in, OnBuild: onbuild, KeyRaw: k.Value, ValueRaw: k.Next.Value}
		p.Key, p.KeyKnown = lblExpand(p.KeyRaw, d.Escape)
		p.Value, p.ValueKnown = lblExpand(p.ValueRaw, d.Escape)
		pairs = append(pairs, p)
		k = next
	}
	if !lblLocate(d, in, onbuild, legacy, pairs) {
		whole := Span{in.Span.Start, in.TextEnd}
		for i := range pairs {
			pairs[i].KeySpan, pairs[i].ValueSpan, pairs[i].PairSpan = whole, whole, whole
		}
	}
	return pairs
}

// lblLocate finds each pair's key and value in the instruction's logical
// text and records their Src spans; false when the text does not match
// what the parser read.
func lblLocate(d *Document, in *Instruction, onbuild, legacy bool, pairs []lblPair) bool {
	words := in.Words()
	skip := 1
	if onbuild {
		skip = 2
	}
	if len(words) <= skip || len(pairs) == 0 {
		return false
	}
	argStart := words[skip].Span.Start
	set := func(p *lblPair, ks, ke, vs, ve int) {
		p.KeySpan = in.OrigSpan(Span{ks, ke})
		if ve > vs {
			p.ValueSpan = in.OrigSpan(Span{vs, ve})
		} else {
			at := in.Orig(vs-1) + 1 // just after the "="
			p.ValueSpan = Span{at, at}
		}
		p.PairSpan = Span{p.KeySpan.Start, max(p.KeySpan.End, p.ValueSpan.End)}
	}
	if legacy {
		if len(pairs) != 1 {
			return false
		}
		p := &pairs[0]
		t := strings.TrimRightFunc(in.Logical, unicode.IsSpace)
		ke := argStart + len(p.KeyRaw)
		vs := len(t) - len(p.ValueRaw)
		if p.KeyRaw == "" || p.ValueRaw == "" || ke > len(t) || t[argStart:ke] != p.KeyRaw ||
			!strings.HasSuffix(t, p.ValueRaw) || vs <= ke {
			return false
		}
		set(p, argStart, ke, vs, len(t))
		return true
	}
	spans := appSplitWords(in.Logical[argStart:], d.Escape)
	if len(spans) != len(pairs) {
		return false
	}
	for i, s := range spans {
		p := &pairs[i]
		w := in.Logical[argStart+s.Start : argStart+s.End]
		if w != p.KeyRaw+"="+p.ValueRaw {
			return false
		}
		ks := argStart + s.Start
		ke := ks + len(p.KeyRaw)
		set(p, ks, ke, ke+1, argStart+s.End)
	}
	return true
}

// lblExpand computes the text BuildKit makes of a LABEL key or value:
// quotes removed, escapes applied. ok is false when the word refers to a
// variable (its value is only known at build time) or cannot be read.
func lblExpand(raw string, esc byte) (string, bool) {
	lex := shell.NewLex(rune(esc))
	res, err := lex.ProcessWordWithMatches(raw, shell.EnvsFromSlice(nil))
	if err != nil || len(res.Unmatched) > 0 || len(res.Matched) > 0 {
		return "", false
	}
	return res.Result, true
}

// lblSchema is the configured label schema with its types in lower case
// (nil when there is none).
func lblSchema(d *Document) map[string]string {
	if d.Config == nil || len(d.Config.LabelSchema) == 0 {
		return nil
	}
	out := make(map[string]string, len(d.Config.LabelSchema))
	for k, t := range d.Config.LabelSchema {
		out[k] = strings.ToLower(strings.TrimSpace(t))
	}
	return out
}

// lblSchemaNames returns the schema's label names, sorted.
func lblSchemaNames(schema map[string]string) []string {
	names := make([]string, 0, len(schema))
	for k := range schema {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// lblTyped calls fn for every pair whose key the schema gives type typ and
// whose value is known and not blank (DD086 reports blank ones). LABELs
// under ONBUILD count: they set the same label in the images built on
// this one.
func lblTyped(p *Pass, typ string, fn func(lp lblPair)) {
	schema := lblSchema(p.Doc)
	if schema == nil {
		return
	}
	for _, in := range p.Doc.Instructions {
		for _, lp := range lblPairs(p.Doc, in) {
			if !lp.KeyKnown || !lp.ValueKnown || schema[lp.Key] != typ || strings.TrimSpace(lp.Value) == "" {
				continue
			}
			fn(lp)
		}
	}
}

// ---- registries ----

// trustRegHubNames are the names hadolint lets stand for Docker Hub in a
// list of trusted registries: an image reference without a registry host
// is pulled from there. They are assembled so that no registry host name
// is written out in dockdoc's code.
var trustRegHubNames = []string{
	strings.Join([]string{"docker", "io"}, "."),
	strings.Join([]string{"hub", "docker", "com"}, "."),
}

// trustRegOf returns the registry host (with its port) an image reference
// names, or hub true when it names none and so comes from Docker Hub. The
// first path component is a host when it holds a "." or ":", is
// "localhost", or has upper-case letters, as Docker decides it.
func trustRegOf(ref string) (registry string, hub bool) {
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

// trustRegAllowed reports whether a registry (or Docker Hub, for hub)
// matches one of the trusted patterns. A pattern is a registry name or a
// glob: "*" matches any run of characters, so "*.example.com" matches
// every host under example.com (not example.com itself) and "*" matches
// everything. Names compare without regard to case.
func trustRegAllowed(patterns []string, registry string, hub bool) bool {
	names := []string{strings.ToLower(registry)}
	if hub {
		names = trustRegHubNames
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

// trustRegGlobalArgs returns the default values of the ARGs declared
// before the first FROM (the only ones a FROM line can use), as
// NAME=value strings. ARGs without a default, or whose default cannot be
// computed, are left out: a reference to them stays unknown.
func trustRegGlobalArgs(d *Document) []string {
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
			res, err := lex.ProcessWordWithMatches(val, shell.EnvsFromSlice(trustRegEnv(env, order)))
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
	return trustRegEnv(env, order)
}

func trustRegEnv(env map[string]string, order []string) []string {
	var out []string
	for _, k := range order {
		if v, ok := env[k]; ok {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// trustRegResolve expands the variables of an image reference with the
// global ARG defaults; ok is false when one has no known value.
func trustRegResolve(d *Document, ref string, env []string) (string, bool) {
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
