package ospkg

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
)

// The new line a heredoc fix adds uses the file's CRLF line breaks, and a
// shell-form fix lands after the last command across CRLF continuations.
func TestDD007CRLF(t *testing.T) {
	src := "FROM debian:12\r\n" +
		"RUN <<EOF\r\nset -e\r\napt-get update\r\napt-get install -y curl\r\nEOF\r\n" +
		"RUN apt-get update \\\r\n    && apt-get install -y git\r\n"
	want := "FROM debian:12\r\n" +
		"RUN <<EOF\r\nset -e\r\napt-get update\r\napt-get install -y curl\r\nrm -rf /var/lib/apt/lists/*\r\nEOF\r\n" +
		"RUN apt-get update \\\r\n    && apt-get install -y git && rm -rf /var/lib/apt/lists/*\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD007"}}, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Out); got != want {
		t.Errorf("fixed output:\n%q\nwant:\n%q", got, want)
	}
	if len(res.Remaining) != 0 {
		t.Errorf("%d findings remain", len(res.Remaining))
	}
}

// An unsafe fix says which later RUN depends on the lists.
func TestDD007UnsafeNote(t *testing.T) {
	src := "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD007"}})
	if len(fs) != 1 || len(fs[0].Fixes) != 1 {
		t.Fatalf("want one finding with one fix, got %s", ruletest.FormatFindings(fs))
	}
	fx := fs[0].Fixes[0]
	if fx.Applicability != fixes.Unsafe || !strings.Contains(fx.Note, "line 3") {
		t.Errorf("fix %s with note %q; want unsafe, naming line 3", fx.Applicability, fx.Note)
	}
}

// A later RUN that is not readable shell but mentions apt gives a note
// that says so, rather than claiming what it runs.
func TestDD007UnreadableLaterNote(t *testing.T) {
	src := "FROM debian:12\nRUN apt-get update\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n"
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD007"}})
	if len(fs) != 1 || len(fs[0].Fixes) != 1 {
		t.Fatalf("want one finding with one fix, got %s", ruletest.FormatFindings(fs))
	}
	fx := fs[0].Fixes[0]
	if fx.Applicability != fixes.Unsafe || !strings.Contains(fx.Note, "line 3 mentions apt") {
		t.Errorf("fix %s with note %q; want unsafe, saying line 3 mentions apt", fx.Applicability, fx.Note)
	}
}
