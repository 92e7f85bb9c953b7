package main

// fix --diff prints diffs that patch applies exactly: hunk headers whose
// line numbers are right on both sides, and lines byte for byte (CRLF kept).

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/internal/corpus"
)

// multiHunk gets two hunks from fix --unsafe: the first has several edits
// with unchanged lines between them and adds lines (the pipefail SHELL
// around the RUN), the second comes after it.
const multiHunk = `FROM python:latest
WORKDIR /app

ENV A 1
COPY . .
RUN curl -fsSL https://example.com/install.sh | sh
# one
# two
# three
# four
# five
# six
# seven
# eight
ENV B 2
USER app
CMD ["python", "app.py"]
`

// diffHunk is one hunk of a unified diff as printed.
type diffHunk struct {
	header                                 string
	oldStart, oldCount, newStart, newCount int
	lines                                  []string // with their ' ', '-' or '+' and their line ending (none before a "\ No newline")
}

// fileDiff is the diff of one file: its labels, hunks and text.
type fileDiff struct {
	from, to string
	hunks    []diffHunk
	text     string
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$`)

// parseDiffs reads the file diffs in out, skipping the lines around them
// (fix's report lines); a hunk whose body does not match its counts is an
// error.
func parseDiffs(out string) ([]fileDiff, error) {
	lines := strings.SplitAfter(out, "\n")
	var fds []fileDiff
	var cur *fileDiff
	start := 0
	flush := func(end int) {
		if cur != nil {
			cur.text = strings.Join(lines[start:end], "")
			fds = append(fds, *cur)
			cur = nil
		}
	}
	for i := 0; i < len(lines); {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "--- ") && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "+++ "):
			flush(i)
			cur = &fileDiff{from: strings.TrimSuffix(l[4:], "\n"), to: strings.TrimSuffix(lines[i+1][4:], "\n")}
			start = i
			i += 2
		case cur != nil && strings.HasPrefix(l, "@@"):
			m := hunkHeader.FindStringSubmatch(l)
			if m == nil {
				return nil, fmt.Errorf("%s: bad hunk header %q", cur.to, l)
			}
			num := func(s string) int {
				if s == "" {
					return 1
				}
				n, _ := strconv.Atoi(s)
				return n
			}
			h := diffHunk{header: strings.TrimSuffix(l, "\n"), oldStart: num(m[1]), oldCount: num(m[2]), newStart: num(m[3]), newCount: num(m[4])}
			i++
			for o, n := h.oldCount, h.newCount; o > 0 || n > 0; i++ {
				if i >= len(lines) || lines[i] == "" {
					return nil, fmt.Errorf("%s: hunk %s ends early", cur.to, h.header)
				}
				b := lines[i]
				switch b[0] {
				case ' ':
					o, n = o-1, n-1
				case '-':
					o--
				case '+':
					n--
				case '\\':
					noNewline(&h)
					continue
				default:
					return nil, fmt.Errorf("%s: hunk %s: unexpected line %q", cur.to, h.header, b)
				}
				if o < 0 || n < 0 {
					return nil, fmt.Errorf("%s: hunk %s has more lines than its header says", cur.to, h.header)
				}
				h.lines = append(h.lines, b)
			}
			if i < len(lines) && strings.HasPrefix(lines[i], `\ No newline at end of file`) {
				noNewline(&h)
				i++
			}
			cur.hunks = append(cur.hunks, h)
		default:
			if cur != nil && len(cur.hunks) > 0 {
				flush(i)
			}
			i++
		}
	}
	flush(len(lines))
	return fds, nil
}

// noNewline takes the line ending off the hunk's last line, which a
// "\ No newline at end of file" line follows.
func noNewline(h *diffHunk) {
	if k := len(h.lines) - 1; k >= 0 {
		h.lines[k] = strings.TrimSuffix(h.lines[k], "\n")
	}
}

// bodyLines are a hunk's lines of one side ('-' for before, '+' for after),
// without their marks.
func bodyLines(h diffHunk, side byte) []string {
	var out []string
	for _, l := range h.lines {
		if l[0] == ' ' || l[0] == side {
			out = append(out, l[1:])
		}
	}
	return out
}

// checkHunks checks that the hunks of fd are in order, that each one's new
// start is its old start moved by what the hunks before it added or removed,
// and, given the file before, that the old side is the file's text at the
// old start and the new side the patched file's text at the new start. It
// returns the patched file (nil without before).
func checkHunks(fd fileDiff, before []byte) ([]byte, error) {
	// A side with no lines names the line before the hunk.
	pos := func(start, count int) int {
		if count == 0 {
			return start + 1
		}
		return start
	}
	delta, oldEnd := 0, 0
	for _, h := range fd.hunks {
		o, n := pos(h.oldStart, h.oldCount), pos(h.newStart, h.newCount)
		if o <= oldEnd {
			return nil, fmt.Errorf("%s: hunk %s starts inside the hunk before it (which ends at line %d)", fd.to, h.header, oldEnd)
		}
		if n != o+delta {
			return nil, fmt.Errorf("%s: hunk %s: the new side starts at line %d, want %d (old start %d and %+d lines from the hunks before)", fd.to, h.header, n, o+delta, o, delta)
		}
		delta += h.newCount - h.oldCount
		oldEnd = o + h.oldCount - 1
	}
	if before == nil {
		return nil, nil
	}
	old := strings.SplitAfter(string(before), "\n")
	if old[len(old)-1] == "" {
		old = old[:len(old)-1]
	}
	var after []string
	next := 0 // first line of old not yet copied
	for _, h := range fd.hunks {
		o := pos(h.oldStart, h.oldCount) - 1
		side := bodyLines(h, '-')
		if o+len(side) > len(old) || strings.Join(old[o:o+len(side)], "") != strings.Join(side, "") {
			return nil, fmt.Errorf("%s: hunk %s: its old side is not the file's text at line %d", fd.to, h.header, o+1)
		}
		after = append(after, old[next:o]...)
		after = append(after, bodyLines(h, '+')...)
		next = o + len(side)
	}
	after = append(after, old[next:]...)
	for _, h := range fd.hunks {
		n := pos(h.newStart, h.newCount) - 1
		side := bodyLines(h, '+')
		if n+len(side) > len(after) || strings.Join(after[n:n+len(side)], "") != strings.Join(side, "") {
			return nil, fmt.Errorf("%s: hunk %s: its new side is not the patched file's text at line %d", fd.to, h.header, n+1)
		}
	}
	return []byte(strings.Join(after, "")), nil
}

// runPatch runs patch with args on file, the diff on its input, and returns
// what it said.
func runPatch(t *testing.T, diff, file string, args ...string) string {
	t.Helper()
	cmd := exec.Command("patch", append([]string{"--batch", "--no-backup-if-mismatch", "-F0"}, append(args, file)...)...)
	cmd.Stdin = strings.NewReader(diff)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("patch %v %s: %v\n%s\ndiff:\n%s", args, filepath.Base(file), err, out, diff)
	}
	return string(out)
}

// TestFixDiffAppliesWithPatch applies fix --diff's output with the real
// patch to the original files and checks that it gives exactly what fix
// writes, and that patch -R takes the fixed files back; neither may need
// fuzz or offsets (wrong line numbers in a hunk header show as an offset).
func TestFixDiffAppliesWithPatch(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("patch is not installed (.ci/run installs it)")
	}
	for _, eol := range []string{"\n", "\r\n"} {
		name := map[string]string{"\n": "LF", "\r\n": "CRLF"}[eol]
		t.Run(name, func(t *testing.T) {
			src := strings.ReplaceAll(multiHunk, "\n", eol)
			ignore := ".git" + eol
			orig, fixed := t.TempDir(), t.TempDir()
			p := write(t, orig, "Dockerfile", src)
			write(t, orig, ".dockerignore", ignore)
			q := write(t, fixed, "Dockerfile", src)
			write(t, fixed, ".dockerignore", ignore)

			_, out, errs := runCLI(t, nil, "fix", "--unsafe", "--diff", p)
			if code, o, e := runCLI(t, nil, "fix", "--unsafe", q); code == exitError {
				t.Fatalf("fix: exit %d\n%s%s", code, o, e)
			}
			fds, err := parseDiffs(out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if len(fds) == 0 || fds[0].to != "b/"+strings.TrimPrefix(filepath.ToSlash(p), "/") {
				t.Fatalf("no diff of %s:\n%s%s", p, out, errs)
			}
			if h := fds[0].hunks; len(h) < 2 || h[0].newCount <= h[0].oldCount {
				t.Fatalf("the fixture no longer gives a first hunk that adds lines and a second hunk after it; change it:\n%s", out)
			}
			for _, fd := range fds {
				rel := strings.TrimPrefix(fd.to, "b/"+strings.TrimPrefix(filepath.ToSlash(orig), "/")+"/")
				target, want := filepath.Join(orig, rel), filepath.Join(fixed, rel)
				before, _ := os.ReadFile(target)
				wantB, _ := os.ReadFile(want)
				if after, err := checkHunks(fd, before); err != nil {
					t.Errorf("%v\n%s", err, fd.text)
				} else if string(after) != string(wantB) {
					t.Errorf("%s: the hunks give\n%q\nfix wrote:\n%q", rel, after, wantB)
				}
				if said := runPatch(t, fd.text, target); strings.Contains(said, "offset") || strings.Contains(said, "fuzz") {
					t.Errorf("patch %s: %s\n%s", rel, said, fd.text)
				}
				got, _ := os.ReadFile(target)
				if string(got) != string(wantB) {
					t.Errorf("%s patched with the diff:\n%q\nfix wrote:\n%q", rel, got, wantB)
				}
				if said := runPatch(t, fd.text, want, "-R"); strings.Contains(said, "offset") || strings.Contains(said, "fuzz") {
					t.Errorf("patch -R %s: %s\n%s", rel, said, fd.text)
				}
				back, _ := os.ReadFile(want)
				if string(back) != string(before) {
					t.Errorf("%s: patch -R does not give the original back:\n%q", rel, back)
				}
			}
		})
	}
	// A file with nothing to fix prints no diff at all.
	p := write(t, t.TempDir(), "Dockerfile", clean)
	if _, out, _ := runCLI(t, nil, "fix", "--diff", p); out != "" {
		t.Errorf("fix --diff of a clean file printed:\n%s", out)
	}
}

// TestFixDiffHunkHeadersCorpus checks the hunk headers of fix --unsafe
// --diff over the corpus: each hunk's counts match its lines, hunks come in
// order, each new start is its old start moved by the lines the hunks before
// it added or removed, and both sides are the files' text at those lines.
func TestFixDiffHunkHeadersCorpus(t *testing.T) {
	files := corpus.Files(t)
	var problems []string
	diffs := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, out, _ := runCLI(t, nil, "fix", "--unsafe", "--diff", f)
		fds, err := parseDiffs(out)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", filepath.Base(f), err))
			continue
		}
		label := "b/" + strings.TrimPrefix(filepath.ToSlash(f), "/")
		for _, fd := range fds {
			diffs++
			var before []byte
			if fd.to == label {
				before = src
			}
			if _, err := checkHunks(fd, before); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", filepath.Base(f), err))
			}
		}
	}
	if len(problems) > 0 {
		t.Errorf("%d of %d diffs have inconsistent hunk headers:\n%s", len(problems), diffs, strings.Join(problems, "\n"))
	}
}
