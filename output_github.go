package main

// check --format github: workflow-command annotations and the step summary.

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// githubShown is how many annotations of each kind (error, warning,
// notice) GitHub shows for one step; the rest are only in the log.
const githubShown = 10

// escapeData escapes a workflow command's message (actions/toolkit
// escapeData).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value
// (actions/toolkit escapeProperty).
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

type ghAnnotation struct {
	kind  string   // error, warning or notice
	props []string // key=value, values escaped
	msg   string
}

func (a ghAnnotation) String() string {
	s := "::" + a.kind
	if len(a.props) > 0 {
		s += " " + strings.Join(a.props, ",")
	}
	return s + "::" + escapeData(a.msg)
}

func ghKind(s diagnose.Severity) string {
	switch s {
	case diagnose.Error:
		return "error"
	case diagnose.Warning:
		return "warning"
	}
	return "notice"
}

// githubWriter writes one workflow command per finding, errors first, then
// warnings, then notices. GitHub shows only githubShown annotations of each
// kind per step, so when more are written a notice says how many are only
// in the log, and the full list goes to the step summary
// ($GITHUB_STEP_SUMMARY) when there is one. Errors are written as each
// file comes; warnings, notices and the summary's rows wait in spools.
type githubWriter struct {
	c                  *cli
	w                  io.Writer
	pm                 *pathMapper
	errs, warns, notes int
	warnings, notices  *spool
	summary            string // the step summary file, if any
	rows               *spool // the summary's table rows, when there is one
	nrows              int
}

func (c *cli) newGitHubWriter(w io.Writer) *githubWriter {
	return &githubWriter{c: c, w: w, pm: newPathMapper(), warnings: &spool{}, notices: &spool{},
		summary: os.Getenv("GITHUB_STEP_SUMMARY"), rows: &spool{}}
}

// summaryCell keeps a message in one cell of the summary's table.
var summaryCell = strings.NewReplacer("|", `\|`, "\n", " ", "\r", "").Replace

func (g *githubWriter) row(file, line, rule, severity, msg string) {
	g.nrows++
	if g.summary != "" {
		fmt.Fprintf(g.rows, "| %s | %s | %s | %s | %s |\n", summaryCell(file), line, rule, severity, summaryCell(msg))
	}
}

func (g *githubWriter) annotate(a ghAnnotation) {
	switch a.kind {
	case "error":
		g.errs++
		fmt.Fprintln(g.w, a)
	case "warning":
		g.warns++
		fmt.Fprintln(g.warnings, a)
	default:
		g.notes++
		fmt.Fprintln(g.notices, a)
	}
}

func (g *githubWriter) file(r fileReport) {
	file, _ := g.pm.rel(r.path)
	if r.err != nil {
		a := ghAnnotation{kind: "error", msg: errText(r)}
		if !isDir(r.path) {
			a.props = append(a.props, "file="+escapeProperty(file))
		} else {
			a.msg = r.err.Error()
		}
		a.props = append(a.props, "title=dockdoc")
		g.annotate(a)
		g.row(file, "", "", "error", errText(r))
		return
	}
	for _, f := range r.findings {
		props := []string{"file=" + escapeProperty(file), fmt.Sprintf("line=%d", f.Line)}
		if f.EndLine == f.Line {
			// GitHub accepts columns only within one line.
			props = append(props, fmt.Sprintf("col=%d", f.Column), fmt.Sprintf("endLine=%d", f.EndLine), fmt.Sprintf("endColumn=%d", f.EndCol))
		} else {
			props = append(props, fmt.Sprintf("endLine=%d", f.EndLine))
		}
		props = append(props, "title="+escapeProperty(f.Rule.Code+" "+f.Rule.Name))
		msg := f.Message
		switch best(f) {
		case fixes.Safe:
			msg += " (fixable: dockdoc fix)"
		case fixes.Unsafe:
			msg += " (fixable: dockdoc fix --unsafe)"
		}
		g.annotate(ghAnnotation{kind: ghKind(f.Severity), props: props, msg: msg})
		g.row(file, fmt.Sprint(f.Line), f.Rule.Code, f.Severity.String(), f.Message)
	}
}

func (g *githubWriter) finish(int) {
	defer g.warnings.release()
	defer g.notices.release()
	defer g.rows.release()
	errs, warns, notes := g.errs, g.warns, g.notes
	var overflow *ghAnnotation
	if errs > githubShown || warns > githubShown || notes > githubShown {
		hiddenNotes := max(0, notes+1-githubShown) // the overflow notice itself is one
		var parts []string
		if n := errs - githubShown; n > 0 {
			parts = append(parts, plural(n, "error"))
		}
		if n := warns - githubShown; n > 0 {
			parts = append(parts, plural(n, "warning"))
		}
		if hiddenNotes > 0 {
			parts = append(parts, plural(hiddenNotes, "notice"))
		}
		msg := fmt.Sprintf("GitHub shows the first %d annotations of each kind per step; not shown: %s (they are in this log)", githubShown, joinAnd(parts))
		if g.summary != "" {
			head := fmt.Sprintf("### dockdoc: %s\n\n| File | Line | Rule | Severity | Message |\n| --- | --- | --- | --- | --- |\n", plural(g.nrows, "problem"))
			if err := appendFile(g.summary, io.MultiReader(strings.NewReader(head), g.rows.reader())); err != nil {
				fmt.Fprintf(g.c.stderr, "dockdoc: step summary: %v\n", err)
			} else {
				msg += "; the step summary lists every problem"
			}
		}
		overflow = &ghAnnotation{kind: "notice", props: []string{"title=dockdoc"}, msg: msg}
	}
	io.Copy(g.w, g.warnings.reader())
	if overflow != nil {
		fmt.Fprintln(g.w, overflow)
	}
	io.Copy(g.w, g.notices.reader())
}

// appendFile appends what r reads to the file at path.
func appendFile(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
