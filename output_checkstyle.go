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
