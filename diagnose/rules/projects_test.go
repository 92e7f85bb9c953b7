package rules

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
	"golang.org/x/tools/txtar"
)

// TestProjects runs the acceptance fixtures in testdata/projects/*.txtar: a
// whole project (Dockerfile plus context files) with golden sections
//
//	findings   every finding of every rule, with its fixes
//	alone      the diff of each fix applied on its own
//	fixed      the file after dockdoc fix --unsafe (every fix, converged)
//
// and checks that the hardened file parses, that dockdoc finds nothing left
// to fix in it, and that each small fix applied before the others gives
// the same hardened file (fixes compose in any order).
func TestProjects(t *testing.T) {
	files, _ := filepath.Glob("testdata/projects/*.txtar")
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runProject(t, file)
		})
	}
}

func runProject(t *testing.T, file string) {
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src, ok := ruletest.Section(a, "Dockerfile")
	if !ok {
		t.Fatal("no Dockerfile section")
	}
	dir := t.TempDir()
	for _, f := range a.Files {
		if ruletest.ProjectSections[f.Name] {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dockerfile := filepath.Join(dir, "Dockerfile")
	os.WriteFile(dockerfile, src, 0o644)
	opts := diagnose.Options{Ctx: buildctx.Load(dir, dockerfile)}
	doc, err := diagnose.Parse("Dockerfile", src)
	if err != nil {
		t.Fatal(err)
	}
	findings := diagnose.Run(doc, opts)
	got := map[string]string{"findings": ruletest.FormatFindings(findings)}

	var alone strings.Builder
	for i := range findings {
		f := &findings[i]
		for a, fx := range f.Fixes {
			if fx.Applicability == fixes.DisplayOnly || fx.Manual {
				continue
			}
			c := diagnose.Compose(doc, []diagnose.Choice{{Finding: f, Alt: a}})
			if c.Applied() != 1 {
				t.Errorf("%s %q alone: %s", f.ID(), fx.Title, c.Outcomes[0].Reason)
				continue
			}
			fmt.Fprintf(&alone, "== %s %s (%s)\n%s", f.ID(), fx.Title, fx.Applicability, fixes.Unified("Dockerfile", src, c.Out))
		}
	}
	got["alone"] = alone.String()

	res, err := diagnose.FixAll("Dockerfile", src, opts, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	got["fixed"] = string(res.Out)
	if err := diagnose.Verify(res.Out); err != nil {
		t.Errorf("the hardened file does not parse: %v", err)
	}
	if res.Unconverged {
		t.Error("fixes did not converge")
	}
	for _, f := range res.Remaining {
		for _, fx := range f.Fixes {
			if fx.Applicability > fixes.DisplayOnly && !fx.Manual {
				t.Errorf("left to fix in the hardened file: %s %s: %q", f.ID(), f.Message, fx.Title)
			}
		}
	}
	// Order independence: each fix applied first, then everything else,
	// must give the same hardened file.
	for i := range findings {
		f := &findings[i]
		for a, fx := range f.Fixes {
			if fx.Applicability == fixes.DisplayOnly || fx.Manual {
				continue
			}
			c := diagnose.Compose(doc, []diagnose.Choice{{Finding: f, Alt: a}})
			if c.Applied() != 1 {
				continue
			}
			again, err := diagnose.FixAll("Dockerfile", c.Out, opts, fixes.Unsafe)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again.Out, res.Out) && a == ruletest.FirstApplicable(*f) {
				t.Errorf("%s %q first, then the rest, gives another file:\n%s", f.ID(), fx.Title, fixes.Unified("Dockerfile", res.Out, again.Out))
			}
		}
	}

	if updating() {
		out := &txtar.Archive{Comment: a.Comment}
		for _, f := range a.Files {
			if !ruletest.ProjectSections[f.Name] || f.Name == "Dockerfile" {
				out.Files = append(out.Files, f)
			}
		}
		for _, name := range []string{"findings", "alone", "fixed"} {
			out.Files = append(out.Files, txtar.File{Name: name, Data: []byte(got[name])})
		}
		if err := os.WriteFile(file, txtar.Format(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, name := range []string{"findings", "alone", "fixed"} {
		want, _ := ruletest.Section(a, name)
		if string(want) != got[name] {
			t.Errorf("section %s differs (go test ./diagnose -run TestProjects -update):\n%s", name, fixes.Unified(name, want, []byte(got[name])))
		}
	}
}

func updating() bool { return *update }
