package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/internal/corpus"
)

// precisionCases are findings on corpus files judged by reading them: a
// false positive that must stay gone, or a true finding that must stay.
// Each stands for a class of problem fixed at its root; the class has its
// own regression case in testdata.
var precisionCases = []struct {
	file string
	line int
	code string
	want bool // true: the finding must be there
	why  string
}{
	{"0064", 179, "DD011", false, "cd / backs out"},
	{"0077", 62, "DD011", false, "cd into a directory the RUN creates and removes"},
	{"0041", 115, "DD011", false, "cd into a mktemp -d directory"},
	{"0001", 14, "DD007", false, "apt-get dist-clean removes the lists"},
	{"0061", 70, "DD007", false, "apt-get dist-clean removes the lists"},
	{"0554", 14, "DD007", false, "apt-get dist-clean removes the lists"},
	{"0706", 86, "DD062", false, "FROM scratch has a known working directory"},
	{"0751", 2, "DD062", false, "FROM scratch has a known working directory"},
	{"0029", 96, "DD024", false, "yarn --version installs nothing"},
	{"0030", 95, "DD024", false, "yarn --version installs nothing"},
	{"0031", 68, "DD024", false, "yarn --version installs nothing"},
	{"0631", 164, "DD024", false, "yarn --version installs nothing"},
	{"0397", 20, "DD024", false, "a development stage keeps its dev dependencies"},
	{"0661", 38, "DD027", false, "uv's python3.12-bookworm-slim image is python:3.12-slim-bookworm"},
	{"0662", 39, "DD027", false, "the interpreter is copied along"},
	{"0663", 25, "DD027", false, "the venv never leaves its stage"},
	{"0674", 33, "DD075", false, "tags may have upper-case letters"},
	{"0331", 16, "DD004", false, "ADD of an ARG whose default is a URL downloads"},
	{"0323", 21, "DD004", false, "ADD of an ARG whose default is a URL downloads"},
	{"0622", 25, "DD002", false, "HEALTHCHECK CMD ... || exit 1 needs its shell"},
	{"0430", 26, "DD002", true, "invalid JSON in a Windows CMD runs as a shell command"},
	{"0776", 6, "DD038", true, "sudo where the base image runs as gitpod is reported without a fix"},
	{"0120", 51, "DD011", false, "a cd in an elif of a for loop"},
	{"0761", 6, "DD059", false, "a wildcard source may match nothing"},
	{"0486", 23, "DD009", false, "a stage no image is made of"},
	{"0486", 24, "DD063", false, "a stage no image is made of"},
	{"0129", 1, "DD000", true, "template syntax BuildKit rejects"},
	{"0638", 3, "DD000", true, "an unknown instruction"},
	{"0693", 3, "DD000", true, "COPY has no --user flag"},
	{"0694", 4, "DD000", true, "HEALTHCHECK without arguments"},
}

// The classes of false positive found on the corpus stay fixed, and the
// true findings stay; the per-rule counts are logged for the record.
func TestCorpusPrecision(t *testing.T) {
	dir := corpus.Dir()
	if dir == "" {
		t.Skip("no corpus")
	}
	found := map[string]map[string]bool{} // file -> "CODE@line"
	counts := map[string]int{}
	files := map[string]bool{}
	for _, c := range precisionCases {
		files[c.file] = true
	}
	for _, f := range corpus.Files(t) {
		base := strings.TrimSuffix(filepath.Base(f), ".Dockerfile")
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := diagnose.Parse(f, src)
		if err != nil {
			continue
		}
		if files[base] && found[base] == nil {
			found[base] = map[string]bool{} // diagnosed, whatever it finds
		}
		for _, fd := range diagnose.Run(doc, diagnose.Options{}) {
			counts[fd.Rule.Code]++
			if files[base] {
				if found[base] == nil {
					found[base] = map[string]bool{}
				}
				found[base][fmt.Sprintf("%s@%d", fd.Rule.Code, fd.Line)] = true
			}
		}
	}
	for _, c := range precisionCases {
		if found[c.file] == nil {
			t.Errorf("%s: not in the corpus or not a Dockerfile, so its case proves nothing", c.file)
			continue
		}
		if got := found[c.file][fmt.Sprintf("%s@%d", c.code, c.line)]; got != c.want {
			what := "a false positive came back"
			if c.want {
				what = "a true finding is gone"
			}
			t.Errorf("%s:%d %s: %s (%s)", c.file, c.line, c.code, what, c.why)
		}
	}
	var codes []string
	for c := range counts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var b strings.Builder
	for _, c := range codes {
		fmt.Fprintf(&b, " %s:%d", c, counts[c])
	}
	t.Logf("findings per rule over the corpus:%s", b.String())
}
