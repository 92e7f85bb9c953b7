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
