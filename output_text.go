package main

// check --format text: one line per finding and a summary, for people.

import (
	"fmt"
	"io"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// textWriter prints one line per finding as each file comes, and the
// summary at the end.
type textWriter struct {
	w                          io.Writer
	files                      int // files diagnosed (no input error)
	total, fixable, unsafeOnly int
	counts                     map[diagnose.Severity]int
}

func (t *textWriter) file(r fileReport) {
	if r.err != nil {
		return
	}
	t.files++
	for _, f := range r.findings {
		t.total++
		t.counts[f.Severity]++
		mark := ""
		switch best(f) {
		case fixes.Safe:
			t.fixable++
			mark = " [*]"
		case fixes.Unsafe:
			t.unsafeOnly++
			mark = " [unsafe fix]"
		}
		fmt.Fprintf(t.w, "%s:%d:%d: %s %s: %s%s\n", r.path, f.Line, f.Column, f.Rule.Code, f.Severity, f.Message, mark)
	}
}

func (t *textWriter) finish(int) {
	w := t.w
	if t.total == 0 {
		fmt.Fprintf(w, "No problems found in %s.\n", plural(t.files, "file"))
		return
	}
	var parts []string
	for s := diagnose.Error; s >= diagnose.Style; s-- {
		if t.counts[s] > 0 {
			parts = append(parts, plural(t.counts[s], s.String()))
		}
	}
	fmt.Fprintf(w, "\n%s (%s) in %s.", plural(t.total, "finding"), strings.Join(parts, ", "), plural(t.files, "file"))
	if t.fixable > 0 {
		fmt.Fprintf(w, " [*] %d fixable with `dockdoc fix`.", t.fixable)
	}
	if t.unsafeOnly > 0 {
		fmt.Fprintf(w, " %d more with `dockdoc fix --unsafe`.", t.unsafeOnly)
	}
	fmt.Fprintln(w)
}
