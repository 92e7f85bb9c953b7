package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const uvProject = "../diagnose/rules/testdata/projects/uv-fastapi.txtar"

// TestWriteCountsFiles: the confirmation and the status count the files a
// write changes, .dockerignore included, and a write that changes only
// .dockerignore does not claim to have written the Dockerfile.
func TestWriteCountsFiles(t *testing.T) {
	path := writeProject(t, uvProject)
	ignore := filepath.Join(filepath.Dir(path), ".dockerignore")
	m := start(t, 120, 40, path)
	cursorTo(t, m, "DD028")
	press(m, "space", "w")
	if m.mode != modeConfirm || m.confirm.title != "Write 1 change to 1 file?" {
		t.Fatalf("w with DD028 on: %q", m.status)
	}
	if !strings.Contains(strings.Join(m.confirm.lines, "\n"), "changes "+ignore) {
		t.Errorf("the confirmation does not name .dockerignore: %q", m.confirm.lines)
	}
	run(m, press(m, "y"))
	if !strings.HasPrefix(m.status, "wrote 1 fix to "+ignore+";") || strings.Contains(m.status, "Dockerfile") {
		t.Errorf("status after writing .dockerignore alone: %q", m.status)
	}

	path = writeProject(t, uvProject)
	m = start(t, 120, 40, path)
	press(m, "A", "y", "w")
	if m.mode != modeConfirm || !strings.HasSuffix(m.confirm.title, " changes to 2 files?") {
		t.Fatalf("w after A: %q", m.confirm.title)
	}
	run(m, press(m, "y"))
	if !strings.Contains(m.status, " to "+path+" and "+filepath.Join(filepath.Dir(path), ".dockerignore")+"; ") {
		t.Errorf("status after writing both: %q", m.status)
	}
}

// TestWordingPlurals: counts agree with their nouns; the header says saved
// or UNSAVED, never clean.
func TestWordingPlurals(t *testing.T) {
	m := start(t, 200, 30, copyFixture(t, "golden.Dockerfile"))
	v := m.View()
	if !strings.Contains(v, " warnings") || strings.Contains(v, " warning,") || !strings.Contains(v, "· saved ·") && !strings.Contains(v, " saved ") {
		t.Errorf("header: %s", strings.SplitN(v, "\n", 2)[0])
	}
	if strings.Contains(v, "clean") {
		t.Error("header still says clean")
	}
	cursorTo(t, m, "DD005") // a finding with a safe fix, whatever comes first in the list
	press(m, "space")
	if !strings.Contains(m.View(), "UNSAVED") {
		t.Error("no UNSAVED with a fix on")
	}
	if got := wroteLine(1, []string{"Dockerfile"}, 1); got != "wrote 1 fix to Dockerfile; 1 finding remains" {
		t.Errorf("wroteLine: %q", got)
	}
	if got := wroteLine(7, []string{"a/Dockerfile", "a/.dockerignore"}, 3); got != "wrote 7 fixes to a/Dockerfile and a/.dockerignore; 3 findings remain" {
		t.Errorf("wroteLine: %q", got)
	}

	// One safe fix: the hint does not say "all 1".
	one := start(t, 200, 30, writeFile(t, "FROM debian:12\nRUN apt-get install curl\n"))
	if h := one.hint(); strings.Contains(h, "all 1 ") || strings.Contains(h, "all 0 ") {
		t.Errorf("hint: %q", h)
	}
}

// TestKeysWithNothingToDoSaySo: A, w and a with no fix, t on a clean
// file, ] with one file, u and ctrl+r with no history.
func TestKeysWithNothingToDoSaySo(t *testing.T) {
	clean := start(t, 120, 30, writeFile(t, "FROM debian:12.5-slim\nUSER 1000\nCMD [\"true\"]\n"))
	if n := len(clean.Session().Findings); n != 0 {
		t.Fatalf("the clean fixture has %d findings", n)
	}
	for k, want := range map[string]string{
		"A": "no finding has a fix", "a": "no finding has a safe fix", "w": "nothing to write",
		"t": "nothing to teach", "]": "only one Dockerfile", "[": "only one Dockerfile",
		"u": "nothing to undo", "ctrl+r": "nothing to redo", "space": "no findings", "n": "no findings",
	} {
		clean.status = ""
		press(clean, k)
		if !strings.Contains(clean.status, want) || clean.mode != modeNormal {
			t.Errorf("%s on a clean file: status %q, mode %d (want %q)", k, clean.status, clean.mode, want)
		}
	}
}

func writeFile(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
