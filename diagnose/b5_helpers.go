package diagnose

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Helpers shared by the rules DD057–DD068 (prefix b5 so they cannot clash
// with other rules' helpers).

// b5Word is one argument of an instruction, read the way BuildKit reads it.
type b5Word struct {
	Raw    string // as written (quotes kept); for the JSON form, the decoded string
	Span   Span   // logical span of Raw; for the JSON form, the string's content between its quotes
	Value  string // quotes and escapes removed, variables expanded to ""
	HasVar bool   // it refers to a variable ($X, ${X})
	OK     bool   // BuildKit's word lexer read it
}

// b5Lex reads one word with BuildKit's lexer: quotes and escapes removed,
// variables replaced by nothing, and whether it refers to any variable.
func b5Lex(raw string, esc byte) (value string, hasVar, ok bool) {
	lex := shell.NewLex(rune(esc))
	res, err := lex.ProcessWordWithMatches(raw, shell.EnvsFromSlice(nil))
	if err != nil {
		return "", strings.Contains(raw, "$"), false
	}
	return res.Result, len(res.Matched)+len(res.Unmatched) > 0, true
}

// b5VarRefs lists the variables a word refers to ($X, ${X}, ${X:-y}, ...),
// as BuildKit's lexer sees them: escaped dollars and single quotes are
// not references.
func b5VarRefs(raw string, esc byte) []string {
	lex := shell.NewLex(rune(esc))
	res, err := lex.ProcessWordWithMatches(raw, shell.EnvsFromSlice(nil))
	if err != nil {
		return nil
	}
	var out []string
	for k := range res.Unmatched {
		out = append(out, k)
	}
	for k := range res.Matched {
		out = append(out, k)
	}
	return out
}

// b5Args returns the arguments of a COPY or ADD (sources then the
// destination), after its --flags, in either form; for an ONBUILD, those
// of its trigger. It returns nil when the instruction's text does not line
// up with BuildKit's parse (dockdoc then stays silent rather than guess).
func b5Args(d *Document, in *Instruction) []b5Word {
	node, first := in.Node, 1
	if in.Keyword == "onbuild" {
		if in.Node.Next == nil || len(in.Node.Next.Children) == 0 {
			return nil
		}
		node, first = in.Node.Next.Children[0], 2
	}
	var vals []string
	for n := node.Next; n != nil; n = n.Next {
		vals = append(vals, n.Value)
	}
	if len(vals) == 0 {
		return nil
	}
	words := in.Words()
	if len(words) < first {
		return nil
	}
	words = words[first:]
	for len(words) > 0 && strings.HasPrefix(words[0].Text, "--") {
		words = words[1:]
	}
	if node.Attributes["json"] {
		if len(words) == 0 {
			return nil
		}
		start := words[0].Span.Start
		ws := b5JSONStrings(in.Logical[start:], start)
		if len(ws) != len(vals) {
			return nil
		}
		for i := range ws {
			if ws[i].Raw != vals[i] {
				return nil
			}
			ws[i].Value, ws[i].HasVar, ws[i].OK = b5Lex(ws[i].Raw, d.Escape)
		}
		return ws
	}
	if len(words) != len(vals) {
		return nil
	}
	out := make([]b5Word, len(words))
	for i, w := range words {
		if w.Text != vals[i] {
			return nil
		}
		out[i] = b5Word{Raw: w.Text, Span: w.Span}
		out[i].Value, out[i].HasVar, out[i].OK = b5Lex(w.Text, d.Escape)
	}
	return out
}

// b5Trigger returns the lower-case keyword of an ONBUILD's trigger, or "".
func b5Trigger(in *Instruction) string {
	if in.Keyword != "onbuild" || in.Node.Next == nil || len(in.Node.Next.Children) == 0 {
		return ""
	}
	return strings.ToLower(in.Node.Next.Children[0].Value)
}

// b5JSONStrings finds the strings of a JSON array written at logical
// offset base, with the logical span of each string's content.
func b5JSONStrings(s string, base int) []b5Word {
	var out []b5Word
	i := strings.IndexByte(s, '[')
	if i < 0 {
		return nil
	}
	for i++; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', ',':
			continue
		case ']':
			return out
		case '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil
			}
			var v string
			if err := json.Unmarshal([]byte(s[i:j+1]), &v); err != nil {
				return nil
			}
			out = append(out, b5Word{Raw: v, Span: Span{base + i + 1, base + j}})
			i = j
		default:
			return nil
		}
	}
	return nil
}

// b5Flag returns the value of an instruction flag such as --from, and
// whether it is present.
func b5Flag(in *Instruction, name string) (string, bool) {
	for _, f := range in.Node.Flags {
		if v, ok := strings.CutPrefix(f, "--"+name+"="); ok {
			return v, true
		}
		if f == "--"+name {
			return "", true
		}
	}
	return "", false
}

// b5FirstLine is the Src span of an instruction's first line, from its
// keyword.
func b5FirstLine(d *Document, in *Instruction) Span {
	return Span{in.Span.Start, d.LineEnd(in.StartLine)}
}

// b5RootImage follows a stage's FROM chain through earlier stages and
// returns the stage at its root (the one built FROM an image).
func b5RootImage(s *Stage) *Stage {
	for i := 0; s.Parent != nil && i < 64; i++ {
		s = s.Parent
	}
	return s
}

var b5WindowsImageRe = regexp.MustCompile(`(?i)windows|nanoserver|servercore`)

// b5WindowsStage reports whether a stage looks like a Windows image
// (backtick escape, or a Windows base image name somewhere in its chain).
func b5WindowsStage(d *Document, s *Stage) bool {
	if d.Escape == '`' {
		return true
	}
	if s != nil && s.doc == d {
		return b5WindowsDist(d)[s.Index] < 64
	}
	for i := 0; s != nil && i < 64; i++ {
		if b5WindowsImageRe.MatchString(s.From.Logical) {
			return true
		}
		s = s.Parent
	}
	return false
}

type b5WindowsDistKey struct{}

// b5WindowsDist is, by stage, how many stages up its chain of parents
// (0: itself) the nearest FROM naming a Windows image is, 64 when none is
// within 63; computed once per Document, so each FROM is matched once.
func b5WindowsDist(d *Document) []int {
	return d.Memo(b5WindowsDistKey{}, func() any {
		dist := make([]int, len(d.Stages))
		for i, s := range d.Stages {
			switch {
			case b5WindowsImageRe.MatchString(s.From.Logical):
				dist[i] = 0
			case s.Parent != nil && s.Parent.Index < i && dist[s.Parent.Index] < 64:
				dist[i] = dist[s.Parent.Index] + 1
			default:
				dist[i] = 64 // none within reach
			}
		}
		return dist
	}).([]int)
}

// b5StageRef resolves a --from value to an earlier stage (by name or
// number), or nil when it names an image, a build context or nothing.
func b5StageRef(d *Document, cur *Stage, val string) *Stage {
	if s := d.StageByName(val, cur.Index); s != nil {
		return s
	}
	n := 0
	for _, c := range val {
		if c < '0' || c > '9' {
			return nil
		}
		n = n*10 + int(c-'0')
		if n > 1<<20 {
			return nil
		}
	}
	if val != "" && n < cur.Index {
		return d.Stages[n]
	}
	return nil
}
