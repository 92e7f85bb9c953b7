package rules

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
)

// runExample checks src, as a Dockerfile in a directory holding files, with
// only rule r enabled, and returns r's findings.
func runExample(t *testing.T, r *diagnose.Rule, src string, files map[string]string) []diagnose.Finding {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := diagnose.Parse(path, []byte(src))
	if err != nil {
		return nil
	}
	opts := diagnose.Options{Only: []string{r.Code}, Ctx: buildctx.Load(dir, path),
		// Examples of digest pinning resolve tags; offline, every tag
		// resolves to the same digest.
		Resolve: func(string) (string, error) { return "sha256:" + strings.Repeat("0", 64), nil }}
	if _, ok := files[".dockdoc.yaml"]; ok {
		cfg, err := diagnose.LoadConfig(filepath.Join(dir, ".dockdoc.yaml"))
		if err != nil {
			t.Fatalf("%s: the example's .dockdoc.yaml: %v", r.Code, err)
		}
		opts.Config = cfg
	}
	var out []diagnose.Finding
	for _, f := range diagnose.Run(doc, opts) {
		if f.Rule == r {
			out = append(out, f)
		}
	}
	return out
}

// Every rule teaches with examples that work when pasted: its Bad example,
// as a whole Dockerfile (with the project files its Doc declares), triggers
// it; its Good example does not.
func TestDocExamples(t *testing.T) {
	var failed []string
	for _, r := range diagnose.All() {
		if r.Code == "DD000" || r.Code == "DD094" {
			continue // engine findings, checked by their own tests
		}
		r := r
		t.Run(r.Code, func(t *testing.T) {
			good := r.Doc.Context
			if r.Doc.GoodContext != nil {
				good = r.Doc.GoodContext
			}
			bad := runExample(t, r, r.Doc.Bad, r.Doc.Context)
			if len(bad) == 0 {
				t.Errorf("%s: the Bad example triggers no %s finding:\n%s", r.Code, r.Code, r.Doc.Bad)
			}
			if g := runExample(t, r, r.Doc.Good, good); len(g) > 0 {
				t.Errorf("%s: the Good example triggers %s: %s\n%s", r.Code, r.Code, g[0].Message, r.Doc.Good)
			}
			if t.Failed() {
				failed = append(failed, r.Code)
			}
		})
	}
	sort.Strings(failed)
	if len(failed) > 0 {
		t.Logf("%d rules' examples fail: %s", len(failed), strings.Join(failed, " "))
	}
}
