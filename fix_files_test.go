package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// fix counts the files it writes: a .dockerignore its fixes edit is one
// more, and a Dockerfile whose bytes do not change is none.
func TestFixCountsTheFilesItWrites(t *testing.T) {
	a, err := txtar.ParseFile("diagnose/rules/testdata/projects/uv-fastapi.txtar")
	if err != nil {
		t.Fatal(err)
	}
	project := func() string {
		dir := t.TempDir()
		for _, f := range a.Files {
			if f.Name == "findings" || f.Name == "alone" || f.Name == "fixed" {
				continue
			}
			write(t, dir, f.Name, string(f.Data))
		}
		return filepath.Join(dir, "Dockerfile")
	}
	p := project()
	if _, _, errs := runCLI(t, nil, "fix", "--unsafe", p); !strings.Contains(errs, "; wrote 2 files.") {
		t.Errorf("fix --unsafe with a .dockerignore fix: %q", errs)
	}
	p = project()
	before, _ := os.ReadFile(p)
	_, _, errs := runCLI(t, nil, "fix", "--rule", "DD028", p)
	after, _ := os.ReadFile(p)
	if string(after) != string(before) || !strings.Contains(errs, "Applied 1 fix; wrote 1 file.") {
		t.Errorf("fix --rule DD028 (only .dockerignore changes): %q", errs)
	}
}
