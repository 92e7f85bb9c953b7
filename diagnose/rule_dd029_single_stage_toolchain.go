package diagnose

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"mvdan.cc/sh/v3/syntax"
)

var _ = register(&Rule{
	Code:     "DD029",
	Name:     "single-stage-toolchain",
	Severity: Info,
	Category: Size,
	Summary:  "the final image builds with the toolchain and ships it",
	Fixable:  FixSometimes,
	Doc: Doc{
		What: "Flags a final stage on an official `python`, `node` or `golang` image that builds the application itself: " +
			"it installs dependencies (`pip install`, `uv sync`, `poetry install`, `pipenv install`, `npm ci`, " +
			"`npm install`, `yarn`, `pnpm install`), compiles (`go build`, `npm run build`) or compiles at start " +
			"(`go run`). A final stage that copies its files from an earlier stage (`COPY --from=builder ...`) is a " +
			"runtime stage and is not flagged.",
		Why: "Everything a stage does stays in the image you ship. Building in the final stage leaves the whole " +
			"toolchain behind: the package manager (uv, Poetry, npm's cache), compilers and `-dev` headers installed " +
			"for native modules, download caches, and for Go the complete compiler, which is about a gigabyte for a " +
			"program of a few megabytes. That makes the image slower to pull and start, and every extra tool is " +
			"something an attacker can use and a scanner will report. A multi-stage build does the work in a builder " +
			"stage and starts the final stage again from a small base that receives only the result: the virtual " +
			"environment, the installed `node_modules`, or the binary.",
		Bad: "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install uv && uv sync --locked\n" +
			"CMD [\"uv\", \"run\", \"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\"]",
		Good: "FROM python:3.12-slim AS builder\nRUN pip install --no-cache-dir uv==0.9.5\n" +
			"ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_NO_CACHE=1 UV_PYTHON_DOWNLOADS=never UV_PYTHON_PREFERENCE=only-system\n" +
			"WORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project --no-dev\n" +
			"COPY . .\nRUN uv sync --locked --no-dev\n\n" +
			"FROM python:3.12-slim\n" +
			"RUN groupadd --system --gid 999 app && useradd --system --gid 999 --uid 999 --no-log-init app\n" +
			"WORKDIR /app\nCOPY --from=builder /app /app\nENV PATH=\"/app/.venv/bin:$PATH\"\nUSER app\n" +
			"CMD [\"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\"]",
		Fix: "For a one-stage file of a uv, pip (requirements files), Poetry, npm or Go project, dockdoc offers to " +
			"rewrite the file from its first `FROM` on as a builder stage and a runtime stage (comments and " +
			"directives above the first `FROM` stay). What goes in comes from your project and your file, never " +
			"from guesses: the language version from the project's pin (`.python-version`, `.nvmrc`, `go.mod`) or " +
			"else the tag you use, the tool's version from your file (or dockdoc's dated version table, which the " +
			"fix then names), your `WORKDIR`, `EXPOSE`, `ENV`, `LABEL` and the start command, with wrappers such " +
			"as `uv run` and development flags such as `--reload` removed. Because only these facts count, the " +
			"result is the same whether the smaller fixes (pinning the base image, exec form, dropping `--reload`, " +
			"lockfile flags, ...) were applied before, after or together with it. A base image that names no " +
			"version (`python:latest`) with no exact pin in the project gets no migration until it is pinned " +
			"(base-image-latest, DD001, and base-image-version, DD020, offer that).\n\n" +
			"- Python (uv, Poetry, pip): the builder installs the locked dependencies first (they change rarely, " +
			"so that layer stays cached), then copies the code and installs the project. The runtime stage uses " +
			"the `-slim` image of the same version, creates an unprivileged `app` user, copies the application " +
			"directory with its `.venv` (pip: the virtual environment in `/opt/venv`), puts the environment's " +
			"`bin` on `PATH` and starts the program in exec form. uv is told never to download its own Python " +
			"(`UV_PYTHON_DOWNLOADS=never`), so the venv always points at the image's interpreter, which the runtime " +
			"stage has at the same path.\n" +
			"- npm: the builder runs `npm ci --omit=dev` (or `npm ci`, your build scripts and `npm prune " +
			"--omit=dev`); the runtime stage is the `-slim` image with `NODE_ENV=production` and the image's own " +
			"`node` user.\n" +
			"- Go: the builder downloads the modules, then builds a static binary (`CGO_ENABLED=0`); the runtime " +
			"stage is `FROM scratch` with the CA certificates, the binary and a numeric unprivileged user.\n\n" +
			"The fix is unsafe: it restructures the file. Check three things after applying it. The application " +
			"files now belong to root and are read-only for the user the container runs as; if the application " +
			"writes next to its code, give it that directory (`COPY --chown=...` or a volume). Comments below " +
			"the first `FROM` are not kept. For Go, only the binary reaches the image: files it reads at run time " +
			"(templates, static assets) must be embedded or copied, and code that needs cgo cannot be built this way.\n\n" +
			"No fix is offered (the finding says why) when the file does something the templates cannot place " +
			"safely: a `RUN` other than the recognised installs and builds, `apt-get install` of packages that may " +
			"be needed at run time, several stages, a `SHELL`, `ONBUILD` or `HEALTHCHECK`, a `WORKDIR` that changes, " +
			"a version dockdoc cannot determine, Pipenv, Yarn or pnpm projects, or Alpine-based Python. Do the " +
			"split by hand then: the pattern is always the same, install in a builder and copy only the result.",
		Refs: []string{
			"https://docs.docker.com/build/building/multi-stage/",
			"https://docs.astral.sh/uv/guides/integration/docker/#using-uv-in-docker",
			"https://python-poetry.org/docs/faq/#poetry-busts-my-docker-cache-because-it-requires-me-to-copy-my-source-files-in-before-installing-3rd-party-dependencies",
			"https://docs.docker.com/guides/nodejs/containerize/",
			"https://docs.docker.com/guides/golang/build-images/",
		},
	},
	Check: checkSingleStageToolchain,
})

func checkSingleStageToolchain(p *Pass) {
	d := p.Doc
	if len(d.Stages) == 0 {
		return
	}
	final := d.Stages[len(d.Stages)-1]
	chain := []*Stage{final}
	for s := final; ; {
		parent := d.StageByName(s.Image, s.Index)
		if parent == nil || len(chain) > 64 {
			break
		}
		chain = append(chain, parent)
		s = parent
	}
	slices.Reverse(chain) // base first
	eco := dd029Ecosystem(chain[0].Image)
	if eco == "" {
		return
	}
	// A final stage that takes files from another stage is a runtime stage.
	for _, s := range chain {
		for _, in := range s.Instrs {
			if (in.Keyword == "copy" || in.Keyword == "add") && dd029CopyFromStage(d, in) {
				return
			}
		}
	}
	what := dd029ToolchainUse(d, chain, eco)
	if what == "" {
		return
	}
	img := chain[0].Image
	f := p.Report(Span{final.From.Span.Start, final.From.TextEnd},
		"the final stage %s on %q and ships that toolchain with the application; a builder stage would keep it out of the image",
		what, img)
	pl, why := dd029Build(d)
	if why != "" {
		f.Message += " (no automatic migration: " + why + ")"
		return
	}
	start := d.LineStart(d.Stages[0].From.StartLine)
	text := pl.render(d)
	if text == string(d.Src[start:]) {
		return
	}
	fx := f.AddFix(pl.title(), fixes.Unsafe, Replace(Span{start, len(d.Src)}, text))
	fx.Note = pl.note(d.HasCommentLines(Span{start, len(d.Src)}))
}

// dd029Ecosystem tells the official image family of an image reference:
// "python", "node", "go" or "".
func dd029Ecosystem(image string) string {
	if strings.Contains(image, "$") {
		return ""
	}
	repo, _, _ := dd029SplitRef(strings.ToLower(image))
	switch repo[strings.LastIndex(repo, "/")+1:] {
	case "python":
		return "python"
	case "node":
		return "node"
	case "golang":
		return "go"
	}
	return ""
}

// dd029SplitRef splits an image reference into repository, tag and digest.
func dd029SplitRef(ref string) (repo, tag, digest string) {
	ref, digest, _ = strings.Cut(ref, "@")
	slash := strings.LastIndex(ref, "/")
	if c := strings.LastIndex(ref, ":"); c > slash {
		return ref[:c], ref[c+1:], digest
	}
	return ref, "", digest
}

// dd029CopyFromStage reports whether a COPY/ADD takes files from another
// stage of this file (by name or by index).
func dd029CopyFromStage(d *Document, in *Instruction) bool {
	for _, fl := range in.Node.Flags {
		v, ok := strings.CutPrefix(fl, "--from=")
		if !ok {
			continue
		}
		if d.StageByName(v, in.Stage.Index) != nil {
			return true
		}
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < in.Stage.Index {
			return true
		}
	}
	return false
}

// dd029ToolchainUse describes the first thing the stages do that needs
// the toolchain, or "" when they do not build anything.
func dd029ToolchainUse(d *Document, chain []*Stage, eco string) string {
	if eco == "go" {
		final := chain[len(chain)-1]
		for _, in := range final.Instrs {
			if (in.Keyword == "cmd" || in.Keyword == "entrypoint") && dd029RunsGoRun(d, in) {
				return "compiles the program at every start with go run"
			}
		}
	}
	for _, s := range chain {
		for _, in := range s.Instrs {
			switch in.Keyword {
			case "run":
				for _, c := range in.Commands(d) {
					if w := dd029BuildCommand(c, eco); w != "" {
						return w
					}
				}
			}
		}
	}
	return ""
}

// dd029BuildCommand describes a command that builds with the ecosystem's
// toolchain ("installs dependencies with pip"), or "".
func dd029BuildCommand(c *Command, eco string) string {
	name := c.Name()
	sub := ""
	if i := c.Sub(); i >= 0 {
		sub = c.Words[i]
	}
	switch eco {
	case "python":
		if v := pipInstallIndex(c); v >= 0 {
			for i := v + 1; i < len(c.Words); i++ {
				w := c.Words[i]
				if strings.HasPrefix(w, "-") {
					if w == "-r" || w == "--requirement" || w == "-e" || w == "--editable" || w == "-c" || w == "--constraint" {
						return "installs dependencies with pip"
					}
					continue
				}
				if n := dd029PipName(w); !dd029PipSelf[n] && !dd029PipTools[n] {
					return "installs dependencies with pip"
				}
			}
			return ""
		}
		switch {
		case name == "uv" && (sub == "sync" || sub == "pip"):
			return "installs dependencies with uv"
		case name == "poetry" && (sub == "install" || sub == "sync"):
			return "installs dependencies with Poetry"
		case name == "pipenv" && (sub == "install" || sub == "sync"):
			return "installs dependencies with Pipenv"
		}
	case "node":
		switch {
		case name == "npm" && (sub == "ci" || sub == "install" || sub == "i") && !c.HasFlag("-g", "--global"):
			return "installs dependencies with npm"
		case name == "npm" && (sub == "run" || sub == "run-script"):
			return "builds with npm run"
		case name == "yarn" && (sub == "" || sub == "install"):
			return "installs dependencies with Yarn"
		case name == "yarn" && sub == "build":
			return "builds with Yarn"
		case name == "pnpm" && (sub == "install" || sub == "i"):
			return "installs dependencies with pnpm"
		}
	case "go":
		if name == "go" {
			switch sub {
			case "build", "install":
				return "compiles with go " + sub
			case "mod":
				return "downloads modules with go mod"
			case "get":
				return "downloads modules with go get"
			}
		}
	}
	return ""
}

// dd029PipSelf are the packages `pip install --upgrade` refreshes in the
// image itself; installing only these is not a dependency install.
var dd029PipSelf = map[string]bool{"pip": true, "setuptools": true, "wheel": true}

// dd029PipTools are the package managers installed with pip.
var dd029PipTools = map[string]bool{"uv": true, "poetry": true, "pipenv": true}

var dd029PipReq = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$`)

// dd029PipName is the normalized project name of a pip requirement
// ("Flask[async]>=3" → "flask"), or "" when it is not a name.
func dd029PipName(req string) string {
	m := dd029PipReq.FindStringSubmatch(req)
	if m == nil {
		return ""
	}
	return strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(m[1]))
}

// dd029PipExact returns X for a requirement "name==X" (a plain version).
func dd029PipExact(req string) string {
	m := dd029PipReq.FindStringSubmatch(req)
	if m == nil {
		return ""
	}
	v, ok := strings.CutPrefix(strings.TrimSpace(m[3]), "==")
	if !ok || !dd029VersionRe.MatchString(strings.TrimSpace(v)) {
		return ""
	}
	return strings.TrimSpace(v)
}

var dd029VersionRe = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*([a-z]+[0-9]*)?$`)

// dd029RunsGoRun reports whether a CMD/ENTRYPOINT runs `go run`.
func dd029RunsGoRun(d *Document, in *Instruction) bool {
	words, ok := dd029CommandWords(d, in)
	return ok && len(words) >= 2 && path.Base(words[0]) == "go" && words[1] == "run"
}

// dd029CommandWords returns the words of a CMD/ENTRYPOINT: the JSON array
// of the exec form, or the plain words of a simple shell-form command.
func dd029CommandWords(d *Document, in *Instruction) ([]string, bool) {
	if in.IsExecForm() {
		var out []string
		for n := in.Node.Next; n != nil; n = n.Next {
			out = append(out, n.Value)
		}
		return out, len(out) > 0
	}
	ss := in.Scripts(d)
	if len(ss) != 1 || len(ss[0].File.Stmts) != 1 {
		return nil, false
	}
	return dd002PlainWords(ss[0].File.Stmts[0])
}

// dd029Plan is everything the migration writes, gathered from facts the
// small fixes of other rules never change: the project's pins and tool,
// the package lists, the directories, the metadata and the normalized
// start command. render is a pure function of it.
type dd029Plan struct {
	eco, tool string
	ctx       *BuildContext

	image       string // builder (and, but for Go, runtime) image
	toolVer     string
	toolTable   bool // toolVer comes from dockdoc's table
	patchPin    string
	workdir     string
	frozen      bool
	aptPkgs     []string
	manifests   []string
	reqFiles    []string
	pipArgs     []string // kept pip options and named packages
	pipProject  bool
	npmScripts  []string
	goFlags     []string
	goPkg       []string
	goOut       string
	copies      []dd029Copy       // the source COPYs, in order
	placed      map[string]string // application-relative path → context path of single files copied
	wholeCopy   bool              // the whole context is copied into the application directory
	reqSrcs     []string          // context paths of the requirements files
	chown       bool              // some COPY set an owner the migration drops
	globs       []string          // manifest COPY sources written as globs
	builderEnv  []string          // ENV lines, arguments only
	runtimeEnv  []string
	labels      []string
	exposes     []string
	volumes     []string
	stopSignal  string
	args        []string // ARG lines of the stage, arguments only
	pathDirs    []string // directories the start command needs on PATH, besides binDir
	fullBuilder bool     // the original used the full python image, with compilers
	entrypoint  []string
	cmd         []string
}

// dd029Build reads the file into a plan, or says why it cannot.
func dd029Build(d *Document) (*dd029Plan, string) {
	if d.Escape != '\\' {
		return nil, "the file uses the backtick escape character"
	}
	if len(d.Stages) != 1 {
		return nil, "the file already has several stages; move the build steps into the builder by hand"
	}
	st := d.Stages[0]
	pl := &dd029Plan{eco: dd029Ecosystem(st.Image), ctx: d.Ctx, placed: map[string]string{}}
	ctx := d.Ctx
	if ctx == nil {
		return nil, "no build context was read, so the project's tool and version are unknown"
	}
	if len(st.From.Node.Flags) > 0 {
		return nil, "the FROM line has options (" + strings.Join(st.From.Node.Flags, " ") + ")"
	}
	if why := pl.base(d, st); why != "" {
		return nil, why
	}
	if why := pl.pickTool(ctx); why != "" {
		return nil, why
	}
	// A WORKDIR problem is reported after the instructions', which name a
	// line and are usually the first thing to change.
	wdWhy := pl.readWorkdir(d, st)
	if why := pl.readInstructions(d, st); why != "" {
		return nil, why
	}
	if wdWhy != "" {
		return nil, wdWhy
	}
	if why := pl.finish(d, st); why != "" {
		return nil, why
	}
	return pl, ""
}

var dd029Codenames = map[string]bool{"bookworm": true, "bullseye": true, "buster": true, "trixie": true, "forky": true}

// base chooses the images from the project's pin and the current tag.
func (pl *dd029Plan) base(d *Document, st *Stage) string {
	repo, tag, digest := dd029SplitRef(st.Image)
	var tagVer, codename, alpine string
	slim := false
	for i, part := range strings.Split(tag, "-") {
		switch {
		case part == "":
		case i == 0 && part[0] >= '0' && part[0] <= '9':
			tagVer = part
		case i == 0 && (part == "latest" || part == "lts" || part == "current"):
		case part == "slim":
			slim = true
		case dd029Codenames[part]:
			codename = part
		case strings.HasPrefix(part, "alpine"):
			alpine = part
		default:
			return fmt.Sprintf("dockdoc does not know the image variant %q", tag)
		}
	}
	lang := map[string]string{"python": "python", "node": "node", "go": "golang"}[pl.eco]
	var pin *Pin
	switch pl.eco {
	case "python":
		pin = d.Ctx.Python
	case "node":
		pin = d.Ctx.Node
	case "go":
		pin = goMinimumPin(d.Ctx)
	}
	// The version must be the one the version rules (DD001, DD020) settle
	// on, whichever runs first: an exact pin wins; otherwise the tag's
	// version counts only once those rules would leave it alone.
	var v string
	tagLine, tagOK := lineOf(tagVer)
	switch {
	case pin != nil && pin.Exact && pl.eco != "go":
		v = tagVersion(lang, pin.Version)
		if v == "" {
			return "dockdoc cannot turn the pin " + pin.Full + " (" + pin.Source + ") into an image tag"
		}
		if tagOK {
			if t, ok := lineTarget(lang, tagLine.nums); ok && t.String() == v {
				v = tagVer
			}
		}
		if pin.Source == ".python-version" && strings.Count(pin.Full, ".") >= 2 {
			pl.patchPin = pin.Full
		}
	case !tagOK:
		return "the base image names no version; pin it first"
	case pin == nil:
		v = tagVer
	case len(tagLine.nums) < 2 && pl.eco != "node":
		return "the base image names only a major version; pin the line the project uses first"
	case pl.eco == "go":
		if min, ok := lineOf(pin.Full); ok && compareLine(verLine{nums: tagLine.nums, open: len(tagLine.nums) < 3}, min.nums) < 0 {
			return "the golang image is older than go.mod requires; update its version first"
		}
		v = tagVer
	default:
		if rng, ok := pinRange(lang, pin); ok && !rng.allows(verLine{nums: tagLine.nums, open: len(tagLine.nums) < 3 || pl.eco == "node"}) {
			return "the base image's version is outside what " + pin.Source + " allows; fix the version first"
		}
		v = tagVer
	}
	pl.fullBuilder = pl.eco == "python" && !slim
	var newTag string
	switch pl.eco {
	case "python":
		if alpine != "" {
			return "dockdoc does not migrate Alpine-based Python images (their user tools and wheels differ)"
		}
		newTag = v + "-slim"
		if codename != "" {
			newTag += "-" + codename
		}
	case "node":
		switch {
		case alpine != "":
			newTag = v + "-" + alpine
		case codename != "":
			newTag = v + "-" + codename + "-slim"
		default:
			newTag = v + "-slim"
		}
	case "go":
		newTag = v
		switch {
		case alpine != "":
			newTag += "-" + alpine
		case codename != "":
			newTag += "-" + codename
		}
	}
	pl.image = repo + ":" + newTag
	if digest != "" {
		if newTag != tag {
			return "the base image is pinned by digest, and dockdoc cannot know the digest of the " + newTag + " image"
		}
		pl.image += "@" + digest
	}
	return ""
}

// dd029VersionLess compares dotted version numbers ("3.9" < "3.10").
func dd029VersionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, err1 := strconv.Atoi(as[i])
		y, err2 := strconv.Atoi(bs[i])
		if err1 != nil || err2 != nil {
			return false
		}
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

// pickTool takes the package manager from the build context, and the
// files the dependency install reads (the same ones dependency-layer-order,
// DD026, copies ahead of the install).
func (pl *dd029Plan) pickTool(ctx *BuildContext) string {
	var optional []string
	switch pl.eco {
	case "python":
		pl.tool = ctx.PythonTool()
		switch pl.tool {
		case "uv":
			if !ctx.UVLock {
				return "the project has no uv.lock to install from"
			}
			if ctx.PyProject != nil && ctx.PyProject.UVWorkspace {
				return "uv workspaces need a first sync with --frozen --no-install-workspace; split this one by hand"
			}
			pl.manifests = []string{"pyproject.toml"}
			optional = []string{"uv.lock", ".python-version", "uv.toml"}
		case "poetry":
			if !ctx.PoetryLock {
				return "the project has no poetry.lock to install from"
			}
			pl.manifests = []string{"pyproject.toml"}
			optional = []string{"poetry.lock", "poetry.toml"}
		case "pip":
		case "":
			return "the build context shows no Python project files"
		default:
			return "dockdoc migrates uv, Poetry and pip projects, not " + pl.tool + " ones"
		}
	case "node":
		switch t := ctx.NodeTool(); {
		case t == "":
			return "the build context has no package.json"
		case t != "npm":
			return "dockdoc migrates npm projects, not " + strings.ReplaceAll(t, "-", " ") + " ones"
		case !ctx.NpmLock:
			return "the project has no package-lock.json for npm ci"
		}
		for _, s := range []string{"preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare"} {
			if _, ok := ctx.Package.Scripts[s]; ok {
				return "package.json has a " + s + " script, which may need the rest of the project before the install"
			}
		}
		for _, deps := range []map[string]string{ctx.Package.Dependencies, ctx.Package.DevDependencies} {
			for name, v := range deps {
				for _, pre := range []string{"file:", "link:", "workspace:", "portal:"} {
					if strings.HasPrefix(v, pre) {
						return "package.json depends on " + name + " from a local path (" + v + ")"
					}
				}
			}
		}
		pl.tool = "npm"
		pl.manifests = []string{"package.json"}
		optional = []string{"package-lock.json", "npm-shrinkwrap.json", ".npmrc"}
	case "go":
		if ctx.GoModule == nil {
			return "the build context has no go.mod"
		}
		if ctx.Has("go.work") {
			return "the project is a Go workspace (go.work)"
		}
		pl.tool = "go"
		pl.manifests = []string{"go.mod"}
		optional = []string{"go.sum"}
	}
	for _, m := range pl.manifests {
		if ctx.DockerIgnore.Ignores(m) {
			return ".dockerignore excludes " + m + ", which the builder must copy"
		}
	}
	for _, f := range optional {
		if ctx.Has(f) && !ctx.DockerIgnore.Ignores(f) {
			pl.manifests = append(pl.manifests, f)
		}
	}
	for _, lock := range []string{"uv.lock", "poetry.lock"} {
		if strings.HasPrefix(pl.tool, strings.TrimSuffix(lock, ".lock")) && !slices.Contains(pl.manifests, lock) {
			return ".dockerignore excludes " + lock + ", which the builder must copy"
		}
	}
	if pl.tool == "npm" && !slices.Contains(pl.manifests, "package-lock.json") && !slices.Contains(pl.manifests, "npm-shrinkwrap.json") {
		return "the builder cannot copy package-lock.json (missing or excluded by .dockerignore)"
	}
	return ""
}

// readWorkdir finds the one directory the stage works in.
func (pl *dd029Plan) readWorkdir(d *Document, st *Stage) string {
	pl.workdir = "/app"
	if pl.eco == "go" {
		pl.workdir = "/src"
	}
	cur := ""
	used := false // something already worked in cur
	for _, in := range st.Instrs {
		switch in.Keyword {
		case "copy", "add":
			// (a copy to an absolute path does not depend on the directory)
			if n := in.Node.Next; n != nil {
				for n.Next != nil {
					n = n.Next
				}
				if !strings.HasPrefix(n.Value, "/") {
					used = true
				}
			}
		case "run":
			for _, c := range in.Commands(d) {
				if !dd029CwdFree(c) {
					used = true
				}
			}
		}
		if in.Keyword != "workdir" || in.Node.Next == nil {
			continue
		}
		v := in.Node.Next.Value
		if strings.ContainsAny(v, "$\"'\\`~") {
			return "WORKDIR " + v + " is not a plain path"
		}
		switch {
		case strings.HasPrefix(v, "/"):
			v = path.Clean(v)
		case cur == "":
			return "WORKDIR " + v + " is relative to the base image's directory"
		default:
			v = path.Join(cur, v)
		}
		if used && v != cur {
			if cur == "" {
				return "files are copied or built before the first WORKDIR (" + v + ")"
			}
			return "the stage works in two directories (" + cur + ", then " + v + ")"
		}
		cur = v
	}
	switch {
	case cur == "/":
		return "the application lives in / (WORKDIR /)"
	case cur != "":
		pl.workdir = cur
	}
	return ""
}

// dd029CwdFree reports whether a command does the same whatever the
// working directory: package lists, tool installs, configuration.
func dd029CwdFree(c *Command) bool {
	switch c.Name() {
	case "apt-get", "apt", "rm", "useradd", "groupadd", "adduser", "addgroup":
		return true
	case "poetry":
		sub := c.Sub()
		return sub >= 0 && c.Words[sub] == "config"
	case "npm":
		return c.HasFlag("-g", "--global")
	}
	if pythonProgram.MatchString(c.Name()) && len(c.Words) == 4 && c.Words[1] == "-m" && c.Words[2] == "venv" {
		return strings.HasPrefix(c.Words[3], "/")
	}
	if v := pipInstallIndex(c); v >= 0 {
		for _, w := range c.Words[v+1:] {
			if !strings.HasPrefix(w, "-") && !dd029PipTools[dd029PipName(w)] && !dd029PipSelf[dd029PipName(w)] {
				return false
			}
			if w == "-r" || w == "--requirement" || w == "-e" || w == "-c" {
				return false
			}
		}
		return true
	}
	return false
}

// readInstructions walks the stage and sorts every instruction into the
// plan, or names the first one the templates cannot place.
func (pl *dd029Plan) readInstructions(d *Document, st *Stage) string {
	sawWorkdir := false
	for _, in := range st.Instrs[1:] {
		at := fmt.Sprintf("line %d", in.StartLine)
		switch in.Keyword {
		case "workdir":
			sawWorkdir = true
		case "copy", "add":
			if why := pl.readCopy(d, in, sawWorkdir); why != "" {
				return at + ": " + why
			}
		case "run":
			if why := pl.readRun(d, in); why != "" {
				return at + ": " + why
			}
		case "env":
			if why := pl.readEnv(d, in); why != "" {
				return at + ": " + why
			}
		case "label":
			line, ok := dd029Pairs(d, in)
			if !ok {
				return at + ": dockdoc cannot rewrite this LABEL exactly"
			}
			pl.labels = append(pl.labels, line)
		case "maintainer":
			if in.Node.Next != nil && !maintainerStageHasAuthorsLabel(st) {
				pl.labels = append(pl.labels, maintainerAuthorsLabel+"=\""+maintainerEscapeLabel(in.Node.Next.Value, d.Escape)+"\"")
			}
		case "expose":
			var ports []string
			for n := in.Node.Next; n != nil; n = n.Next {
				ports = append(ports, n.Value)
			}
			if len(ports) > 0 {
				pl.exposes = append(pl.exposes, strings.Join(ports, " "))
			}
		case "volume":
			args, _ := in.Args()
			pl.volumes = append(pl.volumes, strings.TrimSpace(args))
		case "stopsignal":
			if in.Node.Next != nil {
				pl.stopSignal = in.Node.Next.Value
			}
		case "arg":
			// Build arguments go to both stages: an ENV, LABEL or EXPOSE
			// of the runtime stage may use them.
			var args []string
			for _, w := range in.Words()[1:] {
				args = append(args, w.Text)
			}
			if len(args) == 0 || strings.HasPrefix(args[0], "--") {
				return at + ": dockdoc cannot read this ARG"
			}
			pl.args = append(pl.args, strings.Join(args, " "))
		case "user":
			u := ""
			if in.Node.Next != nil {
				u = in.Node.Next.Value
			}
			if !finalRootIsRoot(u) && !(pl.eco == "node" && (u == "node" || u == "1000" || u == "node:node" || u == "1000:1000")) {
				return at + ": USER " + u + " needs an account the runtime stage would have to create"
			}
		case "cmd", "entrypoint":
		default:
			return at + ": dockdoc does not move " + strings.ToUpper(in.Keyword) + " instructions into a new stage"
		}
	}
	return ""
}

// readCopy sorts a COPY/ADD: the uv binary, a manifest the template copies
// itself, or part of the application's source.
func (pl *dd029Plan) readCopy(d *Document, in *Instruction, sawWorkdir bool) string {
	var srcs []string
	n := in.Node.Next
	for ; n != nil; n = n.Next {
		srcs = append(srcs, n.Value)
	}
	if len(in.Heredocs) > 0 || len(srcs) < 2 {
		return "dockdoc does not move this " + strings.ToUpper(in.Keyword) + " into a new stage"
	}
	dest := srcs[len(srcs)-1]
	srcs = srcs[:len(srcs)-1]
	from := ""
	for _, fl := range in.Node.Flags {
		name, val, _ := strings.Cut(fl, "=")
		switch name {
		case "--from":
			from = val
		case "--chown", "--chmod":
			pl.chown = true
		case "--link":
		default:
			return "dockdoc does not know what " + name + " means for the new stages"
		}
	}
	if from != "" {
		repo, tag, _ := dd029SplitRef(from)
		if pl.tool == "uv" && (repo == "astral-sh/uv" || strings.HasSuffix(repo, "/astral-sh/uv")) {
			if dd029VersionRe.MatchString(tag) && tag != "" {
				pl.toolVer = tag
			}
			return ""
		}
		return "COPY --from=" + from + " takes files from another image"
	}
	if in.Keyword == "add" {
		for _, s := range srcs {
			if addCopyIsRemote(s) || addCopyIsArchive(s) {
				return "ADD " + s + " downloads or unpacks; move it by hand"
			}
		}
	}
	// Where the files land, relative to the application directory.
	rel := ""
	switch {
	case strings.ContainsAny(dest, "$\"'\\"):
		return "the destination " + dest + " is not a plain path"
	case strings.HasPrefix(dest, "/"):
		r, ok := dd029Rel(pl.workdir, path.Clean(dest))
		if !ok {
			return "it copies into " + dest + ", outside the application directory " + pl.workdir
		}
		rel = r
	case sawWorkdir || !dd029HasWorkdir(in.Stage):
		rel = path.Clean(dest)
	default:
		return "it copies before the first WORKDIR, into the base image's directory"
	}
	if strings.HasPrefix(rel, "..") {
		return "it copies outside the application directory"
	}
	dirDest := len(srcs) > 1 || strings.HasSuffix(dest, "/") || rel == "."
	var kept []string
	for _, s := range srcs {
		c := path.Clean(s)
		if strings.ContainsAny(s, "$\"'\\") || strings.HasPrefix(c, "/") || c == ".." || strings.HasPrefix(c, "../") {
			return "the source " + s + " is not a plain path in the build context"
		}
		glob := strings.ContainsAny(c, "*?[")
		switch {
		case c == ".":
			s = "."
			if rel == "." {
				pl.wholeCopy = true
			}
		case !glob && dirDest:
			pl.placed[path.Join(rel, path.Base(c))] = c
		case !glob:
			pl.placed[rel] = c
		}
		if pl.tool != "pip" && c != "." && !glob && strings.Contains(c, "/") && pl.isManifest(path.Base(c)) {
			return "the project's " + path.Base(c) + " comes from " + path.Dir(c) + ", not from the root of the build context"
		}
		if rel == "." && pl.tool != "pip" && pl.isManifestPattern(c) {
			if glob {
				pl.globs = append(pl.globs, s)
			}
			continue // the template copies it before the install
		}
		kept = append(kept, s)
	}
	if len(kept) > 0 {
		pl.copies = append(pl.copies, dd029Copy{srcs: kept, rel: rel, dir: strings.HasSuffix(dest, "/")})
	}
	return ""
}

// dd029Copy is a COPY of application files into the application directory.
type dd029Copy struct {
	srcs []string
	rel  string // destination, relative to the application directory
	dir  bool   // the destination was written as a directory (trailing slash)
}

// line writes the COPY's arguments. A directory destination keeps its
// slash (several sources or a glob need it); a whole-context copy is always
// written `COPY . .`.
func (c dd029Copy) line() string {
	dest := c.rel
	dir := c.dir || len(c.srcs) > 1 || strings.ContainsAny(strings.Join(c.srcs, ""), "*?[")
	switch {
	case c.rel == "." && (!dir || len(c.srcs) == 1 && c.srcs[0] == "."):
	case c.rel == ".":
		dest = "./"
	case dir:
		dest += "/"
	}
	return strings.Join(c.srcs, " ") + " " + dest
}

func dd029HasWorkdir(st *Stage) bool {
	for _, in := range st.Instrs {
		if in.Keyword == "workdir" {
			return true
		}
	}
	return false
}

// dd029Rel returns p relative to base when p is base or under it.
func dd029Rel(base, p string) (string, bool) {
	if p == base {
		return ".", true
	}
	if r, ok := strings.CutPrefix(p, strings.TrimSuffix(base, "/")+"/"); ok {
		return r, true
	}
	return "", false
}

// isManifest reports whether a context path is a file the template copies
// before the dependency install.
func (pl *dd029Plan) isManifest(p string) bool {
	switch pl.tool {
	case "uv":
		return p == "pyproject.toml" || p == "uv.lock" || p == ".python-version" || p == "uv.toml"
	case "poetry":
		return p == "pyproject.toml" || p == "poetry.lock" || p == "poetry.toml"
	case "pip":
		return strings.HasPrefix(p, "requirements") && strings.HasSuffix(p, ".txt") && !strings.Contains(p, "/")
	case "npm":
		return p == "package.json" || p == "package-lock.json" || p == "npm-shrinkwrap.json" || p == ".npmrc"
	case "go":
		return p == "go.mod" || p == "go.sum"
	}
	return false
}

// isManifestPattern reports whether a COPY source names a manifest, or is
// a glob that matches one (package*.json, requirements*.txt).
func (pl *dd029Plan) isManifestPattern(p string) bool {
	if !strings.ContainsAny(p, "*?[") {
		return pl.isManifest(p)
	}
	for _, m := range []string{"pyproject.toml", "uv.lock", "poetry.lock", "package.json", "package-lock.json",
		"go.mod", "go.sum", "requirements.txt"} {
		if ok, _ := path.Match(p, m); ok && pl.isManifest(m) {
			return true
		}
	}
	return false
}

// dd029RunFlagOK accepts the RUN options a migration can drop: cache mounts
// and bind mounts of the project's manifests.
func (pl *dd029Plan) runFlagOK(fl string) bool {
	ms := ParseMounts([]string{fl})
	if len(ms) != 1 {
		return false
	}
	switch m := ms[0]; m.Type {
	case "cache":
		return true
	case "bind":
		return m.From == "" && pl.isManifest(path.Clean(m.Source))
	}
	return false
}

// readRun sorts every command of a RUN into the plan.
func (pl *dd029Plan) readRun(d *Document, in *Instruction) string {
	for _, fl := range in.Node.Flags {
		if !pl.runFlagOK(fl) {
			return "RUN " + fl + " is not something the new stages can keep"
		}
	}
	if len(in.Heredocs) > 0 || in.IsExecForm() {
		return "dockdoc reads only shell-form RUN commands here"
	}
	ss := in.Scripts(d)
	if len(ss) != 1 || !dd029SimpleScript(ss[0].File) {
		return "the RUN is more than a list of commands joined by && or ;"
	}
	for _, c := range ss[0].Commands() {
		if why := pl.readCommand(d, c); why != "" {
			return why
		}
	}
	return ""
}

// dd029SimpleScript accepts commands joined by && or ; with no
// redirections, pipes, subshells or control flow.
func dd029SimpleScript(f *syntax.File) bool {
	var stmt func(s *syntax.Stmt) bool
	stmt = func(s *syntax.Stmt) bool {
		if s.Negated || s.Background || s.Coprocess || s.Disown || len(s.Redirs) > 0 {
			return false
		}
		switch c := s.Cmd.(type) {
		case *syntax.CallExpr:
			return len(c.Args) > 0
		case *syntax.BinaryCmd:
			return c.Op == syntax.AndStmt && stmt(c.X) && stmt(c.Y)
		}
		return false
	}
	for _, s := range f.Stmts {
		if !stmt(s) {
			return false
		}
	}
	return len(f.Stmts) > 0
}

// dd029BuildDeps are Debian packages only a build needs: compilers and
// headers whose run-time libraries the slim and golang images already have.
var dd029BuildDeps = map[string]bool{
	"build-essential": true, "gcc": true, "g++": true, "make": true, "cmake": true, "pkg-config": true,
	"git": true, "libc6-dev": true, "libffi-dev": true, "libssl-dev": true, "python3-dev": true,
	"ca-certificates": true,
}

func (pl *dd029Plan) readCommand(d *Document, c *Command) string {
	shown := strings.TrimSpace(c.Script.Text(c.Call))
	if r := []rune(shown); len(r) > 40 {
		shown = string(r[:37]) + "..."
	}
	unknown := "it runs `" + shown + "`, which dockdoc cannot place in a builder or a runtime stage"
	for _, l := range c.Lit {
		if !l {
			return "`" + shown + "` uses a variable or a substitution"
		}
	}
	if c.Prog != 0 {
		return unknown
	}
	if len(c.Call.Assigns) > 0 && !(c.Name() == "go" && c.Sub() >= 0 && c.Words[c.Sub()] == "build") {
		return unknown
	}
	name := c.Name()
	switch {
	case name == "apt-get" || name == "apt":
		return pl.readApt(c, shown)
	case name == "rm":
		for _, w := range c.Words[1:] {
			if strings.HasPrefix(w, "-") {
				continue
			}
			if !aptListsPath(w) && !strings.HasPrefix(w, "/var/cache/apt") && !strings.HasPrefix(w, "/root/.cache") && w != "/tmp/*" {
				return unknown
			}
		}
		return ""
	}
	switch pl.eco {
	case "python":
		if v := pipInstallIndex(c); v >= 0 {
			return pl.readPip(c, v, shown)
		}
		if pythonProgram.MatchString(name) && len(c.Words) == 4 && c.Words[1] == "-m" && c.Words[2] == "venv" {
			if pl.tool == "pip" && path.Clean(c.Words[3]) == "/opt/venv" {
				return "" // the template's own virtual environment
			}
			return "it creates a virtual environment in " + c.Words[3] + "; the template keeps pip's in /opt/venv"
		}
		switch name {
		case "uv":
			return pl.readUV(c, shown)
		case "poetry":
			return pl.readPoetry(c, shown)
		}
	case "node":
		if name == "npm" {
			return pl.readNpm(d, c, shown)
		}
	case "go":
		if name == "go" {
			return pl.readGo(c, shown)
		}
	}
	return unknown
}

func (pl *dd029Plan) readApt(c *Command, shown string) string {
	verb := aptVerbIndex(c)
	if verb < 0 {
		return "dockdoc cannot read `" + shown + "`"
	}
	switch c.Words[verb] {
	case "update", "clean", "autoclean":
		return ""
	case "install":
	default:
		return "`" + shown + "` changes the base system; the runtime stage would not get that change"
	}
	var odd []string
	for i := c.Prog + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		if i == verb {
			continue
		}
		if strings.HasPrefix(w, "-") {
			if aptArgOptions[w] {
				i++
			}
			continue
		}
		name, _, _ := strings.Cut(w, "=")
		name, _, _ = strings.Cut(name, ":")
		if !dd029BuildDeps[name] {
			odd = append(odd, name)
			continue
		}
		pl.aptPkgs = append(pl.aptPkgs, w)
	}
	if len(odd) > 0 {
		return "apt-get installs " + strings.Join(odd, ", ") + ", which the application may also need at run time; " +
			"dockdoc cannot tell which packages belong to the builder and which to the runtime stage"
	}
	return ""
}

func (pl *dd029Plan) readPip(c *Command, verb int, shown string) string {
	var pkgs []string
	for i := verb + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		name, val, hasVal := strings.Cut(w, "=")
		switch {
		case w == "-U" || w == "--upgrade" || w == "--no-cache-dir" || w == "-q" || w == "--quiet" ||
			w == "--disable-pip-version-check" || w == "--no-warn-script-location" || w == "--no-compile" ||
			name == "--root-user-action" && hasVal || name == "--progress-bar" && hasVal:
		case w == "--root-user-action" || w == "--progress-bar":
			i++
		case w == "-r" || w == "--requirement":
			if i+1 >= len(c.Words) {
				return "cannot read `" + shown + "`"
			}
			i++
			if why := pl.addReq(c.Words[i]); why != "" {
				return why
			}
		case name == "--requirement" && hasVal:
			if why := pl.addReq(val); why != "" {
				return why
			}
		case strings.HasPrefix(w, "-r") && len(w) > 2:
			if why := pl.addReq(w[2:]); why != "" {
				return why
			}
		case w == "--require-hashes" || w == "--no-deps" || w == "--prefer-binary" ||
			name == "--only-binary" && hasVal || name == "--index-url" && hasVal || name == "--extra-index-url" && hasVal:
			pl.pipArgs = append(pl.pipArgs, w)
		case w == "--only-binary" || w == "--index-url" || w == "-i" || w == "--extra-index-url":
			if i+1 >= len(c.Words) {
				return "cannot read `" + shown + "`"
			}
			pl.pipArgs = append(pl.pipArgs, w, c.Words[i+1])
			i++
		case strings.HasPrefix(w, "-"):
			return "pip option " + w + " is not something the migration knows how to keep"
		case w == "." || w == "./":
			pl.pipProject = true
		default:
			if dd029PipName(w) == "" || strings.ContainsAny(w, "/:@") {
				return "pip installs " + w + ", which is not a package name"
			}
			pkgs = append(pkgs, w)
		}
	}
	for _, p := range pkgs {
		n := dd029PipName(p)
		switch {
		case dd029PipSelf[n]:
			// pip upgrading itself: the builder's fresh venv has a pip.
		case dd029PipTools[n]:
			if n != pl.tool {
				return "pip installs " + n + ", but the project uses " + pl.tool
			}
			if v := dd029PipExact(p); v != "" {
				pl.toolVer = v
			}
		default:
			if pl.tool != "pip" {
				return "pip installs " + p + " besides the " + pl.tool + " lockfile"
			}
			pl.pipArgs = append(pl.pipArgs, p)
		}
	}
	if pl.tool != "pip" && (len(pl.reqFiles) > 0 || pl.pipProject) {
		return "pip installs requirements although the project uses " + pl.tool
	}
	return ""
}

func (pl *dd029Plan) addReq(f string) string {
	if pl.tool != "pip" {
		return "pip installs " + f + " although the project uses " + pl.tool
	}
	p := path.Clean(f)
	if strings.HasPrefix(p, "/") {
		r, ok := dd029Rel(pl.workdir, p)
		if !ok {
			return "the requirements file " + f + " is outside the application directory"
		}
		p = r
	}
	if strings.Contains(p, "/") || strings.ContainsAny(p, "*?[") {
		return "the requirements file " + f + " is not at the top of the application directory"
	}
	src, ok := pl.placed[p]
	switch {
	case ok:
	case pl.wholeCopy:
		src = p
	default:
		return "dockdoc cannot tell which file of the build context becomes " + f
	}
	if path.Base(src) != p {
		return "the requirements file " + f + " is copied under another name (" + src + ")"
	}
	if !pl.ctx.Has(src) || pl.ctx.DockerIgnore.Ignores(src) {
		return "the requirements file " + src + " is not in the build context"
	}
	if !slices.Contains(pl.reqFiles, p) {
		if slices.ContainsFunc(pl.reqSrcs, func(o string) bool { return path.Base(o) == p }) {
			return "two requirements files named " + p
		}
		pl.reqFiles = append(pl.reqFiles, p)
		pl.reqSrcs = append(pl.reqSrcs, src)
	}
	return ""
}

func (pl *dd029Plan) readUV(c *Command, shown string) string {
	sub := c.Sub()
	if sub < 0 || c.Words[sub] != "sync" || sub != c.Prog+1 {
		return "`" + shown + "` is not a uv sync the migration knows"
	}
	for _, w := range c.Words[sub+1:] {
		switch w {
		case "--locked", "--no-dev", "--no-install-project", "--compile-bytecode", "--no-cache", "-q", "--quiet", "--no-progress", "-v":
		case "--frozen":
			pl.frozen = true
		default:
			return "uv sync option " + w + " is not one the migration knows how to keep"
		}
	}
	if pl.tool != "uv" {
		return "uv sync runs although the project uses " + pl.tool
	}
	return ""
}

func (pl *dd029Plan) readPoetry(c *Command, shown string) string {
	sub := c.Sub()
	if sub != c.Prog+1 {
		return "`" + shown + "` is not a Poetry command the migration knows"
	}
	if pl.tool != "poetry" {
		return "poetry runs although the project uses " + pl.tool
	}
	args := c.Words[sub+1:]
	switch c.Words[sub] {
	case "config":
		if len(args) == 2 && (args[0] == "virtualenvs.create" || args[0] == "virtualenvs.in-project") {
			return "" // the template configures the virtual environment itself
		}
	case "install", "sync":
		for i := 0; i < len(args); i++ {
			switch w := args[i]; {
			case w == "--no-root" || w == "--no-dev" || w == "--no-interaction" || w == "-n" || w == "--no-ansi" ||
				w == "--sync" || w == "--compile" || w == "--no-directory" || w == "--only=main" || w == "--without=dev":
			case (w == "--only" || w == "--without") && i+1 < len(args) && args[i+1] == map[string]string{"--only": "main", "--without": "dev"}[w]:
				i++
			default:
				return "poetry option " + w + " is not one the migration knows how to keep"
			}
		}
		return ""
	}
	return "`" + shown + "` is not a Poetry command the migration knows"
}

// dd029NodeDevTools are watchers installed globally for development; the
// production command never needs them.
var dd029NodeDevTools = map[string]bool{"nodemon": true}

func (pl *dd029Plan) readNpm(d *Document, c *Command, shown string) string {
	sub := c.Sub()
	if sub < 0 {
		return "`" + shown + "` is not an npm command the migration knows"
	}
	args := c.Words[sub+1:]
	switch c.Words[sub] {
	case "ci", "install", "i":
		global := c.HasFlag("-g", "--global")
		for _, w := range args {
			switch {
			case w == "-g" || w == "--global" || w == "--omit=dev" || w == "--production" || w == "--only=production" ||
				w == "--only=prod" || w == "--no-audit" || w == "--no-fund" || w == "--quiet" || w == "--silent" ||
				strings.HasPrefix(w, "--loglevel="):
			case strings.HasPrefix(w, "-"):
				return "npm option " + w + " is not one the migration knows how to keep"
			case global && dd029NodeDevTools[dd029NpmName(w)]:
			default:
				return "npm installs " + w + " by name; dockdoc migrates installs from package-lock.json"
			}
		}
		return ""
	case "run", "run-script":
		if len(args) != 1 || d.Ctx.Package == nil || d.Ctx.Package.Scripts[args[0]] == "" {
			return "`" + shown + "` runs a script package.json does not define"
		}
		if !slices.Contains(pl.npmScripts, args[0]) {
			pl.npmScripts = append(pl.npmScripts, args[0])
		}
		return ""
	case "prune":
		return ""
	case "cache":
		if len(args) >= 1 && args[0] == "clean" {
			return ""
		}
	}
	return "`" + shown + "` is not an npm command the migration knows"
}

// dd029NpmName strips a version from an npm package spec ("nodemon@3").
func dd029NpmName(spec string) string {
	if strings.HasPrefix(spec, "@") {
		if i := strings.Index(spec[1:], "@"); i >= 0 {
			return spec[:i+1]
		}
		return spec
	}
	n, _, _ := strings.Cut(spec, "@")
	return n
}

func (pl *dd029Plan) readGo(c *Command, shown string) string {
	sub := c.Sub()
	if sub != c.Prog+1 {
		return "`" + shown + "` is not a go command the migration knows"
	}
	args := c.Words[sub+1:]
	for _, a := range c.Call.Assigns {
		v := ""
		if a.Value != nil {
			v, _ = LiteralWord(a.Value)
		}
		switch a.Name.Value {
		case "CGO_ENABLED":
			if v != "0" {
				return "the build uses cgo, which a static binary FROM scratch cannot"
			}
		case "GOOS", "GOARCH":
		default:
			return "`" + shown + "` sets " + a.Name.Value
		}
	}
	switch c.Words[sub] {
	case "mod":
		if len(args) >= 1 && (args[0] == "download" || args[0] == "verify") {
			return ""
		}
	case "build":
		flags, pkgs, out, ok := dd029GoBuildArgs(args)
		if !ok || len(pkgs) > 1 {
			return "dockdoc cannot read the go build options of `" + shown + "`"
		}
		pl.goFlags = flags
		pl.goPkg = []string{"."}
		if len(pkgs) == 1 {
			pl.goPkg = pkgs
		}
		pl.goOut = out
		return ""
	}
	return "`" + shown + "` is not a go command the migration knows"
}

// dd029GoValueFlags are go build flags whose value may be the next word.
var dd029GoValueFlags = map[string]bool{
	"-o": true, "-ldflags": true, "-gcflags": true, "-tags": true, "-mod": true, "-p": true,
	"-buildmode": true, "-asmflags": true, "-modfile": true, "-overlay": true, "-pgo": true, "-C": false,
}

// dd029GoBuildArgs splits go build / go run arguments into the build
// flags to keep, the packages and the -o output.
func dd029GoBuildArgs(args []string) (flags, pkgs []string, out string, ok bool) {
	for i := 0; i < len(args); i++ {
		w := args[i]
		if !strings.HasPrefix(w, "-") {
			pkgs = append(pkgs, w)
			continue
		}
		name, val, hasVal := strings.Cut(strings.Replace(w, "--", "-", 1), "=")
		switch {
		case name == "-C" || name == "-race" || name == "-msan" || name == "-asan" || name == "-linkshared":
			return nil, nil, "", false
		case name == "-o":
			if !hasVal {
				if i+1 >= len(args) {
					return nil, nil, "", false
				}
				i++
				val = args[i]
			}
			out = val
		case dd029GoValueFlags[name] && !hasVal:
			if i+1 >= len(args) {
				return nil, nil, "", false
			}
			flags = append(flags, w, args[i+1])
			i++
		default:
			flags = append(flags, w)
		}
	}
	return flags, pkgs, out, true
}

// dd029EnvTemplate are the variables the templates set themselves (or that
// only served the single-stage layout); the file's own values are dropped.
var dd029EnvTemplate = map[string]bool{
	"UV_COMPILE_BYTECODE": true, "UV_LINK_MODE": true, "UV_NO_CACHE": true, "UV_PYTHON_DOWNLOADS": true,
	"UV_PYTHON_PREFERENCE": true, "UV_NO_MANAGED_PYTHON": true, "UV_NO_DEV": true, "UV_LOCKED": true,
	"UV_FROZEN": true, "UV_NO_SYNC": true, "UV_SYSTEM_PYTHON": true,
	"PIP_NO_CACHE_DIR": true, "PIP_DISABLE_PIP_VERSION_CHECK": true, "PIP_ROOT_USER_ACTION": true,
	"POETRY_NO_INTERACTION": true, "POETRY_VIRTUALENVS_CREATE": true, "POETRY_VIRTUALENVS_IN_PROJECT": true,
	"POETRY_CACHE_DIR": true, "POETRY_HOME": true, "POETRY_VERSION": true, "VIRTUAL_ENV": true,
	"NODE_ENV": true, "CGO_ENABLED": true, "GOOS": true, "GOARCH": true, "GOPATH": true, "GOROOT": true,
}

// dd029EnvRefused are variables that move things the templates rely on.
var dd029EnvRefused = map[string]bool{
	"UV_PROJECT_ENVIRONMENT": true, "UV_PYTHON_INSTALL_DIR": true, "PIP_USER": true, "PYTHONUSERBASE": true,
	"PIP_TARGET": true, "PIP_PREFIX": true, "NODE_PATH": true, "GOBIN": true,
}

// dd029ToolPrefixes mark variables that configure the build tools; they go
// to the builder stage.
var dd029ToolPrefixes = []string{"UV_", "PIP_", "POETRY_", "PIPENV_", "NPM_CONFIG_", "npm_config_", "YARN_", "GO", "CGO_"}

func (pl *dd029Plan) readEnv(d *Document, in *Instruction) string {
	var builder, runtime []string
	for n := in.Node.Next; n != nil && n.Next != nil && n.Next.Next != nil; n = n.Next.Next.Next {
		key := n.Value
		val, ok := dd029PairValue(d, n.Next.Value, n.Next.Next.Value)
		if !ok {
			return "dockdoc cannot rewrite ENV " + key + " exactly"
		}
		switch {
		case key == "PATH":
			if why := pl.readPath(d, val); why != "" {
				return why
			}
		case dd029EnvRefused[key]:
			return "ENV " + key + " moves files the new stages rely on"
		case dd029EnvTemplate[key]:
		case dd029DevEnv(key, val):
		case dd029ToolEnv(key):
			builder = append(builder, key+"="+val)
		default:
			runtime = append(runtime, key+"="+val)
		}
	}
	if len(builder) > 0 {
		pl.builderEnv = append(pl.builderEnv, strings.Join(builder, " "))
	}
	if len(runtime) > 0 {
		pl.runtimeEnv = append(pl.runtimeEnv, strings.Join(runtime, " "))
	}
	return ""
}

func dd029ToolEnv(key string) bool {
	if key == "DEBIAN_FRONTEND" {
		return true // apt's prompts: the builder runs apt-get
	}
	for _, p := range dd029ToolPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// dd029DevEnv reports a development-mode switch the runtime stage drops.
func dd029DevEnv(key, val string) bool {
	v := strings.ToLower(strings.Trim(val, `"'`))
	switch key {
	case "FLASK_DEBUG", "DJANGO_DEBUG":
		return v == "1" || v == "true" || v == "yes" || v == "on"
	case "FLASK_ENV":
		return v == "development"
	}
	return false
}

// readPath accepts a PATH that only adds the virtual environment or tool
// directories the templates manage themselves.
func (pl *dd029Plan) readPath(d *Document, raw string) string {
	lex := shell.NewLex(rune(d.Escape))
	const mark = "DD029PATHMARK"
	v, _, err := lex.ProcessWord(strings.NewReplacer("${PATH}", mark, "$PATH", mark).Replace(raw), shell.EnvsFromSlice(nil))
	if err != nil {
		return "dockdoc cannot read ENV PATH=" + raw
	}
	for _, part := range strings.Split(v, ":") {
		switch {
		case part == mark || part == "":
		case path.Clean(part) == pl.binDir(), part == "/root/.local/bin", part == "/go/bin", part == "/usr/local/go/bin":
			// the template's own environment, or a tool directory of the builder
		case pl.eco == "node" && path.Clean(part) == path.Join(pl.workdir, "node_modules", ".bin"):
			// what wrapper-main-process (DD021) adds for a package's program
			if !slices.Contains(pl.pathDirs, path.Clean(part)) {
				pl.pathDirs = append(pl.pathDirs, path.Clean(part))
			}
		default:
			return "ENV PATH adds " + part + ", which the runtime stage may not have"
		}
	}
	return ""
}

// dd029PairValue returns an ENV/LABEL value as KEY=value text that reads
// back as the same value. A value without variables is written in one
// canonical way (bare when it is a plain word, else double-quoted), so
// `A b`, `A=b` and `A="b"` all give `A=b`; a value with a variable keeps
// its text, rewritten from the legacy form as legacy-key-value (DD014)
// does.
func dd029PairValue(d *Document, raw, sep string) (string, bool) {
	esc := rune(d.Escape)
	if !strings.Contains(raw, "$") {
		var want string
		if sep == "" && !legacyKVOneWord(raw, esc) && !strings.ContainsAny(raw, "\"'") && !strings.ContainsRune(raw, esc) {
			want = raw // several plain words: the legacy form keeps them as they are
		} else {
			v, _, err := shell.NewLex(esc).ProcessWord(raw, shell.EnvsFromSlice(nil))
			if err != nil {
				return "", false
			}
			want = v
		}
		if dd029SafeWord.MatchString(want) {
			return want, true
		}
		return legacyKVQuote(want, esc), true
	}
	switch {
	case sep == "=":
		return raw, true
	case legacyKVOneWord(raw, esc):
		return raw, true
	case !strings.ContainsAny(raw, "\"'") && !strings.ContainsRune(raw, esc):
		return `"` + raw + `"`, true
	}
	return "", false
}

// dd029Pairs renders a LABEL's pairs as KEY=value text.
func dd029Pairs(d *Document, in *Instruction) (string, bool) {
	var out []string
	for n := in.Node.Next; n != nil && n.Next != nil && n.Next.Next != nil; n = n.Next.Next.Next {
		v, ok := dd029PairValue(d, n.Next.Value, n.Next.Next.Value)
		if !ok {
			return "", false
		}
		out = append(out, n.Value+"="+v)
	}
	return strings.Join(out, " "), len(out) > 0
}

// finish checks that the stage installs what the tool needs and reads the
// start command.
func (pl *dd029Plan) finish(d *Document, st *Stage) string {
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
			pl.toolVer, pl.toolTable = toolVersions[pl.tool], true
		}
		if pl.toolVer == "" {
			return "dockdoc has no version of " + pl.tool + " to pin"
		}
		if pl.tool == "poetry" && dd029VersionLess(pl.toolVer, "1.2") {
			return "Poetry " + pl.toolVer + " predates `poetry install --only main`"
		}
	case "pip":
		if len(pl.reqFiles) == 0 && len(pl.pipArgs) == 0 && !pl.pipProject {
			return "the file installs no requirements with pip"
		}
	}
	words, ep, dir, why := dd029AppCommand(d, st, pl.eco, pl.tool)
	if why != "" {
		return why
	}
	if pl.eco == "go" {
		return pl.goCommand(words, ep)
	}
	pl.entrypoint, pl.cmd = ep, words
	if prog := path.Base(append(ep, words...)[0]); pl.tool == "npm" {
		switch {
		case dd029NodeDevTools[prog]:
			return "the start command still runs " + prog + ", a development watcher"
		case d.Ctx.Package.DevDependencies[prog] != "":
			return "the start command runs " + prog + ", a devDependency that npm ci --omit=dev leaves out"
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
func (pl *dd029Plan) goCommand(words, ep []string) string {
	all := append(append([]string(nil), ep...), words...)
	if len(all) >= 2 && path.Base(all[0]) == "go" && all[1] == "run" {
		flags, rest, _, ok := dd029GoRunArgs(all[2:])
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

// dd029GoRunArgs splits `go run` arguments: build flags, then the package
// (or .go files, which go run takes as one package) and its arguments.
func dd029GoRunArgs(args []string) (flags []string, rest [2][]string, out string, ok bool) {
	i := 0
	for ; i < len(args) && strings.HasPrefix(args[i], "-"); i++ {
		name, _, hasVal := strings.Cut(strings.Replace(args[i], "--", "-", 1), "=")
		if name == "-exec" || name == "-C" || name == "-o" {
			return nil, rest, "", false
		}
		flags = append(flags, args[i])
		if dd029GoValueFlags[name] && !hasVal {
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

// dd029AppCommand is the start command the runtime stage runs, and the
// directory it needs on PATH. For Python and Node it is the command as
// wrapper-main-process (DD021) and dev-mode (DD022) leave it
// (normalizedAppCommand): wrappers such as `uv run` or `npm start` and
// development flags such as --reload removed, whichever order those fixes
// run in. For Go the words are read as written (go run is turned into a
// build here).
func dd029AppCommand(d *Document, st *Stage, eco, tool string) (cmd, entrypoint []string, pathDir, why string) {
	var c, e *Instruction
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
		words, ok := dd029CommandWords(d, in)
		if !ok {
			return nil, nil, "", "dockdoc cannot read the start command as plain words"
		}
		if in == e {
			return nil, words, "", ""
		}
		return words, nil, "", ""
	}
	h, ok := hardenedAppCommand(d, st)
	if !ok && tool == "poetry" {
		h, ok = dd029PoetryRun(d, st)
	}
	if !ok || len(h.Words) == 0 {
		return nil, nil, "", "dockdoc cannot determine the production form of the start command"
	}
	if h.In == e {
		return nil, h.Words, h.PathDir, ""
	}
	return h.Words, nil, h.PathDir, ""
}

// dd029PoetryRun unwraps `poetry run PROG ARGS` for the migration. DD021
// cannot, because in the original file Poetry keeps the venv somewhere in
// its cache; the migration sets POETRY_VIRTUALENVS_IN_PROJECT, so the venv
// is WORKDIR/.venv, which the template puts on PATH. The development flags
// are dropped as DD022 drops them.
func dd029PoetryRun(d *Document, st *Stage) (appHardened, bool) {
	pl := appPlanFor(d, st)
	if pl == nil || pl.Wrap == nil || pl.Wrap.Kind != "poetry run" || !pl.Wrap.Resolved || pl.P == nil {
		return appHardened{}, false
	}
	c := pl.Cmd
	switch {
	case c.Form == appExec && c.first == 0:
	case c.Form == appShell && c.Plain && len(c.prefix) == 0:
	default:
		return appHardened{}, false
	}
	words, ok := pl.hardenedP()
	if !ok {
		return appHardened{}, false
	}
	return appHardened{In: c.In, Words: words, Changed: true}, true
}

func (pl *dd029Plan) title() string {
	if pl.eco == "go" {
		return "Split into a builder stage and a runtime stage FROM scratch"
	}
	return "Split into a builder stage and a runtime stage on " + pl.image
}

func (pl *dd029Plan) note(dropsComments bool) string {
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
			pl.tool, pl.toolVer, versionsUpdated)
	}
	if pl.patchPin != "" && pl.tool == "uv" {
		fmt.Fprintf(&b, ".python-version names the patch release %s; with UV_PYTHON_DOWNLOADS=never the image "+
			"must have exactly that Python, or the build stops. ", pl.patchPin)
	}
	if len(pl.aptPkgs) > 0 {
		b.WriteString("The apt packages are installed in the builder only. ")
	}
	if pl.fullBuilder {
		b.WriteString("The builder now uses the -slim image too (the venv needs the same Python at the same path in both " +
			"stages), which has no compiler: if a dependency builds from source, install build-essential and the " +
			"headers it needs in the builder with apt-get. ")
	}
	return strings.TrimSpace(b.String())
}

// render writes the migrated file from the first FROM to the end.
func (pl *dd029Plan) render(d *Document) string {
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
			pkgs[i] = dd029ShellWord(p)
		}
		add("RUN apt-get update && apt-get install -y --no-install-recommends " + strings.Join(pkgs, " ") +
			" && rm -rf /var/lib/apt/lists/*")
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
			install = append(install, dd029ShellWord(a))
		}
		if len(pl.reqFiles) > 0 {
			add("COPY " + strings.Join(pl.reqSrcs, " ") + " ./")
			for _, r := range pl.reqFiles {
				install = append(install, "-r", dd029ShellWord(r))
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
	case "npm":
		add("FROM " + pl.image + " AS builder")
		env(pl.builderEnv)
		apt()
		add("WORKDIR "+w, manifests)
		if len(pl.npmScripts) == 0 {
			add("RUN npm ci --omit=dev")
			copies()
		} else {
			add("RUN npm ci")
			copies()
			run := make([]string, 0, len(pl.npmScripts)+1)
			for _, s := range pl.npmScripts {
				run = append(run, "npm run "+dd029ShellWord(s))
			}
			run = append(run, "npm prune --omit=dev")
			add("RUN " + strings.Join(run, " && "))
		}
		add("", "FROM "+pl.image, "ENV NODE_ENV=production", "WORKDIR "+w, "COPY --from=builder "+w+" "+w)
		if len(pl.pathDirs) > 0 {
			add(`ENV PATH="` + strings.Join(pl.pathDirs, ":") + `:$PATH"`)
		}
		pl.metadata(add)
		add("USER node")
		pl.start(add)
	case "go":
		add("FROM " + pl.image + " AS builder")
		env(pl.builderEnv)
		apt()
		add("WORKDIR "+w, manifests, "RUN go mod download")
		copies()
		build := []string{"CGO_ENABLED=0", "go", "build"}
		for _, f := range pl.goFlags {
			build = append(build, dd029ShellWord(f))
		}
		build = append(build, "-o", "/out/app")
		for _, p := range pl.goPkg {
			build = append(build, dd029ShellWord(p))
		}
		add("RUN "+strings.Join(build, " "), "",
			"FROM scratch",
			"COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/",
			"COPY --from=builder /out/app /app")
		pl.metadata(add)
		add("USER 65532:65532", `ENTRYPOINT ["/app"]`)
		if len(pl.cmd) > 0 {
			add("CMD " + appJSON(pl.cmd))
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
func (pl *dd029Plan) binDir() string {
	switch pl.tool {
	case "uv", "poetry":
		return pl.workdir + "/.venv/bin"
	case "pip":
		return "/opt/venv/bin"
	}
	return ""
}

var dd029SafeWord = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// dd029ShellWord quotes a word for the RUN line's shell when it needs it.
func dd029ShellWord(w string) string {
	if dd029SafeWord.MatchString(w) {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'"'"'`) + "'"
}

func (pl *dd029Plan) pythonRuntime(add func(...string), copyLine, bin string) {
	add("FROM "+pl.image,
		"RUN groupadd --system --gid 999 app && useradd --system --gid 999 --uid 999 --no-log-init app",
		"WORKDIR "+pl.workdir,
		copyLine)
	if pl.tool == "pip" {
		for _, c := range pl.copies {
			add("COPY " + c.line())
		}
	}
	for _, p := range pl.pathDirs {
		bin += ":" + p
	}
	add(`ENV PATH="` + bin + `:$PATH"`)
	pl.metadata(add)
	add("USER app")
	pl.start(add)
}

func (pl *dd029Plan) metadata(add func(...string)) {
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

func (pl *dd029Plan) start(add func(...string)) {
	if len(pl.entrypoint) > 0 {
		add("ENTRYPOINT " + appJSON(pl.entrypoint))
	}
	if len(pl.cmd) > 0 {
		add("CMD " + appJSON(pl.cmd))
	}
}
