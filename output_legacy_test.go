package main

// The report writers as they were before check streamed its report: each
// got every report at the end of the run. They are the reference the
// streamed output is held to (TestStreamedEqualsAllAtEnd).

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

func legacyWriteText(w io.Writer, reports []fileReport) {
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

func legacyWriteJSON(w io.Writer, reports []fileReport) {
	out := struct {
		Findings []jsonFinding `json:"findings"`
		Errors   []jsonError   `json:"errors"`
	}{Findings: []jsonFinding{}, Errors: []jsonError{}}
	for _, r := range reports {
		if r.err != nil {
			out.Errors = append(out.Errors, jsonError{File: r.path, Error: r.err.Error()})
			continue
		}
		for _, f := range r.findings {
			jf := jsonFinding{
				File: r.path, Rule: f.Rule.Code, Name: f.Rule.Name, Aliases: append([]string{}, f.Rule.Aliases...),
				Severity: f.Severity.String(), Category: string(f.Rule.Category),
				Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndCol,
				Message: f.Message, Fixes: []jsonFix{},
			}
			for _, fx := range f.Fixes {
				if fx.Manual {
					continue // "suppress here" is offered to every finding; not listed
				}
				jf.Fixes = append(jf.Fixes, jsonFix{Title: fx.Title, Applicability: fx.Applicability.String()})
			}
			out.Findings = append(out.Findings, jf)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}

func legacyWriteSARIF(w io.Writer, reports []fileReport, code int) {
	pm := newPathMapper()
	version, semantic := toolVersion()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "dockdoc", InformationURI: infoURI, Version: version, SemanticVersion: semantic,
			Rules: []sarifRule{},
		}},
		ColumnKind: "unicodeCodePoints",
		Results:    []sarifResult{},
	}
	if pm.wd != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{srcRoot: {URI: strings.TrimSuffix(fileURI(filepath.ToSlash(pm.wd)), "/") + "/"}}
	}

	// The rules the results use, in code order, so ruleIndex is stable.
	used := map[*diagnose.Rule]bool{}
	for _, r := range reports {
		for _, f := range r.findings {
			used[f.Rule] = true
		}
	}
	index := map[*diagnose.Rule]int{}
	for _, rule := range diagnose.All() {
		if used[rule] {
			index[rule] = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleFor(rule))
		}
	}

	inv := sarifInvocation{ExecutionSuccessful: true, ExitCode: code}
	for _, r := range reports {
		if r.err != nil {
			inv.ExecutionSuccessful = false
			n := sarifNotification{Level: "error", Message: sarifText{Text: r.err.Error()}}
			if !isDir(r.path) {
				n.Locations = []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: pm.location(r.path)}}}
			}
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
			continue
		}
		loc := pm.location(r.path)
		fps := fingerprints(pm, r)
		for i, f := range r.findings {
			res := sarifResult{
				RuleID: f.Rule.Code, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
				Message: sarifText{Text: f.Message},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
					ArtifactLocation: loc,
					Region:           &sarifRegion{StartLine: f.Line, StartColumn: f.Column, EndLine: f.EndLine, EndColumn: f.EndCol},
				}}},
			}
			res.Fixes = sarifFixes(f, r.doc.Src, loc, pm)
			res.PartialFingerprints = map[string]string{fingerprintKey: fps[i]}
			run.Results = append(run.Results, res)
		}
	}
	run.Invocations = []sarifInvocation{inv}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

func (c *cli) legacyWriteGitHub(w io.Writer, reports []fileReport) {
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
			if err := appendFile(summary, strings.NewReader(b.String())); err != nil {
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

func legacyWriteCheckstyle(w io.Writer, reports []fileReport) {
	out := csLog{Version: "4.3"}
	for _, r := range reports {
		f := csFile{Name: r.path}
		if r.err != nil {
			f.Errors = append(f.Errors, csError{Severity: "error", Message: errText(r), Source: "dockdoc"})
		}
		for _, fd := range r.findings {
			f.Errors = append(f.Errors, csError{Line: fd.Line, Column: fd.Column, Severity: csSeverity(fd.Severity), Message: fd.Message, Source: fd.Rule.Code})
		}
		out.Files = append(out.Files, f)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	_ = enc.Encode(out)
	buf.WriteString("\n")
	// encoding/xml writes <error ...></error>; checkstyle writes the
	// shorter empty-element tag. Attribute values have > escaped, so the
	// pattern only matches a tag's end.
	w.Write(bytes.ReplaceAll(buf.Bytes(), []byte("></error>"), []byte("/>")))
}

func legacyWriteGNU(w io.Writer, reports []fileReport) {
	for _, r := range reports {
		if r.err != nil {
			fmt.Fprintf(w, "%s: error: %s\n", r.path, oneLine(errText(r)))
			continue
		}
		for _, f := range r.findings {
			fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", r.path, f.Line, f.Column, gnuSeverity(f.Severity), oneLine(f.Message), f.Rule.Code)
		}
	}
}

func (c *cli) legacyReport(reports []fileReport, cf commonFlags) int {
	code := exitClean
	for _, r := range reports {
		if r.err != nil {
			c.inputError(r.err)
			code = exitError
			continue
		}
		if r.doc.ParseErr != nil {
			code = exitError
		}
		fail := cf.failFor(r.cfg)
		for _, f := range r.findings {
			if f.Severity >= fail && code == exitClean {
				code = exitFindings
			}
		}
	}
	var buf bytes.Buffer
	w := c.stdout
	if cf.output != "" {
		w = &buf
	}
	switch cf.format {
	case "json":
		legacyWriteJSON(w, reports)
	case "sarif":
		legacyWriteSARIF(w, reports, code)
	case "github":
		c.legacyWriteGitHub(w, reports)
	case "checkstyle":
		legacyWriteCheckstyle(w, reports)
	case "gnu":
		legacyWriteGNU(w, reports)
	default:
		legacyWriteText(w, reports)
	}
	if cf.output != "" {
		if err := os.WriteFile(cf.output, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintf(c.stderr, "dockdoc: --output: %v\n", err)
			return exitError
		}
	}
	return code
}

func countOK(reports []fileReport) int {
	n := 0
	for _, r := range reports {
		if r.err == nil {
			n++
		}
	}
	return n
}
