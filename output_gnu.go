package main

// check --format gnu: the GNU error format editors read.

import (
	"fmt"
	"io"

	"github.com/dockdoc/dockdoc/diagnose"
)

// gnuSeverity names the four severities as GNU-style tools do.
func gnuSeverity(s diagnose.Severity) string {
	switch s {
	case diagnose.Error:
		return "error"
	case diagnose.Warning:
		return "warning"
	case diagnose.Info:
		return "info"
	}
	return "note"
}

// gnuWriter writes the GNU error format: path:line:col: severity: message
// [CODE], one line each; an input error is path: error: message.
type gnuWriter struct{ w io.Writer }

func (g gnuWriter) file(r fileReport) {
	if r.err != nil {
		fmt.Fprintf(g.w, "%s: error: %s\n", r.path, oneLine(errText(r)))
		return
	}
	for _, f := range r.findings {
		fmt.Fprintf(g.w, "%s:%d:%d: %s: %s [%s]\n", r.path, f.Line, f.Column, gnuSeverity(f.Severity), oneLine(f.Message), f.Rule.Code)
	}
}

func (gnuWriter) finish(int) {}
