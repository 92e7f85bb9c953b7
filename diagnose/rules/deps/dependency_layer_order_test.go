package deps

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
)

// layerProject is the acceptance project of issue 4 (a copy of
// testdata/projects/uv-fastapi.txtar), plus variants that exercise the
// two DD026 fixes next to every other rule.
var projects = map[string]map[string]string{
	"acceptance": {
		"Dockerfile": "FROM python:latest\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n" +
			"RUN pip install --upgrade uv && uv sync --locked\nCOPY . .\nEXPOSE 8082\n" +
			"CMD uv run uvicorn server:app --host 0.0.0.0 --port 8082 --reload\n",
	},
	"unlocked-early-sync": {
		"Dockerfile": "FROM python:3.10-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n" +
			"RUN pip install --no-cache-dir uv==0.9.5 && uv sync\nCOPY . .\nUSER 65532\n" +
			"CMD [\"uvicorn\", \"server:app\", \"--host\", \"0.0.0.0\"]\n",
	},
	"sync-after-copy": {
		"Dockerfile": "FROM python:3.10-slim\nWORKDIR /app\nRUN pip install --no-cache-dir uv==0.9.5\nCOPY . .\n" +
			"RUN uv sync\nUSER 65532\nCMD [\"uvicorn\", \"server:app\", \"--host\", \"0.0.0.0\"]\n",
	},
}

var layerContext = map[string]string{
	".python-version": "3.10\n",
	"pyproject.toml": "[project]\nname = \"server\"\nversion = \"0.1.0\"\nrequires-python = \">=3.10\"\n" +
		"dependencies = [\"fastapi>=0.110\", \"uvicorn>=0.29\"]\n\n[dependency-groups]\ndev = [\"pytest>=8\", \"ruff>=0.5\"]\n",
	"uv.lock":       "version = 1\nrequires-python = \">=3.10\"\n\n[[package]]\nname = \"server\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n",
	"server.py":     "from fastapi import FastAPI\n\napp = FastAPI()\n",
	".dockerignore": ".git\n",
}

// TestDepLayerWithAllRules runs every rule, every unsafe fix, on the
// projects: the result must converge with nothing skipped and nothing
// left to fix, and applying any one fix first must give the same file.
func TestDepLayerWithAllRules(t *testing.T) {
	for name, files := range projects {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for n, body := range layerContext {
				os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644)
			}
			src := []byte(files["Dockerfile"])
			dockerfile := filepath.Join(dir, "Dockerfile")
			os.WriteFile(dockerfile, src, 0o644)
			opts := diagnose.Options{Ctx: buildctx.Load(dir, dockerfile)}
			res, err := diagnose.FixAll("Dockerfile", src, opts, fixes.Unsafe)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("hardened:\n%s", res.Out)
			if res.Unconverged {
				t.Error("did not converge")
			}
			for _, o := range res.Skipped {
				t.Errorf("not applied: %s %q: %s", o.Finding.ID(), o.Finding.Fixes[o.Alt].Title, o.Reason)
			}
			for _, f := range res.Remaining {
				for _, fx := range f.Fixes {
					if fx.Applicability > fixes.DisplayOnly {
						t.Errorf("left to fix: %s %s: %q", f.ID(), f.Message, fx.Title)
					}
				}
			}
			doc, err := diagnose.Parse("Dockerfile", src)
			if err != nil {
				t.Fatal(err)
			}
			findings := diagnose.Run(doc, opts)
			for i := range findings {
				f := &findings[i]
				alt := ruletest.FirstApplicable(*f)
				if alt < 0 {
					continue
				}
				c := diagnose.Compose(doc, []diagnose.Choice{{Finding: f, Alt: alt}})
				if c.Applied() != 1 {
					t.Errorf("%s alone: %s", f.ID(), c.Outcomes[0].Reason)
					continue
				}
				again, err := diagnose.FixAll("Dockerfile", c.Out, opts, fixes.Unsafe)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(again.Out, res.Out) {
					t.Errorf("%s %q first gives another file:\n%s", f.ID(), f.Fixes[alt].Title, fixes.Unified("Dockerfile", res.Out, again.Out))
				}
			}
		})
	}
}

// TestDepLayerCRLF checks that the lines DD026 and DD027 insert or move
// keep a CRLF file's line endings.
func TestDepLayerCRLF(t *testing.T) {
	dir := t.TempDir()
	for n, body := range map[string]string{
		"package.json":      `{"name": "web"}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"pyproject.toml":    "[project]\nname = \"x\"\nversion = \"0.1.0\"\n",
		"uv.lock":           "version = 1\n",
	} {
		os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644)
	}
	opts := diagnose.Options{Only: []string{"DD026", "DD027"}, Ctx: buildctx.Load(dir, "")}
	for _, src := range []string{
		"FROM node:22\r\nWORKDIR /app\r\n# all\r\nCOPY . .\r\nRUN npm ci\r\nCMD [\"node\", \"s.js\"]\r\n",
		"FROM python:3.12-slim\r\nWORKDIR /app\r\nCOPY pyproject.toml uv.lock ./\r\nRUN uv sync --locked\r\nCOPY . .\r\n",
		"FROM python:3.12-slim\r\nWORKDIR /app\r\nCOPY . .\r\nRUN uv sync --locked\r\n",
	} {
		res, err := diagnose.FixAll("Dockerfile", []byte(src), opts, fixes.Unsafe)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rounds) == 0 {
			t.Errorf("nothing fixed in %q", src)
		}
		out := string(res.Out)
		if n := bytes.Count(res.Out, []byte("\n")); n != bytes.Count(res.Out, []byte("\r\n")) {
			t.Errorf("bare line feeds in:\n%q", out)
		}
		if len(res.Skipped) > 0 || res.Unconverged {
			t.Errorf("did not converge cleanly: %q", out)
		}
	}
}

// TestDepLayerBothFixesOneStage: a stage with an early uv sync (fix b)
// and an npm ci after COPY . . (fix a, which moves COPY . .). The two
// fixes touch the same COPY line and must not be applied in one round.
func TestDepLayerBothFixesOneStage(t *testing.T) {
	dir := t.TempDir()
	for n, body := range map[string]string{
		"package.json":      `{"name": "web"}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"pyproject.toml":    "[project]\nname = \"x\"\nversion = \"0.1.0\"\n",
		"uv.lock":           "version = 1\n",
	} {
		os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644)
	}
	opts := diagnose.Options{Only: []string{"DD026"}, Ctx: buildctx.Load(dir, "")}
	src := "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked\nCOPY . .\nRUN npm ci\n"
	want := "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\n" +
		"COPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN uv sync --locked\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), opts, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Out) != want {
		t.Errorf("got:\n%s\nwant:\n%s", res.Out, want)
	}
}
