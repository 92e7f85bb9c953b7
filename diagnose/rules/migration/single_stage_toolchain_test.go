package migration

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
	"golang.org/x/tools/txtar"
)

// contextOf writes files into a temporary build context and reads it.
func contextOf(t *testing.T, files map[string]string) *buildctx.Context {
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
	return buildctx.Load(dir, filepath.Join(dir, "Dockerfile"))
}

var uvProject = map[string]string{
	".python-version": "3.10\n",
	"pyproject.toml":  "[project]\nname = \"server\"\nversion = \"0.1.0\"\n",
	"uv.lock":         "version = 1\n",
}

// The migration writes CRLF line breaks into a CRLF file, keeps the lines
// above the first FROM and the absence of a final line break.
func TestSingleStageToolchainKeepsLineEndings(t *testing.T) {
	ctx := contextOf(t, uvProject)
	for _, tc := range []struct {
		name, src string
	}{
		{"crlf", "# check=error=true\r\n# the api\r\nFROM python:3.10\r\nWORKDIR /app\r\nCOPY . .\r\nRUN pip install uv==0.4.30 && uv sync --locked\r\nCMD [\"uvicorn\", \"server:app\"]\r\n"},
		{"no final newline", "FROM python:3.10\nWORKDIR /app\nCOPY . .\nRUN pip install uv==0.4.30 && uv sync --locked\nCMD [\"uvicorn\", \"server:app\"]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := diagnose.Options{Only: []string{"DD029"}, Ctx: ctx}
			res, err := diagnose.FixAll("Dockerfile", []byte(tc.src), opts, fixes.Unsafe)
			if err != nil {
				t.Fatal(err)
			}
			out := string(res.Out)
			if out == tc.src {
				t.Fatal("no migration applied")
			}
			if err := diagnose.Verify(res.Out); err != nil {
				t.Fatalf("does not parse: %v\n%s", err, out)
			}
			crlf := strings.Contains(tc.src, "\r\n")
			if crlf && strings.Count(out, "\n") != strings.Count(out, "\r\n") {
				t.Errorf("bare LF in a CRLF file:\n%q", out)
			}
			if strings.HasSuffix(tc.src, "\n") != strings.HasSuffix(out, "\n") {
				t.Errorf("final line break not kept:\n%q", out)
			}
			if crlf && !strings.HasPrefix(out, "# check=error=true\r\n# the api\r\nFROM python:3.10-slim AS builder\r\n") {
				t.Errorf("the lines above FROM changed:\n%q", out)
			}
			if !strings.Contains(out, "uv==0.4.30") {
				t.Errorf("the file's uv version was not kept:\n%s", out)
			}
		})
	}
}

// The migration is a function of facts, not of text: the same project
// written with the small fixes already applied (or not) migrates to the
// same bytes.
func TestSingleStageToolchainSameFileFromEquivalentInputs(t *testing.T) {
	ctx := contextOf(t, uvProject)
	variants := []string{
		"FROM python:latest\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN pip install --upgrade uv && uv sync --locked\nCOPY . .\nENV APP_MODE prod\nEXPOSE 8082\nCMD uv run uvicorn server:app --host 0.0.0.0 --port 8082 --reload\n",
		"FROM python:3.10\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN pip install --no-cache-dir uv==0.9.5 && uv sync --locked --no-dev --no-install-project\nCOPY . .\nRUN uv sync --locked --no-dev\nENV APP_MODE=prod\nEXPOSE 8082\nCMD [\"uvicorn\", \"server:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8082\"]\n",
		"from python:3.10\nenv UV_PYTHON_DOWNLOADS=never\nworkdir /app\ncopy . .\nrun pip install uv && uv sync\nenv APP_MODE=\"prod\" PATH=\"/app/.venv/bin:$PATH\"\nexpose 8082\ncmd [\"uv\", \"run\", \"uvicorn\", \"server:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8082\"]\n",
	}
	var first []byte
	for i, src := range variants {
		res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD029"}, Ctx: ctx}, fixes.Unsafe)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = res.Out
			continue
		}
		if !bytes.Equal(res.Out, first) {
			t.Errorf("variant %d migrates differently:\n%s", i, fixes.Unified("Dockerfile", first, res.Out))
		}
	}
	// APP_MODE="prod" and APP_MODE=prod are the same value but not the same
	// text; the check above shows the quoted form wins only where written.
	if !strings.Contains(string(first), "ENV APP_MODE=prod\n") {
		t.Errorf("the legacy ENV was not rewritten as KEY=value:\n%s", first)
	}
}

func TestSingleStageToolchainSilentCases(t *testing.T) {
	ctx := contextOf(t, uvProject)
	for name, src := range map[string]string{
		"other image":        "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y python3-pip && pip install flask\n",
		"image from an ARG":  "ARG BASE=python:3.10\nFROM $BASE\nRUN pip install flask\n",
		"runtime stage":      "FROM python:3.10 AS b\nRUN pip install flask\nFROM python:3.10-slim\nCOPY --from=b /usr/local /usr/local\nCMD [\"flask\"]\n",
		"only pip upgrading": "FROM python:3.10\nRUN pip install --no-cache-dir --upgrade pip setuptools wheel\n",
	} {
		doc, err := diagnose.Parse("Dockerfile", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD029"}, Ctx: ctx}); len(fs) != 0 {
			t.Errorf("%s: unexpected finding %s", name, fs[0].Message)
		}
	}
}

// The acceptance projects converge on the same hardened file whatever
// small fixes are applied before the migration: every pair of them, and
// all the safe ones (dockdoc fix, then dockdoc fix --unsafe).
func TestSingleStageToolchainComposesWithSmallFixes(t *testing.T) {
	files, _ := filepath.Glob("../testdata/projects/*.txtar")
	cases, _ := filepath.Glob("../testdata/rules/DD029/*.txtar")
	if len(files) == 0 || len(cases) == 0 {
		t.Fatal("no projects or DD029 cases under ../testdata")
	}
	for _, file := range append(files, cases...) {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			src, _ := ruletest.Section(a, "Dockerfile")
			ctx := map[string]string{}
			for _, f := range a.Files {
				if !ruletest.ProjectSections[f.Name] && !ruletest.GoldenSections[f.Name] {
					ctx[f.Name] = string(f.Data)
				}
			}
			opts := diagnose.Options{Ctx: contextOf(t, ctx)}
			want, err := diagnose.FixAll("Dockerfile", src, opts, fixes.Unsafe)
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, start []byte) {
				t.Helper()
				got, err := diagnose.FixAll("Dockerfile", start, opts, fixes.Unsafe)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Out, want.Out) {
					t.Errorf("%s first gives another file:\n%s", what, fixes.Unified("Dockerfile", want.Out, got.Out))
				}
			}
			safe, err := diagnose.FixAll("Dockerfile", src, opts, fixes.Safe)
			if err != nil {
				t.Fatal(err)
			}
			check("every safe fix", safe.Out)
			var others []string
			for _, r := range diagnose.All() {
				if r.Code != "DD029" {
					others = append(others, r.Code)
				}
			}
			small0, err := diagnose.FixAll("Dockerfile", src, diagnose.Options{Only: others, Ctx: opts.Ctx}, fixes.Unsafe)
			if err != nil {
				t.Fatal(err)
			}
			check("every other fix", small0.Out)

			doc, err := diagnose.Parse("Dockerfile", src)
			if err != nil {
				t.Fatal(err)
			}
			findings := diagnose.Run(doc, opts)
			var small []diagnose.Choice
			for i := range findings {
				f := &findings[i]
				if k := ruletest.FirstApplicable(*f); k >= 0 && f.Rule.Code != "DD029" {
					small = append(small, diagnose.Choice{Finding: f, Alt: k})
				}
			}
			for i := range small {
				for j := i + 1; j < len(small); j++ {
					c := diagnose.Compose(doc, []diagnose.Choice{small[i], small[j]})
					if c.Applied() != 2 {
						continue
					}
					check(small[i].Finding.ID()+" and "+small[j].Finding.ID(), c.Out)
				}
			}
		})
	}
}

// Random variants of naive uv, npm and Go files (each spelling the small
// problems differently): every fix applied first, then dockdoc fix
// --unsafe, gives the file that dockdoc fix --unsafe gives directly, and
// nothing is left to fix.
func TestSingleStageToolchainRandomOrders(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pick := func(xs ...string) string { return xs[r.Intn(len(xs))] }
	projects := []struct {
		ctx map[string]string
		gen func() string
	}{
		{uvProject, func() string {
			return strings.Join([]string{
				"FROM " + pick("python:latest", "python:3.10", "python:3.12-slim", "python", "python:3.10-bookworm"),
				pick("", "ENV PYTHONUNBUFFERED 1", "ENV PYTHONUNBUFFERED=1 UV_LINK_MODE=copy", "LABEL a b"),
				pick("WORKDIR /app", "WORKDIR /srv"),
				pick("COPY pyproject.toml uv.lock ./", "COPY . .", ""),
				"RUN " + pick("pip install uv", "pip install --upgrade uv", "pip install uv==0.4.30", "pip3 install -U uv") + " && " + pick("uv sync", "uv sync --locked", "uv sync --frozen", "uv sync --no-dev"),
				pick("COPY . .", "COPY . ."),
				pick("", "EXPOSE 8000", "EXPOSE 8000 9000"),
				pick("MAINTAINER x <x@example.com>", ""),
				pick("CMD uv run uvicorn server:app --reload", `CMD ["uv", "run", "--no-dev", "python", "-m", "server"]`, "CMD uvicorn server:app --host 0.0.0.0 --reload", "CMD exec uv run gunicorn -k uvicorn.workers.UvicornWorker server:app"),
			}, "\n") + "\n"
		}},
		{map[string]string{"package.json": `{"name":"a","scripts":{"start":"node index.js","dev":"nodemon index.js","build":"tsc"},"devDependencies":{"nodemon":"1","typescript":"5"}}`, "package-lock.json": "{}", ".nvmrc": "22"}, func() string {
			return strings.Join([]string{
				"FROM " + pick("node:latest", "node:22", "node", "node:20-alpine", "node:lts-slim"),
				pick("WORKDIR /app", "WORKDIR /usr/src/app"),
				pick("COPY package*.json ./", "COPY package.json package-lock.json ./", ""),
				"RUN " + pick("npm install", "npm ci", "npm i --production", "npm ci --omit=dev"),
				pick("", "RUN npm install -g nodemon", "RUN npm i -g nodemon@3"),
				"COPY . .",
				pick("", "RUN npm run build"),
				pick("ENV NODE_ENV development", "ENV PORT=3000", ""),
				pick(`CMD ["npm", "run", "dev"]`, "CMD npm start", "CMD node index.js", "CMD nodemon index.js"),
			}, "\n") + "\n"
		}},
		{map[string]string{"go.mod": "module x\n\ngo 1.22\n", "go.sum": ""}, func() string {
			return strings.Join([]string{
				"FROM " + pick("golang:1.22", "golang:latest", "golang:1.21", "golang:1.23-bookworm"),
				pick("WORKDIR /app", "WORKDIR /go/src/app", ""),
				pick("COPY go.mod go.sum ./\nRUN go mod download", ""),
				"COPY . .",
				pick("RUN go mod download", "RUN go build -o server .", ""),
				pick("CMD go run .", `CMD ["go", "run", "./cmd/x", "-v"]`, `CMD ["./server"]`),
			}, "\n") + "\n"
		}},
	}
	n, migrated := 0, 0
	for i := 0; i < 150; i++ {
		p := projects[i%len(projects)]
		src := []byte(p.gen())
		opts := diagnose.Options{Ctx: contextOf(t, p.ctx)}
		want, err := diagnose.FixAll("Dockerfile", src, opts, fixes.Unsafe)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(want.Out, []byte("AS builder")) {
			migrated++
		}
		if want.Unconverged {
			t.Errorf("unconverged on %q", src)
		}
		for _, f := range want.Remaining {
			if k := ruletest.FirstApplicable(f); k >= 0 {
				t.Errorf("left %s %q on %q", f.ID(), f.Fixes[k].Title, src)
			}
		}
		doc, _ := diagnose.Parse("Dockerfile", src)
		fs := diagnose.Run(doc, opts)
		for j := range fs {
			f := &fs[j]
			k := ruletest.FirstApplicable(*f)
			if k < 0 {
				continue
			}
			c := diagnose.Compose(doc, []diagnose.Choice{{Finding: f, Alt: k}})
			if c.Applied() != 1 {
				continue
			}
			got, _ := diagnose.FixAll("Dockerfile", c.Out, opts, fixes.Unsafe)
			n++
			if !bytes.Equal(got.Out, want.Out) {
				t.Errorf("%s %q first differs on %q:\n%s", f.ID(), f.Fixes[k].Title, src, fixes.Unified("x", want.Out, got.Out))
			}
		}
	}
	t.Logf("%d orders checked, %d of 150 files migrated", n, migrated)
}

// The fix's note names what the user must check: dropped comments, the
// version taken from dockdoc's table, the slim builder.
func TestSingleStageToolchainNote(t *testing.T) {
	ctx := contextOf(t, uvProject)
	src := "FROM python:3.10\n# deps\nWORKDIR /app\nCOPY . .\nRUN pip install uv && uv sync --locked\nCMD [\"uvicorn\", \"server:app\"]\n"
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD029"}, Ctx: ctx})
	if len(fs) != 1 || len(fs[0].Fixes) != 1 {
		t.Fatalf("want one finding with a fix, got %+v", fs)
	}
	note := fs[0].Fixes[0].Note
	for _, want := range []string{"comment lines", "uv " + images.ToolVersions["uv"], images.VersionsUpdated, "-slim image too", "read-only"} {
		if !strings.Contains(note, want) {
			t.Errorf("note lacks %q:\n%s", want, note)
		}
	}
}
