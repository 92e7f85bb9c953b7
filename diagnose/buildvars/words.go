package buildvars

import (
	"encoding/json"
	"strings"
	"unicode"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Helpers shared by the rules DD057–DD068 (prefix b5 so they cannot clash
// with other rules' helpers).

// ArgWord is one argument of an instruction, read the way BuildKit reads it.
type ArgWord struct {
	Raw    string        // as written (quotes kept); for the JSON form, the decoded string
	Span   diagnose.Span // logical span of Raw; for the JSON form, the string's content between its quotes
	Value  string        // quotes and escapes removed, variables expanded to ""
	HasVar bool          // it refers to a variable ($X, ${X})
	OK     bool          // BuildKit's word lexer read it
}

// Lex reads one word with BuildKit's lexer: quotes and escapes removed,
// variables replaced by nothing, and whether it refers to any variable.
func Lex(raw string, esc byte) (value string, hasVar, ok bool) {
	lex := shell.NewLex(rune(esc))
	res, err := lex.ProcessWordWithMatches(raw, shell.EnvsFromSlice(nil))
	if err != nil {
		return "", strings.Contains(raw, "$"), false
	}
	return res.Result, len(res.Matched)+len(res.Unmatched) > 0, true
}

// VarRefs lists the variables a word refers to ($X, ${X}, ${X:-y}, ...),
// as BuildKit's lexer sees them: escaped dollars and single quotes are
// not references.
func VarRefs(raw string, esc byte) []string {
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

// ArgWords returns the arguments of a COPY or ADD (sources then the
// destination), after its --flags, in either form; for an ONBUILD, those
// of its trigger. It returns nil when the instruction's text does not line
// up with BuildKit's parse (dockdoc then stays silent rather than guess).
func ArgWords(d *diagnose.Document, in *diagnose.Instruction) []ArgWord {
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
		ws := jsonStrings(in.Logical[start:], start)
		if len(ws) != len(vals) {
			return nil
		}
		for i := range ws {
			if ws[i].Raw != vals[i] {
				return nil
			}
			ws[i].Value, ws[i].HasVar, ws[i].OK = Lex(ws[i].Raw, d.Escape)
		}
		return ws
	}
	if len(words) != len(vals) {
		return nil
	}
	out := make([]ArgWord, len(words))
	for i, w := range words {
		if w.Text != vals[i] {
			return nil
		}
		out[i] = ArgWord{Raw: w.Text, Span: w.Span}
		out[i].Value, out[i].HasVar, out[i].OK = Lex(w.Text, d.Escape)
	}
	return out
}

// TriggerKeyword returns the lower-case keyword of an ONBUILD's trigger, or "".
func TriggerKeyword(in *diagnose.Instruction) string {
	if in.Keyword != "onbuild" || in.Node.Next == nil || len(in.Node.Next.Children) == 0 {
		return ""
	}
	return strings.ToLower(in.Node.Next.Children[0].Value)
}

// jsonStrings finds the strings of a JSON array written at logical
// offset base, with the logical span of each string's content.
func jsonStrings(s string, base int) []ArgWord {
	var out []ArgWord
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
			out = append(out, ArgWord{Raw: v, Span: diagnose.Span{Start: base + i + 1, End: base + j}})
			i = j
		default:
			return nil
		}
	}
	return nil
}

// FlagValue returns the value of an instruction flag such as --from, and
// whether it is present.
func FlagValue(in *diagnose.Instruction, name string) (string, bool) {
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

// FirstLine is the Src span of an instruction's first line, from its
// keyword.
func FirstLine(d *diagnose.Document, in *diagnose.Instruction) diagnose.Span {
	return diagnose.Span{Start: in.Span.Start, End: d.LineEnd(in.StartLine)}
}

// OneWord reports whether BuildKit's parser would read s as a
// single word of a KEY=value instruction, exactly as written: no
// whitespace outside quotes, balanced quotes, no escape character at the
// very end (the parser drops that one).
func OneWord(s string, esc rune) bool {
	var quote rune
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case quote == 0 && unicode.IsSpace(c):
			return false
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote != 0 && c == quote:
			quote = 0
		case c == esc && quote != '\'':
			if i+1 == len(rs) {
				return false
			}
			i++ // the escaped character is part of the word
		}
	}
	return quote == 0
}

// Quote writes s as a double-quoted word, escaping the characters
// that are special inside double quotes.
func Quote(s string, esc rune) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		if c == '"' || c == '$' || c == esc {
			b.WriteRune(esc)
		}
		b.WriteRune(c)
	}
	b.WriteByte('"')
	return b.String()
}
