package mainproc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
)

func ctx(t *testing.T, files map[string]string) *buildctx.Context {
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buildctx.Load(dir, filepath.Join(dir, "Dockerfile"))
}

// TestJSON pins the exec-form text every rule writes (DD002, DD021,
// DD022 and the migration share JSON, so they converge on the same
// bytes): JSON strings with <, > and & left as they are.
func TestJSON(t *testing.T) {
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{"uvicorn", "app:app", "--host", "0.0.0.0"}, `["uvicorn", "app:app", "--host", "0.0.0.0"]`},
		{[]string{"sh", "-c", `echo "a<b>&c" 'x' \ y`}, `["sh", "-c", "echo \"a<b>&c\" 'x' \\ y"]`},
		{[]string{"node", "ünïcode", "tab\there", "nl\nx"}, `["node", "ünïcode", "tab\there", "nl\nx"]`},
	} {
		if got := JSON(tc.words); got != tc.want {
			t.Errorf("JSON(%q) = %s, want %s", tc.words, got, tc.want)
		}
	}
}

// TestNormalized pins the API the multi-stage migration uses.
func TestNormalized(t *testing.T) {
	for _, tc := range []struct {
		src   string
		files map[string]string
		want  string // words joined by |, "" for not ok
		path  string
	}{
		{"FROM python:3.10\nWORKDIR /app\nRUN uv sync --locked\nCMD uv run uvicorn server:app --host 0.0.0.0 --port 8082 --reload\n", nil,
			"uvicorn|server:app|--host|0.0.0.0|--port|8082", "/app/.venv/bin"},
		{"FROM python:3.10\nWORKDIR /app\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n", nil,
			"gunicorn|-b|0.0.0.0:8000|app:app", ""},
		{"FROM python:3.10\nWORKDIR /app\nCMD gunicorn -b 0.0.0.0:$PORT app:app\n", nil, "", ""},
		{"FROM node:22\nWORKDIR /app\nCMD npm run dev\n", map[string]string{"package.json": `{"scripts": {"dev": "nodemon server.js"}}`},
			"node|server.js", ""},
		{"FROM node:22\nWORKDIR /app\nCMD npm run dev\n", map[string]string{"package.json": `{"scripts": {"dev": "next dev"}}`}, "", ""},
		{"FROM golang:1.22\nWORKDIR /src\nCMD [\"go\", \"run\", \".\"]\n", nil, "", ""},
		{"FROM python:3.12\nWORKDIR /app\nENV POETRY_VIRTUALENVS_CREATE=false\nCMD [\"poetry\", \"run\", \"python\", \"-m\", \"flask\", \"--debug\", \"run\"]\n", nil,
			"python|-m|flask|run", ""},
		{"FROM python:3.12\nWORKDIR /app\nCMD [\"poetry\", \"run\", \"gunicorn\", \"app:app\"]\n", nil, "", ""},
	} {
		doc, err := diagnose.Parse("Dockerfile", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		doc.Ctx = ctx(t, tc.files)
		words, ok := Normalized(doc, doc.Stages[len(doc.Stages)-1])
		got := strings.Join(words, "|")
		if !ok {
			got = ""
		}
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.src, got, tc.want)
		}
		h, _ := Hardened(doc, doc.Stages[len(doc.Stages)-1])
		if ok && h.PathDir != tc.path {
			t.Errorf("%q: PATH %q, want %q", tc.src, h.PathDir, tc.path)
		}
	}
}
