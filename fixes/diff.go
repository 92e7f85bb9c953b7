package fixes

import (
	"path/filepath"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// Unified returns a unified diff (3 lines of context) between before and
// after, labelled a/<name> and b/<name>, or "" when they are equal.
func Unified(name string, before, after []byte) string {
	if string(before) == string(after) {
		return ""
	}
	edits := udiff.Lines(string(before), string(after))
	name = strings.TrimPrefix(filepath.ToSlash(name), "/")
	d, err := udiff.ToUnified("a/"+name, "b/"+name, string(before), edits, 3)
	if err != nil {
		// ToUnified only fails on malformed edits, which Bytes never makes.
		return ""
	}
	return d
}

// HunkLine is one line of a diff hunk, for renderers that style lines.
type HunkLine struct {
	Kind    byte // ' ', '-' or '+'
	Content string
}

// Hunk is a block of changed lines with context.
type Hunk struct {
	FromLine int // 1-based first line of the hunk in before
	ToLine   int // 1-based first line of the hunk in after
	Lines    []HunkLine
}

// Hunks returns the line hunks between before and after with ctx lines of
// context, for the TUI's coloured preview.
func Hunks(before, after []byte, ctx int) []Hunk {
	if string(before) == string(after) {
		return nil
	}
	edits := udiff.Lines(string(before), string(after))
	u, err := udiff.ToUnifiedDiff("a", "b", string(before), edits, ctx)
	if err != nil {
		return nil
	}
	hs := make([]Hunk, 0, len(u.Hunks))
	for _, h := range u.Hunks {
		out := Hunk{FromLine: h.FromLine, ToLine: h.ToLine}
		for _, l := range h.Lines {
			k := byte(' ')
			switch l.Kind {
			case udiff.Delete:
				k = '-'
			case udiff.Insert:
				k = '+'
			}
			out.Lines = append(out.Lines, HunkLine{Kind: k, Content: l.Content})
		}
		hs = append(hs, out)
	}
	return hs
}
