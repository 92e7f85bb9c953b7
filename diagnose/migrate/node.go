package migrate

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
)

// The Node package managers the migration knows, as Plan.tool names them
// (buildctx's NodeTool names, detected from the lockfile and the
// packageManager field of package.json).
const (
	toolNpm         = "npm"
	toolYarnClassic = "yarn-classic"
	toolYarnBerry   = "yarn-berry"
	toolPnpm        = "pnpm"
)

// lifecycleScripts run during an install; they may need files besides
// the manifests.
var lifecycleScripts = []string{"preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare"}

// pickNode takes the Node package manager and its manifests. optional are
// the files copied with the manifests when the context has them.
func (pl *Plan) pickNode(ctx *buildctx.Context) (optional []string, why string) {
	t := ctx.NodeTool()
	if t == "" {
		return nil, "the build context has no package.json"
	}
	pl.tool = t
	pl.manifests = []string{"package.json"}
	switch t {
	case toolNpm:
		if !ctx.NpmLock {
			return nil, "the project has no package-lock.json for npm ci"
		}
		optional = []string{"package-lock.json", "npm-shrinkwrap.json", ".npmrc"}
	case toolYarnClassic:
		if ctx.YarnLock != "classic" {
			return nil, "the project has no yarn.lock for yarn install --frozen-lockfile"
		}
		pl.manifests = append(pl.manifests, "yarn.lock")
		optional = []string{".yarnrc", ".npmrc"}
	case toolYarnBerry:
		if ctx.YarnLock != "berry" {
			return nil, "the project has no Yarn 2+ yarn.lock for yarn install --immutable"
		}
		pl.manifests = append(pl.manifests, "yarn.lock")
		if why := pl.pickBerry(ctx); why != "" {
			return nil, why
		}
	case toolPnpm:
		if !ctx.PnpmLock {
			return nil, "the project has no pnpm-lock.yaml for pnpm install --frozen-lockfile"
		}
		if ctx.Has("pnpm-workspace.yaml") {
			return nil, "the project is a pnpm workspace (pnpm-workspace.yaml); its packages' manifests must be copied by hand"
		}
		pl.manifests = append(pl.manifests, "pnpm-lock.yaml")
		optional = []string{".npmrc", ".pnpmfile.cjs"}
	}
	if t != toolNpm {
		if ctx.NodeWorkspaces() {
			return nil, "package.json declares workspaces, whose manifests the install needs; split this one by hand"
		}
		pl.needsCorepack = t == toolPnpm || (t == toolYarnBerry && ctx.Package.PackageManager != "")
	}
	for _, s := range lifecycleScripts {
		if _, ok := ctx.Package.Scripts[s]; ok {
			pl.lifecycle = append(pl.lifecycle, s)
		}
	}
	for _, deps := range []map[string]string{ctx.Package.Dependencies, ctx.Package.DevDependencies} {
		for name, v := range deps {
			for _, pre := range []string{"file:", "link:", "workspace:", "portal:"} {
				if strings.HasPrefix(v, pre) {
					return nil, "package.json depends on " + name + " from a local path (" + v + ")"
				}
			}
		}
	}
	return optional, ""
}

var yarnReleaseVer = regexp.MustCompile(`^yarn-(\d+)\.`)

// pickBerry checks what a Yarn 2+ project needs: a node_modules linker
// (Plug'n'Play keeps the packages in Yarn's cache, which Yarn 4 puts
// outside the project by default), and `yarn workspaces focus` for the
// production install: built into Yarn 4, a plugin (workspace-tools) that
// Yarn 2 and 3 projects must have imported.
func (pl *Plan) pickBerry(ctx *buildctx.Context) string {
	rc := ctx.YarnConfig()
	if rc == nil {
		return "the Yarn project has no .yarnrc.yml, so it installs with Plug'n'Play, whose packages live in Yarn's cache, outside the application directory"
	}
	switch rc.NodeLinker {
	case "node-modules", "pnpm":
	default:
		return "the Yarn project installs with Plug'n'Play (no `nodeLinker: node-modules` in .yarnrc.yml), whose packages live in Yarn's cache, outside the application directory"
	}
	pl.manifests = append(pl.manifests, ".yarnrc.yml")
	major := 0
	if v, ok := strings.CutPrefix(ctx.Package.PackageManager, "yarn@"); ok {
		major, _ = strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	} else if m := yarnReleaseVer.FindStringSubmatch(path.Base(rc.YarnPath)); m != nil {
		major, _ = strconv.Atoi(m[1])
	}
	if rc.YarnPath != "" {
		if !ctx.Has(rc.YarnPath) {
			return ".yarnrc.yml names the Yarn release " + rc.YarnPath + ", which the build context does not have"
		}
		pl.manifests = append(pl.manifests, path.Clean(rc.YarnPath))
	}
	for _, p := range rc.Plugins {
		if !ctx.Has(p) {
			return ".yarnrc.yml loads the plugin " + p + ", which the build context does not have"
		}
		pl.manifests = append(pl.manifests, path.Clean(p))
	}
	switch {
	case major == 0:
		return "package.json names no Yarn version (packageManager), and `yarn workspaces focus`, the production install, needs Yarn 4 or the workspace-tools plugin"
	case major < 4 && !slices.ContainsFunc(rc.Plugins, func(p string) bool { return strings.Contains(p, "plugin-workspace-tools") }):
		return "Yarn " + strconv.Itoa(major) + " has no `yarn workspaces focus` (the production install) without the workspace-tools plugin; import it (yarn plugin import workspace-tools) or move to Yarn 4"
	}
	return ""
}

// nodeInstall is the package manager's install of every dependency, of
// the production ones only, and the removal of the devDependencies after
// a build.
func (pl *Plan) nodeInstall() (all, prod, prune string) {
	switch pl.tool {
	case toolYarnClassic:
		return "yarn install --frozen-lockfile", "yarn install --frozen-lockfile --production", "yarn install --frozen-lockfile --production"
	case toolYarnBerry:
		return "yarn install --immutable", "yarn install --immutable && yarn workspaces focus --all --production", "yarn workspaces focus --all --production"
	case toolPnpm:
		return "pnpm install --frozen-lockfile", "pnpm install --prod --frozen-lockfile", "pnpm prune --prod"
	}
	return "npm ci", "npm ci --omit=dev", "npm prune --omit=dev"
}

// runScript runs a package.json script with the project's manager.
func (pl *Plan) runScript(s string) string {
	switch pl.tool {
	case toolYarnClassic, toolYarnBerry:
		return "yarn run " + shellWord(s)
	case toolPnpm:
		return "pnpm run " + shellWord(s)
	}
	return "npm run " + shellWord(s)
}

// managerName is how the messages name the project's package manager.
func (pl *Plan) managerName() string {
	switch pl.tool {
	case toolYarnClassic:
		return "Yarn classic"
	case toolYarnBerry:
		return "Yarn"
	case toolPnpm:
		return "pnpm"
	}
	return "npm"
}

// nodeManagers are the programs that install a Node project, and the
// tools a file installs to get them.
var nodeManagers = map[string]string{"npm": toolNpm, "yarn": "yarn", "pnpm": toolPnpm}

// readNodeCommand sorts a command of a Node stage.
func (pl *Plan) readNodeCommand(d *diagnose.Document, c *diagnose.Command, shown string) (string, bool) {
	name := c.Name()
	switch name {
	case "corepack":
		return pl.readCorepack(c, shown), true
	case "npm":
		if w, ok := pl.managerInstall(c); ok {
			pl.setup = append(pl.setup, w)
			return "", true
		}
		sub := c.Sub()
		if pl.tool != toolNpm && sub >= 0 && c.Words[sub] != "run" && c.Words[sub] != "run-script" && c.Words[sub] != "cache" {
			return "the file runs `" + shown + "`, but the project's lockfile is " + pl.managerName() + "'s", true
		}
		return pl.readNpm(d, c, shown), true
	case "yarn":
		if pl.tool != toolYarnClassic && pl.tool != toolYarnBerry {
			return "the file runs `" + shown + "`, but the project's lockfile is " + pl.managerName() + "'s", true
		}
		return pl.readYarn(d, c, shown), true
	case "pnpm":
		if pl.tool != toolPnpm {
			return "the file runs `" + shown + "`, but the project's lockfile is " + pl.managerName() + "'s", true
		}
		return pl.readPnpm(d, c, shown), true
	}
	return "", false
}

// managerInstall reads `npm install -g pnpm@9` (or yarn, corepack): the
// file's own way of getting its package manager, which the builder keeps.
func (pl *Plan) managerInstall(c *diagnose.Command) (string, bool) {
	sub := c.Sub()
	if sub < 0 || (c.Words[sub] != "install" && c.Words[sub] != "i") || !c.HasFlag("-g", "--global") {
		return "", false
	}
	words := []string{"npm"}
	named := false
	for _, w := range c.Words[c.Prog+1:] {
		switch {
		case w == "-g" || w == "--global" || w == "install" || w == "i" || w == "--no-audit" || w == "--no-fund" ||
			w == "--quiet" || w == "--silent" || strings.HasPrefix(w, "--loglevel="):
		case strings.HasPrefix(w, "-"):
			return "", false
		case npmName(w) == "pnpm" || npmName(w) == "yarn" || npmName(w) == "corepack":
			named = true
		default:
			return "", false
		}
		words = append(words, shellWord(w))
	}
	return strings.Join(words, " "), named
}

// readCorepack keeps corepack's enable, prepare and install in the
// builder: they give the build the package manager package.json names.
func (pl *Plan) readCorepack(c *diagnose.Command, shown string) string {
	sub := c.Sub()
	if sub < 0 {
		return "`" + shown + "` is not a corepack command the migration knows"
	}
	switch c.Words[sub] {
	case "enable", "prepare", "install":
	default:
		return "`" + shown + "` is not a corepack command the migration knows"
	}
	words := make([]string, 0, len(c.Words)-c.Prog)
	for _, w := range c.Words[c.Prog:] {
		if strings.HasPrefix(w, "--install-directory") {
			return "corepack " + w + " is not an option the migration knows how to keep"
		}
		words = append(words, shellWord(w))
	}
	words[0] = "corepack"
	pl.setup = append(pl.setup, strings.Join(words, " "))
	return ""
}

// yarnInstallFlags are the options of yarn install (classic and berry)
// the template's own install makes unnecessary.
var yarnInstallFlags = map[string]bool{
	"--frozen-lockfile": true, "--immutable": true, "--immutable-cache": true, "--production": true, "--prod": true,
	"--production=true": true, "--non-interactive": true, "--silent": true, "--pure-lockfile": true,
	"--prefer-offline": true, "--check-files": true, "--inline-builds": true, "--check-cache": true,
	"--no-progress": true, "--network-timeout": true,
}

func (pl *Plan) readYarn(d *diagnose.Document, c *diagnose.Command, shown string) string {
	args := c.Words[c.Prog+1:]
	sub := ""
	rest := args
	for i, w := range args {
		if !strings.HasPrefix(w, "-") {
			if i > 0 && args[i-1] == "--network-timeout" {
				continue
			}
			sub, rest = w, append(slices.Clone(args[:i]), args[i+1:]...)
			break
		}
	}
	switch sub {
	case "", "install":
		for i := 0; i < len(rest); i++ {
			w := rest[i]
			name, _, _ := strings.Cut(w, "=")
			if !yarnInstallFlags[w] && !yarnInstallFlags[name] {
				return "yarn option " + w + " is not one the migration knows how to keep"
			}
			if w == "--network-timeout" {
				i++
			}
		}
		pl.sawInstall()
		return ""
	case "run":
		if len(rest) != 1 {
			return "`" + shown + "` runs a script package.json does not define"
		}
		return pl.addScript(d, rest[0], shown)
	case "cache":
		if len(rest) >= 1 && rest[0] == "clean" {
			return ""
		}
	case "workspaces":
		if len(rest) >= 1 && rest[0] == "focus" {
			return "" // the template's own production install
		}
	case "add", "global", "config", "set", "plugin", "dlx":
	default:
		if len(rest) == 0 {
			return pl.addScript(d, sub, shown)
		}
	}
	return "`" + shown + "` is not a yarn command the migration knows"
}

// pnpmInstallFlags are the options of pnpm install the template's own
// install makes unnecessary.
var pnpmInstallFlags = map[string]bool{
	"--frozen-lockfile": true, "--prod": true, "-P": true, "--production": true, "--prefer-offline": true,
	"--silent": true, "--reporter": true,
}

func (pl *Plan) readPnpm(d *diagnose.Document, c *diagnose.Command, shown string) string {
	sub := c.Sub()
	if sub < 0 {
		return "`" + shown + "` is not a pnpm command the migration knows"
	}
	var rest []string
	for i := c.Prog + 1; i < len(c.Words); i++ {
		if i != sub {
			rest = append(rest, c.Words[i])
		}
	}
	switch c.Words[sub] {
	case "install", "i":
		for i := 0; i < len(rest); i++ {
			w := rest[i]
			name, _, _ := strings.Cut(w, "=")
			if !pnpmInstallFlags[w] && !pnpmInstallFlags[name] {
				return "pnpm option " + w + " is not one the migration knows how to keep"
			}
			if w == "--reporter" {
				i++
			}
		}
		pl.sawInstall()
		return ""
	case "fetch":
		return "" // fills the store from the lockfile; the install does it too
	case "run", "run-script":
		if len(rest) != 1 {
			return "`" + shown + "` runs a script package.json does not define"
		}
		return pl.addScript(d, rest[0], shown)
	case "prune":
		return ""
	case "store":
		if len(rest) == 1 && rest[0] == "prune" {
			return ""
		}
	case "add", "exec", "dlx", "config", "env", "setup":
	default:
		if len(rest) == 0 {
			return pl.addScript(d, c.Words[sub], shown)
		}
	}
	return "`" + shown + "` is not a pnpm command the migration knows"
}

// addScript records a package.json script the builder runs.
func (pl *Plan) addScript(d *diagnose.Document, s, shown string) string {
	if d.Ctx.Package == nil || d.Ctx.Package.Scripts[s] == "" {
		return "`" + shown + "` runs a script package.json does not define"
	}
	if !slices.Contains(pl.npmScripts, s) {
		pl.npmScripts = append(pl.npmScripts, s)
	}
	return ""
}

// sawInstall notes the project install: whether the source was copied
// before it, which lifecycle scripts may depend on.
func (pl *Plan) sawInstall() {
	if len(pl.copies) > 0 {
		pl.srcFirst = true
	}
}

// nodeBuilder writes the builder's install and build. Lifecycle scripts
// (preinstall, postinstall, prepare) run during the install: when the
// original installed after copying the source, they may need it, so the
// builder copies the source first too; when it installed from the
// manifests alone, they worked with the manifests alone.
func (pl *Plan) nodeBuilder(add func(...string), copies func()) {
	all, prod, prune := pl.nodeInstall()
	switch {
	case len(pl.setup) > 0:
		add("RUN " + strings.Join(pl.setup, " && "))
	case pl.needsCorepack:
		add("RUN corepack enable")
	}
	srcFirst := pl.srcFirst && len(pl.lifecycle) > 0
	if srcFirst {
		copies()
	}
	if len(pl.npmScripts) == 0 {
		add("RUN " + prod)
		if !srcFirst {
			copies()
		}
		return
	}
	add("RUN " + all)
	if !srcFirst {
		copies()
	}
	run := make([]string, 0, len(pl.npmScripts)+1)
	for _, s := range pl.npmScripts {
		run = append(run, pl.runScript(s))
	}
	run = append(run, prune)
	add("RUN " + strings.Join(run, " && "))
}

// manifestCopies writes the COPY lines of the manifests: those at the
// root of the context in one line, each nested one (a Yarn release or
// plugin) to the same path.
func (pl *Plan) manifestCopies() []string {
	var root []string
	var lines []string
	for _, m := range pl.manifests {
		if strings.Contains(m, "/") {
			lines = append(lines, "COPY "+m+" "+m)
			continue
		}
		root = append(root, m)
	}
	return append([]string{"COPY " + strings.Join(root, " ") + " ./"}, lines...)
}

// nodeVersionMajor is the Node major version of an image tag ("20" of
// "20.11-bookworm-slim"), or 0.
func nodeVersionMajor(image string) int {
	_, tag, _ := splitRef(image)
	n, _ := strconv.Atoi(strings.SplitN(strings.SplitN(tag, "-", 2)[0], ".", 2)[0])
	return n
}

// nodeNote is what the note says about the Node package manager.
func (pl *Plan) nodeNote() string {
	if pl.eco != "node" {
		return ""
	}
	var b strings.Builder
	if pl.needsCorepack && len(pl.setup) == 0 {
		pm := pl.ctx.Package.PackageManager
		if pm != "" {
			b.WriteString("The builder runs `corepack enable` (the node images ship corepack up to Node 24), which fetches " + pm + ", the version package.json's packageManager names. ")
		} else {
			b.WriteString("The builder runs `corepack enable` (the node images ship corepack up to Node 24); package.json names no packageManager, so corepack fetches its own default " + pl.managerName() + " version: pin one there. ")
		}
	}
	if pl.srcFirst && len(pl.lifecycle) > 0 {
		b.WriteString("package.json's " + strings.Join(pl.lifecycle, ", ") + " scripts run during the install, which the original ran after copying the source: the builder copies the source first too, so the install runs again whenever the source changes. ")
	}
	return b.String()
}
