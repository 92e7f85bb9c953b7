package rules

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/dockdoc/dockdoc/internal/corpus"
)

// A fix inside a here-document of a CRLF file goes before the line's \r.
func TestCRLFHeredocAppend(t *testing.T) {
	src := "FROM debian:12\r\nRUN <<EOF\r\napt-get update\r\napt-get install -y curl\r\nEOF\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD007"}}, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	want := "FROM debian:12\r\nRUN <<EOF\r\napt-get update\r\napt-get install -y curl && rm -rf /var/lib/apt/lists/*\r\nEOF\r\n"
	if string(res.Out) != want {
		t.Errorf("got %q\nwant %q", res.Out, want)
	}
}

// Every fix keeps a CRLF file's line endings: the corpus, written with
// CRLF, fixed with every rule; no line of the output ends in a bare \n and
// no \r is left inside a line. A sample of the corpus keeps it quick.
func TestCRLFCorpusFixesKeepLineEndings(t *testing.T) {
	files := corpus.Files(t)
	checked, changed := 0, 0
	for i, f := range files {
		if i%5 != 0 {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("\r")) {
			continue
		}
		src := bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
		res, err := diagnose.FixAll(filepath.Base(f), src, diagnose.Options{}, fixes.Unsafe)
		if err != nil {
			t.Logf("%s: %v", filepath.Base(f), err)
			continue // a file the parser refuses
		}
		checked++
		if !bytes.Equal(res.Out, src) {
			changed++
		}
		out := string(res.Out)
		for n, line := range strings.SplitAfter(out, "\n") {
			body := strings.TrimSuffix(line, "\n")
			if strings.HasSuffix(line, "\n") && !strings.HasSuffix(body, "\r") {
				t.Errorf("%s: line %d of the fixed file ends in a bare \\n: %q", filepath.Base(f), n+1, line)
				break
			}
			if strings.Contains(strings.TrimSuffix(body, "\r"), "\r") {
				t.Errorf("%s: line %d of the fixed file has a \\r inside: %q", filepath.Base(f), n+1, line)
				break
			}
		}
	}
	t.Logf("%d files fixed, %d changed", checked, changed)
	if checked < len(files)/10 || changed < checked/2 {
		t.Errorf("only %d corpus files fixed", checked)
	}
}
