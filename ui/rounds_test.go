package ui

import (
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

// writeProject writes an acceptance project's files to a fresh directory
// and returns the Dockerfile's path.
func writeProject(t *testing.T, file string) string {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range a.Files {
		if ruletest.ProjectSections[f.Name] && f.Name != "Dockerfile" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "Dockerfile")
}

// readTree maps every file under dir (relative path) to its content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}

// TestAllEqualsFixUnsafe: on every acceptance project, A (after a or not,
// and pressed twice) then w writes exactly what diagnose.FixAll with
// unsafe fixes gives, the other files (.dockerignore) included.
func TestAllEqualsFixUnsafe(t *testing.T) {
	files, _ := filepath.Glob("../diagnose/rules/testdata/projects/*.txtar")
	if len(files) == 0 {
		t.Fatal("no acceptance projects")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		for _, keys := range [][]string{{"A", "y"}, {"a", "A", "y"}, {"A", "y", "a", "a", "A", "y"}, {"j", "space", "A", "y"}} {
			t.Run(name+"/"+strings.Join(keys, ""), func(t *testing.T) {
				path := writeProject(t, file)
				dir := filepath.Dir(path)
				// What dockdoc fix --unsafe writes.
				src, _ := os.ReadFile(path)
				cfg, err := diagnose.FindConfig(path)
				if err != nil {
					t.Fatal(err)
				}
				res, err := diagnose.FixAll(path, src, diagnose.Options{Ctx: buildctx.For(path, ""), Config: cfg}, fixes.Unsafe)
				if err != nil {
					t.Fatal(err)
				}
				want := readTree(t, dir)
				want["Dockerfile"] = string(res.Out)
				for _, of := range res.Others {
					rel, _ := filepath.Rel(dir, of.Path)
					want[rel] = string(of.After)
				}
				if len(res.Rounds) < 2 && name == "uv-fastapi" {
					t.Fatalf("uv-fastapi should need later rounds, took %d", len(res.Rounds))
				}

				m := start(t, 120, 40, path)
				press(m, keys...)
				if m.mode == modeConfirm {
					t.Fatalf("still asking after %v: %s", keys, m.confirm.title)
				}
				run(m, press(m, "w"))
				run(m, press(m, "y"))
				got := readTree(t, dir)
				for k, w := range want {
					if got[k] != w {
						t.Errorf("%s after %v:\n--- fix --unsafe\n%s\n--- doctor\n%s", k, keys, w, got[k])
					}
				}
				for k := range got {
					if _, ok := want[k]; !ok {
						t.Errorf("the doctor wrote %s, fix --unsafe does not", k)
					}
				}
			})
		}
	}
}

// TestAllTwiceSaysSo: A with everything on already changes nothing and
// says so instead of asking.
func TestAllTwiceSaysSo(t *testing.T) {
	path := writeProject(t, "../diagnose/rules/testdata/projects/uv-fastapi.txtar")
	m := start(t, 120, 40, path)
	press(m, "A")
	if m.mode != modeConfirm || !strings.Contains(m.confirm.title, "fix --unsafe") {
		t.Fatalf("A did not ask: %v", m.status)
	}
	press(m, "y")
	if !strings.Contains(m.status, "rounds") {
		t.Errorf("status after A: %q", m.status)
	}
	out := string(m.Session().Composed.Out)
	press(m, "A")
	if m.mode == modeConfirm || !strings.Contains(m.status, "already on") {
		t.Errorf("second A: mode %v, status %q", m.mode, m.status)
	}
	if string(m.Session().Composed.Out) != out {
		t.Error("second A changed the file")
	}
	// u takes it all back.
	press(m, "u")
	if m.Session().Dirty() || len(m.Session().Later) != 0 {
		t.Error("undo after A left fixes on")
	}
}

// TestLaterRoundFixesInTheList: after A, the fixes of later rounds are in
// the list, on; space turns one off and it stays off through other
// changes; a finding of the file whose fix applied in a later round is
// marked on, and space turns it off and on again.
func TestLaterRoundFixesInTheList(t *testing.T) {
	path := writeProject(t, uvProject)
	m := start(t, 140, 40, path)
	press(m, "A", "y")
	s := m.Session()
	if len(s.Findings) <= s.Base() {
		t.Fatalf("no later-round fix in the list: %d findings, base %d", len(s.Findings), s.Base())
	}
	if !strings.Contains(m.View(), "from later rounds") {
		t.Error("the list title does not mention the later rounds")
	}
	for i := s.Base(); i < len(s.Findings); i++ {
		if mk := s.Mark(i); mk != MarkOn && mk != MarkUnsafeOn {
			t.Errorf("later fix %s marked %s", s.Findings[i].Rule.Code, mk.Word())
		}
	}
	// The later DD028 (".env") entry: off, and it stays off.
	press(m, "G")
	last := m.current()
	if last < s.Base() || s.Findings[last].Rule.Code != "DD028" {
		t.Fatalf("last entry is %s (%d), base %d", s.Findings[last].Rule.Code, last, s.Base())
	}
	press(m, "space")
	ignore := func() string {
		for _, of := range s.Composed.Others {
			return string(of.After)
		}
		return ""
	}
	if strings.Contains(ignore(), ".env") {
		t.Errorf("the .env entry is still written after space: %q (status %q)", ignore(), m.status)
	}
	cursorTo(t, m, "DD009")
	press(m, "space", "space")
	if strings.Contains(ignore(), ".env") {
		t.Error("the later fix turned off came back")
	}
	// DD029 conflicts in the first round and applies in the second.
	cursorTo(t, m, "DD029")
	i := m.current()
	if mk := s.Mark(i); mk != MarkUnsafeOn {
		t.Fatalf("DD029 marked %s", mk.Word())
	}
	press(m, "space")
	if strings.Contains(string(s.Composed.Out), "AS builder") || s.Mark(i) == MarkUnsafeOn {
		t.Fatalf("DD029 still on after space: %q", m.status)
	}
	press(m, "space")
	if !strings.Contains(string(s.Composed.Out), "AS builder") {
		t.Errorf("DD029 not back on after space: %q", m.status)
	}
}

// TestSafeOffAfterAllStaysOff: a after A turns the safe fixes off, and the
// later rounds do not turn them back on.
func TestSafeOffAfterAllStaysOff(t *testing.T) {
	m := start(t, 140, 40, writeProject(t, uvProject))
	press(m, "A", "y")
	s := m.Session()
	press(m, "a")
	if !strings.Contains(m.status, "off") {
		t.Fatalf("a after A: %q", m.status)
	}
	for _, i := range s.Fixable(fixes.Safe) {
		if mk := s.Mark(i); mk == MarkOn {
			t.Errorf("%s still on after a", s.Findings[i].Rule.Code)
		}
	}
	for _, l := range s.Later {
		if !l.Unsafe() {
			t.Errorf("a later round turned on the safe %s", l.Finding.Rule.Code)
		}
	}
}
