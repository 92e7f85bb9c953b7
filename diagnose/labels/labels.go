package labels

import (
	"sort"
	"strings"
	"unicode"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// ---- labels ----

// Pair is one key/value pair of a LABEL (or ONBUILD LABEL) instruction.
type Pair struct {
	In      *diagnose.Instruction
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
	KeySpan, ValueSpan, PairSpan diagnose.Span
}

// node returns the parser node of a LABEL, or of the LABEL an ONBUILD
// carries (then onbuild is true); nil for other instructions.
func node(in *diagnose.Instruction) (n *parser.Node, onbuild bool) {
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

// Pairs lists the pairs a LABEL (or ONBUILD LABEL) sets, in order.
// BuildKit's parser gives each pair three nodes: key, value and separator
// ("=" for key=value, "" for the legacy "key value" form, which holds one
// pair).
func Pairs(d *diagnose.Document, in *diagnose.Instruction) []Pair {
	n, onbuild := node(in)
	if n == nil {
		return nil
	}
	var pairs []Pair
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
		p := Pair{In: in, OnBuild: onbuild, KeyRaw: k.Value, ValueRaw: k.Next.Value}
		p.Key, p.KeyKnown = expand(p.KeyRaw, d.Escape)
		p.Value, p.ValueKnown = expand(p.ValueRaw, d.Escape)
		pairs = append(pairs, p)
		k = next
	}
	if !locate(d, in, onbuild, legacy, pairs) {
		whole := diagnose.Span{Start: in.Span.Start, End: in.TextEnd}
		for i := range pairs {
			pairs[i].KeySpan, pairs[i].ValueSpan, pairs[i].PairSpan = whole, whole, whole
		}
	}
	return pairs
}

// locate finds each pair's key and value in the instruction's logical
// text and records their Src spans; false when the text does not match
// what the parser read.
func locate(d *diagnose.Document, in *diagnose.Instruction, onbuild, legacy bool, pairs []Pair) bool {
	words := in.Words()
	skip := 1
	if onbuild {
		skip = 2
	}
	if len(words) <= skip || len(pairs) == 0 {
		return false
	}
	argStart := words[skip].Span.Start
	set := func(p *Pair, ks, ke, vs, ve int) {
		p.KeySpan = in.OrigSpan(diagnose.Span{Start: ks, End: ke})
		if ve > vs {
			p.ValueSpan = in.OrigSpan(diagnose.Span{Start: vs, End: ve})
		} else {
			at := in.Orig(vs-1) + 1 // just after the "="
			p.ValueSpan = diagnose.Span{Start: at, End: at}
		}
		p.PairSpan = diagnose.Span{Start: p.KeySpan.Start, End: max(p.KeySpan.End, p.ValueSpan.End)}
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
	spans := mainproc.SplitWords(in.Logical[argStart:], d.Escape)
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

// expand computes the text BuildKit makes of a LABEL key or value:
// quotes removed, escapes applied. ok is false when the word refers to a
// variable (its value is only known at build time) or cannot be read.
func expand(raw string, esc byte) (string, bool) {
	lex := shell.NewLex(rune(esc))
	res, err := lex.ProcessWordWithMatches(raw, shell.EnvsFromSlice(nil))
	if err != nil || len(res.Unmatched) > 0 || len(res.Matched) > 0 {
		return "", false
	}
	return res.Result, true
}

// Schema is the configured label schema with its types in lower case
// (nil when there is none).
func Schema(d *diagnose.Document) map[string]string {
	if d.Config == nil || len(d.Config.LabelSchema) == 0 {
		return nil
	}
	out := make(map[string]string, len(d.Config.LabelSchema))
	for k, t := range d.Config.LabelSchema {
		out[k] = strings.ToLower(strings.TrimSpace(t))
	}
	return out
}

// SchemaNames returns the schema's label names, sorted.
func SchemaNames(schema map[string]string) []string {
	names := make([]string, 0, len(schema))
	for k := range schema {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Typed calls fn for every pair whose key the schema gives type typ and
// whose value is known and not blank (DD086 reports blank ones). LABELs
// under ONBUILD count: they set the same label in the images built on
// this one.
func Typed(p *diagnose.Pass, typ string, fn func(lp Pair)) {
	schema := Schema(p.Doc)
	if schema == nil {
		return
	}
	for _, in := range p.Doc.Instructions {
		for _, lp := range Pairs(p.Doc, in) {
			if !lp.KeyKnown || !lp.ValueKnown || schema[lp.Key] != typ || strings.TrimSpace(lp.Value) == "" {
				continue
			}
			fn(lp)
		}
	}
}

// ---- registries ----
