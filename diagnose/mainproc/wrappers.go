package mainproc

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
)

// metaKeywords are instructions that only set image metadata; a PATH
// line goes above them.
var metaKeywords = map[string]bool{"user": true, "expose": true, "label": true, "stopsignal": true, "healthcheck": true,
	"volume": true, "entrypoint": true, "cmd": true}

// Wrapper is a launcher found in front of the real program: Words[Start:End]
// of the main command (the launcher, its options and, for a package.json
// script, the script's name and npm's `--`).
type Wrapper struct {
	Kind       string // "uv run", "poetry run", "pipenv run", "npm", "yarn", "pnpm", "npx", "go run", ...
	Label      string // the launcher as written, for messages ("npm run dev")
	Start, End int
	// Resolved: the real program is known; it is Prog followed by Words[End:].
	Resolved bool
	Prog     []string // what replaces the launcher: a script's command, "python" for a .py file
	PathDir  string   // the directory the program needs on PATH ("" none)
	// NoFix says why the program cannot be run directly ("" when it can).
	// DevOnly: the only reason is a development server that DD022 handles.
	NoFix   string
	DevOnly bool
	Notes   []string // what the rewrite changes, for the fix's note
	Script  string   // the package.json script it runs
	Node    bool     // a Node.js package manager or npx
	pkgBin  bool     // the program comes from node_modules/.bin (needs it on PATH unless it is node)
}

func allLit(n int) []bool {
	l := make([]bool, n)
	for i := range l {
		l[i] = true
	}
	return l
}

func set(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

// findWrapper recognizes a launcher at the start of words.
func findWrapper(d *diagnose.Document, info *StageInfo, words []string, lit []bool, depth int) *Wrapper {
	if len(words) == 0 || !lit[0] || depth > 4 {
		return nil
	}
	sub := func(i int) string {
		if i < len(words) && lit[i] {
			return words[i]
		}
		return ""
	}
	prog := path.Base(words[0])
	switch prog {
	case "uv":
		if sub(1) == "run" {
			return uvRun(info, words, lit)
		}
	case "poetry":
		return poetryRun(info, words, lit)
	case "pipenv":
		if sub(1) == "run" {
			return pipenvRun(info, words, lit)
		}
	case "npm", "yarn", "pnpm":
		return nodeScript(d, info, prog, words, lit, depth)
	case "npx":
		return npx(d, words, lit, 1, "npx")
	case "go", "cargo", "dotnet":
		if sub(1) == "run" {
			return toolchain(prog+" run", 2)
		}
	case "mvn", "mvnw":
		for i, w := range words {
			if lit[i] && w == "spring-boot:run" {
				return toolchain(prog+" spring-boot:run", i+1)
			}
		}
	case "gradle", "gradlew":
		for i, w := range words {
			if lit[i] && (w == "bootRun" || strings.HasSuffix(w, ":bootRun") || w == "run" || strings.HasSuffix(w, ":run")) {
				return toolchain(prog+" "+w, i+1)
			}
		}
	}
	return nil
}

// progWord checks the program a launcher starts: it must be a literal
// word naming a program on disk (not an option, not a shell builtin).
func progWord(words []string, lit []bool, i int, label string) string {
	switch {
	case !lit[i]:
		return "the program " + label + " starts is not a literal word"
	case words[i] == "" || strings.HasPrefix(words[i], "-") || Builtins[words[i]]:
		return label + " is given no program dockdoc can run directly"
	}
	return ""
}

func toolchain(label string, end int) *Wrapper {
	return &Wrapper{Kind: strings.SplitN(label, " ", 2)[0], Label: label, End: end,
		NoFix: "there is no built program to run yet: build it in a builder stage and copy only the result into the final stage"}
}

var // uv run options that only change what uv syncs or how it talks:
// dropping them keeps what runs.
uvFlags = set("--no-dev", "--dev", "--frozen", "--locked", "--no-sync", "--all-extras", "--no-default-groups",
	"--all-groups", "--only-dev", "--no-editable", "--exact", "--inexact", "--compile-bytecode", "--offline",
	"--no-cache", "-n", "--quiet", "-q", "-qq", "--verbose", "-v", "-vv", "--native-tls", "--no-progress",
	"--no-config", "--no-python-downloads", "--preview", "--no-preview", "--managed-python", "--no-managed-python",
	"--refresh", "--reinstall", "--upgrade", "-U", "--no-build-isolation", "--no-build", "--no-binary",
	"--no-sources", "--all-packages", "--no-env-file", "--no-install-project", "--no-install-workspace",
	"--no-install-local")

// uvRun reads `uv run [options] PROG ARGS`.
func uvRun(info *StageInfo, words []string, lit []bool) *Wrapper {
	w := &Wrapper{Kind: "uv run", Label: "uv run"}
	i := 2
	module, noSync, groups := false, false, false
loop:
	for i < len(words) {
		if !lit[i] {
			w.NoFix = "an argument of uv run is not a literal word"
			break
		}
		a := words[i]
		if a == "--" {
			i++
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		name, _, hasVal := strings.Cut(a, "=")
		switch {
		case (a == "-m" || a == "--module") && !hasVal:
			module = true
			i++
			break loop
		case uvBlocking[name] != "":
			w.NoFix = "uv run " + name + " " + uvBlocking[name]
			i++
			if uvValued[name] || (!hasVal && name != "--no-project" && name != "--isolated" && name != "--active" && name != "--script" && name != "-s" && name != "--gui-script") {
				i++
			}
			break loop
		case uvValued[name]:
			if name == "--extra" || name == "--group" || name == "--only-group" {
				groups = true
			}
			i++
			if !hasVal {
				i++
			}
		case uvFlags[name] && !hasVal:
			if name == "--no-sync" {
				noSync = true
			}
			if name == "--all-extras" || name == "--all-groups" {
				groups = true
			}
			i++
		default:
			w.NoFix = "dockdoc does not know the uv run option " + name
			i++
			break loop
		}
	}
	w.End = min(i, len(words))
	if w.NoFix != "" {
		return w
	}
	if i >= len(words) {
		w.NoFix = "uv run is given no program"
		return w
	}
	w.Resolved = true
	switch {
	case module:
		w.Prog = []string{"python", "-m"}
	case progWord(words, lit, i, "uv run") != "":
		w.NoFix = progWord(words, lit, i, "uv run")
		return w
	case strings.HasSuffix(words[i], ".py") || strings.HasSuffix(words[i], ".pyw"):
		w.Prog = []string{"python"}
		w.Notes = append(w.Notes, "uv run runs a .py file with the project's Python; if the file declares its own "+
			"dependencies (an inline `# /// script` block), uv run built a separate environment for it and this rewrite does not.")
	}
	venv := ""
	if v := info.Env["UV_PROJECT_ENVIRONMENT"]; v != "" {
		if strings.HasPrefix(v, "/") {
			venv = path.Clean(v)
		} else if info.Workdir != "" {
			venv = path.Join(info.Workdir, v)
		}
	} else if info.Workdir != "" {
		venv = path.Join(info.Workdir, ".venv")
	}
	if venv == "" {
		w.NoFix = "the stage sets no absolute WORKDIR, so dockdoc cannot tell where uv keeps the project's .venv"
		return w
	}
	w.PathDir = venv + "/bin"
	if !noSync && !Truthy(info.Env["UV_NO_SYNC"]) && !info.hasRun("uv", "sync") && !info.copiesFromStageWith("uv", "sync") {
		w.NoFix = "nothing in the build runs uv sync, so the environment only exists once uv run has created it " +
			"at start; sync in the build first (RUN uv sync --locked --no-dev)"
		return w
	}
	w.Notes = append(w.Notes, "uv run synced the environment at every start, adding the dev dependencies unless "+
		"--no-dev was given; now the container runs what the build installed, so check that the build's uv sync "+
		"installs everything the app needs at run time.")
	if groups {
		w.Notes = append(w.Notes, "The extras and groups named on uv run are no longer installed at start: add them to the build's uv sync if the app needs them.")
	}
	return w
}

var poetryFlags = set("-q", "--quiet", "-v", "-vv", "-vvv", "--verbose", "-n", "--no-interaction", "--ansi", "--no-ansi", "--no-plugins", "--no-cache")

// poetryRun reads `poetry [options] run [--] PROG ARGS`.
func poetryRun(info *StageInfo, words []string, lit []bool) *Wrapper {
	w := &Wrapper{Kind: "poetry run", Label: "poetry run"}
	i := 1
	opts := func() bool {
		for i < len(words) && lit[i] && strings.HasPrefix(words[i], "-") && words[i] != "--" {
			name, _, _ := strings.Cut(words[i], "=")
			switch {
			case poetryBlocking[name]:
				w.NoFix = "poetry " + name + " changes the project or working directory"
				if !strings.Contains(words[i], "=") {
					i++ // its value
				}
			case !poetryFlags[name]:
				w.NoFix = "dockdoc does not know the poetry option " + name
			}
			i++
			if w.NoFix != "" {
				return false
			}
		}
		return true
	}
	ok := opts()
	if i >= len(words) || !lit[i] || words[i] != "run" {
		return nil
	}
	i++
	if ok {
		ok = opts()
	}
	if ok && i < len(words) && lit[i] && words[i] == "--" {
		i++
	}
	w.End = i
	if !ok {
		return w
	}
	if i >= len(words) {
		w.NoFix = "poetry run is given no program"
		return w
	}
	if w.NoFix = progWord(words, lit, i, "poetry run"); w.NoFix != "" {
		return w
	}
	w.Resolved = true
	switch {
	case Falsy(info.Env["POETRY_VIRTUALENVS_CREATE"]) || info.poetryConfig("virtualenvs.create", "false"):
		// installed into the image's Python: the programs are on PATH already
	case Truthy(info.Env["POETRY_VIRTUALENVS_IN_PROJECT"]) || info.poetryConfig("virtualenvs.in-project", "true"):
		if info.Workdir == "" {
			w.NoFix = "the stage sets no absolute WORKDIR, so dockdoc cannot tell where Poetry keeps the project's .venv"
			return w
		}
		w.PathDir = path.Join(info.Workdir, ".venv", "bin")
	default:
		w.NoFix = "Poetry keeps the virtualenv in its cache under a name made from the project's path and a hash; " +
			"set POETRY_VIRTUALENVS_IN_PROJECT=true in the build (the venv is then <WORKDIR>/.venv) and dockdoc can rewrite this"
		return w
	}
	w.Notes = append(w.Notes, "A [tool.poetry.scripts] command is only on PATH when the build installs the project itself (poetry install without --no-root).")
	return w
}

// poetryConfig reports whether a RUN sets `poetry config key value`.
func (info *StageInfo) poetryConfig(key, value string) bool {
	for _, c := range info.Runs {
		if c.Name() != "poetry" {
			continue
		}
		if s := c.Sub(); s < 0 || c.Words[s] != "config" {
			continue
		}
		for j := c.Prog + 1; j+1 < len(c.Words); j++ {
			if c.Words[j] == key && (strings.EqualFold(c.Words[j+1], value) || (value == "true" && c.Words[j+1] == "1") || (value == "false" && c.Words[j+1] == "0")) {
				return true
			}
		}
	}
	return false
}

// pipenvRun reads `pipenv run [--] PROG ARGS`.
func pipenvRun(info *StageInfo, words []string, lit []bool) *Wrapper {
	w := &Wrapper{Kind: "pipenv run", Label: "pipenv run"}
	i := 2
	if i < len(words) && lit[i] && words[i] == "--" {
		i++
	}
	w.End = i
	if i >= len(words) {
		w.NoFix = "pipenv run is given no program"
		return w
	}
	if w.NoFix = progWord(words, lit, i, "pipenv run"); w.NoFix != "" {
		return w
	}
	w.Resolved = true
	system := false
	for _, c := range info.Runs {
		if s := c.Sub(); c.Name() == "pipenv" && s >= 0 && (c.Words[s] == "install" || c.Words[s] == "sync") && c.HasFlag("--system") {
			system = true
		}
	}
	switch {
	case system:
	case Truthy(info.Env["PIPENV_VENV_IN_PROJECT"]):
		if info.Workdir == "" {
			w.NoFix = "the stage sets no absolute WORKDIR, so dockdoc cannot tell where pipenv keeps the project's .venv"
			return w
		}
		w.PathDir = path.Join(info.Workdir, ".venv", "bin")
	default:
		w.NoFix = "pipenv keeps the virtualenv under a name made from the project's path and a hash; set " +
			"PIPENV_VENV_IN_PROJECT=1 in the build (the venv is then <WORKDIR>/.venv), or install with --system, and dockdoc can rewrite this"
		return w
	}
	w.Notes = append(w.Notes, "pipenv run also loaded the project's .env file and knew the Pipfile's [scripts]: "+
		"if the app relies on .env, set those variables with ENV or at run time; if the program is a [scripts] name, use its command instead.")
	return w
}

// nodeScript reads `npm start`, `npm run X [-- ARGS]`, `yarn [run] X ARGS`,
// `pnpm [run] X ARGS` and their exec / dlx forms.
func nodeScript(d *diagnose.Document, info *StageInfo, pm string, words []string, lit []bool, depth int) *Wrapper {
	sub := func(i int) string {
		if i < len(words) && lit[i] {
			return words[i]
		}
		return ""
	}
	var pkg *buildctx.PackageJSON
	if d.Ctx != nil {
		pkg = d.Ctx.Package
	}
	i := 1
	for sub(i) == "-s" || sub(i) == "--silent" {
		i++
	}
	cmd := sub(i)
	var script string
	switch {
	case cmd == "start":
		script = "start"
		i++
	case cmd == "run" || (pm == "npm" && (cmd == "run-script" || cmd == "rum" || cmd == "urn")):
		script = sub(i + 1)
		if script == "" || strings.HasPrefix(script, "-") {
			return nil
		}
		i += 2
	case cmd == "exec" || (pm == "npm" && cmd == "x") || (pm != "npm" && cmd == "dlx"):
		return npx(d, words, lit, i+1, strings.Join(words[:i+1], " "))
	case pm != "npm" && cmd != "" && !strings.HasPrefix(cmd, "-") &&
		((pkg != nil && pkg.Scripts[cmd] != "") || (pkg == nil && DevScriptNames[cmd])):
		script = cmd
		i++
	default:
		return nil
	}
	w := &Wrapper{Kind: pm, Script: script, Node: true, Label: strings.Join(words[:i], " ")}
	ignoreScripts := false
	for pm == "npm" && (sub(i) == "-s" || sub(i) == "--silent" || sub(i) == "--if-present" || sub(i) == "--ignore-scripts") {
		ignoreScripts = ignoreScripts || sub(i) == "--ignore-scripts"
		i++
	}
	if sub(i) == "--" {
		if pm != "npm" {
			w.NoFix = pm + " may pass `--` on to the script, so dockdoc cannot tell the script's arguments"
		}
		i++
	} else if pm == "npm" {
		for j := i; j < len(words); j++ {
			if !lit[j] || strings.HasPrefix(words[j], "-") {
				w.NoFix = "npm reads options after the script name as its own; dockdoc cannot tell the script's arguments"
			}
		}
	}
	w.End = i
	if w.NoFix != "" {
		return w
	}
	if pkg == nil {
		w.NoFix = "there is no package.json in the build context, so dockdoc cannot read the " + script + " script"
		return w
	}
	body, ok := pkg.Scripts[script]
	if !ok {
		if script != "start" || pm == "yarn" {
			w.NoFix = "package.json has no " + script + " script"
			return w
		}
		body = "node server.js" // what npm and pnpm start run without a start script
		w.Notes = append(w.Notes, "package.json has no start script, so "+pm+" start ran node server.js.")
	}
	if pre := pkg.Scripts["pre"+script]; pre != "" && !ignoreScripts {
		w.NoFix = pm + " first runs the pre" + script + " script (" + pre + "), which running the command directly would skip"
		return w
	}
	if pm == "yarn" && d.Ctx.NodeTool() == "yarn-berry" {
		w.NoFix = "Yarn Berry usually installs with Plug'n'Play (no node_modules) and node only finds the packages when yarn starts it"
		return w
	}
	s := diagnose.ParseScript(body, func(int) int { return 0 })
	var prog []string
	if s != nil && len(s.File.Stmts) == 1 && strings.TrimSpace(body[min(int(s.File.Stmts[0].End().Offset()), len(body)):]) == "" {
		prog, _ = PlainWords(s.File.Stmts[0])
	}
	if len(prog) == 0 {
		w.NoFix = "the " + script + " script (" + body + ") is not one plain command: it uses the shell (&&, variables, VAR=value, quotes dockdoc cannot keep)"
		return w
	}
	if inner := findWrapper(d, info, prog, allLit(len(prog)), depth+1); inner != nil {
		if !inner.Resolved || inner.NoFix != "" {
			w.NoFix = "the " + script + " script runs " + inner.Label + ": " + inner.NoFix
			return w
		}
		prog = append(append([]string(nil), inner.Prog...), prog[inner.End:]...)
		w.Notes = append(w.Notes, inner.Notes...)
	}
	w.Resolved, w.Prog, w.pkgBin = true, prog, true
	w.Notes = append(w.Notes, "The program no longer gets the npm_* variables the package manager sets, and a "+
		"post"+script+" script no longer runs.")
	return w
}

// DevScriptNames are script names that by convention start a
// development server.
var DevScriptNames = set("dev", "develop", "serve", "watch")

// npx reads `npx [options] PROG ARGS` (and npm exec, pnpm exec, dlx).
func npx(d *diagnose.Document, words []string, lit []bool, i int, label string) *Wrapper {
	w := &Wrapper{Kind: "npx", Label: label, Node: true}
loop:
	for i < len(words) && lit[i] && strings.HasPrefix(words[i], "-") {
		switch words[i] {
		case "-y", "--yes", "--no", "-q", "--quiet":
			i++
		case "--":
			i++
			break loop
		default:
			w.NoFix = "dockdoc does not know the option " + words[i]
			w.End = i + 1
			return w
		}
	}
	w.End = i
	if i >= len(words) || progWord(words, lit, i, label) != "" {
		w.NoFix = label + " is given no program dockdoc can read"
		return w
	}
	w.Resolved, w.pkgBin = true, true
	name := words[i]
	switch {
	case strings.HasSuffix(label, "dlx"):
		w.NoFix = label + " downloads the package to a temporary place at every start; add it to dependencies and run its command"
	case d.Ctx == nil || d.Ctx.Package == nil:
		w.NoFix = "there is no package.json in the build context, so dockdoc cannot tell whether " + name + " is installed"
	case d.Ctx.Package.Dependencies[name] == "" && d.Ctx.Package.DevDependencies[name] == "":
		w.NoFix = name + " is not a dependency in package.json, so " + label + " may download it at every start"
	case d.Ctx.NodeTool() == "yarn-berry":
		w.NoFix = "Yarn Berry usually installs with Plug'n'Play (no node_modules/.bin)"
	case d.Ctx.Package.Dependencies[name] == "":
		w.Notes = append(w.Notes, name+" is a devDependency: the final image must install dev dependencies for it to be there.")
	}
	return w
}
