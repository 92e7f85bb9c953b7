package process

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
)

// The display-only advice is never applied by dockdoc fix, so the golden
// files cannot show where it goes; check its edits here, and CRLF files.
func TestFinalRootFixPlacement(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"before CMD, above its comment",
			"FROM debian:12\nCOPY app /app\n\n# run it\n  CMD [\"/app\"]\n",
			"FROM debian:12\nCOPY app /app\n\n  USER 65532:65532\n# run it\n  CMD [\"/app\"]\n"},
		{"end of stage when a RUN follows the CMD",
			"FROM debian:12\nCMD [\"/app\"]\nRUN true\nEXPOSE 80\n",
			"FROM debian:12\nCMD [\"/app\"]\nRUN true\nEXPOSE 80\nUSER 65532:65532\n"},
		{"no final line break",
			"FROM scratch\nCOPY app /app",
			"FROM scratch\nCOPY app /app\nUSER 65532:65532"},
		{"only FROM",
			"FROM alpine:3.20\n",
			"FROM alpine:3.20\nUSER 65532:65532\n"},
		{"CRLF, before ENTRYPOINT after USER root",
			"FROM alpine:3.20\r\nUSER root\r\nRUN apk add curl\r\nENTRYPOINT [\"/app\"]\r\nCMD [\"x\"]\r\n",
			"FROM alpine:3.20\r\nUSER root\r\nRUN apk add curl\r\nUSER 65532:65532\r\nENTRYPOINT [\"/app\"]\r\nCMD [\"x\"]\r\n"},
		{"trailing comment after the last instruction",
			"FROM alpine:3.20\nRUN true\n# the end\n",
			"FROM alpine:3.20\nRUN true\nUSER 65532:65532\n# the end\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := diagnose.Parse("Dockerfile", []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD013"}})
			if len(fs) != 1 || len(fs[0].Fixes) != 1 || fs[0].Fixes[0].Applicability != fixes.DisplayOnly {
				t.Fatalf("want one finding with one display-only fix, got:\n%s", ruletest.FormatFindings(fs))
			}
			out, err := fixes.Apply(doc.Src, fs[0].Fixes[0].Edits)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != c.want {
				t.Errorf("got:\n%q\nwant:\n%q", out, c.want)
			}
			if err := diagnose.Verify(out); err != nil {
				t.Error(err)
			}
			d2, _ := diagnose.Parse("Dockerfile", out)
			if left := diagnose.Run(d2, diagnose.Options{Only: []string{"DD013"}}); len(left) != 0 {
				t.Errorf("the advice, applied, still leaves %s", ruletest.FormatFindings(left))
			}
		})
	}
}

func TestFinalRootSwitchBackCRLF(t *testing.T) {
	src := "FROM alpine:3.20\r\nUSER app\r\nUSER root\r\nRUN apk add curl\r\n"
	want := "FROM alpine:3.20\r\nUSER app\r\nUSER root\r\nRUN apk add curl\r\nUSER app\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD013"}}, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Out) != want {
		t.Errorf("got %q, want %q", res.Out, want)
	}
}

// FROM scratch has no /etc/passwd: the advice says a USER there must be a
// number, and the finding stays info.
func TestFinalRootScratchAdvice(t *testing.T) {
	for src, scratch := range map[string]bool{"FROM scratch\nCOPY app /app\n": true, "FROM debian:12\n": false} {
		doc, err := diagnose.Parse("Dockerfile", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD013"}})
		if len(fs) != 1 || len(fs[0].Fixes) != 1 {
			t.Fatalf("%q: want one finding with one fix, got:\n%s", src, ruletest.FormatFindings(fs))
		}
		if got := fs[0].Severity; got != diagnose.Info {
			t.Errorf("%q: severity %s, want info", src, got)
		}
		if note := fs[0].Fixes[0].Note; strings.Contains(note, "/etc/passwd") != scratch {
			t.Errorf("%q: note %q; mentions /etc/passwd: want %v", src, note, scratch)
		}
	}
}
