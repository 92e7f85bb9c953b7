package main

// check --format json: dockdoc's own machine format.

import (
	"encoding/json"
	"io"
)

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

// jsonWriter writes {"findings": [...], "errors": [...]}, indented as
// encoding/json indents the whole object: the findings as each file comes,
// the errors (one per file that could not be diagnosed) at the end.
type jsonWriter struct {
	w      io.Writer
	n      int // findings written
	errors []jsonError
}

func newJSONWriter(w io.Writer) *jsonWriter {
	io.WriteString(w, "{\n  \"findings\": [")
	return &jsonWriter{w: w, errors: []jsonError{}}
}

func (j *jsonWriter) file(r fileReport) {
	if r.err != nil {
		j.errors = append(j.errors, jsonError{File: r.path, Error: r.err.Error()})
		return
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
		b, _ := json.MarshalIndent(jf, "    ", "  ")
		sep := ",\n    "
		if j.n == 0 {
			sep = "\n    "
		}
		io.WriteString(j.w, sep)
		j.w.Write(b)
		j.n++
	}
}

func (j *jsonWriter) finish(int) {
	if j.n > 0 {
		io.WriteString(j.w, "\n  ")
	}
	io.WriteString(j.w, "],\n  \"errors\": ")
	b, _ := json.MarshalIndent(j.errors, "  ", "  ")
	j.w.Write(b)
	io.WriteString(j.w, "\n}\n")
}
