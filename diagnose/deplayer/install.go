package deplayer

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

// Install is a dependency install command found in a RUN.
type Install struct {
	Tool  string // npm, yarn, pnpm, pip, uvpip, uv, poetry, pipenv, go, bundle, cargo
	What  string // how messages name it: "npm ci", "uv sync"
	In    *diagnose.Instruction
	C     *diagnose.Command
	files []string // pip: the requirement / constraint files, as written
	// noFix says why the command cannot be moved, whatever its context.
	NoFix string
	// projectOff is true when a uv / Poetry install already leaves the
	// project out (--no-install-project, --no-root, ...).
	ProjectOff bool
}

// CargoCached reports whether a RUN mounts a cache for cargo's
// registry or target directory, which keeps rebuilds incremental.
func CargoCached(in *diagnose.Instruction) bool {
	for _, t := range diagnose.EphemeralMountTargets(in) {
		if strings.Contains(t, "cargo") || path.Base(t) == "target" {
			return true
		}
	}
	return false
}

// optValues returns the values of an option given as `-r x`,
// `-rx`, `--requirement x` or `--requirement=x`, and whether one of them
// is not literal.
func optValues(c *diagnose.Command, from int, short string, long ...string) (vals []string, dynamic bool) {
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
	npmValueOpts = map[string]bool{"--omit": true, "--include": true, "--prefix": true, "-w": true,
		"--workspace": true, "--registry": true, "--cache": true, "--loglevel": true, "--install-strategy": true,
		"--userconfig": true, "--tag": true, "--before": true}
	yarnValueOpts = map[string]bool{"--cwd": true, "--modules-folder": true, "--network-timeout": true,
		"--mutex": true, "--cache-folder": true, "--mode": true}
	pnpmValueOpts = map[string]bool{"-C": true, "--dir": true, "--filter": true, "-F": true,
		"--reporter": true, "--registry": true, "--store-dir": true}
	pipValueOpts = map[string]bool{"-r": true, "--requirement": true, "--requirements": true, "-c": true,
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
	pipenvValueOpts = map[string]bool{"--python": true, "--pypi-mirror": true, "--categories": true,
		"--extra-pip-args": true}
	bundleValueOpts = map[string]bool{"--gemfile": true, "--path": true, "--jobs": true, "-j": true,
		"--retry": true, "--without": true, "--with": true, "--binstubs": true, "--shebang": true,
		"--standalone": true, "--trust-policy": true}
)

// InstallOf recognizes a dependency install, or returns nil.
func InstallOf(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command) *Install {
	name := c.Name()
	sub := c.Sub()
	di := &Install{In: in, C: c}
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
			di.Tool, di.What = "npm", "npm "+word(sub)
		case "install", "i":
			pos, ok := Positionals(c, sub, npmValueOpts)
			if !ok || len(pos) > 0 || c.HasFlag("-g", "--global") {
				return nil // installs named packages, not the manifest
			}
			di.Tool, di.What = "npm", "npm "+word(sub)
		default:
			return nil
		}
		if c.HasFlag("--prefix", "-w", "--workspace", "--workspaces") {
			di.NoFix = "it works on another directory or a workspace"
		}
	case name == "yarn":
		switch {
		case sub < 0:
			di.Tool, di.What = "yarn", "yarn"
		case word(sub) == "install":
			di.Tool, di.What = "yarn", "yarn install"
		default:
			return nil
		}
		if pos, ok := Positionals(c, c.Prog, yarnValueOpts); !ok || len(pos) > 1 || (len(pos) == 1 && word(pos[0]) != "install") {
			return nil
		}
		if c.HasFlag("--cwd") {
			di.NoFix = "it works on another directory (--cwd)"
		}
	case name == "pnpm":
		if w := word(sub); w != "install" && w != "i" {
			return nil
		}
		if pos, ok := Positionals(c, sub, pnpmValueOpts); !ok || len(pos) > 0 {
			return nil
		}
		di.Tool, di.What = "pnpm", "pnpm "+word(sub)
		if c.HasFlag("-C", "--dir", "--filter", "-F", "-r", "--recursive") {
			di.NoFix = "it works on another directory or on workspace packages"
		}
	case name == "uv" && word(sub) == "sync":
		di.Tool, di.What = "uv", "uv sync"
		di.ProjectOff = c.HasFlag("--no-install-project", "--no-install-workspace", "--only-group", "--only-dev")
		if c.HasFlag("--project", "--directory", "--script") {
			di.NoFix = "it works on another directory (--project / --directory)"
		}
		if cx := d.Ctx; cx != nil && cx.PyProject != nil && cx.PyProject.UVWorkspace {
			di.NoFix = "the project is a uv workspace, whose members must be copied too"
		}
	case name == "uv" && word(sub) == "pip" && (word(sub+1) == "install" || word(sub+1) == "sync"):
		di.Tool, di.What = "uvpip", "uv pip "+word(sub+1)
		if !requirements(c, sub+1, di, word(sub+1) == "sync") {
			return nil
		}
	case pkgmgr.PipInstallIndex(c) >= 0:
		verb := pkgmgr.PipInstallIndex(c)
		di.Tool, di.What = "pip", "pip install"
		if !requirements(c, verb, di, false) {
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
		di.Tool, di.What = "poetry", "poetry "+word(sub)
		di.ProjectOff = c.HasFlag("--no-root")
		if c.HasFlag("-C", "--directory", "-P", "--project") {
			di.NoFix = "it works on another directory"
		}
	case name == "pipenv":
		switch word(sub) {
		case "install":
			if pos, ok := Positionals(c, sub, pipenvValueOpts); !ok || len(pos) > 0 {
				return nil
			}
			if c.HasFlag("-r", "--requirements", "-e", "--editable") {
				return nil
			}
		case "sync":
		default:
			return nil
		}
		di.Tool, di.What = "pipenv", "pipenv "+word(sub)
	case name == "go" && word(sub) == "mod":
		pos, ok := Positionals(c, sub, nil)
		if !ok || len(pos) == 0 || word(pos[0]) != "download" {
			return nil
		}
		di.Tool, di.What = "go", "go mod download"
	case name == "bundle" || name == "bundler":
		if word(sub) != "install" {
			return nil
		}
		if pos, ok := Positionals(c, sub, bundleValueOpts); !ok || len(pos) > 0 {
			return nil
		}
		di.Tool, di.What = "bundle", name+" install"
		if c.HasFlag("--gemfile") {
			di.NoFix = "it reads another Gemfile (--gemfile)"
		}
	case name == "cargo" && word(sub) == "build":
		di.Tool, di.What = "cargo", "cargo build"
		di.NoFix = "cargo needs the source to build anything; cargo-chef (cook the dependencies from a recipe " +
			"before COPY . .) or cache mounts on the registry and target directories keep rebuilds fast"
	default:
		return nil
	}
	return di
}

// requirements reads the requirement and constraint files of a
// pip / uv pip install whose verb is at index verb, into di.files. It
// returns false when the command installs no requirements file (`pip
// install flask`, `pip install -e .`), which is not a manifest install.
func requirements(c *diagnose.Command, verb int, di *Install, positionalFiles bool) bool {
	if c.HasFlag("-e", "--editable") {
		return false
	}
	reqs, dyn1 := optValues(c, verb, "-r", "--requirement", "--requirements")
	cons, dyn2 := optValues(c, verb, "-c", "--constraint", "--constraints")
	over, dyn3 := optValues(c, verb, "", "--override", "--overrides")
	pos, ok := Positionals(c, verb, pipValueOpts)
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
		di.NoFix = "some of its arguments are variables"
	default:
		for _, i := range pos {
			w := c.Words[i]
			if w == "." || strings.ContainsAny(w, "/\\") || strings.HasSuffix(w, ".whl") ||
				strings.HasSuffix(w, ".tar.gz") || strings.HasSuffix(w, ".zip") {
				di.NoFix = "it also installs " + w + " from the context"
			}
		}
		links, _ := optValues(c, verb, "-f", "--find-links")
		for _, l := range links {
			if !strings.Contains(l, "://") {
				di.NoFix = "it reads packages from " + l + " in the context (--find-links)"
			}
		}
	}
	return true
}
