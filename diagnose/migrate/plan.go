package migrate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/images"
)

// Plan is everything the migration writes, gathered from facts the
// small fixes of other rules never change: the project's pins and tool,
// the package lists, the directories, the metadata and the normalized
// start command. render is a pure function of it.
type Plan struct {
	eco, tool string
	ctx       *buildctx.Context

	image         string // builder (and, but for Go, runtime) image
	toolVer       string
	toolTable     bool // toolVer comes from dockdoc's table
	patchPin      string
	workdir       string
	frozen        bool
	aptPkgs       []string
	runtimeApt    []string // packages the runtime stage installs: the libraries of -dev packages, and the packages kept in both
	runtimeFor    []string // "libpq5 for libpq-dev", for the note
	bothApt       []string // packages installed in both stages, for the note
	manifests     []string
	reqFiles      []string
	pipArgs       []string // kept pip options and named packages
	pipProject    bool
	npmScripts    []string
	setup         []string     // the file's own commands that get its Node package manager (corepack enable, npm i -g pnpm)
	needsCorepack bool         // the package manager comes from corepack, and the file does not enable it itself
	lifecycle     []string     // package.json scripts that run during the install (preinstall, postinstall, ...)
	srcFirst      bool         // the original copied source files before the install
	curUser       string       // the USER in force while reading, "" for root
	user          string       // the file's last non-root USER, which the runtime stage keeps when the file creates it
	userLine      int          // the line of that USER
	accounts      []string     // the words of the file's account commands (names, ids)
	runtimeCmds   []runtimeCmd // commands the runtime stage runs: accounts, directories, owners
	runs          int          // the RUNs read so far
	alpine        bool         // the images are Alpine-based: apk, BusyBox's adduser
	goFlags       []string
	goPkg         []string
	goOut         string
	copies        []appCopy         // the source COPYs, in order
	placed        map[string]string // application-relative path → context path of single files copied
	wholeCopy     bool              // the whole context is copied into the application directory
	reqSrcs       []string          // context paths of the requirements files
	chown         bool              // some COPY set an owner the migration drops
	globs         []string          // manifest COPY sources written as globs
	builderEnv    []string          // ENV lines, arguments only
	runtimeEnv    []string
	labels        []string
	exposes       []string
	volumes       []string
	stopSignal    string
	args          []string // ARG lines of the stage, arguments only
	pathDirs      []string // directories the start command needs on PATH, besides binDir
	fullBuilder   bool     // the original used the full python image, with compilers
	entrypoint    []string
	cmd           []string
}

// Build reads the file into a plan, or says why it cannot.
func Build(d *diagnose.Document) (*Plan, string) {
	if d.Escape != '\\' {
		return nil, "the file uses the backtick escape character"
	}
	if len(d.Stages) != 1 {
		return nil, "the file already has several stages; move the build steps into the builder by hand"
	}
	st := d.Stages[0]
	pl := &Plan{eco: Ecosystem(st.Image), ctx: d.Ctx, placed: map[string]string{}}
	if pl.eco == "" {
		return nil, "the base image is not an official python, node or golang image"
	}
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

var codenames = map[string]bool{"bookworm": true, "bullseye": true, "buster": true, "trixie": true, "forky": true}

// base chooses the images from the project's pin and the current tag.
func (pl *Plan) base(d *diagnose.Document, st *diagnose.Stage) string {
	repo, tag, digest := splitRef(st.Image)
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
		case codenames[part]:
			codename = part
		case strings.HasPrefix(part, "alpine"):
			alpine = part
		default:
			return fmt.Sprintf("dockdoc does not know the image variant %q", tag)
		}
	}
	lang := map[string]string{"python": "python", "node": "node", "go": "golang"}[pl.eco]
	var pin *buildctx.Pin
	switch pl.eco {
	case "python":
		pin = d.Ctx.Python
	case "node":
		pin = d.Ctx.Node
	case "go":
		pin = images.GoMinimumPin(d.Ctx)
	}
	// The version must be the one the version rules (DD001, DD020) settle
	// on, whichever runs first: an exact pin wins; otherwise the tag's
	// version counts only once those rules would leave it alone.
	var v string
	tagLine, tagOK := images.LineOf(tagVer)
	switch {
	case pin != nil && pin.Exact && pl.eco != "go":
		v = images.TagVersion(lang, pin.Version)
		if v == "" {
			return "dockdoc cannot turn the pin " + pin.Full + " (" + pin.Source + ") into an image tag"
		}
		if tagOK {
			if t, ok := images.LineTarget(lang, tagLine.Nums); ok && t.String() == v {
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
	case len(tagLine.Nums) < 2 && pl.eco != "node":
		return "the base image names only a major version; pin the line the project uses first"
	case pl.eco == "go":
		if min, ok := images.LineOf(pin.Full); ok && images.CompareLine(images.VerLine{Nums: tagLine.Nums, Open: len(tagLine.Nums) < 3}, min.Nums) < 0 {
			return "the golang image is older than go.mod requires; update its version first"
		}
		v = tagVer
	default:
		if rng, ok := images.PinRange(lang, pin); ok && !rng.Allows(images.VerLine{Nums: tagLine.Nums, Open: len(tagLine.Nums) < 3 || pl.eco == "node"}) {
			return "the base image's version is outside what " + pin.Source + " allows; fix the version first"
		}
		v = tagVer
	}
	pl.fullBuilder = pl.eco == "python" && !slim && alpine == ""
	pl.alpine = alpine != ""
	var newTag string
	switch pl.eco {
	case "python":
		switch {
		case alpine != "":
			// The same Alpine image in both stages: the venv needs the
			// same Python at the same path, and musl's wheels.
			newTag = v + "-" + alpine
		default:
			newTag = v + "-slim"
			if codename != "" {
				newTag += "-" + codename
			}
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

// versionLess compares dotted version numbers ("3.9" < "3.10").
func versionLess(a, b string) bool {
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
func (pl *Plan) pickTool(ctx *buildctx.Context) string {
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
		opt, why := pl.pickNode(ctx)
		if why != "" {
			return why
		}
		optional = opt
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
