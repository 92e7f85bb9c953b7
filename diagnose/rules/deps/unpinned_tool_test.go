package deps

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
)

// testContext writes files into a temporary build context.
func testContext(t *testing.T, files map[string]string) *buildctx.Context {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buildctx.Load(dir, filepath.Join(dir, "Dockerfile"))
}

// The install rules DD009, DD023, DD024 and DD025 edit the same commands:
// DD009 and DD023 insert right after the subcommand, DD024 at the end of
// the command, DD025 replaces the tool's word and deletes --upgrade. With
// every fix on, the rounds must converge to one file, and applying any
// one fix first must lead to the same file.
func TestInstallRulesCompose(t *testing.T) {
	uvCtx := map[string]string{
		"pyproject.toml": "[project]\nname = \"server\"\nversion = \"0.1.0\"\n",
		"uv.lock":        "version = 1\n",
	}
	npmCtx := map[string]string{
		"package.json":      `{"name": "web", "devDependencies": {"jest": "^29"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
	}
	v := images.ToolVersions["uv"]
	cases := []struct {
		name, src, want string
		ctx             map[string]string
	}{
		{"acceptance line",
			"FROM python:3.10-slim\nCOPY pyproject.toml uv.lock ./\nRUN pip install --upgrade uv && uv sync --locked\n",
			"FROM python:3.10-slim\nCOPY pyproject.toml uv.lock ./\nRUN pip install --no-cache-dir uv==" + v + " && uv sync --locked --no-dev\n",
			uvCtx},
		{"bare uv sync gets both flags in a stable order",
			"FROM python:3.10-slim\nCOPY pyproject.toml uv.lock ./\nRUN pip install -U uv && uv sync\n",
			"FROM python:3.10-slim\nCOPY pyproject.toml uv.lock ./\nRUN pip install --no-cache-dir uv==" + v + " && uv sync --locked --no-dev\n",
			uvCtx},
		{"--upgrade alone at the end of a continued line",
			"FROM python:3.10-slim\nCOPY . .\nRUN pip install --upgrade \\\n      uv \\\n && uv sync --no-install-project\n",
			"FROM python:3.10-slim\nCOPY . .\nRUN pip install --no-cache-dir \\\n      uv==" + v + " \\\n && uv sync --locked --no-install-project --no-dev\n",
			uvCtx},
		{"--upgrade alone on its line",
			"FROM python:3.10-slim\r\nRUN pip install \\\r\n      --upgrade \\\r\n      uv\r\n",
			"FROM python:3.10-slim\r\nRUN pip install --no-cache-dir \\\r\n      uv==" + v + "\r\n",
			nil},
		{"npm install becomes npm ci --omit=dev",
			"FROM node:22-slim\nCOPY package.json package-lock.json ./\nRUN npm install\n",
			"FROM node:22-slim\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n",
			npmCtx},
	}
	only := []string{"DD009", "DD023", "DD024", "DD025"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ctx *buildctx.Context
			if c.ctx != nil {
				ctx = testContext(t, c.ctx)
			}
			opts := diagnose.Options{Only: only, Ctx: ctx}
			res, err := diagnose.FixAll("Dockerfile", []byte(c.src), opts, fixes.Unsafe)
			if err != nil {
				t.Fatal(err)
			}
			if string(res.Out) != c.want {
				t.Fatalf("FixAll:\n%s", fixes.Unified("Dockerfile", []byte(c.want), res.Out))
			}
			if res.Unconverged || len(res.Skipped) > 0 {
				t.Errorf("unconverged %v, skipped %v", res.Unconverged, res.Skipped)
			}
			for _, f := range res.Remaining {
				for _, fx := range f.Fixes {
					if fx.Applicability > fixes.DisplayOnly {
						t.Errorf("still offered after fixing: %s %q", f.ID(), fx.Title)
					}
				}
			}
			// Each fix first, then the rest.
			doc, err := diagnose.Parse("Dockerfile", []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			findings := diagnose.Run(doc, opts)
			for i := range findings {
				f := &findings[i]
				for a, fx := range f.Fixes {
					if fx.Applicability == fixes.DisplayOnly {
						continue
					}
					one := diagnose.Compose(doc, []diagnose.Choice{{Finding: f, Alt: a}})
					if one.Applied() != 1 {
						t.Fatalf("%s %q alone: %s", f.ID(), fx.Title, one.Outcomes[0].Reason)
					}
					if a != ruletest.FirstApplicable(*f) {
						continue
					}
					again, err := diagnose.FixAll("Dockerfile", one.Out, opts, fixes.Unsafe)
					if err != nil {
						t.Fatal(err)
					}
					if string(again.Out) != c.want {
						t.Errorf("%s %q first:\n%s", f.ID(), fx.Title, fixes.Unified("Dockerfile", []byte(c.want), again.Out))
					}
				}
			}
		})
	}
}

// The uv image pin is an unsafe fix: check the pinned reference it writes
// for each way of naming the image.
func TestUnpinnedUVImageAdvice(t *testing.T) {
	v := images.ToolVersions["uv"]
	cases := []struct{ src, want string }{
		{"COPY --from=example/astral-sh/uv:latest /uv /bin/", "COPY --from=example/astral-sh/uv:" + v + " /uv /bin/"},
		{"COPY --from=astral-sh/uv /uv /bin/", "COPY --from=astral-sh/uv:" + v + " /uv /bin/"},
		{"COPY --link --from=example/astral-sh/uv:python3.12-bookworm-slim /uv /bin/",
			"COPY --link --from=example/astral-sh/uv:" + v + "-python3.12-bookworm-slim /uv /bin/"},
		{"RUN --mount=from=example/astral-sh/uv,source=/uv,target=/bin/uv uv sync --locked",
			"RUN --mount=from=example/astral-sh/uv:" + v + ",source=/uv,target=/bin/uv uv sync --locked"},
		{"RUN --mount=type=bind,from=astral-sh/uv:latest,source=/uv,target=/bin/uv \\\n    uv sync --locked",
			"RUN --mount=type=bind,from=astral-sh/uv:" + v + ",source=/uv,target=/bin/uv \\\n    uv sync --locked"},
	}
	for _, c := range cases {
		src := "FROM python:3.12-slim\n" + c.src + "\n"
		doc, err := diagnose.Parse("Dockerfile", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD025"}})
		if len(fs) != 1 || len(fs[0].Fixes) != 1 || fs[0].Fixes[0].Applicability != fixes.Unsafe {
			t.Fatalf("%s: want one finding with one unsafe fix, got:\n%s", c.src, ruletest.FormatFindings(fs))
		}
		out, err := fixes.Apply(doc.Src, fs[0].Fixes[0].Edits)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimPrefix(string(out), "FROM python:3.12-slim\n"); got != c.want+"\n" {
			t.Errorf("%s:\n got %q\nwant %q", c.src, got, c.want+"\n")
		}
	}
}

// The advice-only fix of DD024 names the later step that needs the dev
// dependencies.
func TestDevDependenciesLaterStepNote(t *testing.T) {
	src := "FROM node:22-slim\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n"
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD024"}})
	if len(fs) != 1 || len(fs[0].Fixes) != 1 {
		t.Fatalf("got:\n%s", ruletest.FormatFindings(fs))
	}
	fx := fs[0].Fixes[0]
	if fx.Applicability != fixes.DisplayOnly || !strings.Contains(fx.Note, "line 5 (npm run build)") {
		t.Errorf("fix %s, note %q", fx.Applicability, fx.Note)
	}
}

// Context-aware DD023 stays silent without a build context.
func TestLockfileInstallNeedsContext(t *testing.T) {
	doc, err := diagnose.Parse("Dockerfile", []byte("FROM node:22\nCOPY . .\nRUN npm install && uv sync && yarn\n"))
	if err != nil {
		t.Fatal(err)
	}
	if fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD023"}}); len(fs) != 0 {
		t.Errorf("findings without a context:\n%s", ruletest.FormatFindings(fs))
	}
}

// DD026 (dependency-layer-order) adds --no-install-project / --no-root to
// the same commands DD024 appends its flag to; DD026 places its flag before
// --no-dev / --only, DD024 always appends, so any order of the fixes gives
// one file.
func TestDevDependenciesBeforeLayerFlags(t *testing.T) {
	if diagnose.Lookup("DD026") == nil {
		t.Skip("DD026 is not registered")
	}
	ctx := testContext(t, map[string]string{
		"pyproject.toml": "[project]\nname = \"server\"\nversion = \"0.1.0\"\n",
		"uv.lock":        "version = 1\n",
	})
	opts := diagnose.Options{Only: []string{"DD023", "DD024", "DD026"}, Ctx: ctx}
	for _, src := range []string{
		"FROM python:3.10-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked\nCOPY . .\nCMD [\"app\"]\n",
		"FROM python:3.10-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync\nCOPY . .\nCMD [\"app\"]\n",
	} {
		all, err := diagnose.FixAll("Dockerfile", []byte(src), opts, fixes.Unsafe)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := diagnose.Parse("Dockerfile", []byte(src))
		findings := diagnose.Run(doc, opts)
		for i := range findings {
			f := &findings[i]
			a := ruletest.FirstApplicable(*f)
			if a < 0 {
				continue
			}
			one := diagnose.Compose(doc, []diagnose.Choice{{Finding: f, Alt: a}})
			again, err := diagnose.FixAll("Dockerfile", one.Out, opts, fixes.Unsafe)
			if err != nil {
				t.Fatal(err)
			}
			if string(again.Out) != string(all.Out) {
				t.Errorf("%s first gives another file:\n%s", f.ID(), fixes.Unified("Dockerfile", all.Out, again.Out))
			}
		}
		if !strings.Contains(string(all.Out), "uv sync --locked --no-install-project --no-dev\n") {
			t.Errorf("unexpected result:\n%s", all.Out)
		}
	}
}
