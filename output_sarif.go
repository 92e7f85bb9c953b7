package main

// check --format sarif: SARIF 2.1.0 for code scanning.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

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
	// PartialFingerprints hold the baseline's fingerprint of the finding
	// (baseline.go), which survives line shifts.
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
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

// sarifWriter writes one SARIF 2.1.0 run. rules[] holds the rules the
// results refer to, with their teaching docs as help; input errors are
// tool execution notifications. The log's rules and invocation come
// before its results, so the results wait in a spool, encoded, until the
// last file: the writer keeps the rules used and the notifications.
type sarifWriter struct {
	w     io.Writer
	pm    *pathMapper
	ids   map[*diagnose.Rule]int // a rule's position in rules
	rules []*diagnose.Rule       // the rules used, as first met
	inv   sarifInvocation
	// results holds each result as a record: the rule's id (uvarint),
	// the length of the result's JSON (uvarint) and the JSON, indented
	// for its place in the log, with "ruleIndex": 0 until the rule table
	// is known.
	results *spool
	n       int
	buf     bytes.Buffer
	enc     *json.Encoder
}

// resultIndent is the indentation of a result in the log: log, runs, run,
// results.
const resultIndent = "        "

func newSARIFWriter(w io.Writer) *sarifWriter {
	s := &sarifWriter{w: w, pm: newPathMapper(), ids: map[*diagnose.Rule]int{},
		inv: sarifInvocation{ExecutionSuccessful: true}, results: &spool{}}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetIndent(resultIndent, "  ")
	s.enc.SetEscapeHTML(false)
	return s
}

func (s *sarifWriter) file(r fileReport) {
	pm := s.pm
	if r.err != nil {
		s.inv.ExecutionSuccessful = false
		n := sarifNotification{Level: "error", Message: sarifText{Text: r.err.Error()}}
		if !isDir(r.path) {
			n.Locations = []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: pm.location(r.path)}}}
		}
		s.inv.ToolExecutionNotifications = append(s.inv.ToolExecutionNotifications, n)
		return
	}
	loc := pm.location(r.path)
	fps := r.fingerprints
	if fps == nil {
		fps = fingerprints(pm, r)
	}
	var rec []byte
	for i, f := range r.findings {
		id, ok := s.ids[f.Rule]
		if !ok {
			id = len(s.rules)
			s.ids[f.Rule] = id
			s.rules = append(s.rules, f.Rule)
		}
		res := sarifResult{
			RuleID: f.Rule.Code, Level: sarifLevel(f.Severity),
			Message: sarifText{Text: f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: loc,
				Region:           &sarifRegion{StartLine: f.Line, StartColumn: f.Column, EndLine: f.EndLine, EndColumn: f.EndCol},
			}}},
		}
		res.Fixes = sarifFixes(f, r.doc.Src, loc, pm)
		if i < len(fps) {
			res.PartialFingerprints = map[string]string{fingerprintKey: fps[i]}
		}
		s.buf.Reset()
		_ = s.enc.Encode(res)
		b := bytes.TrimSuffix(s.buf.Bytes(), []byte("\n"))
		rec = binary.AppendUvarint(rec[:0], uint64(id))
		rec = binary.AppendUvarint(rec, uint64(len(b)))
		s.results.Write(rec)
		s.results.Write(b)
		s.n++
	}
}

// ruleIndexZero is how a result's ruleIndex reads before the rule table
// is known; ruleId comes before it, so its first occurrence is the field.
var ruleIndexZero = []byte(`"ruleIndex": 0`)

func (s *sarifWriter) finish(code int) {
	defer s.results.release()
	version, semantic := toolVersion()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "dockdoc", InformationURI: infoURI, Version: version, SemanticVersion: semantic,
			Rules: []sarifRule{},
		}},
		ColumnKind: "unicodeCodePoints",
		Results:    []sarifResult{},
	}
	if s.pm.wd != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{srcRoot: {URI: strings.TrimSuffix(fileURI(filepath.ToSlash(s.pm.wd)), "/") + "/"}}
	}

	// The rules the results use, in code order, so ruleIndex is stable.
	index := make([]int, len(s.rules))
	for _, rule := range diagnose.All() {
		if id, ok := s.ids[rule]; ok {
			index[id] = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleFor(rule))
		}
	}
	s.inv.ExitCode = code
	run.Invocations = []sarifInvocation{s.inv}

	// The log without results, cut where they go.
	var log bytes.Buffer
	enc := json.NewEncoder(&log)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
	empty := []byte(`"results": []`)
	cut := bytes.LastIndex(log.Bytes(), empty) + len(empty) - 1 // before the ]
	s.w.Write(log.Bytes()[:cut])

	rd := bufio.NewReader(s.results.reader())
	var b []byte
	for i := range s.n {
		id, err1 := binary.ReadUvarint(rd)
		n, err2 := binary.ReadUvarint(rd)
		if err1 != nil || err2 != nil {
			break
		}
		b = slices.Grow(b[:0], int(n))[:n]
		if _, err := io.ReadFull(rd, b); err != nil {
			break
		}
		sep := ",\n" + resultIndent
		if i == 0 {
			sep = "\n" + resultIndent
		}
		io.WriteString(s.w, sep)
		at := bytes.Index(b, ruleIndexZero) + len(ruleIndexZero) - 1
		s.w.Write(b[:at])
		io.WriteString(s.w, strconv.Itoa(index[id]))
		s.w.Write(b[at+1:])
	}
	if s.n > 0 {
		io.WriteString(s.w, "\n      ")
	}
	s.w.Write(log.Bytes()[cut:])
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
