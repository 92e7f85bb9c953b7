package main

// check --format text: one line per finding and a summary, for people.

import (
	"fmt"
	"io"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

func writeText(w io.Writer, reports []fileReport) {
	var total, fixable, unsafeOnly int
	counts := map[diagnose.Severity]int{}
	for _, r := range reports {
		if r.err != nil {
			continue
		}
		for _, f := range r.findings {
			total++
			counts[f.Severity]++
			mark := ""
			switch best(f) {
			case fixes.Safe:
				fixable++
				mark = " [*]"
			case fixes.Unsafe:
				unsafeOnly++
				mark = " [unsafe fix]"
			}
			fmt.Fprintf(w, "%s:%d:%d: %s %s: %s%s\n", r.path, f.Line, f.Column, f.Rule.Code, f.Severity, f.Message, mark)
		}
	}
	if total == 0 {
		fmt.Fprintf(w, "No problems found in %s.\n", plural(countOK(reports), "file"))
		return
	}
	var parts []string
	for s := diagnose.Error; s >= diagnose.Style; s-- {
		if counts[s] > 0 {
			parts = append(parts, plural(counts[s], s.String()))
		}
	}
	fmt.Fprintf(w, "\n%s (%s) in %s.", plural(total, "finding"), strings.Join(parts, ", "), plural(countOK(reports), "file"))
	if fixable > 0 {
		fmt.Fprintf(w, " [*] %d fixable with `dockdoc fix`.", fixable)
	}
	if unsafeOnly > 0 {
		fmt.Fprintf(w, " %d more with `dockdoc fix --unsafe`.", unsafeOnly)
	}
	fmt.Fprintln(w)
}
