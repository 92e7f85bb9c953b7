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

// writeGitHub writes one workflow command per finding, errors first, then
// warnings, then notices. GitHub shows only githubShown annotations of each
// kind per step, so when more are written a notice says how many are only
// in the log, and the full list goes to the step summary
// ($GITHUB_STEP_SUMMARY) when there is one.
func (c *cli) writeGitHub(w io.Writer, reports []fileReport) {
	pm := newPathMapper()
	byKind := map[string][]ghAnnotation{}
	type row struct{ file, line, rule, severity, msg string }
	var rows []row
	for _, r := range reports {
		file, _ := pm.rel(r.path)
		if r.err != nil {
			a := ghAnnotation{kind: "error", msg: errText(r)}
			if !isDir(r.path) {
				a.props = append(a.props, "file="+escapeProperty(file))
			} else {
				a.msg = r.err.Error()
			}
			a.props = append(a.props, "title=dockdoc")
			byKind["error"] = append(byKind["error"], a)
			rows = append(rows, row{file, "", "", "error", errText(r)})
			continue
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
			k := ghKind(f.Severity)
			byKind[k] = append(byKind[k], ghAnnotation{kind: k, props: props, msg: msg})
			rows = append(rows, row{file, fmt.Sprint(f.Line), f.Rule.Code, f.Severity.String(), f.Message})
		}
	}
	errs, warns, notes := len(byKind["error"]), len(byKind["warning"]), len(byKind["notice"])
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
		if summary := os.Getenv("GITHUB_STEP_SUMMARY"); summary != "" {
			var b strings.Builder
			fmt.Fprintf(&b, "### dockdoc: %s\n\n| File | Line | Rule | Severity | Message |\n| --- | --- | --- | --- | --- |\n", plural(len(rows), "problem"))
			cell := strings.NewReplacer("|", `\|`, "\n", " ", "\r", "").Replace
			for _, x := range rows {
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", cell(x.file), x.line, x.rule, x.severity, cell(x.msg))
			}
			if err := appendFile(summary, b.String()); err != nil {
				fmt.Fprintf(c.stderr, "dockdoc: step summary: %v\n", err)
			} else {
				msg += "; the step summary lists every problem"
			}
		}
		overflow = &ghAnnotation{kind: "notice", props: []string{"title=dockdoc"}, msg: msg}
	}
	for _, k := range []string{"error", "warning", "notice"} {
		if k == "notice" && overflow != nil {
			fmt.Fprintln(w, overflow)
		}
		for _, a := range byKind[k] {
			fmt.Fprintln(w, a)
		}
	}
}

func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
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
