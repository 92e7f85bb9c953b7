package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose/buildctx"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// Fixes that each look right but break the build together, or break what
// later instructions see, are refused by the model of the build with the
// reason; the file dockdoc writes still builds as before.
func TestModelRefusesBreakingCompositions(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		never     string // must not appear in the fixed file
		reason    string // a refused fix's reason contains it ("": no rule offers the fix)
	}{
		{"apt lists removed before the install that needs them",
			"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n",
			"rm -rf /var/lib/apt/lists/* && apt-get install",
			"would find no package lists"},
		{"cd becomes a WORKDIR that moves what follows",
			"FROM debian:12\nRUN cd /opt && make\nCOPY x .\nCMD [\"./run\"]\n",
			"WORKDIR /opt",
			"would run in /opt instead of the base image's default"},
		// DD004 expands the ARG and sees the URL, so it offers no COPY; the
		// model's refusal of one is tested in buildmodel's TestCompare.
		{"ADD of a URL held in an ARG stays ADD",
			"ARG URL=https://example.com/tool.tar.gz\nFROM debian:12\nARG URL\nADD $URL /tmp/\n",
			"COPY $URL",
			""},
		{"a shell-form ENTRYPOINT in exec form receives CMD as arguments",
			"FROM debian:12\nENTRYPOINT /usr/bin/start --port 80\nCMD [\"--verbose\"]\n",
			"ENTRYPOINT [",
			"would receive the CMD's words as arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := diagnose.FixAll("Dockerfile", []byte(tc.src), diagnose.Options{}, fixes.Unsafe)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(res.Out), tc.never) {
				t.Errorf("the fixed file breaks the build:\n%s", res.Out)
			}
			var reasons []string
			for _, r := range res.Rounds {
				for _, o := range r.Skipped {
					reasons = append(reasons, o.Reason)
				}
			}
			for _, o := range res.Skipped {
				reasons = append(reasons, o.Reason)
			}
			found := false
			for _, r := range reasons {
				found = found || strings.Contains(r, tc.reason)
			}
			if tc.reason != "" && !found {
				t.Errorf("no refused fix says %q; reasons: %q\nfixed:\n%s", tc.reason, reasons, res.Out)
			}
		})
	}
}

// A .dockerignore a fix writes must not take away what the build reads,
// and still excludes what it does not.
func TestModelJudgesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	src := "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN git rev-parse HEAD > /commit && go build -o /app .\nCMD [\"/app\"]\n"
	for name, body := range map[string]string{"Dockerfile": src, "go.mod": "module x\n\ngo 1.22\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := buildctx.Load(dir, filepath.Join(dir, "Dockerfile"))
	res, err := diagnose.FixAll(filepath.Join(dir, "Dockerfile"), []byte(src), diagnose.Options{Ctx: ctx}, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	for _, of := range res.Others {
		if strings.Contains(string(of.After), ".git") {
			t.Errorf("%s excludes .git, which git rev-parse needs:\n%s", of.Path, of.After)
		}
	}
	// DD028 leaves .git out of what it excludes (the build reads it) and
	// still excludes .env; the model's refusal of a .git exclusion is
	// tested in diagnose/buildmodel.
	excluded := false
	for _, of := range res.Others {
		excluded = excluded || strings.Contains(string(of.After), ".env")
	}
	if !excluded {
		t.Errorf("no .dockerignore excludes .env; skipped: %v", res.Skipped)
	}
}
