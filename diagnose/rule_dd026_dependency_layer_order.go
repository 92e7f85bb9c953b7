package diagnose

import (
	"fmt"
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = register(&Rule{
	Code:     "DD026",
	Name:     "dependency-layer-order",
	Severity: Info,
	Category: Cache,
	Summary:  "source copied before the dependency install",
	Fixable:  FixSometimes,
	Doc: Doc{
		What: "Flags a dependency install (`npm ci`, `npm install`, `yarn install`, `pnpm install`, " +
			"`pip install -r requirements.txt`, `uv pip install -r`, `uv sync`, `poetry install`, `pipenv install`, " +
			"`pipenv sync`, `go mod download`, `bundle install`, `cargo build`) that runs after `COPY . .` " +
			"(or `COPY . /app`, `ADD . .`) in the same stage. For uv it also flags the opposite mistake: a single " +
			"`uv sync` that runs after copying only `pyproject.toml` and `uv.lock`, without " +
			"`--no-install-project`, followed by `COPY . .` and no second sync. A `uv sync` or `poetry install` " +
			"after `COPY . .` is not flagged when an earlier one ran before it: that is the second, project " +
			"install of the recommended layout.",
		Why: "Docker reuses a layer from its cache only if the instruction and everything before it are " +
			"unchanged, and for `COPY` that means the copied files. `COPY . .` copies the whole project, so " +
			"editing any file, even a README, invalidates it and every layer after it. An install placed after " +
			"it downloads and builds every dependency again on each code change, which turns a seconds-long " +
			"rebuild into minutes. Copy only the files the install reads (the manifest and its lockfile) first, " +
			"install, and copy the source last: the install layer is then rebuilt only when the dependencies " +
			"change.\n\n" +
			"uv and Poetry also install the project itself when it is a package (it has a build system). " +
			"Before the source is there, that install fails or installs a project without its code, and after " +
			"`COPY . .` nothing installs it again. The usual layout syncs " +
			"twice: `uv sync --no-install-project` (Poetry: `poetry install --no-root`) after copying the " +
			"manifests, which is the cached dependency layer, then the plain `uv sync` after `COPY . .`, which " +
			"only adds the project and is fast.",
		Bad: "WORKDIR /app\nCOPY . .\nRUN npm ci\n\n" +
			"COPY pyproject.toml uv.lock ./\nRUN uv sync --locked\nCOPY . .",
		Good: "WORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n\n" +
			"COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked",
		Fix: "When the install is alone in its `RUN`, the files it reads exist in the build context, and " +
			"everything between `COPY . .` and the install surely ignores the project's files (`ENV`, `ARG`, " +
			"`USER`, `EXPOSE`, a `RUN` that only installs system packages or named tools), the fix moves " +
			"`COPY . .` (with the comment lines right above it) below the install and puts a `COPY` of the " +
			"files the install reads right before it: package.json with its lockfile and .npmrc; the " +
			"requirements files the command names; pyproject.toml with uv.lock, .python-version and uv.toml, or " +
			"with poetry.lock and poetry.toml; Pipfile and Pipfile.lock; go.mod and go.sum; Gemfile and " +
			"Gemfile.lock. Files an earlier `COPY` already brings are not copied twice. The new `COPY` keeps " +
			"the `--chown`, `--chmod` and `--link` of `COPY . .`. For uv and Poetry, a copy of the install with " +
			"`--no-install-project` / `--no-root` goes before `COPY . .` and the original stays after it to " +
			"install the project. For the single early `uv sync`, the fix adds `--no-install-project` to it and " +
			"a `RUN uv sync` with the same words (and cache mounts) after `COPY . .`.\n\n" +
			"Unsafe: the install now runs before the rest of the project is copied. If it needs other files " +
			"(a postinstall script, a path dependency, a requirements file pulled in with `-r`, a `replace` " +
			"directive pointing at a local module, a gemspec), add them to the new `COPY`, or the build fails. " +
			"No fix is offered when package.json has install scripts or local `file:` dependencies, for " +
			"workspaces, when a `WORKDIR`, a `COPY` or a `RUN` that may use the project sits between, or for " +
			"`cargo build`, which needs the source to build anything (use cargo-chef or cache mounts there).",
		Refs: []string{
			"https://docs.docker.com/build/cache/optimize/#order-your-layers",
			"https://docs.astral.sh/uv/guides/integration/docker/#intermediate-layers",
			"https://python-poetry.org/docs/faq/#poetry-busts-my-docker-cache-because-it-requires-me-to-copy-my-source-files-in-before-installing-3rd-party-dependencies",
		},
	},
	Check: func(p *Pass) {
		d := p.Doc
		for _, st := range d.Stages {
			depLayerStage(p, st)
		}
	},
})

// depInstall is a dependency install command found in a RUN.
type depInstall struct {
	tool  string // npm, yarn, pnpm, pip, uvpip, uv, poetry, pipenv, go, bundle, cargo
	what  string // how messages name it: "npm ci", "uv sync"
	in    *Instruction
	c     *Command
	files []string // pip: the requirement / constraint files, as written
	// noFix says why the command cannot be moved, whatever its context.
	noFix string
	// projectOff is true when a uv / Poetry install already leaves the
	// project out (--no-install-project, --no-root, ...).
	projectOff bool
}

// depLayerStage checks one stage.
func depLayerStage(p *Pass, st *Stage) {
	d := p.Doc
	var copyAll *Instruction
	var before []*depInstall
	after := map[string]bool{}
	cargoCooked := false
	var moving *depInstall // the first install whose fix moves COPY . .
	for _, in := range st.Instrs {
		if copyAll == nil && depLayerCopiesAll(in) {
			copyAll = in
			continue
		}
		if in.Keyword != "run" {
			continue
		}
		for _, c := range in.Commands(d) {
			if c.Name() == "cargo" && c.Sub() >= 0 && (c.Words[c.Sub()] == "chef" || c.Words[c.Sub()] == "fetch") {
				cargoCooked = true
			}
			di := depLayerInstallOf(d, in, c)
			if di == nil {
				continue
			}
			if copyAll == nil {
				before = append(before, di)
				continue
			}
			after[di.tool] = true
			if depLayerSecondInstall(di, before) {
				continue
			}
			if di.tool == "cargo" && (cargoCooked || depLayerCargoCached(in)) {
				continue
			}
			if depLayerReportAfter(p, st, copyAll, di) && moving == nil {
				moving = di
			}
		}
	}
	if copyAll == nil || after["uv"] || after["uvpip"] {
		return
	}
	// (b) one uv sync before COPY . . that also installs the project.
	var sync *depInstall
	for _, di := range before {
		if di.tool == "uv" {
			sync = di
		}
	}
	if sync == nil || sync.projectOff {
		return
	}
	depLayerReportEarlySync(p, copyAll, sync, moving)
}

// depLayerSecondInstall reports whether di is the project install of the
// two-step uv / Poetry layout: an install of the same tool ran before the
// source was copied.
func depLayerSecondInstall(di *depInstall, before []*depInstall) bool {
	if di.tool != "uv" && di.tool != "poetry" {
		return false
	}
	for _, b := range before {
		if b.tool == di.tool {
			return true
		}
	}
	return false
}

// depLayerCargoCached reports whether a RUN mounts a cache for cargo's
// registry or target directory, which keeps rebuilds incremental.
func depLayerCargoCached(in *Instruction) bool {
	for _, t := range ephemeralMountTargets(in) {
		if strings.Contains(t, "cargo") || path.Base(t) == "target" {
			return true
		}
	}
	return false
}

// depLayerCopiesAll reports whether in copies the whole build context:
// COPY or ADD with a source of `.` or `./` and no --from.
func depLayerCopiesAll(in *Instruction) bool {
	if in.Keyword != "copy" && in.Keyword != "add" {
		return false
	}
	for _, f := range in.Node.Flags {
		if strings.HasPrefix(f, "--from") {
			return false
		}
	}
	args := depLayerArgs(in)
	if len(args) < 2 {
		return false
	}
	for _, s := range args[:len(args)-1] {
		if s == "." || s == "./" {
			return true
		}
	}
	return false
}

// depLayerArgs are the parser's arguments of an instruction (flags
// excluded, heredoc names included as written).
func depLayerArgs(in *Instruction) []string {
	var out []string
	for n := in.Node.Next; n != nil; n = n.Next {
		out = append(out, n.Value)
	}
	return out
}

// depLayerPositionals returns the indices of the positional words after
// index from, skipping options and the values of the options in valueOpts
// written as a separate word. ok is false when a word is not literal.
func depLayerPositionals(c *Command, from int, valueOpts map[string]bool) (pos []int, ok bool) {
	for i := from + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			return pos, false
		}
		w := c.Words[i]
		switch {
		case w == "--":
			for j := i + 1; j < len(c.Words); j++ {
				pos = append(pos, j)
			}
			return pos, true
		case strings.HasPrefix(w, "-") && w != "-":
			if valueOpts[w] {
				i++
			}
		default:
			pos = append(pos, i)
		}
	}
	return pos, true
}

// depLayerOptValue returns the values of an option given as `-r x`,
// `-rx`, `--requirement x` or `--requirement=x`, and whether one of them
// is not literal.
func depLayerOptValues(c *Command, from int, short string, long ...string) (vals []string, dynamic bool) {
	for i := from + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		if !c.Lit[i] {
			continue
		}
		take := func() {
			if i+1 < len(c.Words) {
				if !c.Lit[i+1] {
					dynamic = true
				}
				vals = append(vals, c.Words[i+1])
				i++
			}
		}
		switch {
		case short != "" && w == short:
			take()
		case short != "" && strings.HasPrefix(w, short) && !strings.HasPrefix(w, "--") && len(w) > len(short):
			vals = append(vals, strings.TrimPrefix(w[len(short):], "="))
		default:
			for _, l := range long {
				if w == l {
					take()
				} else if v, ok := strings.CutPrefix(w, l+"="); ok {
					vals = append(vals, v)
				}
			}
		}
	}
	return vals, dynamic
}

var (
	depLayerNpmValueOpts = map[string]bool{"--omit": true, "--include": true, "--prefix": true, "-w": true,
		"--workspace": true, "--registry": true, "--cache": true, "--loglevel": true, "--install-strategy": true,
		"--userconfig": true, "--tag": true, "--before": true}
	depLayerYarnValueOpts = map[string]bool{"--cwd": true, "--modules-folder": true, "--network-timeout": true,
		"--mutex": true, "--cache-folder": true, "--mode": true}
	depLayerPnpmValueOpts = map[string]bool{"-C": true, "--dir": true, "--filter": true, "-F": true,
		"--reporter": true, "--registry": true, "--store-dir": true}
	depLayerPipValueOpts = map[string]bool{"-r": true, "--requirement": true, "--requirements": true, "-c": true,
		"--constraint": true, "--constraints": true, "--override": true, "--overrides": true, "-e": true,
		"--editable": true, "-t": true, "--target": true, "--prefix": true, "--root": true, "-i": true,
		"--index-url": true, "--extra-index-url": true, "-f": true, "--find-links": true, "--platform": true,
		"--python-version": true, "--implementation": true, "--abi": true, "--src": true,
		"--upgrade-strategy": true, "--progress-bar": true, "--global-option": true, "--config-settings": true,
		"-C": true, "--no-binary": true, "--only-binary": true, "--report": true, "--root-user-action": true,
		"--trusted-host": true, "--proxy": true, "--timeout": true, "--retries": true, "--cache-dir": true,
		"--log": true, "--exists-action": true, "--keyring-provider": true, "--cert": true, "--client-cert": true,
		"--python": true, "-p": true, "--use-feature": true, "--use-deprecated": true, "--group": true,
		"--index-strategy": true, "--resolution": true, "--prerelease": true, "--link-mode": true}
	depLayerPipenvValueOpts = map[string]bool{"--python": true, "--pypi-mirror": true, "--categories": true,
		"--extra-pip-args": true}
	depLayerBundleValueOpts = map[string]bool{"--gemfile": true, "--path": true, "--jobs": true, "-j": true,
		"--retry": true, "--without": true, "--with": true, "--binstubs": true, "--shebang": true,
		"--standalone": true, "--trust-policy": true}
)

// depLayerInstallOf recognizes a dependency install, or returns nil.
func depLayerInstallOf(d *Document, in *Instruction, c *Command) *depInstall {
	name := c.Name()
	sub := c.Sub()
	di := &depInstall{in: in, c: c}
	word := func(i int) string {
		if i < 0 || i >= len(c.Words) || !c.Lit[i] {
			return ""
		}
		return c.Words[i]
	}
	switch {
	case name == "npm":
		switch word(sub) {
		case "ci", "clean-install":
			di.tool, di.what = "npm", "npm "+word(sub)
		case "install", "i":
			pos, ok := depLayerPositionals(c, sub, depLayerNpmValueOpts)
			if !ok || len(pos) > 0 || c.HasFlag("-g", "--global") {
				return nil // installs named packages, not the manifest
			}
			di.tool, di.what = "npm", "npm "+word(sub)
		default:
			return nil
		}
		if c.HasFlag("--prefix", "-w", "--workspace", "--workspaces") {
			di.noFix = "it works on another directory or a workspace"
		}
	case name == "yarn":
		switch {
		case sub < 0:
			di.tool, di.what = "yarn", "yarn"
		case word(sub) == "install":
			di.tool, di.what = "yarn", "yarn install"
		default:
			return nil
		}
		if pos, ok := depLayerPositionals(c, c.Prog, depLayerYarnValueOpts); !ok || len(pos) > 1 || (len(pos) == 1 && word(pos[0]) != "install") {
			return nil
		}
		if c.HasFlag("--cwd") {
			di.noFix = "it works on another directory (--cwd)"
		}
	case name == "pnpm":
		if w := word(sub); w != "install" && w != "i" {
			return nil
		}
		if pos, ok := depLayerPositionals(c, sub, depLayerPnpmValueOpts); !ok || len(pos) > 0 {
			return nil
		}
		di.tool, di.what = "pnpm", "pnpm "+word(sub)
		if c.HasFlag("-C", "--dir", "--filter", "-F", "-r", "--recursive") {
			di.noFix = "it works on another directory or on workspace packages"
		}
	case name == "uv" && word(sub) == "sync":
		di.tool, di.what = "uv", "uv sync"
		di.projectOff = c.HasFlag("--no-install-project", "--no-install-workspace", "--only-group", "--only-dev")
		if c.HasFlag("--project", "--directory", "--script") {
			di.noFix = "it works on another directory (--project / --directory)"
		}
		if cx := d.Ctx; cx != nil && cx.PyProject != nil && cx.PyProject.UVWorkspace {
			di.noFix = "the project is a uv workspace, whose members must be copied too"
		}
	case name == "uv" && word(sub) == "pip" && (word(sub+1) == "install" || word(sub+1) == "sync"):
		di.tool, di.what = "uvpip", "uv pip "+word(sub+1)
		if !depLayerRequirements(c, sub+1, di, word(sub+1) == "sync") {
			return nil
		}
	case pipInstallIndex(c) >= 0:
		verb := pipInstallIndex(c)
		di.tool, di.what = "pip", "pip install"
		if !depLayerRequirements(c, verb, di, false) {
			return nil
		}
	case name == "poetry":
		switch word(sub) {
		case "install", "sync":
		default:
			return nil
		}
		if c.HasFlag("--only-root") {
			return nil // installs the project alone: it needs the source
		}
		di.tool, di.what = "poetry", "poetry "+word(sub)
		di.projectOff = c.HasFlag("--no-root")
		if c.HasFlag("-C", "--directory", "-P", "--project") {
			di.noFix = "it works on another directory"
		}
	case name == "pipenv":
		switch word(sub) {
		case "install":
			if pos, ok := depLayerPositionals(c, sub, depLayerPipenvValueOpts); !ok || len(pos) > 0 {
				return nil
			}
			if c.HasFlag("-r", "--requirements", "-e", "--editable") {
				return nil
			}
		case "sync":
		default:
			return nil
		}
		di.tool, di.what = "pipenv", "pipenv "+word(sub)
	case name == "go" && word(sub) == "mod":
		pos, ok := depLayerPositionals(c, sub, nil)
		if !ok || len(pos) == 0 || word(pos[0]) != "download" {
			return nil
		}
		di.tool, di.what = "go", "go mod download"
	case name == "bundle" || name == "bundler":
		if word(sub) != "install" {
			return nil
		}
		if pos, ok := depLayerPositionals(c, sub, depLayerBundleValueOpts); !ok || len(pos) > 0 {
			return nil
		}
		di.tool, di.what = "bundle", name+" install"
		if c.HasFlag("--gemfile") {
			di.noFix = "it reads another Gemfile (--gemfile)"
		}
	case name == "cargo" && word(sub) == "build":
		di.tool, di.what = "cargo", "cargo build"
		di.noFix = "cargo needs the source to build anything; cargo-chef (cook the dependencies from a recipe " +
			"before COPY . .) or cache mounts on the registry and target directories keep rebuilds fast"
	default:
		return nil
	}
	return di
}

// depLayerRequirements reads the requirement and constraint files of a
// pip / uv pip install whose verb is at index verb, into di.files. It
// returns false when the command installs no requirements file (`pip
// install flask`, `pip install -e .`), which is not a manifest install.
func depLayerRequirements(c *Command, verb int, di *depInstall, positionalFiles bool) bool {
	if c.HasFlag("-e", "--editable") {
		return false
	}
	reqs, dyn1 := depLayerOptValues(c, verb, "-r", "--requirement", "--requirements")
	cons, dyn2 := depLayerOptValues(c, verb, "-c", "--constraint", "--constraints")
	over, dyn3 := depLayerOptValues(c, verb, "", "--override", "--overrides")
	pos, ok := depLayerPositionals(c, verb, depLayerPipValueOpts)
	if positionalFiles {
		for _, i := range pos {
			reqs = append(reqs, c.Words[i])
		}
		pos = nil
	}
	if len(reqs) == 0 {
		return false
	}
	di.files = append(append(append(di.files, reqs...), cons...), over...)
	switch {
	case !ok || dyn1 || dyn2 || dyn3:
		di.noFix = "some of its arguments are variables"
	default:
		for _, i := range pos {
			w := c.Words[i]
			if w == "." || strings.ContainsAny(w, "/\\") || strings.HasSuffix(w, ".whl") ||
				strings.HasSuffix(w, ".tar.gz") || strings.HasSuffix(w, ".zip") {
				di.noFix = "it also installs " + w + " from the context"
			}
		}
		links, _ := depLayerOptValues(c, verb, "-f", "--find-links")
		for _, l := range links {
			if !strings.Contains(l, "://") {
				di.noFix = "it reads packages from " + l + " in the context (--find-links)"
			}
		}
	}
	return true
}

// depLayerReportAfter reports an install that runs after COPY . . and
// builds the fix that moves it before.
func depLayerReportAfter(p *Pass, st *Stage, copyAll *Instruction, di *depInstall) (fixed bool) {
	d := p.Doc
	span := di.c.Script.Span(di.c.Call)
	msg := fmt.Sprintf("%s runs after %s (line %d), so a change to any file of the project reinstalls every dependency",
		di.what, depLayerCopyText(copyAll), copyAll.StartLine)
	edits, files, why := depLayerMoveEdits(d, st, copyAll, di)
	if why != "" {
		p.Report(span, "%s; no automatic fix: %s", msg, why)
		return false
	}
	f := p.Report(span, "%s", msg)
	var fx *fixes.Fix
	keep := (di.tool == "uv" && !di.projectOff) || di.tool == "poetry"
	switch {
	case keep && di.tool == "uv":
		fx = f.AddFix("Sync dependencies with --no-install-project before "+depLayerCopyText(copyAll), fixes.Unsafe, edits...)
	case keep:
		fx = f.AddFix("Install dependencies with --no-root before "+depLayerCopyText(copyAll), fixes.Unsafe, edits...)
	case len(files) > 0:
		fx = f.AddFix(fmt.Sprintf("Copy %s first and move %s before %s", strings.Join(files, ", "), di.what, depLayerCopyText(copyAll)), fixes.Unsafe, edits...)
	default:
		fx = f.AddFix(fmt.Sprintf("Move %s before %s", di.what, depLayerCopyText(copyAll)), fixes.Unsafe, edits...)
	}
	fx.Note = depLayerNote(di, files)
	return true
}

func depLayerNote(di *depInstall, files []string) string {
	seen := "the files copied before it"
	if len(files) > 0 {
		seen = strings.Join(files, ", ")
	}
	n := "The install now runs before the rest of the project is copied and sees only " + seen + ". "
	switch di.tool {
	case "npm", "yarn", "pnpm":
		n += "If it needs other files (a patches/ directory, workspace packages, a local tarball), add them to the COPY."
	case "pip", "uvpip":
		n += "If a requirements file pulls in another one (-r, -c) or a local path, add it to the COPY."
	case "uv":
		n += "The project itself is still installed by the sync after COPY . .; [tool.uv.sources] path dependencies must be copied too."
	case "poetry":
		n += "The project itself is still installed by the install after COPY . .; path dependencies must be copied too."
	case "go":
		n += "A replace directive pointing at a local directory needs that directory copied too."
	case "bundle":
		n += "A Gemfile that uses gemspec or path: gems needs those files copied too."
	}
	return n
}

// depLayerCopyText is how messages name the whole-context copy.
func depLayerCopyText(in *Instruction) string {
	args := depLayerArgs(in)
	kw := strings.ToUpper(in.Keyword)
	if len(args) == 2 {
		return kw + " " + args[0] + " " + args[1]
	}
	return kw + " . ."
}

// depLayerIndependent lists instructions that do not depend on the files
// COPY . . brings, so the copy can move below them.
var depLayerIndependent = map[string]bool{
	"env": true, "arg": true, "user": true, "shell": true, "expose": true, "label": true,
	"stopsignal": true, "healthcheck": true, "maintainer": true, "cmd": true, "entrypoint": true,
}

// depLayerIndependentRun reports whether a RUN surely does not read or
// write the copied project: every command installs system packages or
// named tools, creates users, or removes files outside dest (the copy's
// absolute destination, "" when unknown).
func depLayerIndependentRun(d *Document, in *Instruction, dest string) bool {
	for _, f := range in.Node.Flags {
		if strings.HasPrefix(f, "--mount=") && !strings.Contains(f, "type=cache") && !strings.Contains(f, "type=secret") &&
			!strings.Contains(f, "type=ssh") && !strings.Contains(f, "type=tmpfs") {
			return false // a bind mount reads the context
		}
	}
	scripts := in.Scripts(d)
	if len(scripts) == 0 {
		return false
	}
	for _, sc := range scripts {
		ok := true
		syntax.Walk(sc.File, func(n syntax.Node) bool {
			if r, isRedir := n.(*syntax.Redirect); isRedir && r.Word != nil {
				if v, lit := LiteralWord(r.Word); !lit || (!strings.HasPrefix(v, "/dev/") && !strings.HasPrefix(r.Op.String(), ">&") && r.Op.String() != "<&") {
					ok = false
				}
			}
			return ok
		})
		if !ok {
			return false
		}
	}
	outside := func(p string) bool {
		if i := strings.IndexAny(p, "*?["); i >= 0 {
			p = p[:i] // the literal part of a glob
		}
		if !strings.HasPrefix(p, "/") || strings.Contains(p, "$") {
			return false
		}
		p = path.Clean(p)
		if dest == "" {
			return strings.HasPrefix(p, "/var/") || strings.HasPrefix(p, "/tmp/") || strings.HasPrefix(p, "/root/")
		}
		return p != dest && !strings.HasPrefix(p, dest+"/") && !strings.HasPrefix(dest, p+"/") && p != "/"
	}
	bare := func(w string) bool {
		return w != "" && !strings.ContainsAny(w, "/\\") && !strings.HasPrefix(w, ".") &&
			!strings.HasSuffix(w, ".whl") && !strings.HasSuffix(w, ".tar.gz") && !strings.HasSuffix(w, ".zip") && !strings.HasSuffix(w, ".tgz")
	}
	for _, c := range in.Commands(d) {
		switch name := c.Name(); {
		case depLayerSystemCommands[name]:
		case name == "rm" || name == "mkdir":
			pos, ok := depLayerPositionals(c, c.Prog, map[string]bool{"-m": true, "--mode": true})
			if !ok {
				return false
			}
			for _, i := range pos {
				if !outside(c.Words[i]) {
					return false
				}
			}
		case pipInstallIndex(c) >= 0:
			verb := pipInstallIndex(c)
			if c.HasFlag("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "--prefix", "--root", "-f", "--find-links") {
				return false
			}
			pos, ok := depLayerPositionals(c, verb, depLayerPipValueOpts)
			if !ok {
				return false
			}
			for _, i := range pos {
				if !bare(c.Words[i]) {
					return false
				}
			}
		case name == "npm" && c.Sub() >= 0 && (c.Words[c.Sub()] == "install" || c.Words[c.Sub()] == "i") && c.HasFlag("-g", "--global"):
			pos, ok := depLayerPositionals(c, c.Sub(), depLayerNpmValueOpts)
			if !ok || len(pos) == 0 {
				return false
			}
			for _, i := range pos {
				if !bare(c.Words[i]) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// depLayerSystemCommands install system packages, manage users or print:
// they do not touch the project's files.
var depLayerSystemCommands = map[string]bool{
	"apt-get": true, "apt": true, "apk": true, "yum": true, "dnf": true, "microdnf": true, "zypper": true,
	"tdnf": true, "update-ca-certificates": true, "ldconfig": true, "useradd": true, "groupadd": true,
	"adduser": true, "addgroup": true, "usermod": true, "corepack": true, "true": true, "set": true,
	":": true, "echo": true, "printf": true,
}

// depLayerMoveEdits builds the edits that put the install before copyAll
// (with the COPY of the manifests it needs): copyAll, with the comment
// lines right above it, moves below the install, and the manifests'
// COPY goes right before the install. It returns the names of the files
// that COPY copies, or why no fix can be built.
func depLayerMoveEdits(d *Document, st *Stage, copyAll *Instruction, di *depInstall) ([]fixes.Edit, []string, string) {
	if di.noFix != "" {
		return nil, nil, di.noFix
	}
	in := di.in
	if !depLayerAlone(d, di) {
		return nil, nil, "its RUN does more than the install"
	}
	if d.Ctx == nil {
		return nil, nil, "the build context was not read"
	}
	var copyFlags []string
	for _, f := range copyAll.Node.Flags {
		switch {
		case strings.Contains(f, "$"):
			return nil, nil, "the copy's " + f + " holds a variable"
		case strings.HasPrefix(f, "--chown="), strings.HasPrefix(f, "--chmod="), f == "--link", strings.HasPrefix(f, "--link="):
			copyFlags = append(copyFlags, f)
		default:
			return nil, nil, "the copy uses " + f
		}
	}
	args := depLayerArgs(copyAll)
	dest := args[len(args)-1]
	if strings.Contains(dest, "$") {
		return nil, nil, "the copy's destination holds a variable"
	}
	wd, wdKnown := depLayerWorkdir(d, st, copyAll)
	destAbs, _ := depLayerResolve(dest, wd, wdKnown)
	for _, o := range st.Instrs {
		if o.Index <= copyAll.Index || o.Index >= in.Index {
			continue
		}
		if depLayerIndependent[o.Keyword] || (o.Keyword == "run" && depLayerIndependentRun(d, o, destAbs)) {
			continue
		}
		if o.Keyword == "run" {
			return nil, nil, fmt.Sprintf("the RUN at line %d between them may use the copied files", o.StartLine)
		}
		switch o.Keyword {
		case "workdir":
			return nil, nil, fmt.Sprintf("the WORKDIR at line %d between them changes where the copy would land below it", o.StartLine)
		case "copy", "add":
			return nil, nil, fmt.Sprintf("the %s at line %d between them writes files the copy could overwrite below it", strings.ToUpper(o.Keyword), o.StartLine)
		}
		return nil, nil, fmt.Sprintf("the %s at line %d between them would change what the copy does below it", strings.ToUpper(o.Keyword), o.StartLine)
	}
	files, why := depLayerManifests(d, di, dest, wd, wdKnown)
	if why != "" {
		return nil, nil, why
	}
	covered := depLayerCovered(d, st, copyAll, dest, wd, wdKnown)
	var need []string
	for _, f := range files {
		if !covered(f) {
			need = append(need, f)
		}
	}

	// The COPY of the manifests, with the copy's own flags.
	indent := d.Indent(copyAll.StartLine)
	kw := "COPY"
	if k := string(d.Src[copyAll.KeywordSpan().Start:copyAll.KeywordSpan().End]); k == strings.ToLower(k) {
		kw = "copy"
	}
	var b strings.Builder
	groups, order := map[string][]string{}, []string(nil)
	for _, f := range need {
		dir := path.Dir(f)
		if _, ok := groups[dir]; !ok {
			order = append(order, dir)
		}
		groups[dir] = append(groups[dir], f)
	}
	for _, dir := range order {
		target := dest
		if dir != "." {
			target = path.Join(dest, dir)
		}
		if target == "." {
			target = "./"
		}
		if !strings.HasSuffix(target, "/") {
			target += "/"
		}
		b.WriteString(indent + kw)
		for _, fl := range copyFlags {
			b.WriteString(" " + fl)
		}
		b.WriteString(" " + strings.Join(groups[dir], " ") + " " + target + d.EOL)
	}

	// COPY . . moves with the comment lines right above it. The removed
	// range runs from the line break before them to the one after the
	// copy (replaced by one line break), so that an insertion another rule
	// makes at the start or the end of the copy's line falls strictly inside
	// it: the two fixes then conflict instead of leaving that text behind.
	copyStart := depLayerCommentsAbove(d, copyAll)
	copyText := string(d.Src[d.LineStart(copyStart):d.LineEnd(copyAll.EndLine)])
	del := Replace(Span{d.LineEnd(copyStart - 1), d.LineBreakEnd(copyAll.EndLine)}, d.EOL)
	at := d.LineStart(depLayerCommentsAbove(d, in))

	keep := (di.tool == "uv" && !di.projectOff) || di.tool == "poetry"
	if keep {
		// A copy of the install that leaves the project out goes before
		// COPY . .; the original stays after it to install the project.
		flag := "--no-install-project"
		if di.tool == "poetry" {
			flag = "--no-root"
		}
		start, end := d.LineStart(in.StartLine), d.LineEnd(in.EndLine)
		text := string(d.Src[start:end])
		if !di.projectOff {
			off, ins := depLayerFlagPoint(di.c, flag)
			off -= start
			text = text[:off] + ins + text[off:]
		}
		b.WriteString(text + d.EOL + copyText + d.EOL)
		return []fixes.Edit{del, Insert(at, b.String())}, need, ""
	}
	edits := []fixes.Edit{del}
	if b.Len() > 0 {
		edits = append(edits, Insert(at, b.String()))
	}
	edits = append(edits, Insert(d.LineEnd(in.EndLine), d.EOL+copyText))
	return edits, need, ""
}

// depLayerFlagPoint is the Src offset where --no-install-project (uv) or
// --no-root (Poetry) goes, and the text to insert there: before the
// option another rule appends at the end of the command (--no-dev,
// --only main) when it is there, otherwise at the end. So the options
// come out in the same order whichever fix is applied first.
func depLayerFlagPoint(c *Command, flag string) (int, string) {
	for i := c.Prog + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			continue
		}
		w := c.Words[i]
		if w == "--no-dev" || w == "--only" || strings.HasPrefix(w, "--only=") {
			return c.ArgSpan(i).Start, flag + " "
		}
	}
	return c.ArgSpan(len(c.Call.Args) - 1).End, " " + flag
}

// depLayerAddFlag is the edit that adds flag to the command. It replaces
// the whole command and the byte after it, so that in a round where
// another rule adds an option to the same command (after its verb, or at
// its end) the two fixes conflict: the other applies first and this one
// in the next round, with the option placed as depLayerFlagPoint says.
func depLayerAddFlag(d *Document, c *Command, flag string) fixes.Edit {
	span := c.Script.Span(c.Call)
	at, ins := depLayerFlagPoint(c, flag)
	text := string(d.Src[span.Start:at]) + ins + string(d.Src[at:span.End])
	if span.End < len(d.Src) {
		return Replace(Span{span.Start, span.End + 1}, text+string(d.Src[span.End]))
	}
	return Replace(span, text)
}

// depLayerAlone reports whether the install is the only command of its
// RUN.
func depLayerAlone(d *Document, di *depInstall) bool {
	scripts := di.in.Scripts(d)
	if len(scripts) != 1 || len(scripts[0].File.Stmts) != 1 || len(di.in.Commands(d)) != 1 {
		return false
	}
	s := scripts[0].File.Stmts[0]
	call, ok := s.Cmd.(*syntax.CallExpr)
	return ok && call == di.c.Call && !s.Negated && !s.Background
}

// depLayerCommentsAbove returns the first line of the comment lines right
// above in (no blank line between), or in's own first line.
func depLayerCommentsAbove(d *Document, in *Instruction) int {
	prevEnd := 0
	if in.Index > 0 {
		prevEnd = d.Instructions[in.Index-1].EndLine
	}
	l := in.StartLine
	for l-1 > prevEnd && isCommentLine([]byte(d.Line(l-1))) {
		l--
	}
	if prevEnd == 0 {
		// Before the first instruction, comments may be parser directives.
		for l < in.StartLine && len(d.Directives) > 0 && l <= d.Directives[len(d.Directives)-1].Line {
			l++
		}
	}
	return l
}

// depLayerWorkdir is the working directory at in, when the file sets it
// to a known absolute path (in the stage or a stage it builds on).
func depLayerWorkdir(d *Document, st *Stage, at *Instruction) (string, bool) {
	if st != nil && at.Stage == st && st.doc == d {
		w := depLayerWorkdirs(d)[at.Index]
		return w.dir, w.known
	}
	var chain []*Stage
	if st != nil {
		chain = st.Lineage()
	}
	dir, known := "", false
	for _, s := range chain {
		for _, o := range s.Instrs {
			if s == st && o.Index >= at.Index {
				break
			}
			if o.Keyword != "workdir" || o.Node.Next == nil {
				continue
			}
			v := strings.Trim(o.Node.Next.Value, `"'`)
			switch {
			case strings.Contains(v, "$"):
				dir, known = "", false
			case strings.HasPrefix(v, "/"):
				dir, known = path.Clean(v), true
			case known:
				dir = path.Join(dir, v)
			}
		}
	}
	return dir, known
}

type depLayerWorkdirsKey struct{}

type depLayerWd struct {
	dir   string
	known bool
}

// depLayerWorkdirs is, by instruction, the working directory before it
// (as depLayerWorkdir reads it), computed once per Document: each stage
// starts from where its parent ends.
func depLayerWorkdirs(d *Document) []depLayerWd {
	return d.Memo(depLayerWorkdirsKey{}, func() any {
		before := make([]depLayerWd, len(d.Instructions))
		ends := make([]depLayerWd, len(d.Stages))
		for i, s := range d.Stages {
			var w depLayerWd
			if s.Parent != nil {
				w = ends[s.Parent.Index]
			}
			for _, o := range s.Instrs {
				before[o.Index] = w
				if o.Keyword != "workdir" || o.Node.Next == nil {
					continue
				}
				v := strings.Trim(o.Node.Next.Value, `"'`)
				switch {
				case strings.Contains(v, "$"):
					w = depLayerWd{}
				case strings.HasPrefix(v, "/"):
					w = depLayerWd{path.Clean(v), true}
				case w.known:
					w.dir = path.Join(w.dir, v)
				}
			}
			ends[i] = w
		}
		return before
	}).([]depLayerWd)
}

// depLayerResolve makes p absolute against the working directory.
func depLayerResolve(p, wd string, wdKnown bool) (string, bool) {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p), true
	}
	if !wdKnown {
		return "", false
	}
	return path.Join(wd, p), true
}

// depLayerContextPath turns a path the install reads (relative to the
// working directory, or absolute) into the context path that COPY . dest
// put there. ok is false when that cannot be known.
func depLayerContextPath(p, dest, wd string, wdKnown bool) (string, bool) {
	if !strings.HasPrefix(p, "/") && !strings.HasPrefix(dest, "/") {
		return depLayerRel(path.Clean(dest), path.Clean(p))
	}
	ap, ok1 := depLayerResolve(p, wd, wdKnown)
	ad, ok2 := depLayerResolve(dest, wd, wdKnown)
	if !ok1 || !ok2 {
		return "", false
	}
	return depLayerRel(ad, ap)
}

// depLayerRel is target relative to base (both clean), when target is
// below base.
func depLayerRel(base, target string) (string, bool) {
	var rel string
	switch {
	case base == ".":
		rel = target
	case base == "/":
		rel = strings.TrimPrefix(target, "/")
	case strings.HasPrefix(target, base+"/"):
		rel = target[len(base)+1:]
	default:
		return "", false
	}
	if rel == "" || rel == "." || rel == ".." || strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") {
		return "", false
	}
	return rel, true
}

// depLayerManifests lists the context files the install reads, in the
// order they are copied, or says why they cannot be determined.
func depLayerManifests(d *Document, di *depInstall, dest, wd string, wdKnown bool) ([]string, string) {
	cx := d.Ctx
	// The install runs in the working directory; the manifests must land
	// there, i.e. COPY . . must copy into it.
	if di.tool != "pip" && di.tool != "uvpip" {
		switch rel, ok := depLayerContextPath("x", dest, wd, wdKnown); {
		case !ok && strings.HasPrefix(dest, "/") && !wdKnown:
			return nil, "dockdoc cannot tell whether the copy's destination is the working directory"
		case !ok || rel != "x":
			return nil, "the copy's destination is not the working directory"
		}
	}
	var files []string
	ignored := func(f string) bool { return cx.DockerIgnore.Ignores(f) }
	need := func(f string) string {
		if !cx.Has(f) {
			return "the build context has no " + f
		}
		if ignored(f) {
			return f + " is excluded by " + cx.DockerIgnore.Path
		}
		files = append(files, f)
		return ""
	}
	opt := func(fs ...string) {
		for _, f := range fs {
			if cx.Has(f) && !ignored(f) {
				files = append(files, f)
			}
		}
	}
	switch di.tool {
	case "npm", "yarn", "pnpm":
		if why := need("package.json"); why != "" {
			return nil, why
		}
		if pkg := cx.Package; pkg != nil {
			for _, s := range []string{"preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare", "prepublish"} {
				if _, ok := pkg.Scripts[s]; ok {
					return nil, "package.json has a " + s + " script, which may need the rest of the project"
				}
			}
			for _, deps := range []map[string]string{pkg.Dependencies, pkg.DevDependencies} {
				for name, v := range deps {
					for _, pre := range []string{"file:", "link:", "workspace:", "portal:"} {
						if strings.HasPrefix(v, pre) {
							return nil, "package.json depends on " + name + " from a local path (" + v + ")"
						}
					}
				}
			}
		}
		switch di.tool {
		case "npm":
			opt("package-lock.json", "npm-shrinkwrap.json", ".npmrc")
		case "yarn":
			if cx.Has(".yarnrc.yml") {
				return nil, ".yarnrc.yml may point at files under .yarn/ (releases, plugins) that must be copied too"
			}
			opt("yarn.lock", ".yarnrc", ".npmrc")
		case "pnpm":
			if cx.Has("pnpm-workspace.yaml") {
				return nil, "the project is a pnpm workspace, whose packages must be copied too"
			}
			opt("pnpm-lock.yaml", ".npmrc", ".pnpmfile.cjs")
		}
	case "pip", "uvpip":
		for _, r := range di.files {
			cp, ok := depLayerContextPath(r, dest, wd, wdKnown)
			if !ok {
				return nil, "dockdoc cannot tell where " + r + " comes from in the context"
			}
			if why := need(cp); why != "" {
				return nil, why
			}
		}
	case "uv":
		if why := need("pyproject.toml"); why != "" {
			return nil, why
		}
		opt("uv.lock", ".python-version", "uv.toml")
	case "poetry":
		if why := need("pyproject.toml"); why != "" {
			return nil, why
		}
		opt("poetry.lock", "poetry.toml")
	case "pipenv":
		if why := need("Pipfile"); why != "" {
			return nil, why
		}
		opt("Pipfile.lock")
	case "go":
		if cx.Has("go.work") {
			return nil, "the project is a Go workspace (go.work), whose modules must be copied too"
		}
		if why := need("go.mod"); why != "" {
			return nil, why
		}
		opt("go.sum")
	case "bundle":
		if why := need("Gemfile"); why != "" {
			return nil, why
		}
		opt("Gemfile.lock")
	default:
		return nil, "dockdoc does not know which files it reads"
	}
	return files, ""
}

// depLayerCovered returns a test of whether an earlier COPY of the stage
// already puts a context file where COPY . dest would.
func depLayerCovered(d *Document, st *Stage, copyAll *Instruction, dest, wd string, wdKnown bool) func(string) bool {
	type src struct{ pattern, dest string }
	var srcs []src
	for _, o := range st.Instrs {
		if o.Index >= copyAll.Index {
			break
		}
		if o.Keyword != "copy" && o.Keyword != "add" {
			continue
		}
		from := false
		for _, f := range o.Node.Flags {
			from = from || strings.HasPrefix(f, "--from")
		}
		args := depLayerArgs(o)
		if from || len(args) < 2 {
			continue
		}
		for _, s := range args[:len(args)-1] {
			srcs = append(srcs, src{strings.TrimPrefix(path.Clean(s), "./"), args[len(args)-1]})
		}
	}
	sameDest := func(a string) bool {
		x, ok1 := depLayerContextPath("x", a, wd, wdKnown)
		y, ok2 := depLayerContextPath("x", dest, wd, wdKnown)
		if ok1 && ok2 {
			return x == y
		}
		return strings.TrimSuffix(path.Clean(a), "/") == strings.TrimSuffix(path.Clean(dest), "/")
	}
	return func(f string) bool {
		if strings.Contains(f, "/") {
			return false
		}
		for _, s := range srcs {
			if m, _ := path.Match(s.pattern, f); m && sameDest(s.dest) {
				return true
			}
		}
		return false
	}
}

// depLayerReportEarlySync reports a single uv sync before COPY . . that
// also installs the project, and splits it.
//
// When another install of the stage is about to move above COPY . .
// (moving), the split waits for that fix: the second sync must follow
// COPY . . wherever it ends up, so applying the two in either order gives
// one file.
func depLayerReportEarlySync(p *Pass, copyAll *Instruction, di *depInstall, moving *depInstall) {
	d := p.Doc
	c := di.c
	msg := fmt.Sprintf("uv sync runs before %s (line %d) without --no-install-project: the dependency layer includes the project, "+
		"whose source is not there yet, and nothing syncs the project after the copy", depLayerCopyText(copyAll), copyAll.StartLine)
	if moving != nil {
		p.Report(c.Script.Span(c.Call), "%s; no automatic fix until %s (line %d) is moved above the copy", msg, moving.what, moving.in.StartLine)
		return
	}
	f := p.Report(c.Script.Span(c.Call), "%s", msg)
	// The second sync: the same words, as written.
	var words []string
	for _, a := range c.Call.Assigns {
		sp := c.Script.Span(a)
		words = append(words, string(d.Src[sp.Start:sp.End]))
	}
	for i := range c.Call.Args {
		sp := c.ArgSpan(i)
		words = append(words, string(d.Src[sp.Start:sp.End]))
	}
	kw := "RUN"
	if k := string(d.Src[di.in.KeywordSpan().Start:di.in.KeywordSpan().End]); k == strings.ToLower(k) {
		kw = "run"
	}
	line := d.Indent(copyAll.StartLine) + kw
	for _, fl := range di.in.Node.Flags {
		if strings.HasPrefix(fl, "--mount=") && strings.Contains(fl, "type=cache") {
			line += " " + fl
		}
	}
	line += " " + strings.Join(words, " ")
	fx := f.AddFix("Sync dependencies only here and the project after "+depLayerCopyText(copyAll), fixes.Unsafe,
		depLayerAddFlag(d, c, "--no-install-project"),
		Insert(copyAll.Span.End, d.EOL+line))
	fx.Note = "Adds a second layer that installs the project once its source is copied. With a project " +
		"that is not a package (no [build-system]), that sync only checks the environment and is fast."
}
