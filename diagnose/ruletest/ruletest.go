package ruletest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"golang.org/x/tools/txtar"
)

var ProjectSections = map[string]bool{"Dockerfile": true, "findings": true, "alone": true, "fixed": true}

// FirstApplicable is the alternative dockdoc fix would choose.
func FirstApplicable(f diagnose.Finding) int {
	for i, fx := range f.Fixes {
		if fx.Applicability > fixes.DisplayOnly && !fx.Manual {
			return i
		}
	}
	return -1
}

// MustParseClean parses src and fails the test unless BuildKit's parser
// accepts it.
func MustParseClean(t testing.TB, src string) *diagnose.Document {
	t.Helper()
	d, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if d.ParseErr != nil {
		t.Fatalf("parse error: %v", d.ParseErr)
	}
	return d
}

// MustParse parses src, failing the test only if dockdoc refuses the input
// (a BuildKit parse error is kept in the Document's ParseErr).
func MustParse(t *testing.T, src string) *diagnose.Document {
	t.Helper()
	d, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// FormatFindings renders findings as the golden "findings" section does:
// one line per finding, one indented line per alternative fix.
func FormatFindings(fs []diagnose.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%d:%d-%d:%d %s %s\n", f.Line, f.Column, f.EndLine, f.EndCol, f.Rule.Code, f.Message)
		for _, fx := range f.Fixes {
			if fx.Manual {
				continue // the uniform "suppress here" alternative, tested on its own
			}
			fmt.Fprintf(&b, "  fix (%s): %s\n", fx.Applicability, fx.Title)
		}
		for _, p := range f.Problems {
			fmt.Fprintf(&b, "  problem: %s\n", p)
		}
	}
	return b.String()
}

// GoldenSections are the sections the harness writes; every other section
// except Dockerfile is a build-context file (.python-version, package.json,
// ...), written to a temporary directory that becomes the context.
var GoldenSections = map[string]bool{"Dockerfile": true, "findings": true, "fixed": true, "fixed-unsafe": true, "refused": true}

func Section(a *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

// CheckLabels runs the given rules on src with cfg and compares the findings
// (in the golden format of the txtar cases) with want.
func CheckLabels(t *testing.T, src string, cfg *diagnose.Config, want string, codes ...string) []diagnose.Finding {
	t.Helper()
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	doc.Config = cfg
	fs := diagnose.Run(doc, diagnose.Options{Only: codes})
	if got := FormatFindings(fs); got != want {
		t.Errorf("findings differ\n got:\n%s\nwant:\n%s", got, want)
	}
	return fs
}
