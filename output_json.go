package main

// check --format json: dockdoc's own machine format.

import (
	"encoding/json"
	"io"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/effects"
	"github.com/dockdoc/dockdoc/fixes"
)

type jsonFix struct {
	Title         string `json:"title"`
	Applicability string `json:"applicability"`
	// With --effects: what the fix, applied alone, changes in the image,
	// or why it is refused (the model of the build), or why the effect
	// could not be computed.
	Effect       *effects.Effect `json:"effect,omitempty"`
	Refused      string          `json:"refused,omitempty"`
	EffectsError string          `json:"effectError,omitempty"`
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
	w       io.Writer
	n       int // findings written
	errors  []jsonError
	effects bool // --effects
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
	for i := range r.findings {
		f := &r.findings[i]
		jf := jsonFinding{
			File: r.path, Rule: f.Rule.Code, Name: f.Rule.Name, Aliases: append([]string{}, f.Rule.Aliases...),
			Severity: f.Severity.String(), Category: string(f.Rule.Category),
			Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndCol,
			Message: f.Message, Fixes: []jsonFix{},
		}
		for alt, fx := range f.Fixes {
			if fx.Manual {
				continue // "suppress here" is offered to every finding; not listed
			}
			jx := jsonFix{Title: fx.Title, Applicability: fx.Applicability.String()}
			if j.effects && fx.Applicability != fixes.DisplayOnly && r.doc != nil {
				jx.Effect, jx.Refused, jx.EffectsError = effectOf(r.doc, f, alt)
			}
			jf.Fixes = append(jf.Fixes, jx)
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

// effectOf applies one fix alone and asks BuildKit's conversion what it
// changes in the image; a fix the model of the build refuses says why.
func effectOf(doc *diagnose.Document, f *diagnose.Finding, alt int) (*effects.Effect, string, string) {
	c := diagnose.Compose(doc, []diagnose.Choice{{Finding: f, Alt: alt}})
	if len(c.Outcomes) == 1 && c.Outcomes[0].Status.Kind != fixes.Applied {
		return nil, c.Outcomes[0].Reason, ""
	}
	e, err := effects.Of(doc.Path, doc.Src, c.Out)
	if err != nil {
		return nil, "", err.Error()
	}
	return &e, "", ""
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
