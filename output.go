package main

// The report writers of dockdoc check: text (for people), json (dockdoc's
// own machine format), sarif (code scanning), github (workflow-command
// annotations), checkstyle (Jenkins, GitLab and other XML consumers) and
// gnu (editors' compilation modes). Every writer gets the same reports;
// the exit code never depends on the format.

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// formats lists the values of check --format.
var formats = []string{"text", "json", "sarif", "github", "checkstyle", "gnu"}

func validFormat(s string) bool {
	for _, f := range formats {
		if s == f {
			return true
		}
	}
	return false
}

// formatList is formats for a message: "text, json, … or gnu".
func formatList() string {
	return strings.Join(formats[:len(formats)-1], ", ") + " or " + formats[len(formats)-1]
}

// report prints the reports in cf.format, to cf.output when it is set, and
// returns the exit code. Input errors also go to stderr, whatever the format.
func (c *cli) report(reports []fileReport, cf commonFlags) int {
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
		writeJSON(w, reports)
	case "sarif":
		writeSARIF(w, reports, code)
	case "github":
		c.writeGitHub(w, reports)
	case "checkstyle":
		writeCheckstyle(w, reports)
	case "gnu":
		writeGNU(w, reports)
	default:
		writeText(w, reports)
	}
	if cf.output != "" {
		if err := os.WriteFile(cf.output, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintf(c.stderr, "dockdoc: --output: %v\n", err)
			return exitError
		}
	}
	return code
}

// discoverReport stands for the files a failed discovery (a missing path,
// a directory without Dockerfiles) would have given, so machine formats
// still write a complete report that carries the error.
func discoverReport(err error) []fileReport {
	path := "."
	var ie *diagnose.InputError
	if errors.As(err, &ie) {
		path = ie.Path
	}
	return []fileReport{{path: path, err: err}}
}

// errText is an input error without the file name it starts with, for
// formats that name the file separately.
func errText(r fileReport) string {
	var ie *diagnose.InputError
	if errors.As(r.err, &ie) && ie.Path == r.path {
		return ie.Err.Error()
	}
	return r.err.Error()
}

// isDir reports whether p is a directory (an input error about a directory
// has no file to point at).
func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// oneLine keeps a message on one line for line-oriented formats.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\r", "")), " ")
}

// ---- text ----------------------------------------------------------------

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

// ---- json ----------------------------------------------------------------

type jsonFix struct {
	Title         string `json:"title"`
	Applicability string `json:"applicability"`
}

type jsonFinding struct {
	File      string    `json:"file"`
	Rule      string    `json:"rule"`
	Name      string    `json:"name"`
	Aliases   []string  `json:"aliases"`
	Severity  string    `json:"severity"`
	Category  string    `json:"category"`
	Line      int       `json:"line"`
	Column    int       `json:"column"`
	EndLine   int       `json:"endLine"`
	EndColumn int       `json:"endColumn"`
	Message   string    `json:"message"`
	Fixes     []jsonFix `json:"fixes"`
}

type jsonError struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

func writeJSON(w io.Writer, reports []fileReport) {
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

// ---- paths for CI consumers -----------------------------------------------

// pathMapper turns the paths dockdoc was given into the paths code scanning
// and annotations need: relative to the current directory (the checkout, in
// CI), with forward slashes, symlinks resolved (GitHub cannot show a result
// inside a symlinked path). A file outside the current directory keeps an
// absolute path.
type pathMapper struct {
	wd string // the current directory, symlinks resolved; "" if unknown
}

func newPathMapper() *pathMapper {
	wd, err := os.Getwd()
	if err != nil {
		return &pathMapper{}
	}
	if r, err := filepath.EvalSymlinks(wd); err == nil {
		wd = r
	}
	return &pathMapper{wd: wd}
}

// rel returns p relative to the current directory with forward slashes and
// true, or p absolute (forward slashes) and false when it is outside.
func (m *pathMapper) rel(p string) (string, bool) {
	abs, err := filepath.Abs(p)
	if err != nil || m.wd == "" {
		return filepath.ToSlash(p), !filepath.IsAbs(p)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	rel, err := filepath.Rel(m.wd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(abs), false
	}
	return filepath.ToSlash(rel), true
}

// fileURI is an absolute path (forward slashes) as a file:// URI.
func fileURI(abs string) string {
	if !strings.HasPrefix(abs, "/") {
		abs = "/" + abs // a Windows drive: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: abs}).String()
}

// ---- sarif ---------------------------------------------------------------

// sarifSchema is the URI of the SARIF 2.1.0 schema (OASIS, with errata 01);
// testdata/sarif-2.1.0.schema.json is a copy of it.
const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// srcRoot is the uriBaseId of every relative artifact location: the
// directory dockdoc ran in.
const srcRoot = "%SRCROOT%"

// infoURI is where people learn about dockdoc: the module path as a URL.
const infoURI = "https://github.com/dockdoc/dockdoc"

// toolVersion gives the driver's version (what dockdoc --version prints:
// the module version and VCS revision from the build info) and, for a
// tagged module version, its semanticVersion; tests replace it to keep
// goldens stable.
var toolVersion = func() (ver, semantic string) {
	if bi, ok := debug.ReadBuildInfo(); ok && strings.HasPrefix(bi.Main.Version, "v") {
		// Module versions are semantic versions with a "v" prefix.
		semantic = strings.TrimPrefix(bi.Main.Version, "v")
	}
	return version(), semantic
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	Invocations        []sarifInvocation                `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                           `json:"columnKind"`
	Results            []sarifResult                    `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	InformationURI  string      `json:"informationUri"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	Rules           []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifHelp          `json:"help"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ExitCode                   int                 `json:"exitCode"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
	Fixes     []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

// sarifOffsets is a deletedRegion: characters (Unicode code points, the
// run's columnKind) and the same range in bytes.
type sarifOffsets struct {
	CharOffset int `json:"charOffset"`
	CharLength int `json:"charLength"`
	ByteOffset int `json:"byteOffset"`
	ByteLength int `json:"byteLength"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	Properties      sarifFixProps         `json:"properties"`
}

type sarifFixProps struct {
	Applicability string `json:"applicability"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifOffsets `json:"deletedRegion"`
	InsertedContent *sarifText   `json:"insertedContent,omitempty"`
}

// sarifLevel maps a severity as hadolint does: info and style are notes.
func sarifLevel(s diagnose.Severity) string {
	switch s {
	case diagnose.Error:
		return "error"
	case diagnose.Warning:
		return "warning"
	}
	return "note"
}

// location is an artifact location for a path: relative to %SRCROOT% when
// the file is under the current directory, an absolute file URI otherwise.
func (m *pathMapper) location(p string) sarifArtifactLocation {
	rel, ok := m.rel(p)
	if !ok {
		return sarifArtifactLocation{URI: fileURI(rel)}
	}
	return sarifArtifactLocation{URI: (&url.URL{Path: rel}).String(), URIBaseID: srcRoot}
}

// writeSARIF writes one SARIF 2.1.0 run. rules[] holds the rules the
// results refer to, with their teaching docs as help; input errors are
// tool execution notifications.
func writeSARIF(w io.Writer, reports []fileReport, code int) {
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
		for _, f := range r.findings {
			res := sarifResult{
				RuleID: f.Rule.Code, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
				Message: sarifText{Text: f.Message},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
					ArtifactLocation: loc,
					Region:           &sarifRegion{StartLine: f.Line, StartColumn: f.Column, EndLine: f.EndLine, EndColumn: f.EndCol},
				}}},
			}
			res.Fixes = sarifFixes(f, r.doc.Src, loc, pm)
			run.Results = append(run.Results, res)
		}
	}
	run.Invocations = []sarifInvocation{inv}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifRuleFor(r *diagnose.Rule) sarifRule {
	sr := sarifRule{
		ID: r.Code, Name: r.Name,
		ShortDescription:     sarifText{Text: r.Summary},
		FullDescription:      sarifText{Text: r.Doc.What},
		Help:                 sarifHelp{Text: diagnose.ExplainText(r), Markdown: helpMarkdown(r)},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(r.Severity)},
		Properties:           sarifRuleProps{Tags: append([]string{string(r.Category)}, r.Aliases...)},
	}
	if len(r.Doc.Refs) > 0 {
		sr.HelpURI = r.Doc.Refs[0]
	}
	return sr
}

// helpMarkdown renders a rule's teaching doc for the code scanning alert
// page: what, why, a bad and a good example, the fix, references.
func helpMarkdown(r *diagnose.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s %s**: %s\n\n", r.Code, r.Name, r.Summary)
	fmt.Fprintf(&b, "**What it checks.** %s\n\n", r.Doc.What)
	fmt.Fprintf(&b, "**Why it matters.** %s\n\n", r.Doc.Why)
	code := func(title, body string) {
		body = strings.TrimRight(body, "\n")
		fence := "```"
		for strings.Contains(body, fence) {
			fence += "`"
		}
		fmt.Fprintf(&b, "**%s**\n\n%sdockerfile\n%s\n%s\n\n", title, fence, body, fence)
	}
	code("Bad", r.Doc.Bad)
	code("Good", r.Doc.Good)
	fmt.Fprintf(&b, "**The fix.** %s\n", r.Doc.Fix)
	if len(r.Aliases) > 0 {
		fmt.Fprintf(&b, "\nAlso known as: %s\n", strings.Join(r.Aliases, ", "))
	}
	if len(r.Doc.Refs) > 0 {
		b.WriteString("\n**References**\n\n")
		for _, u := range r.Doc.Refs {
			fmt.Fprintf(&b, "- <%s>\n", u)
		}
	}
	return b.String()
}

// sarifFixes turns a finding's safe and unsafe fixes into SARIF fixes
// (display-only advice and the "suppress here" pragma are left out).
func sarifFixes(f diagnose.Finding, src []byte, loc sarifArtifactLocation, pm *pathMapper) []sarifFix {
	var out []sarifFix
	for _, fx := range f.Fixes {
		if fx.Manual || fx.Applicability == fixes.DisplayOnly {
			continue
		}
		var changes []sarifArtifactChange
		if len(fx.Edits) > 0 {
			changes = append(changes, sarifArtifactChange{ArtifactLocation: loc, Replacements: replacements(src, fx.Edits)})
		}
		for _, fe := range fx.Files {
			if len(fe.Edits) > 0 {
				changes = append(changes, sarifArtifactChange{ArtifactLocation: pm.location(fe.Path), Replacements: replacements(fe.Before, fe.Edits)})
			}
		}
		if len(changes) == 0 {
			continue
		}
		desc := fmt.Sprintf("%s (%s fix)", fx.Title, fx.Applicability)
		if fx.Note != "" {
			desc += ": " + fx.Note
		}
		out = append(out, sarifFix{
			Description:     sarifText{Text: desc},
			ArtifactChanges: changes,
			Properties:      sarifFixProps{Applicability: fx.Applicability.String()},
		})
	}
	return out
}

// replacements converts byte edits of src into SARIF replacements, in
// order; offsets are given in characters (code points) and in bytes.
func replacements(src []byte, edits []fixes.Edit) []sarifReplacement {
	es := append([]fixes.Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	out := make([]sarifReplacement, 0, len(es))
	for _, e := range es {
		start, end := clamp(e.Start, len(src)), clamp(e.End, len(src))
		end = max(end, start)
		rp := sarifReplacement{DeletedRegion: sarifOffsets{
			CharOffset: utf8.RuneCount(src[:start]), CharLength: utf8.RuneCount(src[start:end]),
			ByteOffset: start, ByteLength: end - start,
		}}
		if e.New != "" {
			rp.InsertedContent = &sarifText{Text: e.New}
		}
		out = append(out, rp)
	}
	return out
}

func clamp(n, hi int) int { return min(max(n, 0), hi) }

// ---- github --------------------------------------------------------------

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

// ---- checkstyle ----------------------------------------------------------

type csLog struct {
	XMLName xml.Name `xml:"checkstyle"`
	Version string   `xml:"version,attr"`
	Files   []csFile `xml:"file"`
}

type csFile struct {
	Name   string    `xml:"name,attr"`
	Errors []csError `xml:"error"`
}

type csError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// csSeverity maps to checkstyle's error, warning and info.
func csSeverity(s diagnose.Severity) string {
	switch s {
	case diagnose.Error:
		return "error"
	case diagnose.Warning:
		return "warning"
	}
	return "info"
}

// writeCheckstyle writes checkstyle 4.3 XML (hadolint's version), one
// <file> per file checked. An input error is an error at line 0 (no line,
// as checkstyle reports file-level problems) with source "dockdoc".
func writeCheckstyle(w io.Writer, reports []fileReport) {
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

// ---- gnu -----------------------------------------------------------------

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

// writeGNU writes the GNU error format: path:line:col: severity: message
// [CODE], one line each; an input error is path: error: message.
func writeGNU(w io.Writer, reports []fileReport) {
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
