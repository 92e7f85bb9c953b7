package rules

import (
	"bytes"
	"errors"
	"flag"
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

var update = flag.Bool("update", false, "rewrite the golden sections of testdata/rules/*/*.txtar")

// isGolden reports whether a section is written by the harness: the
// standard ones, and "fixed <file>" / "fixed-unsafe <file>" for other files
// the fixes change.
func isGolden(name string) bool {
	return ruletest.GoldenSections[name] || strings.HasPrefix(name, "fixed ") || strings.HasPrefix(name, "fixed-unsafe ")
}

func contextFromArchive(t testing.TB, a *txtar.Archive) *buildctx.Context {
	t.Helper()
	dir := t.TempDir()
	for _, f := range a.Files {
		if isGolden(f.Name) {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buildctx.Load(dir, filepath.Join(dir, "Dockerfile"))
}

// TestRules runs every case in testdata/rules/<CODE>/*.txtar. A case holds
// a Dockerfile and the golden sections:
//
//	findings      the rule's findings (line:col-endline:endcol CODE message,
//	              then its alternative fixes)
//	fixed         the file after `dockdoc fix` (safe fixes, converged),
//	              when it differs from the input
//	fixed-unsafe  the file after `dockdoc fix --unsafe`, when it differs
//
// Any other section is a file of the build context (.python-version,
// pyproject.toml, package.json, .dockerignore, ...); a .dockdoc.yaml
// section is also the configuration the case runs with.
//
// and checks that the fixed files parse, that fixing them again changes
// nothing, and that the findings the fixes addressed are gone.
func TestRules(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/rules/*")
	if len(dirs) == 0 {
		t.Fatal("no rule test cases")
	}
	tested := map[string]bool{}
	clean := map[string]bool{} // rules with a "good" case: no findings
	for _, dir := range dirs {
		code := filepath.Base(dir)
		r := diagnose.Lookup(code)
		if r == nil {
			t.Errorf("%s: no rule with that code", dir)
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.txtar"))
		for _, file := range files {
			tested[code] = true
			t.Run(code+"/"+strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
				if runRuleCase(t, r, file) == 0 {
					clean[code] = true
				}
			})
		}
	}
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		return // a -run filter selected some cases; completeness is not checked
	}
	for _, r := range diagnose.All() {
		if !tested[r.Code] {
			t.Errorf("rule %s (%s) has no test cases in testdata/rules/%s", r.Code, r.Name, r.Code)
		} else if !clean[r.Code] && !*update {
			t.Errorf("rule %s (%s) has no good case (a file it must not flag)", r.Code, r.Name)
		}
	}
}

// runRuleCase runs one case and returns how many findings the rule made.
func runRuleCase(t *testing.T, r *diagnose.Rule, file string) int {
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src, ok := ruletest.Section(a, "Dockerfile")
	if !ok {
		t.Fatal("no Dockerfile section")
	}
	opts := diagnose.Options{Only: []string{r.Code}, Ctx: contextFromArchive(t, a)}
	if cfg, ok := ruletest.Section(a, ".dockdoc.yaml"); ok {
		p := filepath.Join(t.TempDir(), ".dockdoc.yaml")
		if err := os.WriteFile(p, cfg, 0o644); err != nil {
			t.Fatal(err)
		}
		if opts.Config, err = diagnose.LoadConfig(p); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := diagnose.Parse("Dockerfile", src)
	if err != nil {
		t.Fatal(err)
	}
	findings := diagnose.Run(doc, opts)
	got := map[string]string{"findings": ruletest.FormatFindings(findings)}

	safe, err := diagnose.FixAll("Dockerfile", src, opts, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(safe.Out, src) {
		got["fixed"] = string(safe.Out)
	}
	unsafe, err := diagnose.FixAll("Dockerfile", src, opts, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(unsafe.Out, safe.Out) {
		got["fixed-unsafe"] = string(unsafe.Out)
	}
	var names []string
	for _, of := range safe.Others {
		n := "fixed " + filepath.Base(of.Path)
		got[n] = string(of.After)
		names = append(names, n)
	}
	for _, of := range unsafe.Others {
		n := "fixed-unsafe " + filepath.Base(of.Path)
		if got["fixed "+filepath.Base(of.Path)] != string(of.After) {
			got[n] = string(of.After)
			names = append(names, n)
		}
	}

	refusedSeen := map[string]bool{}
	for _, fr := range []struct {
		name string
		res  *diagnose.FixResult
		min  fixes.Applicability
	}{{"fixed", safe, fixes.Safe}, {"fixed-unsafe", unsafe, fixes.Unsafe}} {
		if len(fr.res.Rounds) > 0 {
			if err := diagnose.Verify(fr.res.Out); err != nil {
				t.Errorf("%s: does not parse: %v", fr.name, err)
			}
		}
		if fr.res.Unconverged {
			t.Errorf("%s: fixes did not converge", fr.name)
		}
		refusedHere := map[string]bool{} // finding ID + title the model of the build refused
		for _, o := range fr.res.Skipped {
			var bb *diagnose.BuildBreak
			if errors.As(o.Status.Err, &bb) {
				line := fmt.Sprintf("%s %q %s", o.Finding.ID(), o.Finding.Fixes[o.Alt].Title, o.Reason)
				if !refusedSeen[line] {
					refusedSeen[line] = true
					got["refused"] += line + "\n"
				}
				refusedHere[o.Finding.ID()+"\x00"+o.Finding.Fixes[o.Alt].Title] = true
				continue
			}
			t.Errorf("%s: fix %q of %s not applied: %s", fr.name, o.Finding.Fixes[o.Alt].Title, o.Finding.ID(), o.Reason)
		}
		for _, f := range fr.res.Remaining {
			for _, fx := range f.Fixes {
				if fx.Applicability >= fr.min && !fx.Manual && !refusedHere[f.ID()+"\x00"+fx.Title] {
					t.Errorf("%s: after fixing, %s still offers %q", fr.name, f.ID(), fx.Title)
				}
			}
		}
		again, err := diagnose.FixAll("Dockerfile", fr.res.Out, opts, fr.min)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again.Out, fr.res.Out) {
			t.Errorf("%s: fixing the fixed file changed it again:\n%s", fr.name, fixes.Unified("Dockerfile", fr.res.Out, again.Out))
		}
	}
	if r.Fixable == diagnose.FixNone {
		for _, f := range findings {
			for _, fx := range f.Fixes {
				if !fx.Manual {
					t.Errorf("rule declares no fixes but %s offers %q", f.ID(), fx.Title)
				}
			}
		}
	}

	if *update {
		out := &txtar.Archive{Comment: a.Comment, Files: []txtar.File{{Name: "Dockerfile", Data: src}}}
		for _, f := range a.Files {
			if !isGolden(f.Name) {
				out.Files = append(out.Files, f)
			}
		}
		for _, name := range append([]string{"findings", "fixed", "fixed-unsafe", "refused"}, names...) {
			if v, ok := got[name]; ok {
				out.Files = append(out.Files, txtar.File{Name: name, Data: []byte(v)})
			}
		}
		if err := os.WriteFile(file, txtar.Format(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return len(findings)
	}
	for _, f := range a.Files {
		if isGolden(f.Name) && !ruletest.GoldenSections[f.Name] {
			if _, ok := got[f.Name]; !ok {
				names = append(names, f.Name) // reported below as produced by nothing
			}
		}
	}
	for _, name := range append([]string{"findings", "fixed", "fixed-unsafe", "refused"}, names...) {
		want, has := ruletest.Section(a, name)
		v, gotIt := got[name]
		switch {
		case has && !gotIt:
			t.Errorf("section %s is in the golden file but nothing produced it (run go test ./diagnose -update)", name)
		case !has && gotIt:
			t.Errorf("section %s missing from the golden file (run go test ./diagnose -update); got:\n%s", name, v)
		case has && string(want) != v:
			t.Errorf("section %s differs (run go test ./diagnose -update to accept):\n%s", name, fixes.Unified(name, want, []byte(v)))
		}
	}
	return len(findings)
}
