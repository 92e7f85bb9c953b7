package main

// Baselines: dockdoc baseline records today's findings, check --baseline
// reports only the findings that are not in it, so a project can adopt
// dockdoc (or a new rule) without fixing everything first.
//
// A finding is known by its fingerprint, never by its line: the file's
// path relative to a root (the baseline's directory; the current directory
// for SARIF), the rule's code, the instruction's logical text with its
// whitespace collapsed (heredoc bodies included), the stage's name (or its
// index when it has none), and a counter telling identical findings apart.
// Lines inserted or removed elsewhere, re-indented continuations and other
// stages' edits leave it unchanged; editing the instruction itself makes
// its findings new.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// fingerprintKey names the fingerprint's recipe: the baseline file says
// it, and SARIF results carry the fingerprint under it in
// partialFingerprints. A change to the recipe takes a new version.
const fingerprintKey = "dockdocFingerprint/v1"

// defaultBaseline is the file dockdoc baseline writes without --output.
const defaultBaseline = ".dockdoc-baseline.json"

// baselineFile is the baseline's JSON document. Only the fingerprints
// matter to check; the rest is there for people reading a review diff.
type baselineFile struct {
	Version     int             `json:"version"`
	Fingerprint string          `json:"fingerprint"`
	Findings    []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	File        string `json:"file"`
	Rule        string `json:"rule"`
	Line        int    `json:"line"`
	Message     string `json:"message"`
}

// newPathMapperAt is a pathMapper whose paths are relative to dir.
func newPathMapperAt(dir string) *pathMapper {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return &pathMapper{}
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	return &pathMapper{wd: abs}
}

// fingerprints returns the fingerprint of each of r's findings, in order,
// with paths relative to root.
func fingerprints(root *pathMapper, r fileReport) []string {
	if len(r.findings) == 0 || r.doc == nil {
		return nil
	}
	rel, _ := root.rel(r.path)
	seen := map[string]int{}
	out := make([]string, len(r.findings))
	for i, f := range r.findings {
		stage, text := findingSite(r.doc, f)
		key := strings.Join([]string{fingerprintKey, rel, f.Rule.Code, stage, text}, "\x00")
		n := seen[key]
		seen[key] = n + 1
		sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(n)))
		out[i] = hex.EncodeToString(sum[:16])
	}
	return out
}

// findingSite is where a finding is, in words that survive line shifts:
// its stage ("name" or "#index"; "" before the first FROM) and the
// normalized text of its instruction, or of its own lines when it is not
// in one (a comment, a parser directive, a file that does not parse).
func findingSite(doc *diagnose.Document, f diagnose.Finding) (stage, text string) {
	ins := doc.Instructions
	i := sort.Search(len(ins), func(i int) bool { return ins[i].Span.Start > f.Span.Start }) - 1
	var in *diagnose.Instruction
	if i >= 0 {
		in = ins[i]
	}
	if in != nil && in.Stage != nil {
		if in.Stage.Name != "" {
			stage = strings.ToLower(in.Stage.Name)
		} else {
			stage = "#" + strconv.Itoa(in.Stage.Index)
		}
	}
	if in != nil && f.Span.Start < max(in.Span.End, in.ContEnd)+1 {
		var b strings.Builder
		b.WriteString(in.Logical)
		for _, h := range in.Heredocs {
			b.WriteByte('\n')
			b.Write(spanBytes(doc.Src, h.Body))
		}
		return stage, collapse(b.String())
	}
	src := doc.Src
	start, end := clamp(f.Span.Start, len(src)), clamp(f.Span.End, len(src))
	start = bytes.LastIndexByte(src[:start], '\n') + 1
	if j := bytes.IndexByte(src[max(end, start):], '\n'); j >= 0 {
		end = max(end, start) + j
	} else {
		end = len(src)
	}
	return stage, collapse(string(src[start:end]))
}

func spanBytes(src []byte, s diagnose.Span) []byte {
	a, b := clamp(s.Start, len(src)), clamp(s.End, len(src))
	return src[a:max(a, b)]
}

// collapse joins a text's words with single spaces.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// loadBaseline reads a baseline file into its set of fingerprints.
func loadBaseline(path string) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var bf baselineFile
	if err := json.Unmarshal(b, &bf); err != nil {
		return nil, fmt.Errorf("not a dockdoc baseline: %v", err)
	}
	if bf.Fingerprint != fingerprintKey {
		return nil, fmt.Errorf("its fingerprints are %q, this dockdoc makes %q; write it again with dockdoc baseline", bf.Fingerprint, fingerprintKey)
	}
	set := make(map[string]bool, len(bf.Findings))
	for _, e := range bf.Findings {
		set[e.Fingerprint] = true
	}
	return set, nil
}

// baselineFilter drops the findings a baseline holds from check's reports.
type baselineFilter struct {
	path  string
	set   map[string]bool
	root  *pathMapper // the baseline's directory
	cwd   *pathMapper // for SARIF's fingerprints, which are relative to %SRCROOT%
	sarif bool
	known int // findings dropped
}

func newBaselineFilter(path, format string) (*baselineFilter, error) {
	set, err := loadBaseline(path)
	if err != nil {
		return nil, err
	}
	return &baselineFilter{path: path, set: set, root: newPathMapperAt(filepath.Dir(path)),
		cwd: newPathMapper(), sarif: format == "sarif"}, nil
}

// filter removes the known findings from r. The fingerprints are computed
// over all of the file's findings first, so that a counter means the same
// as in the baseline; SARIF's are kept beside the findings that remain.
func (bf *baselineFilter) filter(r *fileReport) {
	if r.err != nil || len(r.findings) == 0 {
		return
	}
	fps := fingerprints(bf.root, *r)
	var sfps []string
	if bf.sarif {
		sfps = fingerprints(bf.cwd, *r)
	}
	var keep []diagnose.Finding
	var keepFps []string
	for i, f := range r.findings {
		if bf.set[fps[i]] {
			bf.known++
			continue
		}
		keep = append(keep, f)
		if sfps != nil {
			keepFps = append(keepFps, sfps[i])
		}
	}
	r.findings, r.fingerprints = keep, keepFps
	if r.fingerprints == nil {
		r.fingerprints = []string{} // computed: none remain
	}
}

func (c *cli) baseline(args []string) int {
	var cf commonFlags
	fs := c.flags("baseline", &cf)
	fs.StringVar(&cf.output, "output", defaultBaseline, "the baseline file to write")
	fs.StringVar(&cf.output, "o", defaultBaseline, "short for --output")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	if !c.validate(&cf) {
		return exitError
	}
	files, ok, err := c.inputFiles(paths, &cf)
	if !ok {
		return exitError
	}
	if err != nil {
		c.inputError(err)
		return exitError
	}
	if in := outputIsInput(cf.output, append(append([]string{cf.config}, files...), paths...)); in != "" {
		fmt.Fprintf(c.stderr, "dockdoc baseline: --output %s is %s, which baseline reads; refusing to overwrite it (nothing written)\n", cf.output, in)
		return exitError
	}
	root := newPathMapperAt(filepath.Dir(cf.output))
	doc := baselineFile{Version: 1, Fingerprint: fingerprintKey, Findings: []baselineEntry{}}
	var failed []error
	nfiles := 0
	c.diagnoseEach(files, diagnose.Options{Only: cf.only, ReportUnused: cf.unused, Resolve: cf.resolver}, cf.context, cf.config, func(r fileReport) {
		if r.err != nil {
			c.inputError(r.err)
			failed = append(failed, r.err)
			return
		}
		nfiles++
		rel, _ := root.rel(r.path)
		for i, fp := range fingerprints(root, r) {
			f := r.findings[i]
			doc.Findings = append(doc.Findings, baselineEntry{Fingerprint: fp, File: rel, Rule: f.Rule.Code, Line: f.Line, Message: f.Message})
		}
	})
	if len(failed) > 0 {
		fmt.Fprintf(c.stderr, "dockdoc baseline: %s could not be diagnosed; nothing written (a baseline without their findings would hide them later)\n", plural(len(failed), "file"))
		return exitError
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err == nil {
		err = writeFileAtomic(cf.output, append(b, '\n'))
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "dockdoc baseline: %v\n", err)
		return exitError
	}
	fmt.Fprintf(c.stderr, "Wrote %s in %s to %s; dockdoc check --baseline %s reports only new ones.\n",
		plural(len(doc.Findings), "finding"), plural(nfiles, "file"), cf.output, cf.output)
	return exitClean
}

// writeFileAtomic writes a file through a temporary file beside it and a
// rename, so that a reader never sees half a baseline.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".dockdoc-baseline-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
