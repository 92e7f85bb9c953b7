package syntax

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
)

// applyDD017 diagnoses src with DD017 alone and applies alternative alt of
// its only finding.
func applyDD017(t *testing.T, src string, alt int) string {
	t.Helper()
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil || doc.ParseErr != nil {
		t.Fatalf("parse: %v %v", err, doc.ParseErr)
	}
	fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD017"}})
	if len(fs) != 1 || len(fs[0].Fixes) <= alt {
		t.Fatalf("want one finding with %d fixes, got %s", alt+1, ruletest.FormatFindings(fs))
	}
	c := diagnose.Compose(doc, []diagnose.Choice{{Finding: &fs[0], Alt: alt}})
	if c.Applied() != 1 {
		t.Fatalf("fix not applied: %+v", c.Outcomes)
	}
	return string(c.Out)
}

func TestEmptyContinuationLineEdges(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
		alt             int
	}{
		{"crlf", "FROM alpine\r\nRUN echo a \\\r\n  \r\n    b\r\n", "FROM alpine\r\nRUN echo a \\\r\n    b\r\n", 0},
		{"eof without line break", "FROM alpine\nRUN echo a \\\n  ", "FROM alpine\nRUN echo a \\\n", 0},
		{"eof crlf", "FROM alpine\r\nRUN echo a \\\r\n\r\n", "FROM alpine\r\nRUN echo a \\\r\n", 0},
		{"end instruction", "FROM alpine\nRUN make \\\n\nCOPY . /app\n", "FROM alpine\nRUN make\n\nCOPY . /app\n", 1},
		{"end instruction crlf", "FROM alpine\r\nRUN make  \\  \r\n\r\nCOPY . /app\r\n", "FROM alpine\r\nRUN make\r\n\r\nCOPY . /app\r\n", 1},
		{"end instruction backtick", "# escape=`\nFROM alpine\nRUN make `\n\nCOPY . /app\n", "# escape=`\nFROM alpine\nRUN make\n\nCOPY . /app\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := applyDD017(t, tc.src, tc.alt)
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if err := diagnose.Verify([]byte(got)); err != nil {
				t.Errorf("result does not parse: %v", err)
			}
			doc, _ := diagnose.Parse("Dockerfile", []byte(got))
			if fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD017"}}); len(fs) != 0 {
				t.Errorf("still reported after the fix: %s", ruletest.FormatFindings(fs))
			}
		})
	}
	// the ending alternative is unsafe: it changes what the build runs
	doc, _ := diagnose.Parse("Dockerfile", []byte("FROM alpine\nRUN make \\\n\nCOPY . /app\n"))
	fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD017"}})
	if fs[0].Fixes[0].Applicability != fixes.Safe || fs[0].Fixes[1].Applicability != fixes.Unsafe {
		t.Errorf("unexpected applicabilities: %s", ruletest.FormatFindings(fs))
	}
}
