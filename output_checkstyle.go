package main

// check --format checkstyle: checkstyle 4.3 XML.

import (
	"bytes"
	"encoding/xml"
	"io"

	"github.com/dockdoc/dockdoc/diagnose"
)

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

// checkstyleWriter writes checkstyle 4.3 XML (hadolint's version), one
// <file> per file checked, as each file comes. An input error is an error
// at line 0 (no line, as checkstyle reports file-level problems) with
// source "dockdoc".
type checkstyleWriter struct {
	w     io.Writer
	files int
	buf   bytes.Buffer
}

// csOpen is the root element's start tag as encoding/xml writes it.
const csOpen = `<checkstyle version="4.3">`

func newCheckstyleWriter(w io.Writer) *checkstyleWriter {
	io.WriteString(w, xml.Header+csOpen)
	return &checkstyleWriter{w: w}
}

func (c *checkstyleWriter) file(r fileReport) {
	f := csFile{Name: r.path}
	if r.err != nil {
		f.Errors = append(f.Errors, csError{Severity: "error", Message: errText(r), Source: "dockdoc"})
	}
	for _, fd := range r.findings {
		f.Errors = append(f.Errors, csError{Line: fd.Line, Column: fd.Column, Severity: csSeverity(fd.Severity), Message: fd.Message, Source: fd.Rule.Code})
	}
	// The file's element is encoded inside a log of its own, so that it is
	// indented as in the whole log, and cut out of it.
	c.buf.Reset()
	enc := xml.NewEncoder(&c.buf)
	enc.Indent("", "  ")
	_ = enc.Encode(csLog{Version: "4.3", Files: []csFile{f}})
	b := bytes.TrimPrefix(c.buf.Bytes(), []byte(csOpen))
	b = bytes.TrimSuffix(b, []byte("\n</checkstyle>"))
	// encoding/xml writes <error ...></error>; checkstyle writes the
	// shorter empty-element tag. Attribute values have > escaped, so the
	// pattern only matches a tag's end.
	c.w.Write(bytes.ReplaceAll(b, []byte("></error>"), []byte("/>")))
	c.files++
}

func (c *checkstyleWriter) finish(int) {
	if c.files > 0 {
		io.WriteString(c.w, "\n")
	}
	io.WriteString(c.w, "</checkstyle>\n")
}

// writeCheckstyle writes the checkstyle report of the given files.
func writeCheckstyle(w io.Writer, reports []fileReport) {
	c := newCheckstyleWriter(w)
	for _, r := range reports {
		c.file(r)
	}
	c.finish(exitClean)
}
