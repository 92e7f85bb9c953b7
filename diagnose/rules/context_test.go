package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/fixes"
)

// Every rule runs, and the fix loop finishes, on a build context whose
// files are broken, binary or too large to read.
func TestRulesOnMalformedContext(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"pyproject.toml":    "[project\nname = ",
		"uv.lock":           "\x00\x01\x02binary",
		"package.json":      `{"name": "x", "scripts": {`,
		"package-lock.json": "not json at all",
		"Pipfile.lock":      "{",
		".python-version":   "pypy3.10\n",
		".nvmrc":            "lts/*\n",
		"go.mod":            "module\ngo\n",
		".dockerignore":     "[\n",
		"yarn.lock":         "",
		"requirements.txt":  strings.Repeat("x", buildctx.MaxFileSize+10),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := buildctx.Load(dir, filepath.Join(dir, "Dockerfile"))
	if len(c.Notes) == 0 {
		t.Fatal("the malformed context left no notes")
	}
	src := "FROM python:latest\nCOPY . .\nRUN pip install uv && uv sync\nCMD uv run app\n"
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs := diagnose.Run(doc, diagnose.Options{Ctx: c})
	if len(fs) == 0 {
		t.Error("no findings on a file with several problems")
	}
	for _, f := range fs {
		if strings.Contains(f.Message, "internal error") {
			t.Error(f.Message)
		}
	}
	if _, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Ctx: c}, fixes.Unsafe); err != nil {
		t.Fatal(err)
	}
}
