package buildctx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeContext(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestContextReadsPins(t *testing.T) {
	dir := writeContext(t, map[string]string{
		".python-version": "cpython-3.10.14\n",
		"pyproject.toml":  "[project]\nname='x'\nrequires-python='>=3.11'\n[tool.uv]\ndev-dependencies=[]\n",
		"uv.lock":         "version = 1\n",
		".nvmrc":          "v22.3.0\n",
		".tool-versions":  "nodejs 20.1.0\ngolang 1.21.0\n",
		"go.mod":          "module x\n\ngo 1.22.3\ntoolchain go1.22.5\n",
		"package.json":    `{"name":"x","scripts":{"start":"node server.js"},"engines":{"node":">=18"}}`,
		"yarn.lock":       "__metadata:\n  version: 6\n",
		".dockerignore":   "**/node_modules\n.git\n",
	})
	c := Load(dir, filepath.Join(dir, "Dockerfile"))
	if c.Python == nil || c.Python.Version != "3.10" || c.Python.Source != ".python-version" {
		t.Errorf("python pin %+v", c.Python)
	}
	if c.Node == nil || c.Node.Version != "22" || c.Node.Source != ".nvmrc" {
		t.Errorf("node pin %+v (.nvmrc must outrank .tool-versions)", c.Node)
	}
	if c.Go == nil || c.Go.Version != "1.22" || c.Go.Source != "go.mod go line" {
		t.Errorf("go pin %+v", c.Go)
	}
	if c.PythonTool() != "uv" || c.NodeTool() != "yarn-berry" {
		t.Errorf("tools %s %s", c.PythonTool(), c.NodeTool())
	}
	if !c.DockerIgnore.Ignores("web/node_modules") || c.DockerIgnore.Ignores("src/app.py") {
		t.Error(".dockerignore matching")
	}
	for _, p := range c.Pins {
		if p.Source == "pyproject.toml requires-python" && p.Version != "3.11" {
			t.Errorf("requires-python lower bound = %q", p.Version)
		}
	}
	if !strings.Contains(c.Summary(), "Python 3.10 (.python-version)") {
		t.Errorf("summary: %s", c.Summary())
	}
}

// Broken, binary and huge context files leave notes and are not used;
// nothing crashes (diagnose/rules runs every rule on such a context).
func TestMalformedContextNeverCrashes(t *testing.T) {
	dir := writeContext(t, map[string]string{
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
		"requirements.txt":  strings.Repeat("x", MaxFileSize+10),
	})
	c := Load(dir, filepath.Join(dir, "Dockerfile"))
	joined := strings.Join(c.Notes, "\n")
	for _, want := range []string{"pyproject.toml: not valid TOML", "uv.lock: not a text file", "package.json: not valid JSON", "package-lock.json: not valid JSON", "Pipfile.lock: not valid JSON", ".python-version", ".nvmrc"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no note for %q in:\n%s", want, joined)
		}
	}
	if c.UVLock || c.NpmLock || c.Package != nil || c.PyProject != nil {
		t.Error("malformed files were used")
	}
}
