package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// streamProject writes a multi-file project: files with findings of every
// severity and with fixes (one creates a .dockerignore), a clean file, a
// file that does not parse, an empty file (an input error), in more
// directories than the check window holds files, so that reports are
// written while later files are still being diagnosed.
func streamProject(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	fixture, err := os.ReadFile(formatArgs[0])
	if err != nil {
		t.Fatal(err)
	}
	kinds := []string{
		string(fixture),
		"FROM alpine:3.20\nUSER 65532\nCMD [\"sh\"]\n",
		"FROM debian:latest\nRUN apt-get install -y curl\nMAINTAINER x\n",
		"FROM node:latest\nCOPY . .\nRUN npm install\nCMD npm start\n",
		"FROM alpine\nRUN <<EOF\n",
		"",
		"FROM python:3\nRUN pip install flask\nADD . /app\nWORKDIR app\n",
	}
	var paths []string
	for i := range 60 {
		p := filepath.Join(dir, fmt.Sprintf("d%02d", i/3), fmt.Sprintf("Dockerfile.%d", i))
		src := kinds[i%len(kinds)]
		if i%5 == 0 {
			src += strings.Repeat("RUN echo hi\n", 50) // some files take longer
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// The streamed report is byte for byte the report written at the end of
// the run from every file's diagnosis, for every format, with spools in
// memory and spilled to disk, and so are stderr, the exit code and
// GitHub's step summary.
func TestStreamedEqualsAllAtEnd(t *testing.T) {
	stableVersion(t)
	paths := streamProject(t)
	for _, spill := range []bool{false, true} {
		if spill {
			saved := spoolInMemory
			spoolInMemory = 100
			t.Cleanup(func() { spoolInMemory = saved })
		}
		for _, format := range formats {
			for _, extra := range [][]string{nil, {"--verbose"}, {"--fail-level", "error"}} {
				if spill && extra != nil {
					continue // spilling is about the format, not the flags
				}
				name := fmt.Sprintf("%s/%v/spill=%v", format, extra, spill)
				summary := filepath.Join(t.TempDir(), "summary.md")
				t.Setenv("GITHUB_STEP_SUMMARY", summary)

				args := append(append([]string{"check", "--format", format}, extra...), paths...)
				code, out, errs := runCLI(t, nil, args...)
				gotSummary, _ := os.ReadFile(summary)
				os.Remove(summary)

				wantCode, wantOut, wantErrs := legacyCheck(t, extra, format, paths)
				wantSummary, _ := os.ReadFile(summary)
				if code != wantCode || errs != wantErrs {
					t.Errorf("%s: exit %d, stderr %q; all at end: exit %d, stderr %q", name, code, errs, wantCode, wantErrs)
				}
				if out != wantOut {
					t.Errorf("%s: the streamed report differs from the one written at the end\n%s", name, firstDiff(wantOut, out))
				}
				if !bytes.Equal(gotSummary, wantSummary) {
					t.Errorf("%s: step summary differs\n%s", name, firstDiff(string(wantSummary), string(gotSummary)))
				}
			}
		}
	}
}

// legacyCheck is dockdoc check as it was: every report kept, then written.
func legacyCheck(t *testing.T, extra []string, format string, paths []string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &cli{stdout: &out, stderr: &errb, fsys: fixes.OS{}}
	cf := commonFlags{format: format, failLevel: "info"}
	for i := 0; i < len(extra); i++ {
		switch extra[i] {
		case "--verbose":
			cf.verbose = true
		case "--fail-level":
			i++
			cf.failLevel, cf.failSet = extra[i], true
		}
	}
	if !c.validate(&cf) {
		t.Fatal(errb.String())
	}
	files, err := diagnose.Discover(paths)
	if err != nil {
		t.Fatal(err)
	}
	var reports []fileReport
	c.diagnoseEach(files, diagnose.Options{}, "", "", func(r fileReport) { reports = append(reports, r) })
	if cf.verbose {
		for _, r := range reports {
			if r.doc != nil {
				fmt.Fprintf(c.stderr, "%s: %s\n", r.path, r.doc.Ctx.Summary())
			}
		}
	}
	code := c.legacyReport(reports, cf)
	return code, out.String(), errb.String()
}

// slowFS delays reading some files, so that files after them finish
// first, and counts the files read.
type slowFS struct {
	fixes.OS
	delay map[string]time.Duration
	mu    sync.Mutex
	reads int
}

func (s *slowFS) ReadFile(name string) ([]byte, error) {
	s.mu.Lock()
	s.reads++
	d := s.delay[name]
	s.mu.Unlock()
	time.Sleep(d)
	return s.OS.ReadFile(name)
}

func (s *slowFS) Stat(name string) (fs.FileInfo, error) { return s.OS.Stat(name) }

// Reports are emitted in the files' order whatever order they finish in,
// and diagnosis runs no further ahead of the report than the window.
func TestDiagnoseEachKeepsOrder(t *testing.T) {
	paths := streamProject(t)
	sfs := &slowFS{delay: map[string]time.Duration{}}
	for i, p := range paths {
		if i%7 == 0 {
			resolved, _ := filepath.EvalSymlinks(p)
			sfs.delay[p], sfs.delay[resolved] = 20*time.Millisecond, 20*time.Millisecond
		}
	}
	c := &cli{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, fsys: sfs}
	window := windowPerCPU * runtime.GOMAXPROCS(0)
	var got []string
	c.diagnoseEach(paths, diagnose.Options{}, "", "", func(r fileReport) {
		got = append(got, r.path)
		sfs.mu.Lock()
		ahead := sfs.reads - len(got)
		sfs.mu.Unlock()
		if ahead > window {
			t.Errorf("%d files read and not yet reported (window %d)", ahead, window)
		}
		time.Sleep(time.Millisecond) // a slow writer: diagnosis must wait for it
	})
	if strings.Join(got, "\n") != strings.Join(paths, "\n") {
		t.Errorf("reports out of order:\n%s", strings.Join(got, "\n"))
	}
}
