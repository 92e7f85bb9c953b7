package migrate

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
)

// finish checks that the stage installs what the tool needs and reads the
// start command.
func (pl *Plan) finish(d *diagnose.Document, st *diagnose.Stage) string {
	// The requirements files are copied before the install; the same files
	// copied among the source are not needed twice.
	copies := pl.copies[:0]
	for _, c := range pl.copies {
		if c.rel == "." {
			c.srcs = slices.DeleteFunc(slices.Clone(c.srcs), func(s string) bool { return slices.Contains(pl.reqSrcs, path.Clean(s)) })
		}
		if len(c.srcs) > 0 {
			copies = append(copies, c)
		}
	}
	pl.copies = copies
	if len(pl.globs) > 0 && !pl.wholeCopy {
		return "COPY " + pl.globs[0] + " may copy more than the manifests, and nothing copies the whole project"
	}
	switch pl.tool {
	case "uv", "poetry":
		if pl.toolVer == "" {
			pl.toolVer, pl.toolTable = images.ToolVersions[pl.tool], true
		}
		if pl.toolVer == "" {
			return "dockdoc has no version of " + pl.tool + " to pin"
		}
		if pl.tool == "poetry" && versionLess(pl.toolVer, "1.2") {
			return "Poetry " + pl.toolVer + " predates `poetry install --only main`"
		}
	case "pip":
		if len(pl.reqFiles) == 0 && len(pl.pipArgs) == 0 && !pl.pipProject {
			return "the file installs no requirements with pip"
		}
	}
	if pl.ownsTemplateAccount() {
		pl.dropTemplateAccount()
	}
	if pl.user != "" && !pl.createsAccount(pl.user) {
		return fmt.Sprintf("line %d: USER %s needs an account the runtime stage would have to create", pl.userLine, pl.user)
	}
	words, ep, dir, why := startCommand(d, st, pl.eco, pl.tool)
	if why != "" {
		return why
	}
	if pl.eco == "go" {
		return pl.goCommand(words, ep)
	}
	pl.entrypoint, pl.cmd = ep, words
	if prog := path.Base(append(ep, words...)[0]); pl.eco == "node" {
		_, prod, _ := pl.nodeInstall()
		switch {
		case nodeDevTools[prog]:
			return "the start command still runs " + prog + ", a development watcher"
		case d.Ctx.Package.DevDependencies[prog] != "":
			return "the start command runs " + prog + ", a devDependency that " + strings.SplitN(prod, " && ", 2)[0] + " leaves out"
		case prog == "yarn" || prog == "pnpm" || prog == "corepack":
			return "the start command runs " + prog + ", which the runtime stage does not set up"
		}
		if pl.needsCorepack && len(pl.setup) == 0 && nodeVersionMajor(pl.image) >= 25 {
			return "Node 25 and later images ship no corepack to provide " + pl.managerName() + "; install it in the file first (npm install -g corepack@VERSION, then corepack enable)"
		}
	}
	if dir != "" && dir != pl.binDir() {
		if strings.ContainsAny(dir, "\"$\\` \t'") || !strings.HasPrefix(dir, "/") {
			return "the start command needs " + dir + " on PATH"
		}
		if !slices.Contains(pl.pathDirs, dir) {
			pl.pathDirs = append(pl.pathDirs, dir)
		}
	}
	return ""
}

// goCommand turns the start command into the binary's arguments: `go run
// PKG ARGS` or the binary go build wrote.
func (pl *Plan) goCommand(words, ep []string) string {
	all := append(append([]string(nil), ep...), words...)
	if len(all) >= 2 && path.Base(all[0]) == "go" && all[1] == "run" {
		flags, rest, _, ok := goRunArgs(all[2:])
		if !ok {
			return "dockdoc cannot read the go run command"
		}
		pl.goFlags, pl.goPkg, pl.cmd = flags, rest[0], rest[1]
		return ""
	}
	if pl.goPkg == nil {
		return "the file neither runs go build nor go run"
	}
	if len(all) == 0 || pl.goOut == "" {
		return "the start command does not run the program go build wrote"
	}
	bin := all[0]
	resolve := func(p string) string {
		if strings.HasPrefix(p, "/") {
			return path.Clean(p)
		}
		return path.Join(pl.workdir, p)
	}
	out := resolve(pl.goOut)
	if !strings.Contains(bin, "/") {
		// A bare name is found on PATH: the binary must be in one of the
		// golang image's PATH directories.
		switch path.Dir(out) {
		case "/usr/local/bin", "/usr/bin", "/bin", "/go/bin", "/usr/local/go/bin":
			bin = out
		}
	}
	if resolve(bin) != out {
		return "the start command does not run the program go build wrote (" + pl.goOut + ")"
	}
	pl.cmd = all[1:]
	return ""
}

// goRunArgs splits `go run` arguments: build flags, then the package
// (or .go files, which go run takes as one package) and its arguments.
func goRunArgs(args []string) (flags []string, rest [2][]string, out string, ok bool) {
	i := 0
	for ; i < len(args) && strings.HasPrefix(args[i], "-"); i++ {
		name, _, hasVal := strings.Cut(strings.Replace(args[i], "--", "-", 1), "=")
		if name == "-exec" || name == "-C" || name == "-o" {
			return nil, rest, "", false
		}
		flags = append(flags, args[i])
		if goValueFlags[name] && !hasVal {
			if i+1 >= len(args) {
				return nil, rest, "", false
			}
			i++
			flags = append(flags, args[i])
		}
	}
	if i >= len(args) {
		return nil, rest, "", false
	}
	// go run a.go b.go args: every leading .go file belongs to the package.
	j := i + 1
	if strings.HasSuffix(args[i], ".go") {
		for j < len(args) && strings.HasSuffix(args[j], ".go") {
			j++
		}
	}
	return flags, [2][]string{args[i:j], args[j:]}, "", true
}

// startCommand is the start command the runtime stage runs, and the
// directory it needs on PATH. For Python and Node it is the command as
// wrapper-main-process (DD021) and dev-mode (DD022) leave it
// (mainproc.Normalized): wrappers such as `uv run` or `npm start` and
// development flags such as --reload removed, whichever order those fixes
// run in. For Go the words are read as written (go run is turned into a
// build here).
func startCommand(d *diagnose.Document, st *diagnose.Stage, eco, tool string) (cmd, entrypoint []string, pathDir, why string) {
	var c, e *diagnose.Instruction
	for _, in := range st.Instrs {
		switch in.Keyword {
		case "cmd":
			c = in
		case "entrypoint":
			e = in
		}
	}
	switch {
	case c == nil && e == nil:
		return nil, nil, "", "the file has no CMD, so the runtime stage would not know what to start"
	case c != nil && e != nil:
		return nil, nil, "", "the file has both ENTRYPOINT and CMD; dockdoc migrates a single start command"
	}
	if eco == "go" {
		in := c
		if in == nil {
			in = e
		}
		words, ok := commandWords(d, in)
		if !ok {
			return nil, nil, "", "dockdoc cannot read the start command as plain words"
		}
		if in == e {
			return nil, words, "", ""
		}
		return words, nil, "", ""
	}
	h, ok := mainproc.Hardened(d, st)
	if !ok && tool == "poetry" {
		h, ok = poetryRun(d, st)
	}
	if !ok || len(h.Words) == 0 {
		return nil, nil, "", "dockdoc cannot determine the production form of the start command"
	}
	if h.In == e {
		return nil, h.Words, h.PathDir, ""
	}
	return h.Words, nil, h.PathDir, ""
}

// poetryRun unwraps `poetry run PROG ARGS` for the migration. DD021
// cannot, because in the original file Poetry keeps the venv somewhere in
// its cache; the migration sets POETRY_VIRTUALENVS_IN_PROJECT, so the venv
// is WORKDIR/.venv, which the template puts on PATH. The development flags
// are dropped as DD022 drops them.
func poetryRun(d *diagnose.Document, st *diagnose.Stage) (mainproc.HardenedCommand, bool) {
	pl := mainproc.PlanFor(d, st)
	if pl == nil || pl.Wrap == nil || pl.Wrap.Kind != "poetry run" || !pl.Wrap.Resolved || pl.P == nil {
		return mainproc.HardenedCommand{}, false
	}
	c := pl.Cmd
	switch {
	case c.Form == mainproc.Exec && c.First == 0:
	case c.Form == mainproc.Shell && c.Plain && len(c.Prefix) == 0:
	default:
		return mainproc.HardenedCommand{}, false
	}
	words, ok := pl.HardenedP()
	if !ok {
		return mainproc.HardenedCommand{}, false
	}
	return mainproc.HardenedCommand{In: c.In, Words: words, Changed: true}, true
}

// Title is the fix title of the migration: what the file becomes.
func (pl *Plan) Title() string {
	if pl.eco == "go" {
		return "Split into a builder stage and a runtime stage FROM scratch"
	}
	return "Split into a builder stage and a runtime stage on " + pl.image
}

// Note explains the migration to the user: what it keeps, what it
// changes in the image, and (when dropsComments) the comments it drops.
func (pl *Plan) Note(dropsComments bool) string {
	var b strings.Builder
	if dropsComments {
		b.WriteString("Rewrites the file from the first FROM on: the comment lines below it are not kept. ")
	}
	switch pl.eco {
	case "python", "node":
		b.WriteString("The application files belong to root and are read-only for the user the container now runs as; " +
			"if the application writes next to its code, give it that directory (COPY --chown or a volume). ")
	case "go":
		b.WriteString("Only the binary and the CA certificates reach the image: files the program reads at run time " +
			"(templates, static assets, time zone data) must be embedded or copied, and the build now has cgo off. ")
	}
	if pl.chown {
		b.WriteString("The --chown/--chmod options of the original COPY are not carried over. ")
	}
	if pl.toolTable {
		fmt.Fprintf(&b, "%s %s comes from dockdoc's version table (updated %s); pin the version you test with. ",
			pl.tool, pl.toolVer, images.VersionsUpdated)
	}
	b.WriteString(pl.nodeNote())
	if pl.patchPin != "" && pl.tool == "uv" {
		fmt.Fprintf(&b, ".python-version names the patch release %s; with UV_PYTHON_DOWNLOADS=never the image "+
			"must have exactly that Python, or the build stops. ", pl.patchPin)
	}
	switch {
	case len(pl.aptPkgs) > 0 && len(pl.runtimeApt) == 0:
		b.WriteString("The " + pl.osTool() + " packages are installed in the builder only. ")
	case len(pl.aptPkgs) > 0:
		b.WriteString("The build tools and headers are installed in the builder only. ")
		if len(pl.runtimeFor) > 0 {
			fmt.Fprintf(&b, "The runtime stage installs the libraries they stand for (%s, from dockdoc's table of "+
				"%s names). ", strings.Join(pl.runtimeFor, ", "), pl.osNames())
		}
		if len(pl.bothApt) > 0 {
			fmt.Fprintf(&b, "%s stay in both stages: dockdoc cannot tell whether the application needs them at run "+
				"time; drop them from the runtime stage if it does not. ", strings.Join(pl.bothApt, ", "))
		}
	}
	if pl.fullBuilder {
		b.WriteString("The builder now uses the -slim image too (the venv needs the same Python at the same path in both " +
			"stages), which has no compiler: if a dependency builds from source, install build-essential and the " +
			"headers it needs in the builder with apt-get. ")
	}
	return strings.TrimSpace(b.String())
}

// Render writes the migrated file from the first FROM to the end.
func (pl *Plan) Render(d *diagnose.Document) string {
	var l []string
	add := func(s ...string) {
		for _, x := range s {
			l = append(l, x)
			if strings.HasPrefix(x, "FROM ") {
				for _, a := range pl.args {
					l = append(l, "ARG "+a)
				}
			}
		}
	}
	copies := func() {
		for _, c := range pl.copies {
			add("COPY " + c.line())
		}
	}
	apt := func() {
		if len(pl.aptPkgs) == 0 {
			return
		}
		pkgs := append([]string(nil), pl.aptPkgs...)
		sort.Strings(pkgs)
		pkgs = slices.Compact(pkgs)
		for i, p := range pkgs {
			pkgs[i] = shellWord(p)
		}
		add(pl.installLine(pkgs))
	}
	env := func(lines []string) {
		for _, e := range lines {
			add("ENV " + e)
		}
	}
	manifests := "COPY " + strings.Join(pl.manifests, " ") + " ./"
	sync := "--locked"
	if pl.frozen {
		sync = "--frozen"
	}
	w := pl.workdir

	switch pl.tool {
	case "uv":
		add("FROM " + pl.image + " AS builder")
		env(pl.builderEnv)
		apt()
		add("RUN pip install --no-cache-dir uv=="+pl.toolVer,
			"ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_NO_CACHE=1 UV_PYTHON_DOWNLOADS=never UV_PYTHON_PREFERENCE=only-system")
		add("WORKDIR "+w, manifests, "RUN uv sync "+sync+" --no-install-project --no-dev")
		copies()
		add("RUN uv sync "+sync+" --no-dev", "")
		pl.pythonRuntime(add, "COPY --from=builder "+w+" "+w, w+"/.venv/bin")
	case "poetry":
		add("FROM " + pl.image + " AS builder")
		env(pl.builderEnv)
		apt()
		add("RUN pip install --no-cache-dir poetry=="+pl.toolVer,
			"ENV POETRY_NO_INTERACTION=1 POETRY_VIRTUALENVS_CREATE=true POETRY_VIRTUALENVS_IN_PROJECT=true")
		add("WORKDIR "+w, manifests, "RUN poetry install --no-root --only main --no-interaction")
		copies()
		add("RUN poetry install --only main --no-interaction", "")
		pl.pythonRuntime(add, "COPY --from=builder "+w+" "+w, w+"/.venv/bin")
	case "pip":
		add("FROM " + pl.image + " AS builder")
		env(pl.builderEnv)
		apt()
		add("RUN python -m venv /opt/venv", `ENV PATH="/opt/venv/bin:$PATH"`)
		add("WORKDIR " + w)
		install := []string{"pip", "install", "--no-cache-dir"}
		for _, a := range pl.pipArgs {
			install = append(install, shellWord(a))
		}
		if len(pl.reqFiles) > 0 {
			add("COPY " + strings.Join(pl.reqSrcs, " ") + " ./")
			for _, r := range pl.reqFiles {
				install = append(install, "-r", shellWord(r))
			}
		}
		if len(install) > 3 {
			add("RUN " + strings.Join(install, " "))
		}
		if pl.pipProject {
			copies()
			add("RUN pip install --no-cache-dir .")
		}
		add("")
		pl.pythonRuntime(add, "COPY --from=builder /opt/venv /opt/venv", "/opt/venv/bin")
	case toolNpm, toolYarnClassic, toolYarnBerry, toolPnpm:
		add("FROM " + pl.image + " AS builder")
		env(pl.builderEnv)
		apt()
		add("WORKDIR " + w)
		add(pl.manifestCopies()...)
		pl.nodeBuilder(add, copies)
		add("", "FROM "+pl.image)
		pl.runtimePackages(add)
		add("ENV NODE_ENV=production", "WORKDIR "+w, "COPY --from=builder "+w+" "+w)
		pl.runtimeRuns(add)
		if len(pl.pathDirs) > 0 {
			add(`ENV PATH="` + strings.Join(pl.pathDirs, ":") + `:$PATH"`)
		}
		pl.metadata(add)
		add("USER " + pl.runUser())
		pl.start(add)
	case "go":
		add("FROM " + pl.image + " AS builder")
		env(pl.builderEnv)
		apt()
		add("WORKDIR "+w, manifests, "RUN go mod download")
		copies()
		build := []string{"CGO_ENABLED=0", "go", "build"}
		for _, f := range pl.goFlags {
			build = append(build, shellWord(f))
		}
		build = append(build, "-o", "/out/app")
		for _, p := range pl.goPkg {
			build = append(build, shellWord(p))
		}
		add("RUN "+strings.Join(build, " "), "",
			"FROM scratch",
			"COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/",
			"COPY --from=builder /out/app /app")
		pl.metadata(add)
		add("USER 65532:65532", `ENTRYPOINT ["/app"]`)
		if len(pl.cmd) > 0 {
			add("CMD " + mainproc.JSON(pl.cmd))
		}
	}
	out := strings.Join(l, d.EOL)
	if len(d.Src) > 0 && d.Src[len(d.Src)-1] == '\n' {
		out += d.EOL
	}
	return out
}

// binDir is the directory of the installed programs that the template
// puts on PATH itself ("" for none).
func (pl *Plan) binDir() string {
	switch pl.tool {
	case "uv", "poetry":
		return pl.workdir + "/.venv/bin"
	case "pip":
		return "/opt/venv/bin"
	}
	return ""
}

var safeWord = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// shellWord quotes a word for the RUN line's shell when it needs it.
func shellWord(w string) string {
	if safeWord.MatchString(w) {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'"'"'`) + "'"
}

// runtimeApt installs the runtime stage's packages, if any.
func (pl *Plan) runtimePackages(add func(...string)) {
	if len(pl.runtimeApt) == 0 {
		return
	}
	pkgs := append([]string(nil), pl.runtimeApt...)
	sort.Strings(pkgs)
	pkgs = slices.Compact(pkgs)
	for i, p := range pkgs {
		pkgs[i] = shellWord(p)
	}
	add(pl.installLine(pkgs))
}

func (pl *Plan) pythonRuntime(add func(...string), copyLine, bin string) {
	add("FROM " + pl.image)
	pl.runtimePackages(add)
	if pl.templateAccount() {
		add(pl.appAccount())
	}
	add("WORKDIR "+pl.workdir, copyLine)
	if pl.tool == "pip" {
		for _, c := range pl.copies {
			add("COPY " + c.line())
		}
	}
	pl.runtimeRuns(add)
	for _, p := range pl.pathDirs {
		bin += ":" + p
	}
	add(`ENV PATH="` + bin + `:$PATH"`)
	pl.metadata(add)
	add("USER " + pl.runUser())
	pl.start(add)
}

func (pl *Plan) metadata(add func(...string)) {
	for _, e := range pl.runtimeEnv {
		add("ENV " + e)
	}
	for _, lb := range pl.labels {
		add("LABEL " + lb)
	}
	for _, e := range pl.exposes {
		add("EXPOSE " + e)
	}
	for _, v := range pl.volumes {
		add("VOLUME " + v)
	}
	if pl.stopSignal != "" {
		add("STOPSIGNAL " + pl.stopSignal)
	}
}

func (pl *Plan) start(add func(...string)) {
	if len(pl.entrypoint) > 0 {
		add("ENTRYPOINT " + mainproc.JSON(pl.entrypoint))
	}
	if len(pl.cmd) > 0 {
		add("CMD " + mainproc.JSON(pl.cmd))
	}
}
