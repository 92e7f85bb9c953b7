package mainproc

import (
	"bytes"
	"encoding/json"
	"regexp"
	"sort"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// jsonSpans finds, in an instruction's logical text, the JSON array the
// parser read elems from and the span of each of its strings.
func jsonSpans(logical string, elems []string) ([]diagnose.Span, diagnose.Span, bool) {
	i := strings.IndexByte(logical, '[')
	if i < 0 {
		return nil, diagnose.Span{}, false
	}
	start := i
	i++
	ws := func() {
		for i < len(logical) && strings.IndexByte(" \t\r\n", logical[i]) >= 0 {
			i++
		}
	}
	var spans []diagnose.Span
	ws()
	if i < len(logical) && logical[i] == ']' {
		return nil, diagnose.Span{Start: start, End: i + 1}, len(elems) == 0
	}
	for {
		ws()
		if i >= len(logical) || logical[i] != '"' {
			return nil, diagnose.Span{}, false
		}
		j := i + 1
		for j < len(logical) && logical[j] != '"' {
			if logical[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(logical) {
			return nil, diagnose.Span{}, false
		}
		var v string
		k := len(spans)
		if json.Unmarshal([]byte(logical[i:j+1]), &v) != nil || k >= len(elems) || v != elems[k] {
			return nil, diagnose.Span{}, false
		}
		spans = append(spans, diagnose.Span{Start: i, End: j + 1})
		i = j + 1
		ws()
		if i >= len(logical) {
			return nil, diagnose.Span{}, false
		}
		if logical[i] == ',' {
			i++
			continue
		}
		if logical[i] == ']' {
			if len(spans) != len(elems) {
				return nil, diagnose.Span{}, false
			}
			return spans, diagnose.Span{Start: start, End: i + 1}, true
		}
		return nil, diagnose.Span{}, false
	}
}

// jsonString writes one string the way dockdoc writes exec-form arrays
// (JSON, with <, > and & left as they are).
func jsonString(w string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(w)
	return strings.TrimSuffix(b.String(), "\n")
}

// JSON writes words as an exec-form array: `["a", "b"]`. It writes the
// same text as DD002's rewrite, so the rules converge on the same bytes.
func JSON(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = jsonString(w)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

var safeShellWord = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// shellWord quotes a word for a POSIX shell command line when it needs
// it (single quotes, which DD002 reads back as a plain word).
func shellWord(w string) string {
	if safeShellWord.MatchString(w) {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'"'"'`) + "'"
}

// WordEdit replaces Words[From:To] with New (an empty New deletes).
type WordEdit struct {
	From, To int
	New      []string
}

// mergeEdits sorts edits and joins those that touch; it fails on
// overlapping or empty-range edits.
func mergeEdits(edits []WordEdit) ([]WordEdit, bool) {
	es := append([]WordEdit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].From < es[j].From })
	var out []WordEdit
	for _, e := range es {
		if e.To <= e.From {
			return nil, false
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			if e.From < last.To {
				return nil, false
			}
			if e.From == last.To {
				last.To = e.To
				last.New = append(append([]string(nil), last.New...), e.New...)
				continue
			}
		}
		out = append(out, WordEdit{e.From, e.To, append([]string(nil), e.New...)})
	}
	return out, true
}

// applyWords applies edits to a word list.
func applyWords(words []string, edits []WordEdit) ([]string, bool) {
	es, ok := mergeEdits(edits)
	if !ok {
		return nil, false
	}
	var out []string
	at := 0
	for _, e := range es {
		if e.To > len(words) {
			return nil, false
		}
		out = append(out, words[at:e.From]...)
		out = append(out, e.New...)
		at = e.To
	}
	return append(out, words[at:]...), true
}

// Rewrite returns the Src edits that apply word edits to the command.
// With toExec, the result is written as an exec-form array when the
// command can be (exec forms and Plain shell forms); otherwise the words
// are changed where they are.
func (c *Command) Rewrite(edits []WordEdit, toExec bool) ([]fixes.Edit, bool) {
	in := c.In
	switch c.Form {
	case Exec:
		if toExec {
			words, ok := applyWords(c.Words, edits)
			if !ok || len(words) == 0 {
				return nil, false
			}
			all := append(append([]string(nil), c.Elems[:c.First]...), words...)
			return []fixes.Edit{diagnose.Replace(in.OrigSpan(c.arr), JSON(all))}, true
		}
		return c.elemEdits(edits)
	case Shell:
		if toExec && c.Plain {
			words, ok := applyWords(c.Words, edits)
			if !ok || len(words) == 0 {
				return nil, false
			}
			_, start := in.Args()
			all := append(append([]string(nil), c.Prefix...), words...)
			return []fixes.Edit{diagnose.Replace(diagnose.Span{Start: in.Orig(start), End: in.TextEnd}, JSON(all))}, true
		}
		tes, ok := c.textEdits(edits)
		if !ok {
			return nil, false
		}
		// The shell form must stay shell form (text starting with `[` may
		// read as a JSON array).
		if strings.HasPrefix(strings.TrimSpace(applyText(c.src, tes)), "[") {
			return nil, false
		}
		var out []fixes.Edit
		for _, t := range tes {
			out = append(out, diagnose.Replace(c.script.SpanOf(t.start, t.end), t.new))
		}
		return out, true
	case shellC:
		all, ok := c.shellCWords(edits)
		if !ok {
			return nil, false
		}
		return []fixes.Edit{diagnose.Replace(in.OrigSpan(c.arr), JSON(all))}, true
	}
	return nil, false
}

// shellCWords applies edits to the script of a /bin/sh -c array and
// returns the new array. When the script is left as one command of plain
// words (`exec python app.py`), the shell has nothing to do any more and
// the words themselves are returned, as DD002 would have written them had
// the edit been made to the shell form first.
func (c *Command) shellCWords(edits []WordEdit) ([]string, bool) {
	tes, ok := c.textEdits(edits)
	if !ok {
		return nil, false
	}
	script := applyText(c.src, tes)
	if len(c.Elems) == 3 {
		if s := diagnose.ParseScript(script, func(int) int { return 0 }); s != nil && len(s.File.Stmts) == 1 &&
			strings.TrimSpace(script[min(int(s.File.Stmts[0].End().Offset()), len(script)):]) == "" {
			if words, ok := PlainWords(s.File.Stmts[0]); ok {
				return words, true
			}
		}
	}
	all := append([]string(nil), c.Elems...)
	all[2] = script
	return all, true
}

type textEdit struct {
	start, end int
	new        string
}

// applyText applies sorted, non-overlapping text edits to src.
func applyText(src string, tes []textEdit) string {
	for i := len(tes) - 1; i >= 0; i-- {
		src = src[:tes[i].start] + tes[i].new + src[tes[i].end:]
	}
	return src
}

// textEdits turns word edits into edits of the script text: deleted words
// take the blanks after them along (the blanks before them, when they are
// the last words). The choice depends only on what follows, so the shell
// form and the same script after DD002 (which adds `exec` in front) are
// edited alike.
func (c *Command) textEdits(edits []WordEdit) ([]textEdit, bool) {
	es, ok := mergeEdits(edits)
	if !ok {
		return nil, false
	}
	args := c.call.Args
	pos := func(k int) int { return int(args[k].Pos().Offset()) }
	end := func(k int) int { return int(args[k].End().Offset()) }
	var out []textEdit
	for _, e := range es {
		a, b := c.First+e.From, c.First+e.To
		if b > len(args) {
			return nil, false
		}
		switch {
		case len(e.New) > 0:
			q := make([]string, len(e.New))
			for i, w := range e.New {
				q[i] = shellWord(w)
			}
			out = append(out, textEdit{pos(a), end(b - 1), strings.Join(q, " ")})
		case b < len(args):
			out = append(out, textEdit{pos(a), pos(b), ""})
		case a > 0:
			out = append(out, textEdit{end(a - 1), end(b - 1), ""})
		default:
			return nil, false
		}
	}
	return out, true
}

// elemEdits turns word edits into edits of the JSON array's elements,
// leaving the other elements exactly as written.
func (c *Command) elemEdits(edits []WordEdit) ([]fixes.Edit, bool) {
	es, ok := mergeEdits(edits)
	if !ok {
		return nil, false
	}
	sp := c.elemSpans
	var out []fixes.Edit
	for _, e := range es {
		a, b := c.First+e.From, c.First+e.To
		if b > len(sp) {
			return nil, false
		}
		switch {
		case len(e.New) > 0:
			q := make([]string, len(e.New))
			for i, w := range e.New {
				q[i] = jsonString(w)
			}
			out = append(out, diagnose.Replace(c.In.OrigSpan(diagnose.Span{Start: sp[a].Start, End: sp[b-1].End}), strings.Join(q, ", ")))
		case a > 0:
			out = append(out, diagnose.Delete(c.In.OrigSpan(diagnose.Span{Start: sp[a-1].End, End: sp[b-1].End})))
		case b < len(sp):
			out = append(out, diagnose.Delete(c.In.OrigSpan(diagnose.Span{Start: sp[0].Start, End: sp[b].Start})))
		default:
			return nil, false
		}
	}
	return out, true
}

// WordSpan is the Src span to report for Words[from:to].
func (c *Command) WordSpan(from, to int) diagnose.Span {
	if to <= from {
		to = from + 1
	}
	switch c.Form {
	case Exec:
		a, b := c.First+from, c.First+to-1
		if b >= len(c.elemSpans) {
			return c.In.OrigSpan(c.arr)
		}
		return c.In.OrigSpan(diagnose.Span{Start: c.elemSpans[a].Start, End: c.elemSpans[b].End})
	case Shell:
		a, b := c.First+from, c.First+to-1
		if b >= len(c.call.Args) {
			return c.script.Span(c.call)
		}
		return c.script.SpanOf(int(c.call.Args[a].Pos().Offset()), int(c.call.Args[b].End().Offset()))
	default:
		return c.In.OrigSpan(c.elemSpans[2])
	}
}
