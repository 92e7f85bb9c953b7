package diagnose

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = register(&Rule{
	Code:     "DD023",
	Name:     "lockfile-install",
	Severity: Warning,
	Category: Reproducibility,
	Summary:  "dependency install that does not enforce the lockfile",
	Fixable:  FixSometimes,
	Doc: Doc{
		What: "Flags a dependency install whose project has a lockfile in the build context but whose command " +
			"does not insist on it:\n" +
			"- `npm install` / `npm i` with no package names, when `package-lock.json` (or `npm-shrinkwrap.json`) exists;\n" +
			"- `yarn` / `yarn install` without `--frozen-lockfile` (Yarn 1, classic `yarn.lock`) or without " +
			"`--immutable` (Yarn 2 and later, whose `yarn.lock` has a `__metadata:` block), unless " +
			"`YARN_ENABLE_IMMUTABLE_INSTALLS` or `CI` turns immutable installs on for Yarn 2+;\n" +
			"- `pnpm install` without `--frozen-lockfile` (unless `CI` is set) when `pnpm-lock.yaml` exists;\n" +
			"- `pipenv install` with no package names and without `--deploy` (or `--ignore-pipfile`) when `Pipfile.lock` exists;\n" +
			"- `uv sync` with neither `--locked` nor `--frozen` (nor `UV_LOCKED` / `UV_FROZEN`) when `uv.lock` exists;\n" +
			"- `poetry install` without `--no-interaction` (nor `POETRY_NO_INTERACTION`) when `poetry.lock` exists. " +
			"Poetry always installs from `poetry.lock` when it finds one, so here the rule also checks that it does find one.\n" +
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
			"tool cannot use it whatever the flags say: it resolves from scratch. Poetry, for example, then writes a new " +
			"`poetry.lock`, and a strict flag makes the build fail.",
		Bad: "COPY package.json package-lock.json ./\nRUN npm install\n\n" +
			"COPY pyproject.toml uv.lock ./\nRUN uv sync\n\n" +
			"COPY pyproject.toml ./\nRUN poetry install",
		Good: "COPY package.json package-lock.json ./\nRUN npm ci\n\n" +
			"COPY pyproject.toml uv.lock ./\nRUN uv sync --locked\n\n" +
			"COPY pyproject.toml poetry.lock ./\nRUN poetry install --no-interaction",
		Fix: "Offered only when the lockfile is visibly in the image before the install; otherwise the finding says to " +
			"copy it in first and the change is shown as advice only (Poetry's `--no-interaction` is offered either way; " +
			"copying `poetry.lock` in is up to you, or to the dependency-layer rule DD026).\n" +
			"- `npm install` becomes `npm ci`; `--frozen-lockfile` (Yarn 1, pnpm), `--immutable` (Yarn 2+; it also " +
			"replaces a `--frozen-lockfile`, which Yarn 2+ only accepts as a deprecated alias), `--deploy` (Pipenv) and " +
			"`--no-interaction` (Poetry) are inserted after the subcommand. These are safe: with a lockfile that matches " +
			"the manifest they install exactly the same packages as before; they only differ when the lockfile is stale, " +
			"and then they stop the build instead of silently installing something else, which is the purpose of the " +
			"change. `npm ci` also deletes an existing `node_modules` first; in an image that only removes modules that " +
			"were copied in from the host or left by an earlier step, which `npm ci` then installs again from the lockfile.\n" +
			"- `uv sync` gets two alternatives. Adding `--locked` is safe for the same reason and is the default. " +
			"Adding `--frozen` is unsafe: with a stale lock it installs less than plain `uv sync` did, without a word. " +
			"Choose it only for the first sync of a workspace (for a sync with `--no-install-workspace` dockdoc lists " +
			"it first and marks both unsafe, because `--locked` cannot check a workspace whose members are not copied yet).",
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

func checkLockfileInstall(p *Pass) {
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
				lockInstallNpm(p, in, c)
			case "yarn":
				lockInstallYarn(p, in, c)
			case "pnpm":
				lockInstallPnpm(p, in, c)
			case "uv":
				lockInstallUV(p, in, c)
			case "poetry":
				lockInstallPoetry(p, in, c)
			case "pipenv":
				lockInstallPipenv(p, in, c)
			}
		}
	}
}

// Options of each tool that take the next word as their value, so that
// the value is not mistaken for a subcommand or a package name. An
// unknown option is taken as a switch: at worst a value then looks like a
// package name and the command is left alone.
var (
	pkgiNpmValueOpts = map[string]bool{
		"--prefix": true, "--cache": true, "--registry": true, "--userconfig": true, "--globalconfig": true,
		"--loglevel": true, "--omit": true, "--include": true, "--install-strategy": true, "--workspace": true,
		"-w": true, "--tag": true, "--only": true, "--location": true, "--before": true, "--script-shell": true,
	}
	pkgiYarnValueOpts = map[string]bool{
		"--cwd": true, "--modules-folder": true, "--cache-folder": true, "--network-timeout": true, "--mutex": true,
		"--registry": true, "--link-folder": true, "--global-folder": true, "--mode": true,
	}
	pkgiPnpmValueOpts = map[string]bool{
		"-C": true, "--dir": true, "--filter": true, "-F": true, "--reporter": true, "--store-dir": true,
		"--virtual-store-dir": true, "--modules-dir": true, "--workspace-concurrency": true,
		"--network-concurrency": true, "--loglevel": true, "--registry": true,
	}
	pkgiUVValueOpts = map[string]bool{
		"--directory": true, "--project": true, "--cache-dir": true, "--config-file": true, "--color": true,
		"--python": true, "-p": true, "--allow-insecure-host": true, "--index": true, "--default-index": true,
		"--index-url": true, "-i": true, "--extra-index-url": true, "--find-links": true, "-f": true,
		"--extra": true, "--group": true, "--no-group": true, "--only-group": true, "--package": true,
		"--python-platform": true, "--index-strategy": true, "--keyring-provider": true, "--resolution": true,
		"--prerelease": true, "--exclude-newer": true, "--link-mode": true, "--reinstall-package": true,
		"--no-install-package": true, "--refresh-package": true, "--upgrade-package": true, "-P": true,
		"--no-build-package": true, "--no-binary-package": true, "--config-setting": true, "-C": true,
		"--script": true, "--output-format": true,
	}
	pkgiPoetryValueOpts = map[string]bool{
		"-C": true, "--directory": true, "-P": true, "--project": true, "--with": true, "--without": true,
		"--only": true, "-E": true, "--extras": true,
	}
	pkgiPipenvValueOpts = map[string]bool{
		"--python": true, "--pypi-mirror": true, "--categories": true, "--extra-pip-args": true,
		"-r": true, "--requirements": true, "-i": true, "--index": true,
	}
)

// pkgiSub returns the index in c.Words of the tool's subcommand (the first
// word after the program that is not an option or an option's value), or
// -1 when there is none.
func pkgiSub(c *Command, valueOpts map[string]bool) int {
	for i := c.Prog + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		if !c.Lit[i] || !strings.HasPrefix(w, "-") || w == "-" {
			return i
		}
		if w == "--" {
			return -1
		}
		if valueOpts[w] {
			i++
		}
	}
	return -1
}

// pkgiPositionals lists the indexes of the arguments after from that are
// neither options nor option values (package names, paths, ...). Words
// after `--` count as positionals.
func pkgiPositionals(c *Command, from int, valueOpts map[string]bool) []int {
	var out []int
	for i := from + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		if c.Lit[i] && w == "--" {
			for j := i + 1; j < len(c.Words); j++ {
				out = append(out, j)
			}
			break
		}
		if c.Lit[i] && strings.HasPrefix(w, "-") && w != "-" {
			if valueOpts[w] {
				i++
			}
			continue
		}
		out = append(out, i)
	}
	return out
}

// pkgiOptValues returns the values given to a long or short option after
// from, in both the `--opt value` and `--opt=value` spellings.
func pkgiOptValues(c *Command, from int, names ...string) []string {
	var out []string
	for i := from + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			continue
		}
		w := c.Words[i]
		if w == "--" {
			break
		}
		for _, n := range names {
			if w == n && i+1 < len(c.Words) {
				out = append(out, c.Words[i+1])
			} else if v, ok := strings.CutPrefix(w, n+"="); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// pkgiHasOpt reports whether a literal argument after from is one of the
// options (or `option=value` for a long one). Unlike Command.HasFlag it
// does not look inside groups of short options, whose letters mean
// different things to different tools.
func pkgiHasOpt(c *Command, from int, opts ...string) bool {
	for i := from + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			continue
		}
		w := c.Words[i]
		if w == "--" {
			return false
		}
		for _, o := range opts {
			if w == o || (strings.HasPrefix(o, "--") && strings.HasPrefix(w, o+"=")) {
				return true
			}
		}
	}
	return false
}

// pkgiEndInsert is where a flag goes at the end of a command: after its
// last argument, or before a literal `--` that ends its options. It
// returns the offset and the text to insert for flag.
func pkgiEndInsert(c *Command, from int, flag string) (int, string) {
	for i := from + 1; i < len(c.Words); i++ {
		if c.Lit[i] && c.Words[i] == "--" {
			return c.ArgSpan(i).Start, flag + " "
		}
	}
	return c.ArgSpan(len(c.Call.Args) - 1).End, " " + flag
}

// pkgiTruthy tells a set boolean environment variable from one set to a
// false value (the spellings uv, Pipenv and Poetry accept).
func pkgiTruthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "no", "off", "n", "f":
		return false
	}
	return true
}

// pkgiEnv returns the value an environment variable has when command c of
// RUN in runs, and whether it is set: ENV earlier in the stage or in a
// stage it builds on, ARG with a default earlier in the stage, `export`
// earlier in the same script, or an assignment in front of the command
// (`VAR=x cmd`, `env VAR=x cmd`). A value that is not a literal counts as
// set to "?".
func pkgiEnv(d *Document, in *Instruction, c *Command, name string) (string, bool) {
	val, set := "", false
	chain := in.Stage.Lineage()
	for _, s := range chain {
		for _, o := range s.Instrs {
			if s == in.Stage && o.Index >= in.Index {
				break
			}
			switch o.Keyword {
			case "env":
				// The parser gives ENV as (name, value, separator) triples.
				for n := o.Node.Next; n != nil && n.Next != nil; {
					if n.Value == name {
						val, set = strings.Trim(n.Next.Value, `"'`), true
					}
					sep := n.Next.Next
					if sep == nil {
						break
					}
					n = sep.Next
				}
			case "arg":
				if s != in.Stage {
					continue // an ARG's value ends with its stage
				}
				for n := o.Node.Next; n != nil; n = n.Next {
					if k, v, ok := strings.Cut(n.Value, "="); ok && k == name {
						val, set = strings.Trim(v, `"'`), true
					}
				}
			}
		}
	}
	if c == nil {
		return val, set
	}
	syntax.Walk(c.Script.File, func(n syntax.Node) bool {
		decl, ok := n.(*syntax.DeclClause)
		if !ok || decl.Variant == nil || decl.Variant.Value != "export" || decl.End().Offset() > c.Call.Pos().Offset() {
			return true
		}
		for _, a := range decl.Args {
			if a.Name != nil && a.Name.Value == name {
				val, set = "?", true
				if a.Value == nil {
					val = ""
				} else if v, lit := LiteralWord(a.Value); lit {
					val = v
				}
			}
		}
		return true
	})
	for _, a := range c.Call.Assigns {
		if a.Name != nil && a.Name.Value == name {
			val, set = "?", true
			if a.Value == nil {
				val = ""
			} else if v, lit := LiteralWord(a.Value); lit {
				val = v
			}
		}
	}
	for i := 0; i < c.Prog && i < len(c.Words); i++ {
		if v, ok := strings.CutPrefix(c.Words[i], name+"="); ok && c.Lit[i] {
			val, set = v, true
		}
	}
	return val, set
}

// pkgiEnvTrue reports whether the variable is set to a true value.
func pkgiEnvTrue(d *Document, in *Instruction, c *Command, name string) bool {
	v, ok := pkgiEnv(d, in, c, name)
	return ok && pkgiTruthy(v)
}

// pkgiMount is one `RUN --mount=...` flag.
type pkgiMount = Mount

// pkgiMounts parses the --mount flags of a RUN.
func pkgiMounts(in *Instruction) []pkgiMount { return ParseMounts(in.Node.Flags) }

// pkgiCopyFlag returns the value of a COPY/ADD flag such as --from.
func pkgiCopyFlag(in *Instruction, name string) (string, bool) {
	for _, fl := range in.Node.Flags {
		if v, ok := strings.CutPrefix(fl, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// pkgiSourceCovers reports whether a COPY source (relative to the build
// context) brings the context file rel with it: the file itself, a glob
// matching it, or a directory holding it (the context root, for files at
// the root).
func pkgiSourceCovers(src, rel string) bool {
	if strings.Contains(src, "$") {
		return false
	}
	s := strings.TrimPrefix(path.Clean("/"+src), "/")
	if s == "" || s == "." {
		return true
	}
	if s == rel {
		return true
	}
	if ok, err := path.Match(s, rel); err == nil && ok {
		return true
	}
	return strings.HasPrefix(rel, s+"/")
}

// pkgiLockInImage reports whether the context file lock is in the image
// when RUN in starts: copied from the build context earlier in its stage
// or in a stage it is built FROM, or bind-mounted from the context into
// this RUN. A file .dockerignore excludes never reaches the image.
func pkgiLockInImage(d *Document, in *Instruction, lock string) bool {
	if d.Ctx != nil && d.Ctx.DockerIgnore.Ignores(lock) {
		return false
	}
	for _, m := range pkgiMounts(in) {
		if m.Type == "bind" && m.From == "" && pkgiSourceCovers(m.Source, lock) {
			return true
		}
	}
	for _, s := range in.Stage.Lineage() {
		for _, o := range s.Instrs {
			if o.Index >= in.Index {
				break
			}
			if o.Keyword != "copy" && o.Keyword != "add" || len(o.Heredocs) > 0 {
				continue
			}
			if _, ok := pkgiCopyFlag(o, "from"); ok {
				continue
			}
			var args []string
			for n := o.Node.Next; n != nil; n = n.Next {
				args = append(args, n.Value)
			}
			if len(args) < 2 {
				continue
			}
			for _, src := range args[:len(args)-1] {
				if pkgiSourceCovers(src, lock) {
					return true
				}
			}
		}
	}
	return false
}

// lockInstallReport reports a non-strict install. When the lockfile is
// in the image the fixes are real; otherwise they are shown as advice
// and the message says the lockfile must be copied in first.
func lockInstallReport(p *Pass, in *Instruction, c *Command, lock, msg string) (*Finding, bool) {
	inImage := pkgiLockInImage(p.Doc, in, lock)
	if !inImage {
		msg += "; " + lock + " is in the build context but not copied into the image before this RUN, so copy it in first"
	}
	return p.Report(c.Script.Span(c.Call), "%s", msg), inImage
}

func lockInstallApp(inImage bool, app fixes.Applicability) fixes.Applicability {
	if !inImage {
		return fixes.DisplayOnly
	}
	return app
}

func npmLockName(ctx *BuildContext) string {
	if ctx.Has("npm-shrinkwrap.json") {
		return "npm-shrinkwrap.json"
	}
	return "package-lock.json"
}

func lockInstallNpm(p *Pass, in *Instruction, c *Command) {
	ctx := p.Doc.Ctx
	if !ctx.NpmLock {
		return
	}
	sub := pkgiSub(c, pkgiNpmValueOpts)
	if sub < 0 || (c.Words[sub] != "install" && c.Words[sub] != "i") {
		return
	}
	if len(pkgiPositionals(c, sub, pkgiNpmValueOpts)) > 0 {
		return // npm install <package> adds a package: not a lockfile install
	}
	if c.HasFlag("-g", "--global") || pkgiHasOpt(c, c.Prog, "--location=global", "--no-package-lock", "--package-lock=false", "--package-lock-only") {
		return
	}
	lock := npmLockName(ctx)
	f, inImage := lockInstallReport(p, in, c, lock,
		"npm "+c.Words[sub]+" can resolve the dependencies again and rewrite "+lock+"; npm ci installs exactly what the lockfile lists, or fails when it is out of date")
	f.AddFix("Replace npm "+c.Words[sub]+" with npm ci", lockInstallApp(inImage, fixes.Safe), Replace(c.ArgSpan(sub), "ci"))
}

func lockInstallYarn(p *Pass, in *Instruction, c *Command) {
	ctx := p.Doc.Ctx
	if ctx.YarnLock == "" {
		return
	}
	sub := pkgiSub(c, pkgiYarnValueOpts)
	at, name := c.Prog, "yarn" // a bare `yarn` installs too
	if sub >= 0 {
		if c.Words[sub] != "install" {
			return
		}
		at, name = sub, "yarn install"
	}
	if len(pkgiPositionals(c, at, pkgiYarnValueOpts)) > 0 {
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
		if pkgiHasOpt(c, from, "--frozen-lockfile") {
			return
		}
		f, inImage := lockInstallReport(p, in, c, "yarn.lock",
			name+" without --frozen-lockfile updates yarn.lock instead of failing when it no longer matches package.json")
		f.AddFix("Add --frozen-lockfile to "+name, lockInstallApp(inImage, fixes.Safe), Insert(c.ArgSpan(at).End, " --frozen-lockfile"))
	case "berry":
		if strings.HasPrefix(pm, "yarn@1") {
			return
		}
		if pkgiHasOpt(c, from, "--immutable") || pkgiEnvTrue(p.Doc, in, c, "YARN_ENABLE_IMMUTABLE_INSTALLS") || pkgiEnvTrue(p.Doc, in, c, "CI") {
			return
		}
		for i := from + 1; i < len(c.Words); i++ {
			if c.Lit[i] && c.Words[i] == "--frozen-lockfile" {
				f, inImage := lockInstallReport(p, in, c, "yarn.lock",
					"--frozen-lockfile is only a deprecated alias in Yarn 2 and later; the option is --immutable")
				f.AddFix("Replace --frozen-lockfile with --immutable", lockInstallApp(inImage, fixes.Safe), Replace(c.ArgSpan(i), "--immutable"))
				return
			}
		}
		f, inImage := lockInstallReport(p, in, c, "yarn.lock",
			name+" without --immutable updates yarn.lock instead of failing when it no longer matches package.json")
		f.AddFix("Add --immutable to "+name, lockInstallApp(inImage, fixes.Safe), Insert(c.ArgSpan(at).End, " --immutable"))
	}
}

func lockInstallPnpm(p *Pass, in *Instruction, c *Command) {
	if !p.Doc.Ctx.PnpmLock {
		return
	}
	sub := pkgiSub(c, pkgiPnpmValueOpts)
	if sub < 0 || (c.Words[sub] != "install" && c.Words[sub] != "i") {
		return
	}
	if len(pkgiPositionals(c, sub, pkgiPnpmValueOpts)) > 0 || c.HasFlag("-g", "--global") {
		return
	}
	if pkgiHasOpt(c, c.Prog, "--frozen-lockfile", "--no-frozen-lockfile", "--lockfile-only", "--fix-lockfile") || pkgiEnvTrue(p.Doc, in, c, "CI") {
		return
	}
	f, inImage := lockInstallReport(p, in, c, "pnpm-lock.yaml",
		"pnpm "+c.Words[sub]+" without --frozen-lockfile updates pnpm-lock.yaml instead of failing when it no longer matches package.json")
	app := lockInstallApp(inImage, fixes.Safe)
	if pkgiHasOpt(c, c.Prog, "--prefer-frozen-lockfile") {
		app = fixes.DisplayOnly // the two options pull in opposite directions: let the user choose
	}
	f.AddFix("Add --frozen-lockfile to pnpm "+c.Words[sub], app, Insert(c.ArgSpan(sub).End, " --frozen-lockfile"))
}

func lockInstallUV(p *Pass, in *Instruction, c *Command) {
	if !p.Doc.Ctx.UVLock {
		return
	}
	sub := pkgiSub(c, pkgiUVValueOpts)
	if sub < 0 || c.Words[sub] != "sync" {
		return
	}
	if pkgiHasOpt(c, c.Prog, "--locked", "--frozen", "--check", "--dry-run") ||
		pkgiEnvTrue(p.Doc, in, c, "UV_LOCKED") || pkgiEnvTrue(p.Doc, in, c, "UV_FROZEN") {
		return
	}
	f, inImage := lockInstallReport(p, in, c, "uv.lock",
		"uv sync without --locked or --frozen re-locks and rewrites uv.lock when it no longer matches pyproject.toml, instead of failing")
	at := c.ArgSpan(sub).End
	workspaceFirst := pkgiHasOpt(c, sub, "--no-install-workspace")
	locked := func(app fixes.Applicability) {
		fx := f.AddFix("Add --locked to uv sync", lockInstallApp(inImage, app), Insert(at, " --locked"))
		fx.Note = "--locked fails the build when uv.lock does not match pyproject.toml; with a matching lock it installs exactly the same packages."
		if workspaceFirst {
			fx.Note += " In this dependencies-only sync of a workspace the members' pyproject.toml files are not copied yet, so uv cannot check the lock and --locked may fail; keep it for the full sync after COPY . ."
		}
	}
	frozen := func() {
		fx := f.AddFix("Add --frozen to uv sync", lockInstallApp(inImage, fixes.Unsafe), Insert(at, " --frozen"))
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

func lockInstallPoetry(p *Pass, in *Instruction, c *Command) {
	if !p.Doc.Ctx.PoetryLock {
		return
	}
	sub := pkgiSub(c, pkgiPoetryValueOpts)
	if sub < 0 || c.Words[sub] != "install" {
		return
	}
	inImage := pkgiLockInImage(p.Doc, in, "poetry.lock")
	interactive := !pkgiHasOpt(c, c.Prog, "--no-interaction", "-n") && !pkgiEnvTrue(p.Doc, in, c, "POETRY_NO_INTERACTION")
	span := c.Script.Span(c.Call)
	switch {
	case !inImage && interactive:
		f := p.Report(span, "poetry.lock is in the build context but not copied into the image before this RUN, so poetry install resolves "+
			"the dependencies again and writes a new lock; copy poetry.lock in with pyproject.toml, and add --no-interaction so Poetry never waits for an answer")
		f.AddFix("Add --no-interaction to poetry install", fixes.Safe, Insert(c.ArgSpan(sub).End, " --no-interaction"))
	case !inImage:
		p.Report(span, "poetry.lock is in the build context but not copied into the image before this RUN, so poetry install resolves "+
			"the dependencies again and writes a new lock; copy poetry.lock in with pyproject.toml")
	case interactive:
		f := p.Report(span, "poetry install without --no-interaction can stop at a question (a credential, a confirmation) that nobody can answer during a build")
		f.AddFix("Add --no-interaction to poetry install", fixes.Safe, Insert(c.ArgSpan(sub).End, " --no-interaction"))
	}
}

func lockInstallPipenv(p *Pass, in *Instruction, c *Command) {
	if !p.Doc.Ctx.PipfileLock {
		return
	}
	sub := pkgiSub(c, pkgiPipenvValueOpts)
	if sub < 0 || c.Words[sub] != "install" {
		return
	}
	if len(pkgiPositionals(c, sub, pkgiPipenvValueOpts)) > 0 || pkgiHasOpt(c, sub, "-r", "--requirements") {
		return // adds packages: not a lockfile install
	}
	if pkgiHasOpt(c, sub, "--deploy", "--ignore-pipfile") || pkgiEnvTrue(p.Doc, in, c, "PIPENV_DEPLOY") {
		return
	}
	f, inImage := lockInstallReport(p, in, c, "Pipfile.lock",
		"pipenv install without --deploy re-locks when Pipfile.lock no longer matches the Pipfile, instead of failing")
	f.AddFix("Add --deploy to pipenv install", lockInstallApp(inImage, fixes.Safe), Insert(c.ArgSpan(sub).End, " --deploy"))
}
