package process

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
	"github.com/dockdoc/dockdoc/fixes"
)

// wrapperCase is a Dockerfile with its build-context files.
type wrapperCase struct {
	name  string
	src   string
	files map[string]string
}

var convergeCases = []wrapperCase{
	{"uv shell plain", "FROM python:3.12-slim\nWORKDIR /app\nRUN uv sync --locked\nEXPOSE 8082\nCMD uv run uvicorn server:app --host 0.0.0.0 --port 8082 --reload\n", nil},
	{"uv shell variable", "FROM python:3.12-slim\nWORKDIR /app\nRUN uv sync --locked\nCMD uv run --no-dev uvicorn server:app --port $PORT --reload\n", nil},
	{"uv and chain", "FROM python:3.12-slim\nWORKDIR /app\nRUN uv sync\nCMD cd /app && uv run fastapi dev main.py --reload\n", nil},
	{"uv exec module", "FROM python:3.12-slim\nWORKDIR /app\nRUN uv sync\nCMD [\"uv\", \"run\", \"-m\", \"gunicorn\", \"--reload\", \"app:app\"]\n", nil},
	{"uv continuation", "FROM python:3.12-slim\nWORKDIR /app\nRUN uv sync\nUSER app\nCMD uv run \\\n    uvicorn app:app \\\n    --reload \\\n    --port 80\n", nil},
	{"uv sh -c", "FROM python:3.12-slim\nWORKDIR /app\nRUN uv sync\nCMD [\"sh\", \"-c\", \"exec uv run uvicorn app:app --port ${PORT} --reload\"]\n", nil},
	{"poetry flask", "FROM python:3.12\nWORKDIR /app\nENV POETRY_VIRTUALENVS_IN_PROJECT=true FLASK_DEBUG=1\nRUN poetry install\nCMD poetry run flask --debug run --host 0.0.0.0\n", nil},
	{"pipenv system", "FROM python:3.12\nWORKDIR /app\nRUN pipenv install --system --deploy\nCMD pipenv run gunicorn --reload -b 0.0.0.0:8000 app:app\n", nil},
	{"npm dev nodemon", "FROM node:22-slim\nWORKDIR /app\nRUN npm ci\nCMD npm run dev\n",
		map[string]string{"package.json": `{"scripts": {"dev": "nodemon server.js", "start": "node server.js"}}`}},
	{"npm dev nodemon no start", "FROM node:22-slim\nWORKDIR /app\nRUN npm ci\nCMD npm run dev -- --port 3000\n",
		map[string]string{"package.json": `{"scripts": {"dev": "nodemon src/index.js"}}`}},
	{"npm start bin", "FROM node:22-slim\nWORKDIR /app\nRUN npm ci\nEXPOSE 3000\nCMD npm start\n",
		map[string]string{"package.json": `{"scripts": {"start": "next start -p 3000"}}`}},
	{"npm start node watch", "FROM node:22-slim\nWORKDIR /app\nCMD npm start\n",
		map[string]string{"package.json": `{"scripts": {"start": "node --watch server.js"}}`}},
	{"npx nodemon tini", "FROM node:22-slim\nWORKDIR /app\nENTRYPOINT [\"tini\", \"--\"]\nCMD npx nodemon server.js\n",
		map[string]string{"package.json": `{"devDependencies": {"nodemon": "3"}}`}},
	{"pnpm start", "FROM node:22-slim\nWORKDIR /app\nCMD exec pnpm start\n",
		map[string]string{"package.json": `{"scripts": {"start": "node dist/main.js"}}`, "pnpm-lock.yaml": "lockfileVersion: '9.0'\n"}},
	{"yarn dev unknown", "FROM node:22-slim\nWORKDIR /app\nCMD yarn dev\n",
		map[string]string{"package.json": `{"scripts": {"dev": "vite"}}`, "yarn.lock": "# yarn lockfile v1\n"}},
	{"no wrapper reload", "FROM python:3.12-slim\nCMD uvicorn app:app --reload --reload-dir src --workers 4\n", nil},
	{"go run", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nCMD go run ./cmd/server\n", nil},
}

func ctx(t *testing.T, files map[string]string) *buildctx.Context {
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buildctx.Load(dir, filepath.Join(dir, "Dockerfile"))
}

func fixAll(t *testing.T, src []byte, ctx *buildctx.Context, only ...string) []byte {
	t.Helper()
	res, err := diagnose.FixAll("Dockerfile", src, diagnose.Options{Only: only, Ctx: ctx}, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if res.Unconverged {
		t.Errorf("%v did not converge on:\n%s", only, src)
	}
	for _, o := range res.Skipped {
		t.Errorf("%v: %s not applied: %s", only, o.Finding.ID(), o.Reason)
	}
	return res.Out
}

// TestWrapperDevModeConverge checks that DD002 (exec form), DD021 (wrapper)
// and DD022 (dev mode) end in the same file whichever is applied first,
// and that mainproc.Hardened predicts that file's command.
func TestWrapperDevModeConverge(t *testing.T) {
	codes := []string{"DD002", "DD021", "DD022"}
	orders := [][]string{{"DD002", "DD021", "DD022"}, {"DD002", "DD022", "DD021"}, {"DD021", "DD002", "DD022"},
		{"DD021", "DD022", "DD002"}, {"DD022", "DD002", "DD021"}, {"DD022", "DD021", "DD002"}}
	for _, tc := range convergeCases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := ctx(t, tc.files)
			src := []byte(tc.src)
			want := fixAll(t, src, ctx, codes...)
			if err := diagnose.Verify(want); err != nil {
				t.Fatalf("result does not parse: %v", err)
			}
			for _, order := range orders {
				out := src
				for _, code := range order {
					out = fixAll(t, out, ctx, code)
				}
				out = fixAll(t, out, ctx, codes...)
				if string(out) != string(want) {
					t.Errorf("order %v gives another file:\n%s", order, fixes.Unified("Dockerfile", want, out))
				}
			}
			// The contract with the multi-stage migration.
			doc, err := diagnose.Parse("Dockerfile", src)
			if err != nil {
				t.Fatal(err)
			}
			doc.Ctx = ctx
			h, ok := mainproc.Hardened(doc, doc.Stages[len(doc.Stages)-1])
			if !ok {
				return
			}
			fixed, _ := diagnose.Parse("Dockerfile", want)
			last := fixed.Stages[len(fixed.Stages)-1]
			got := appMainCommandWords(fixed, last)
			if strings.Join(got, "\x00") != strings.Join(h.Words, "\x00") {
				t.Errorf("hardenedAppCommand says %q, the fixes give %q", h.Words, got)
			}
			if h.PathDir != "" && !strings.Contains(string(want), h.PathDir+":$PATH") {
				t.Errorf("hardenedAppCommand wants %s on PATH, the fixed file does not have it", h.PathDir)
			}
		})
	}
}

// appMainCommandWords returns the exec-form words of the stage's CMD or
// ENTRYPOINT that mainproc.MainCommand picks, prefix included.
func appMainCommandWords(d *diagnose.Document, st *diagnose.Stage) []string {
	c := mainproc.MainCommand(d, st)
	if c == nil || c.Form == mainproc.Shell {
		return nil
	}
	return c.Elems
}

// TestWrapperDevModeConvergeAllRules applies DD002, DD021 or DD022 first,
// then every rule, and expects the file every rule gives at once (other
// rules insert lines next to the CMD too, e.g. DD013's USER).
func TestWrapperDevModeConvergeAllRules(t *testing.T) {
	for _, tc := range convergeCases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := ctx(t, tc.files)
			src := []byte(tc.src)
			want := fixAll(t, src, ctx)
			for _, code := range []string{"DD002", "DD021", "DD022", "DD013"} {
				out := fixAll(t, fixAll(t, src, ctx, code), ctx)
				if string(out) != string(want) {
					t.Errorf("%s first gives another file:\n%s", code, fixes.Unified("Dockerfile", want, out))
				}
			}
		})
	}
}

// TestWrapperNotes checks what the fixes' notes warn about.
func TestWrapperNotes(t *testing.T) {
	for _, tc := range []struct {
		src, code, want string
	}{
		{"FROM python:3.12\nWORKDIR /app\nRUN uv sync\nCMD [\"uv\", \"run\", \"--extra\", \"pg\", \"app.py\"]\n", "DD021", "extras and groups"},
		{"FROM python:3.12\nWORKDIR /app\nRUN uv sync\nCMD [\"uv\", \"run\", \"uvicorn\", \"a:b\", \"--reload\"]\n", "DD021", "drop --reload"},
		{"FROM python:3.12\nWORKDIR /app\nRUN uv sync\nCMD uv run \\\n# server\n  uvicorn a:b\n", "DD021", "comment lines"},
		{"FROM python:3.12\nCMD [\"uvicorn\", \"a:b\", \"--reload\", \"--workers\", \"4\"]\n", "DD022", "--workers"},
		{"FROM python:3.12\nENV PIPENV_VENV_IN_PROJECT=1\nWORKDIR /app\nCMD [\"pipenv\", \"run\", \"gunicorn\", \"a:b\"]\n", "DD021", ".env"},
	} {
		doc, err := diagnose.Parse("Dockerfile", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		fs := diagnose.Run(doc, diagnose.Options{Only: []string{tc.code}})
		found := false
		for _, f := range fs {
			for _, fx := range f.Fixes {
				found = found || strings.Contains(fx.Note, tc.want)
			}
		}
		if !found {
			t.Errorf("%q: no %s fix note mentions %q: %+v", tc.src, tc.code, tc.want, fs)
		}
	}
}

// TestWrapperCRLF checks that inserted and rewritten lines keep CRLF.
func TestWrapperCRLF(t *testing.T) {
	src := "FROM python:3.12\r\nWORKDIR /app\r\nENV A=1 FLASK_DEBUG=1\r\nRUN uv sync\r\nCMD uv run flask --debug run\r\n"
	want := "FROM python:3.12\r\nWORKDIR /app\r\nENV A=1\r\nRUN uv sync\r\nENV PATH=\"/app/.venv/bin:$PATH\"\r\nCMD [\"flask\", \"run\"]\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD021", "DD022"}}, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Out) != want {
		t.Errorf("got %q\nwant %q", res.Out, want)
	}
}
