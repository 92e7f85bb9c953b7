package diagnose

import (
	"sort"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

// A nested script is the script a command runs through a shell of its
// own: `sh -c '…'`, `bash -lc "…"`, `su app -c '…'`. dockdoc parses it
// like the RUN's own script, so every rule sees its commands and a fix
// edits inside it byte-exactly; Script.Nested names the shell that runs it
// (not the RUN's: a SHELL's options do not reach it).

// quoted is a region of Src inside the quotes of a nested script: text a
// fix inserts there is escaped for those quotes.
type quoted struct {
	start, end int  // Src offsets of the quoted content
	quote      byte // '\'' or '"'
}

// nestedScript parses the script c runs through a shell, or returns nil:
// the word after -c (or a cluster such as -lc, -euxc) of sh, bash, dash,
// ash or ksh, or after su's -c/--command, written as one single- or
// double-quoted string.
func (s *Script) nestedScript(c *Command) *Script {
	name := c.Name()
	at := -1
	switch {
	case posixShells[name]:
		for i := c.Prog + 1; i < len(c.Words); i++ {
			w := c.Words[i]
			if !c.Lit[i] || !strings.HasPrefix(w, "-") || w == "-" || w == "--" {
				break
			}
			if w == "-o" || w == "+o" {
				i++
				continue
			}
			if !strings.HasPrefix(w, "--") && strings.Contains(w[1:], "c") {
				at = i + 1
				break
			}
		}
	case name == "su":
		for i := c.Prog + 1; i+1 < len(c.Words); i++ {
			if c.Lit[i] && (c.Words[i] == "-c" || c.Words[i] == "--command") {
				at = i + 1
				break
			}
		}
	}
	if at < 0 || at >= len(c.Call.Args) {
		return nil
	}
	w := c.Call.Args[at]
	if len(w.Parts) != 1 {
		return nil
	}
	var q byte
	switch p := w.Parts[0].(type) {
	case *syntax.SglQuoted:
		if p.Dollar {
			return nil
		}
		q = '\''
	case *syntax.DblQuoted:
		if p.Dollar {
			return nil
		}
		q = '"'
	default:
		return nil
	}
	start, end := int(w.Pos().Offset())+1, int(w.End().Offset())-1
	if start > end || end > len(s.Src) {
		return nil
	}
	raw := s.Src[start:end]
	var src strings.Builder
	offs := make([]int, 0, len(raw)+1) // offs[i]: the outer script offset of byte i
	if q == '\'' {
		src.WriteString(raw)
		for i := range raw {
			offs = append(offs, start+i)
		}
	} else {
		// Inside double quotes a backslash escapes $ ` " \ and a newline
		// (a continuation, gone); elsewhere it stays.
		for i := 0; i < len(raw); i++ {
			if raw[i] == '\\' && i+1 < len(raw) && strings.IndexByte("$`\"\\\n", raw[i+1]) >= 0 {
				i++
				if raw[i] == '\n' {
					continue
				}
			}
			src.WriteByte(raw[i])
			offs = append(offs, start+i)
		}
	}
	offs = append(offs, end)
	outer := s.orig
	n := ParseScript(src.String(), func(o int) int {
		if o < 0 {
			o = 0
		}
		if o >= len(offs) {
			o = len(offs) - 1
		}
		return outer(offs[o])
	})
	if n == nil {
		return nil
	}
	n.In, n.Nested = s.In, name
	if s.In != nil {
		s.In.quoted = append(s.In.quoted, quoted{start: outer(start), end: outer(end), quote: q})
	}
	return n
}

// escapeForQuotes rewrites a fix's inserted text where it lands inside
// the quotes of a nested script, innermost quotes first, so that the
// nested shell reads what the rule wrote: ' becomes '\” inside single
// quotes; \ " $ ` get a backslash inside double quotes.
func (d *Document) escapeForQuotes(edits []fixes.Edit) []fixes.Edit {
	copied := false
	for i := range edits {
		if edits[i].New == "" {
			continue
		}
		in := d.InstructionAt(edits[i].Start)
		if in == nil || len(in.quoted) == 0 {
			continue
		}
		if !copied { // fixes may share their edits: never rewrite them in place
			edits, copied = append([]fixes.Edit(nil), edits...), true
		}
		e := &edits[i]
		var regions []quoted
		for _, r := range in.quoted {
			if r.start <= e.Start && e.End <= r.end {
				regions = append(regions, r)
			}
		}
		sort.Slice(regions, func(a, b int) bool { return regions[a].end-regions[a].start < regions[b].end-regions[b].start })
		for _, r := range regions {
			if r.quote == '\'' {
				e.New = strings.ReplaceAll(e.New, "'", `'\''`)
				continue
			}
			var b strings.Builder
			for j := 0; j < len(e.New); j++ {
				if strings.IndexByte("\\\"$`", e.New[j]) >= 0 {
					b.WriteByte('\\')
				}
				b.WriteByte(e.New[j])
			}
			e.New = b.String()
		}
	}
	return edits
}

// InstructionAt is the instruction whose span starts at or before the
// offset (the last such), or nil before the first.
func (d *Document) InstructionAt(off int) *Instruction {
	ins := d.Instructions
	i := sort.Search(len(ins), func(i int) bool { return ins[i].Span.Start > off })
	if i == 0 {
		return nil
	}
	return ins[i-1]
}
