package main

// The report writers of dockdoc check: text (for people), json (dockdoc's
// own machine format), sarif (code scanning), github (workflow-command
// annotations), checkstyle (Jenkins, GitLab and other XML consumers) and
// gnu (editors' compilation modes). Every writer gets the same reports;
// the exit code never depends on the format.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

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

// best is the safest applicable fix a finding offers, or DisplayOnly.
func best(f diagnose.Finding) fixes.Applicability {
	b := fixes.DisplayOnly
	for _, fx := range f.Fixes {
		if fx.Applicability > b && !fx.Manual {
			b = fx.Applicability
		}
	}
	return b
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	if strings.HasSuffix(word, "s") || strings.HasSuffix(word, "x") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
