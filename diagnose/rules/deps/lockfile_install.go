package deps

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/deplayer"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD023",
	Name:     "lockfile-install",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Summary:  "dependency install that does not enforce the lockfile",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags a dependency install whose project has a lockfile in the build context but whose command " +
			"does not insist on it:\n" +
			"- `npm install` / `npm i` with no package names, when `package-lock.json` (or `npm-shrinkwrap.json`) exists;\n" +
			"- `yarn` / `yarn install` without `--frozen-lockfile` (Yarn 1, classic `yarn.lock`) or without " +
			"`--immutable` (Yarn 2 and later, whose `yarn.lock` has a `__metadata:` block), unless " +
			"`YARN_ENABLE_IMMUTABLE_INSTALLS` or `CI` turns immutable installs on for Yarn 2+;\n" +
			"- `pnpm install` without `--frozen-lockfile` (unless `CI` is set) when `pnpm-lock.yaml` exists;\n" +
			"- `pipenv install` with no package names and without `--deploy` (or `--ignore-pipfile`) when `Pipfile.lock` exists;\n" +
			"- `uv sync` with neither `--locked` nor `--frozen` (nor `UV_LOCKED` / `UV_FROZEN`) when `uv.lock` exists;\n" +
			"- `poetry install` when `poetry.lock` exists, if the lock is not copied in first or the command lacks " +
			"`--no-interaction` (nor `POETRY_NO_INTERACTION`). Poetry needs no flag to use the lock: `poetry install` " +
			"installs the versions in `poetry.lock` whenever it finds one, and since Poetry 1.8 it stops with an error " +
			"when the lock no longer matches `pyproject.toml` (older versions warn and install the stale lock). " +
			"`--no-interaction` only turns off Poetry's questions, so that a build never waits for an answer.\n" +
			"For every tool it also checks that the lockfile is in the image before the install runs: copied by an earlier " +
			"`COPY`/`ADD` from the build context (by name, by a glob such as `package*.json`, or by `COPY . .`, unless " +
			"`.dockerignore` excludes it) in the same stage or a stage it is built `FROM`, or bind-mounted into the `RUN`. " +
			"The rule needs the build context: without it, or without the lockfile in it, it stays silent. " +
			"`uv pip install -r requirements.txt` and `npm install <package>` are not lockfile installs and are not flagged.",
		Why: "A lockfile records the exact version of every dependency, direct and indirect, that the project was " +
			"tested with. Most install commands only treat it as a hint: when it no longer matches the manifest " +
			"(someone edited `package.json` or `pyproject.toml` and forgot to re-lock), they resolve again, quietly pick " +
			"whatever versions are newest that day, and rewrite the lockfile inside the image, where nobody sees it. " +
			"The build passes and the image contains an untested set of packages that changes from one build to the next. " +
			"The strict modes install exactly what the lockfile says and stop the build with an error when it is out " +
			"of date, so the mistake shows up at once, in the build log, instead of in production.\n" +
			"The two uv flags are not the same thing. `--locked` checks that `uv.lock` still matches `pyproject.toml` " +
			"and fails the build if it does not; it is the right default. `--frozen` installs `uv.lock` as it is without " +
			"checking it at all: a dependency added to `pyproject.toml` but missing from the lock is simply not installed, " +
			"and nothing tells you. `--frozen` is meant for the first, dependencies-only sync of a uv workspace, where " +
			"the members' `pyproject.toml` files are not copied yet and a check could not work; the second sync, after " +
			"`COPY . .`, should then use `--locked`.\n" +
			"When the lockfile is not in the image at all (only `package.json` or `pyproject.toml` was copied), the " +
			"tool cannot use it whatever the flags say: it resolves from scratch (Poetry, for example, then writes a new " +
			"`poetry.lock`), or, in a strict mode such as `npm ci` or `uv sync --locked`, fails for want of a lockfile.",
		Bad: "FROM node:22-slim AS web\nWORKDIR /web\nCOPY package.json package-lock.json ./\nRUN npm install\n\n" +
			"FROM python:3.12-slim\nRUN pip install --no-cache-dir uv==0.9.5\nWORKDIR /app\n" +
			"COPY pyproject.toml uv.lock ./\nRUN uv sync",
		Good: "FROM node:22-slim AS web\nWORKDIR /web\nCOPY package.json package-lock.json ./\nRUN npm ci\n\n" +
			"FROM python:3.12-slim\nRUN pip install --no-cache-dir uv==0.9.5\nWORKDIR /app\n" +
			"COPY pyproject.toml uv.lock ./\nRUN uv sync --locked",
		Context: map[string]string{
			"package.json": "{\"name\": \"web\", \"version\": \"1.0.0\", \"private\": true}\n",
			"package-lock.json": "{\"name\": \"web\", \"version\": \"1.0.0\", \"lockfileVersion\": 3, \"requires\": true,\n" +
				" \"packages\": {\"\": {\"name\": \"web\", \"version\": \"1.0.0\"}}}\n",
			"pyproject.toml": "[project]\nname = \"app\"\nversion = \"1.0.0\"\nrequires-python = \">=3.12\"\ndependencies = []\n",
			"uv.lock":        "version = 1\nrequires-python = \">=3.12\"\n",
		},
		Fix: "Offered only when the lockfile is visibly in the image before the install; otherwise the finding says to " +
			"copy it in first and the change is shown as advice only (Poetry's `--no-interaction` is offered either way; " +
			"copying `poetry.lock` in is up to you, or to the dependency-layer rule DD026).\n" +
			"- `npm install` becomes `npm ci`; `--frozen-lockfile` (Yarn 1, pnpm), `--immutable` (Yarn 2+; it also " +
			"replaces a `--frozen-lockfile`, which Yarn 2+ only accepts as a deprecated alias) and `--deploy` (Pipenv) " +
			"are inserted after the subcommand. These are safe: with a lockfile that matches " +
			"the manifest they install exactly the same packages as before; they only differ when the lockfile is stale, " +
			"and then they stop the build instead of silently installing something else, which is the purpose of the " +
			"change. `npm ci` also deletes an existing `node_modules` first; in an image that only removes modules that " +
			"were copied in from the host or left by an earlier step, which `npm ci` then installs again from the lockfile.\n" +
			"- `uv sync` gets two alternatives. Adding `--locked` is safe for the same reason and is the default. " +
			"Adding `--frozen` is unsafe: with a stale lock it installs less than plain `uv sync` did, without a word. " +
			"Choose it only for the first sync of a workspace (for a sync with `--no-install-workspace` dockdoc lists " +
			"it first and marks both unsafe, because `--locked` cannot check a workspace whose members are not copied yet).\n" +
			"- `poetry install` gets `--no-interaction`, which is safe: it changes no version, only turns off the " +
			"questions a build cannot answer. It does not check the lock; Poetry does that by itself (see above), and " +
			"a `poetry check --lock` (in older Poetry, `poetry lock --check`) before the install fails on a stale lock.",
		Refs: []string{
			"https://docs.npmjs.com/cli/commands/npm-ci",
			"https://classic.yarnpkg.com/en/docs/cli/install",
			"https://yarnpkg.com/cli/install",
			"https://pnpm.io/cli/install#--frozen-lockfile",
			"https://docs.astral.sh/uv/concepts/projects/sync/",
			"https://docs.astral.sh/uv/guides/integration/docker/",
			"https://python-poetry.org/docs/cli/#install",
			"https://pipenv.pypa.io/en/latest/commands.html",
		},
	},
	Check: checkLockfileInstall,
})

func checkLockfileInstall(p *diagnose.Pass) {
	d := p.Doc
	ctx := d.Ctx
	if ctx == nil {
		return
	}
	for _, in := range d.Instructions {
		if in.Keyword != "run" {
			continue
		}
		for _, c := range in.Commands(d) {
			switch c.Name() {
			case "npm":
				npm(p, in, c)
			case "yarn":
				yarn(p, in, c)
			case "pnpm":
				pnpm(p, in, c)
			case "uv":
				checkUVLock(p, in, c)
			case "poetry":
				checkPoetryLock(p, in, c)
			case "pipenv":
				pipenv(p, in, c)
			}
		}
	}
}

// Options of each tool that take the next word as their value, so that
// the value is not mistaken for a subcommand or a package name. An
// unknown option is taken as a switch: at worst a value then looks like a
// package name and the command is left alone.
var (
	pipenvValueOpts = map[string]bool{
		"--python": true, "--pypi-mirror": true, "--categories": true, "--extra-pip-args": true,
		"-r": true, "--requirements": true, "-i": true, "--index": true,
	}
)

// reportLockfile reports a non-strict install. When the lockfile is
// in the image the fixes are real; otherwise they are shown as advice
// and the message says the lockfile must be copied in first.
func reportLockfile(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command, lock, msg string) (*diagnose.Finding, bool) {
	inImage := deplayer.ContextFileInImage(p.Doc, in, lock)
	if !inImage {
		msg += "; " + lock + " is in the build context but not copied into the image before this RUN, so copy it in first"
	}
	return p.Report(c.Script.Span(c.Call), "%s", msg), inImage
}

func lockfileApplicability(inImage bool, app fixes.Applicability) fixes.Applicability {
	if !inImage {
		return fixes.DisplayOnly
	}
	return app
}

func npmLockName(ctx *buildctx.Context) string {
	if ctx.Has("npm-shrinkwrap.json") {
		return "npm-shrinkwrap.json"
	}
	return "package-lock.json"
}

func npm(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command) {
	ctx := p.Doc.Ctx
	if !ctx.NpmLock {
		return
	}
	sub := pkgmgr.Sub(c, pkgmgr.NpmValueOpts)
	if sub < 0 || (c.Words[sub] != "install" && c.Words[sub] != "i") {
		return
	}
	if len(pkgmgr.Positionals(c, sub, pkgmgr.NpmValueOpts)) > 0 {
		return // npm install <package> adds a package: not a lockfile install
	}
	if c.HasFlag("-g", "--global") || pkgmgr.HasOpt(c, c.Prog, "--location=global", "--no-package-lock", "--package-lock=false", "--package-lock-only") {
		return
	}
	lock := npmLockName(ctx)
	f, inImage := reportLockfile(p, in, c, lock,
		"npm "+c.Words[sub]+" can resolve the dependencies again and rewrite "+lock+"; npm ci installs exactly what the lockfile lists, or fails when it is out of date")
	f.AddFix("Replace npm "+c.Words[sub]+" with npm ci", lockfileApplicability(inImage, fixes.Safe), diagnose.Replace(c.ArgSpan(sub), "ci"))
}

func yarn(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command) {
	ctx := p.Doc.Ctx
	if ctx.YarnLock == "" {
		return
	}
	sub := pkgmgr.Sub(c, pkgmgr.YarnValueOpts)
	at, name := c.Prog, "yarn" // a bare `yarn` installs too
	if sub >= 0 {
		if c.Words[sub] != "install" {
			return
		}
		at, name = sub, "yarn install"
	}
	if len(pkgmgr.Positionals(c, at, pkgmgr.YarnValueOpts)) > 0 {
		return
	}
	from := at
	pm := ""
	if ctx.Package != nil {
		pm = ctx.Package.PackageManager
	}
	switch ctx.YarnLock {
	case "classic":
		if strings.HasPrefix(pm, "yarn@") && !strings.HasPrefix(pm, "yarn@1") {
			return // a Yarn 1 lockfile in a project that asks for Yarn 2+: do not guess
		}
		if pkgmgr.HasOpt(c, from, "--frozen-lockfile") {
			return
		}
		f, inImage := reportLockfile(p, in, c, "yarn.lock",
			name+" without --frozen-lockfile updates yarn.lock instead of failing when it no longer matches package.json")
		f.AddFix("Add --frozen-lockfile to "+name, lockfileApplicability(inImage, fixes.Safe), diagnose.Insert(c.ArgSpan(at).End, " --frozen-lockfile"))
	case "berry":
		if strings.HasPrefix(pm, "yarn@1") {
			return
		}
		if pkgmgr.HasOpt(c, from, "--immutable") || pkgmgr.EnvTrue(p.Doc, in, c, "YARN_ENABLE_IMMUTABLE_INSTALLS") || pkgmgr.EnvTrue(p.Doc, in, c, "CI") {
			return
		}
		for i := from + 1; i < len(c.Words); i++ {
			if c.Lit[i] && c.Words[i] == "--frozen-lockfile" {
				f, inImage := reportLockfile(p, in, c, "yarn.lock",
					"--frozen-lockfile is only a deprecated alias in Yarn 2 and later; the option is --immutable")
				f.AddFix("Replace --frozen-lockfile with --immutable", lockfileApplicability(inImage, fixes.Safe), diagnose.Replace(c.ArgSpan(i), "--immutable"))
				return
			}
		}
		f, inImage := reportLockfile(p, in, c, "yarn.lock",
			name+" without --immutable updates yarn.lock instead of failing when it no longer matches package.json")
		f.AddFix("Add --immutable to "+name, lockfileApplicability(inImage, fixes.Safe), diagnose.Insert(c.ArgSpan(at).End, " --immutable"))
	}
}

func pnpm(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command) {
	if !p.Doc.Ctx.PnpmLock {
		return
	}
	sub := pkgmgr.Sub(c, pkgmgr.PnpmValueOpts)
	if sub < 0 || (c.Words[sub] != "install" && c.Words[sub] != "i") {
		return
	}
	if len(pkgmgr.Positionals(c, sub, pkgmgr.PnpmValueOpts)) > 0 || c.HasFlag("-g", "--global") {
		return
	}
	if pkgmgr.HasOpt(c, c.Prog, "--frozen-lockfile", "--no-frozen-lockfile", "--lockfile-only", "--fix-lockfile") || pkgmgr.EnvTrue(p.Doc, in, c, "CI") {
		return
	}
	f, inImage := reportLockfile(p, in, c, "pnpm-lock.yaml",
		"pnpm "+c.Words[sub]+" without --frozen-lockfile updates pnpm-lock.yaml instead of failing when it no longer matches package.json")
	app := lockfileApplicability(inImage, fixes.Safe)
	if pkgmgr.HasOpt(c, c.Prog, "--prefer-frozen-lockfile") {
		app = fixes.DisplayOnly // the two options pull in opposite directions: let the user choose
	}
	f.AddFix("Add --frozen-lockfile to pnpm "+c.Words[sub], app, diagnose.Insert(c.ArgSpan(sub).End, " --frozen-lockfile"))
}

func checkUVLock(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command) {
	if !p.Doc.Ctx.UVLock {
		return
	}
	sub := pkgmgr.Sub(c, pkgmgr.UVValueOpts)
	if sub < 0 || c.Words[sub] != "sync" {
		return
	}
	if pkgmgr.HasOpt(c, c.Prog, "--locked", "--frozen", "--check", "--dry-run") ||
		pkgmgr.EnvTrue(p.Doc, in, c, "UV_LOCKED") || pkgmgr.EnvTrue(p.Doc, in, c, "UV_FROZEN") {
		return
	}
	f, inImage := reportLockfile(p, in, c, "uv.lock",
		"uv sync without --locked or --frozen re-locks and rewrites uv.lock when it no longer matches pyproject.toml, instead of failing")
	at := c.ArgSpan(sub).End
	workspaceFirst := pkgmgr.HasOpt(c, sub, "--no-install-workspace")
	locked := func(app fixes.Applicability) {
		fx := f.AddFix("Add --locked to uv sync", lockfileApplicability(inImage, app), diagnose.Insert(at, " --locked"))
		fx.Note = "--locked fails the build when uv.lock does not match pyproject.toml; with a matching lock it installs exactly the same packages."
		if workspaceFirst {
			fx.Note += " In this dependencies-only sync of a workspace the members' pyproject.toml files are not copied yet, so uv cannot check the lock and --locked may fail; keep it for the full sync after COPY . ."
		}
	}
	frozen := func() {
		fx := f.AddFix("Add --frozen to uv sync", lockfileApplicability(inImage, fixes.Unsafe), diagnose.Insert(at, " --frozen"))
		fx.Note = "--frozen installs uv.lock as it is and never compares it with pyproject.toml: a dependency missing from a stale lock is silently left out. " +
			"Use it for the first, dependencies-only sync of a workspace and --locked for the sync after COPY . ."
	}
	if workspaceFirst {
		frozen()
		locked(fixes.Unsafe)
	} else {
		locked(fixes.Safe)
		frozen()
	}
}

func checkPoetryLock(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command) {
	if !p.Doc.Ctx.PoetryLock {
		return
	}
	sub := pkgmgr.Sub(c, pkgmgr.PoetryValueOpts)
	if sub < 0 || c.Words[sub] != "install" {
		return
	}
	inImage := deplayer.ContextFileInImage(p.Doc, in, "poetry.lock")
	interactive := !pkgmgr.HasOpt(c, c.Prog, "--no-interaction", "-n") && !pkgmgr.EnvTrue(p.Doc, in, c, "POETRY_NO_INTERACTION")
	span := c.Script.Span(c.Call)
	switch {
	case !inImage && interactive:
		f := p.Report(span, "poetry.lock is in the build context but not copied into the image before this RUN, so poetry install resolves "+
			"the dependencies again and writes a new lock; copy poetry.lock in with pyproject.toml, and add --no-interaction so Poetry never waits for an answer")
		f.AddFix("Add --no-interaction to poetry install", fixes.Safe, diagnose.Insert(c.ArgSpan(sub).End, " --no-interaction"))
	case !inImage:
		p.Report(span, "poetry.lock is in the build context but not copied into the image before this RUN, so poetry install resolves "+
			"the dependencies again and writes a new lock; copy poetry.lock in with pyproject.toml")
	case interactive:
		f := p.Report(span, "poetry install without --no-interaction can stop at a question (a credential, a confirmation) that nobody can answer during a build")
		f.AddFix("Add --no-interaction to poetry install", fixes.Safe, diagnose.Insert(c.ArgSpan(sub).End, " --no-interaction"))
	}
}

func pipenv(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command) {
	if !p.Doc.Ctx.PipfileLock {
		return
	}
	sub := pkgmgr.Sub(c, pipenvValueOpts)
	if sub < 0 || c.Words[sub] != "install" {
		return
	}
	if len(pkgmgr.Positionals(c, sub, pipenvValueOpts)) > 0 || pkgmgr.HasOpt(c, sub, "-r", "--requirements") {
		return // adds packages: not a lockfile install
	}
	if pkgmgr.HasOpt(c, sub, "--deploy", "--ignore-pipfile") || pkgmgr.EnvTrue(p.Doc, in, c, "PIPENV_DEPLOY") {
		return
	}
	f, inImage := reportLockfile(p, in, c, "Pipfile.lock",
		"pipenv install without --deploy re-locks when Pipfile.lock no longer matches the Pipfile, instead of failing")
	f.AddFix("Add --deploy to pipenv install", lockfileApplicability(inImage, fixes.Safe), diagnose.Insert(c.ArgSpan(sub).End, " --deploy"))
}
