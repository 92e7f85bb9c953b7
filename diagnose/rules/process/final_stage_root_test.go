package process

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
)

// The display-only advice (on a base image dockdoc does not know) is never
// applied by dockdoc fix, so the golden files cannot show where it goes;
// check its edits here, and CRLF files.
func TestFinalRootFixPlacement(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"before CMD, above its comment",
			"FROM registry.example/base:1\nCOPY app /app\n\n# run it\n  CMD [\"/app\"]\n",
			"FROM registry.example/base:1\nCOPY app /app\n\n  USER 65532:65532\n# run it\n  CMD [\"/app\"]\n"},
		{"end of stage when a RUN follows the CMD",
			"FROM registry.example/base:1\nCMD [\"/app\"]\nRUN true\nEXPOSE 80\n",
			"FROM registry.example/base:1\nCMD [\"/app\"]\nRUN true\nEXPOSE 80\nUSER 65532:65532\n"},
		{"no final line break",
			"FROM registry.example/base:1\nCOPY app /app",
			"FROM registry.example/base:1\nCOPY app /app\nUSER 65532:65532"},
		{"only FROM",
			"FROM registry.example/base:1\n",
			"FROM registry.example/base:1\nUSER 65532:65532\n"},
		{"CRLF, before ENTRYPOINT after USER root",
			"FROM registry.example/base:1\r\nUSER root\r\nRUN apk add curl\r\nENTRYPOINT [\"/app\"]\r\nCMD [\"x\"]\r\n",
			"FROM registry.example/base:1\r\nUSER root\r\nRUN apk add curl\r\nUSER 65532:65532\r\nENTRYPOINT [\"/app\"]\r\nCMD [\"x\"]\r\n"},
		{"trailing comment after the last instruction",
			"FROM registry.example/base:1\nRUN true\n# the end\n",
			"FROM registry.example/base:1\nRUN true\nUSER 65532:65532\n# the end\n"},
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

// The fix that creates a user keeps the file's line breaks in its RUN's
// continuation lines, goes above the metadata (VOLUME) while USER goes
// just before CMD, and composes with the model of the build (the install
// before it still runs as root).
func TestFinalRootCreateCRLF(t *testing.T) {
	src := "FROM alpine:3.20\r\nUSER root\r\nRUN apk add --no-cache curl\r\nVOLUME /data\r\nCMD [\"/app\"]\r\n"
	want := "FROM alpine:3.20\r\nUSER root\r\nRUN apk add --no-cache curl\r\n" +
		"RUN addgroup -S -g 10001 app && \\\r\n    adduser -S -u 10001 -G app -H app && \\\r\n" +
		"    mkdir -p /data && \\\r\n    chown -R 10001:10001 /data\r\nVOLUME /data\r\nUSER 10001:10001\r\nCMD [\"/app\"]\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{}, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Skipped {
		if o.Finding.Rule.Code == "DD013" {
			t.Fatalf("the fix was not applied: %s", o.Reason)
		}
	}
	if string(res.Out) != want {
		t.Errorf("got %q, want %q", res.Out, want)
	}
}

// The note says what the fix cannot know: the files the application
// writes (VOLUME targets are the only ones it knows) and, for a port
// below 1024, where a non-root process can bind it.
func TestFinalRootNotes(t *testing.T) {
	for _, c := range []struct{ src, want, not string }{
		{"FROM node:22\nEXPOSE 80/tcp 8080\nCMD [\"node\", \"s.js\"]\n",
			"port 80, below 1024: Docker Engine 20.10 and later sets net.ipv4.ip_unprivileged_port_start=0", "8080"},
		{"FROM node:22\nEXPOSE 80\nCMD [\"node\", \"s.js\"]\n", "NET_BIND_SERVICE", ""},
		{"FROM debian:12\nCMD [\"app\"]\n", "dockdoc found no VOLUME", "1024"},
		{"FROM debian:12\nVOLUME /data\nCMD [\"app\"]\n", "(/data) are made 10001:10001's", "no VOLUME"},
		{"FROM scratch\nVOLUME /data\n", "no shell to chown", ""},
		{"FROM registry.example/base:1\nEXPOSE 443\n", "port 443", ""},
		{"FROM debian:12 AS b\nUSER app\nUSER root\nFROM b\nEXPOSE 22\n", "port 22", ""},
	} {
		doc, err := diagnose.Parse("Dockerfile", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD013"}})
		if len(fs) != 1 || len(fs[0].Fixes) != 1 {
			t.Fatalf("%q: want one finding with one fix, got:\n%s", c.src, ruletest.FormatFindings(fs))
		}
		note := fs[0].Fixes[0].Note
		if !strings.Contains(note, c.want) || c.not != "" && strings.Contains(note, c.not) {
			t.Errorf("%q: note %q\nwant it to say %q and not %q", c.src, note, c.want, c.not)
		}
	}
}

// A file that ends in an open continuation line gets no fix: a line added
// after it would join the last instruction.
func TestFinalRootOpenContinuation(t *testing.T) {
	for _, src := range []string{"FROM ubuntu:24.04\nENV a=b \\\n", "FROM registry.example/base:1\nENV a=b \\\n    c=d \\"} {
		doc, err := diagnose.Parse("Dockerfile", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD013"}})
		if len(fs) != 1 || len(fs[0].Fixes) != 0 {
			t.Errorf("%q: want one finding and no fix, got:\n%s", src, ruletest.FormatFindings(fs))
		}
	}
}
