package main

// The report writers of dockdoc check: text (for people), json (dockdoc's
// own machine format), sarif (code scanning), github (workflow-command
// annotations), checkstyle (Jenkins, GitLab and other XML consumers) and
// gnu (editors' compilation modes). Every writer gets the same reports;
// the exit code never depends on the format.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
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

// formatWriter writes one format's report a file at a time: file is
// called with each report in the files' order, then finish once with the
// run's exit code. A writer keeps only what its format needs at the end
// (the summary counts, SARIF's rule table); what a format prints after
// the last file but gathers from every file (SARIF results, GitHub's
// warnings and notices) waits in a spool, on disk once it grows.
type formatWriter interface {
	file(r fileReport)
	finish(code int)
}

func (c *cli) newFormatWriter(format string, w io.Writer, withEffects bool) formatWriter {
	switch format {
	case "json":
		j := newJSONWriter(w)
		j.effects = withEffects
		return j
	case "sarif":
		return newSARIFWriter(w)
	case "github":
		return c.newGitHubWriter(w)
	case "checkstyle":
		return newCheckstyleWriter(w)
	case "gnu":
		return gnuWriter{w}
	}
	return &textWriter{w: w, counts: map[diagnose.Severity]int{}}
}

// reportStream writes a run's report in cf.format, to cf.output when it
// is set, as the reports come, and works out the exit code. Input errors
// also go to stderr, whatever the format.
type reportStream struct {
	c       *cli
	cf      commonFlags
	fw      formatWriter
	out     *bufio.Writer
	file    *os.File // --output
	openErr error    // --output could not be created
	code    int
	// held are the input errors kept for the end with --verbose, so that
	// stderr reads as it did when the whole report was written at the
	// end: what was read from each build context, then the errors.
	held []error
}

func (c *cli) newReportStream(cf commonFlags) *reportStream {
	s := &reportStream{c: c, cf: cf, code: exitClean}
	var w io.Writer = c.stdout
	if cf.output != "" {
		f, err := os.OpenFile(cf.output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			s.openErr = err
			w = io.Discard
		} else {
			s.file, w = f, f
		}
	}
	s.out = bufio.NewWriterSize(w, 64<<10)
	s.fw = c.newFormatWriter(cf.format, s.out, cf.effects)
	return s
}

// add writes one file's report; with stdout, it is flushed at once.
func (s *reportStream) add(r fileReport) {
	if r.err != nil {
		if s.cf.verbose {
			s.held = append(s.held, r.err)
		} else {
			s.c.inputError(r.err)
		}
		s.code = exitError
	} else {
		if r.doc.ParseErr != nil {
			s.code = exitError
		}
		fail := s.cf.failFor(r.cfg)
		for _, f := range r.findings {
			if f.Severity >= fail && s.code == exitClean {
				s.code = exitFindings
			}
		}
	}
	s.fw.file(r)
	if s.file == nil {
		s.out.Flush()
	}
}

// close writes the end of the report and returns the exit code.
func (s *reportStream) close() int {
	for _, err := range s.held {
		s.c.inputError(err)
	}
	s.fw.finish(s.code)
	err := s.out.Flush()
	if s.cf.output == "" {
		return s.code
	}
	if s.file != nil {
		if cerr := s.file.Close(); err == nil {
			err = cerr
		}
	} else {
		err = s.openErr
	}
	if err != nil {
		fmt.Fprintf(s.c.stderr, "dockdoc: --output: %v\n", err)
		return exitError
	}
	return s.code
}

// report writes a report over the given files and returns the exit code.
func (c *cli) report(reports []fileReport, cf commonFlags) int {
	s := c.newReportStream(cf)
	for _, r := range reports {
		s.add(r)
	}
	return s.close()
}

// spool keeps what a writer prints at the end: in memory while it is
// small, then in a temporary file, so a large run's report does not stay
// in memory. Writes never fail; a spool that cannot get its file stays in
// memory.
type spool struct {
	mem bytes.Buffer
	f   *os.File
	fw  *bufio.Writer
	err error
}

// spoolInMemory is how much a spool keeps in memory before it moves to a
// temporary file (a variable, so that tests can make spools spill).
var spoolInMemory = 1 << 20

func (s *spool) Write(p []byte) (int, error) {
	if s.f == nil && s.err == nil && s.mem.Len()+len(p) > spoolInMemory {
		f, err := os.CreateTemp("", "dockdoc-report-*")
		if err != nil {
			s.err = err
		} else {
			s.f, s.fw = f, bufio.NewWriterSize(f, 64<<10)
			s.fw.Write(s.mem.Bytes())
			s.mem = bytes.Buffer{}
		}
	}
	if s.fw != nil {
		return s.fw.Write(p)
	}
	return s.mem.Write(p)
}

// WriteString is Write for strings.
func (s *spool) WriteString(str string) (int, error) { return s.Write([]byte(str)) }

// reader reads back what was written.
func (s *spool) reader() io.Reader {
	if s.f == nil {
		return &s.mem
	}
	if err := s.fw.Flush(); err != nil {
		return errReader{err}
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return errReader{err}
	}
	return bufio.NewReaderSize(s.f, 64<<10)
}

// release removes the temporary file.
func (s *spool) release() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
		s.f = nil
	}
	s.mem = bytes.Buffer{}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

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
