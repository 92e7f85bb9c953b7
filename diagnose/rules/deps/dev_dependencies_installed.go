package deps

import (
	"fmt"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildmodel"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD024",
	Name:     "dev-dependencies-installed",
	Severity: diagnose.Warning,
	Category: diagnose.Size,
	Summary:  "dependency install ships dev dependencies in the image",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags a project dependency install that includes the development dependencies, in a stage that " +
			"ends up in the final image: the last stage, a stage it is built `FROM` (directly or through others), " +
			"or the only stage of a single-stage file. Checked: `uv sync` without `--no-dev` (nor `--no-default-groups`, " +
			"`--only-group`, `--no-group dev`, `UV_NO_DEV`); `poetry install` without `--only main`, `--without dev` " +
			"or the old `--no-dev`; `npm ci` / `npm install` (no package names) without `--omit=dev` (nor the older " +
			"`--production` / `--only=prod`, nor `NODE_ENV=production`); `yarn` / `yarn install` without `--production` " +
			"(nor `NODE_ENV=production`); `pnpm install` without `--prod` (nor `NODE_ENV=production`). A stage whose " +
			"files are only picked by `COPY --from` is a builder and is not checked, and neither is a development stage " +
			"(one named, or built `FROM` one named, `dev`, `development`, `debug`, `test`, `local`, …), an install in the " +
			"development branch of a script (`if [ \"$ENV\" = dev ]; then npm install; else npm ci --omit=dev; fi`, or a " +
			"`case` item `dev)`), or Pipenv, which " +
			"leaves the dev packages out unless asked with `--dev`. When the build context has a `package.json` without " +
			"`devDependencies`, the Node installs are not flagged: there is nothing to leave out.",
		Why: "Development dependencies are the tools you need to work on the project, not to run it: test runners, " +
			"linters, type checkers, formatters, compilers, file watchers. In the image they add megabytes and start-up " +
			"time for nothing, and every one of them is more code an attacker can use and a scanner will report. " +
			"Package managers install them by default because the default is a developer's machine: `uv sync` includes " +
			"the `dev` dependency group, Poetry every non-optional group, npm, Yarn 1 and pnpm the `devDependencies`.",
		Bad: "FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked\n\n" +
			"FROM node:22-slim\nCOPY package.json package-lock.json ./\nRUN npm ci",
		Good: "FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev\n\n" +
			"FROM node:22-slim\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev",
		Fix: "Adds the production-only flag at the end of the command: `--no-dev` (uv), `--only main` (Poetry), " +
			"`--omit=dev` (npm), `--production` (Yarn 1), `--prod` (pnpm). Unsafe: a later step may need a dev " +
			"dependency (a TypeScript compile, a bundler, a test run during the build), and some projects put a " +
			"runtime package in the dev group by mistake; both break once the dev packages are gone. When dockdoc sees " +
			"such a later step in the same stage (`npm run ...`, `npx`, `tsc`, `uv run`, `poetry run`, `pytest`) it only " +
			"shows the change as advice: the better fix is a build stage that installs everything and a final stage that " +
			"installs production dependencies only. Yarn 2 and later have no such flag for `yarn install` (use " +
			"`yarn workspaces focus --all --production`), so that case gets no fix, and neither does a command that asks " +
			"for the dev dependencies explicitly (`--dev`, `--with dev`, `--include=dev`, ...). The model of the build " +
			"refuses the fix when the stage's start command runs a Node development tool that comes from the " +
			"devDependencies (`ng serve`, `nodemon`, `vite`, `next dev`): the container would no longer start.",
		Refs: []string{
			"https://docs.astral.sh/uv/concepts/projects/sync/",
			"https://docs.astral.sh/uv/guides/integration/docker/",
			"https://python-poetry.org/docs/managing-dependencies/#installing-group-dependencies",
			"https://docs.npmjs.com/cli/commands/npm-ci#omit",
			"https://classic.yarnpkg.com/en/docs/cli/install#toc-yarn-install-production-true-false",
			"https://pnpm.io/cli/install#--prod--p",
		},
	},
	Check: checkDevDependencies,
})

func checkDevDependencies(p *diagnose.Pass) {
	d := p.Doc
	for _, in := range d.Instructions {
		if in.Keyword != "run" || in.Stage == nil || !in.Stage.Ships() {
			continue
		}
		if _, dev := buildmodel.DevStage(in.Stage); dev {
			continue // a development stage is meant to have the dev tools
		}
		for _, c := range in.Commands(d) {
			switch c.Name() {
			case "uv", "poetry", "npm", "yarn", "pnpm":
			default:
				continue
			}
			if runscript.DevBranch(c) {
				continue // the author's explicit development branch (read for installs only: it walks the script)
			}
			switch c.Name() {
			case "uv":
				uvDevDeps(p, in, c)
			case "poetry":
				poetryDevDeps(p, in, c)
			case "npm", "yarn", "pnpm":
				node(p, in, c)
			}
		}
	}
}

// reportDevDeps reports the finding and adds the end-of-command flag,
// unsafe, or as advice when a later step of the shipped stages looks like
// it needs the dev dependencies.
func reportDevDeps(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command, sub int, msg, flag string, node bool) {
	f := p.Report(c.Script.Span(c.Call), "%s", msg)
	if flag == "" {
		return
	}
	at, text := pkgmgr.EndInsert(c, sub, flag)
	title := "Add " + flag + " to " + cmdName(c, sub)
	if later := laterUse(p.Doc, in, c, node); later != "" {
		fx := f.AddFix(title, fixes.DisplayOnly, diagnose.Insert(at, text))
		fx.Note = later + " probably needs the dev dependencies. Install everything in a build stage, and only the " +
			"production dependencies in the stage you ship."
		return
	}
	fx := f.AddFix(title, fixes.Unsafe, diagnose.Insert(at, text))
	fx.Note = "Check that no later build step and no code run in the container needs a package from the dev dependencies."
}

func cmdName(c *diagnose.Command, sub int) string {
	if sub <= c.Prog {
		return c.Name()
	}
	return c.Name() + " " + c.Words[sub]
}

func uvDevDeps(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command) {
	sub := pkgmgr.Sub(c, pkgmgr.UVValueOpts)
	if sub < 0 || c.Words[sub] != "sync" {
		return
	}
	if pkgmgr.HasOpt(c, c.Prog, "--no-dev", "--no-default-groups", "--only-group", "--dry-run", "--check") || pkgmgr.EnvTrue(p.Doc, in, c, "UV_NO_DEV") {
		return
	}
	for _, g := range pkgmgr.OptValues(c, c.Prog, "--no-group") {
		if g == "dev" {
			return
		}
	}
	if pkgmgr.HasOpt(c, c.Prog, "--dev", "--only-dev", "--all-groups") {
		reportDevDeps(p, in, c, sub, "this uv sync asks for the dev dependency group, in a stage that ends up in the final image", "", false)
		return
	}
	reportDevDeps(p, in, c, sub, "uv sync without --no-dev installs the dev dependency group into a stage that ends up in the final image", "--no-dev", false)
}

func poetryDevDeps(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command) {
	sub := pkgmgr.Sub(c, pkgmgr.PoetryValueOpts)
	if sub < 0 || c.Words[sub] != "install" {
		return
	}
	if pkgmgr.HasOpt(c, sub, "--no-dev", "--only-root", "--dry-run") {
		return
	}
	for _, v := range pkgmgr.OptValues(c, sub, "--only") {
		if !listHas(v, "dev") {
			return
		}
	}
	for _, v := range pkgmgr.OptValues(c, sub, "--without") {
		if listHas(v, "dev") {
			return
		}
	}
	explicit := pkgmgr.HasOpt(c, sub, "--all-groups")
	for _, v := range append(pkgmgr.OptValues(c, sub, "--with"), pkgmgr.OptValues(c, sub, "--only")...) {
		explicit = explicit || listHas(v, "dev")
	}
	if explicit {
		reportDevDeps(p, in, c, sub, "this poetry install asks for the dev group, in a stage that ends up in the final image", "", false)
		return
	}
	reportDevDeps(p, in, c, sub, "poetry install without --only main installs every non-optional group, dev tools included, into a stage that ends up in the final image", "--only main", false)
}

func listHas(list, name string) bool {
	for _, v := range strings.Split(list, ",") {
		if strings.TrimSpace(v) == name {
			return true
		}
	}
	return false
}

func node(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command) {
	d := p.Doc
	if ctx := d.Ctx; ctx != nil && ctx.Package != nil && len(ctx.Package.DevDependencies) == 0 {
		return // nothing to leave out
	}
	// NODE_ENV=production makes npm, pnpm and Yarn 1 leave the
	// devDependencies out (Yarn 2+ ignores it).
	nodeEnv, _ := pkgmgr.Env(d, in, c, "NODE_ENV")
	prodEnv := nodeEnv == "production"
	if prodEnv && c.Name() != "yarn" {
		return
	}
	switch c.Name() {
	case "npm":
		sub := pkgmgr.Sub(c, pkgmgr.NpmValueOpts)
		if sub < 0 {
			return
		}
		switch verb := c.Words[sub]; verb {
		case "ci", "install", "i", "clean-install", "install-clean", "ic":
			if verb != "ci" && len(pkgmgr.Positionals(c, sub, pkgmgr.NpmValueOpts)) > 0 {
				return
			}
		default:
			return
		}
		if c.HasFlag("-g", "--global") || pkgmgr.HasOpt(c, c.Prog, "--location=global") {
			return
		}
		for _, v := range pkgmgr.OptValues(c, c.Prog, "--omit") {
			if v == "dev" {
				return
			}
		}
		for _, v := range pkgmgr.OptValues(c, c.Prog, "--only") {
			if v == "prod" || v == "production" {
				return
			}
		}
		if pkgmgr.HasOpt(c, c.Prog, "--production", "--production=true") && !pkgmgr.HasOpt(c, c.Prog, "--production=false") {
			return
		}
		if v, ok := pkgmgr.Env(d, in, c, "NPM_CONFIG_OMIT"); ok && listHas(strings.ReplaceAll(v, " ", ","), "dev") {
			return
		}
		if pkgmgr.EnvTrue(d, in, c, "NPM_CONFIG_PRODUCTION") {
			return
		}
		name := "npm " + c.Words[sub]
		if pkgmgr.HasOpt(c, c.Prog, "--production=false", "--include=dev") {
			reportDevDeps(p, in, c, sub, name+" asks for the devDependencies, in a stage that ends up in the final image", "", true)
			return
		}
		reportDevDeps(p, in, c, sub, name+" without --omit=dev installs the devDependencies into a stage that ends up in the final image", "--omit=dev", true)
	case "yarn":
		sub := pkgmgr.Sub(c, pkgmgr.YarnValueOpts)
		from := c.Prog
		if sub >= 0 {
			if c.Words[sub] != "install" {
				return
			}
			from = sub
		}
		if len(pkgmgr.Positionals(c, from, pkgmgr.YarnValueOpts)) > 0 || sub < 0 && c.HasFlag("--version", "-v", "--help", "-h") {
			return
		}
		name := cmdName(c, sub)
		for i := from + 1; i < len(c.Words); i++ {
			if c.Lit[i] && (c.Words[i] == "--production" || c.Words[i] == "--prod" || c.Words[i] == "--production=true") {
				return
			}
		}
		if pkgmgr.HasOpt(c, from, "--production=false") {
			reportDevDeps(p, in, c, from, name+" --production=false installs the devDependencies into a stage that ends up in the final image", "", true)
			return
		}
		flavor := ""
		if d.Ctx != nil {
			flavor = d.Ctx.YarnLock
		}
		if prodEnv && flavor != "berry" {
			return
		}
		switch flavor {
		case "classic":
			reportDevDeps(p, in, c, from, name+" without --production installs the devDependencies into a stage that ends up in the final image", "--production", true)
		case "berry":
			reportDevDeps(p, in, c, from, name+" installs the devDependencies into a stage that ends up in the final image; "+
				"Yarn 2 and later install production dependencies only with yarn workspaces focus --all --production", "", true)
		default:
			reportDevDeps(p, in, c, from, name+" installs the devDependencies into a stage that ends up in the final image "+
				"(dockdoc cannot tell Yarn 1, which has --production, from Yarn 2+, which uses yarn workspaces focus --all --production)", "", true)
		}
	case "pnpm":
		sub := pkgmgr.Sub(c, pkgmgr.PnpmValueOpts)
		if sub < 0 || (c.Words[sub] != "install" && c.Words[sub] != "i") {
			return
		}
		if len(pkgmgr.Positionals(c, sub, pkgmgr.PnpmValueOpts)) > 0 || c.HasFlag("-g", "--global") {
			return
		}
		if pkgmgr.HasOpt(c, c.Prog, "--prod", "-P", "--production") {
			return
		}
		name := "pnpm " + c.Words[sub]
		if pkgmgr.HasOpt(c, c.Prog, "--dev", "-D", "--prod=false", "--production=false") {
			reportDevDeps(p, in, c, sub, name+" asks for the devDependencies, in a stage that ends up in the final image", "", true)
			return
		}
		reportDevDeps(p, in, c, sub, name+" without --prod installs the devDependencies into a stage that ends up in the final image", "--prod", true)
	}
}

// laterUse describes the first step after command c, in the same
// RUN or in a later RUN of the shipped stages, that looks like it needs
// dev dependencies ("line 7: npm run build"), or "".
func laterUse(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command, node bool) string {
	for _, o := range d.Instructions {
		if o.Index < in.Index || o.Keyword != "run" || o.Stage == nil || !o.Stage.Ships() {
			continue
		}
		for _, k := range o.Commands(d) {
			if o == in && k.Call.Pos().Offset() <= c.Call.Pos().Offset() {
				continue
			}
			if buildStep(k, node) {
				line, _ := d.Position(k.Script.Span(k.Call).Start)
				text := strings.Join(k.Words[k.Prog:min(len(k.Words), k.Prog+3)], " ")
				return fmt.Sprintf("The step on line %d (%s)", line, text)
			}
		}
	}
	return ""
}

// buildStep reports whether a command looks like a build or test
// step that uses dev dependencies.
func buildStep(k *diagnose.Command, node bool) bool {
	name := k.Name()
	sub := func(valueOpts map[string]bool) string {
		if i := pkgmgr.Sub(k, valueOpts); i >= 0 {
			return k.Words[i]
		}
		return ""
	}
	if node {
		switch name {
		case "npx", "pnpx", "tsc", "vite", "webpack", "next", "nuxt", "ng", "jest", "vitest", "eslint", "rollup", "esbuild", "babel":
			return true
		case "npm":
			switch sub(pkgmgr.NpmValueOpts) {
			case "run", "run-script", "rum", "urn", "test", "t", "tst", "exec", "x":
				return true
			}
		case "yarn":
			switch sub(pkgmgr.YarnValueOpts) {
			case "", "install", "add", "remove", "cache", "config", "global", "info", "init", "upgrade",
				"why", "list", "audit", "set", "plugin", "workspaces", "npm", "pack", "publish", "version", "licenses":
				return false
			}
			return true
		case "pnpm":
			switch sub(pkgmgr.PnpmValueOpts) {
			case "", "install", "i", "add", "remove", "fetch", "store", "prune", "deploy", "config", "setup", "env", "list", "ls", "pack", "publish":
				return false
			}
			return true
		}
		return false
	}
	switch name {
	case "pytest", "tox", "nox", "mypy", "ruff", "black", "flake8", "pylint":
		return true
	case "uv":
		return sub(pkgmgr.UVValueOpts) == "run"
	case "poetry":
		return sub(pkgmgr.PoetryValueOpts) == "run"
	}
	return false
}
