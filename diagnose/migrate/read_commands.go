package migrate

import (
	"path"
	"slices"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"mvdan.cc/sh/v3/syntax"
)

// simpleScript accepts commands joined by && or ; with no
// redirections, pipes, subshells or control flow.
func simpleScript(f *syntax.File) bool {
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

// buildDeps are Debian packages only a build needs: compilers and
// headers whose run-time libraries the slim and golang images already have.
var buildDeps = map[string]bool{
	"build-essential": true, "gcc": true, "g++": true, "make": true, "cmake": true, "pkg-config": true,
	"git": true, "libc6-dev": true, "libffi-dev": true, "libssl-dev": true, "python3-dev": true,
	"ca-certificates": true,
}

// commandShown is a command's text as the messages quote it.
func commandShown(c *diagnose.Command) string {
	shown := strings.TrimSpace(c.Script.Text(c.Call))
	if r := []rune(shown); len(r) > 40 {
		shown = string(r[:37]) + "..."
	}
	return shown
}

func (pl *Plan) readCommand(d *diagnose.Document, c *diagnose.Command) string {
	shown := commandShown(c)
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
	case name == "apk":
		return pl.readApk(c, shown)
	case name == "rm":
		for _, w := range c.Words[1:] {
			if strings.HasPrefix(w, "-") {
				continue
			}
			if !pkgmgr.ListsPath(w) && !strings.HasPrefix(w, "/var/cache/apt") && !strings.HasPrefix(w, "/root/.cache") && w != "/tmp/*" {
				return unknown
			}
		}
		return ""
	}
	switch pl.eco {
	case "python":
		if v := pkgmgr.PipInstallIndex(c); v >= 0 {
			return pl.readPip(c, v, shown)
		}
		if pkgmgr.PythonProgram.MatchString(name) && len(c.Words) == 4 && c.Words[1] == "-m" && c.Words[2] == "venv" {
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
		if why, ok := pl.readNodeCommand(d, c, shown); ok {
			return why
		}
	case "go":
		if name == "go" {
			return pl.readGo(c, shown)
		}
	}
	return unknown
}

func (pl *Plan) readApt(c *diagnose.Command, shown string) string {
	verb := pkgmgr.VerbIndex(c)
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
			if pkgmgr.ArgOptions[w] {
				i++
			}
			continue
		}
		name, _, _ := strings.Cut(w, "=")
		name, _, _ = strings.Cut(name, ":")
		role, lib := pkgmgr.DebianPackageRole(name)
		switch {
		case buildDeps[name] || role == "build":
			// builder only
		case pl.tool == "go":
			// The runtime stage is scratch: no package can follow.
			odd = append(odd, name)
			continue
		case role == "dev":
			pl.runtimeApt = append(pl.runtimeApt, lib)
			pl.runtimeFor = append(pl.runtimeFor, lib+" for "+name)
		default:
			// Maybe needed at run time: installed in both stages.
			pl.runtimeApt = append(pl.runtimeApt, w)
			pl.bothApt = append(pl.bothApt, name)
		}
		pl.aptPkgs = append(pl.aptPkgs, w)
	}
	if len(odd) > 0 {
		return "apt-get installs " + strings.Join(odd, ", ") + ", which the application may also need at run time; " +
			"dockdoc cannot tell which packages belong to the builder and which to the runtime stage"
	}
	return ""
}

func (pl *Plan) readPip(c *diagnose.Command, verb int, shown string) string {
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
			if pipName(w) == "" || strings.ContainsAny(w, "/:@") {
				return "pip installs " + w + ", which is not a package name"
			}
			pkgs = append(pkgs, w)
		}
	}
	for _, p := range pkgs {
		n := pipName(p)
		switch {
		case pipSelf[n]:
			// pip upgrading itself: the builder's fresh venv has a pip.
		case pipTools[n]:
			if n != pl.tool {
				return "pip installs " + n + ", but the project uses " + pl.tool
			}
			if v := pipExact(p); v != "" {
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

func (pl *Plan) addReq(f string) string {
	if pl.tool != "pip" {
		return "pip installs " + f + " although the project uses " + pl.tool
	}
	p := path.Clean(f)
	if strings.HasPrefix(p, "/") {
		r, ok := relTo(pl.workdir, p)
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

func (pl *Plan) readUV(c *diagnose.Command, shown string) string {
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

func (pl *Plan) readPoetry(c *diagnose.Command, shown string) string {
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

// nodeDevTools are watchers installed globally for development; the
// production command never needs them.
var nodeDevTools = map[string]bool{"nodemon": true}

func (pl *Plan) readNpm(d *diagnose.Document, c *diagnose.Command, shown string) string {
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
			case global && nodeDevTools[npmName(w)]:
			default:
				return "npm installs " + w + " by name; dockdoc migrates installs from package-lock.json"
			}
		}
		if !global {
			pl.sawInstall()
		}
		return ""
	case "run", "run-script":
		if len(args) != 1 {
			return "`" + shown + "` runs a script package.json does not define"
		}
		return pl.addScript(d, args[0], shown)
	case "prune":
		return ""
	case "cache":
		if len(args) >= 1 && args[0] == "clean" {
			return ""
		}
	}
	return "`" + shown + "` is not an npm command the migration knows"
}

// npmName strips a version from an npm package spec ("nodemon@3").
func npmName(spec string) string {
	if strings.HasPrefix(spec, "@") {
		if i := strings.Index(spec[1:], "@"); i >= 0 {
			return spec[:i+1]
		}
		return spec
	}
	n, _, _ := strings.Cut(spec, "@")
	return n
}

func (pl *Plan) readGo(c *diagnose.Command, shown string) string {
	sub := c.Sub()
	if sub != c.Prog+1 {
		return "`" + shown + "` is not a go command the migration knows"
	}
	args := c.Words[sub+1:]
	for _, a := range c.Call.Assigns {
		v := ""
		if a.Value != nil {
			v, _ = diagnose.LiteralWord(a.Value)
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
		flags, pkgs, out, ok := goBuildArgs(args)
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

// goValueFlags are go build flags whose value may be the next word.
var goValueFlags = map[string]bool{
	"-o": true, "-ldflags": true, "-gcflags": true, "-tags": true, "-mod": true, "-p": true,
	"-buildmode": true, "-asmflags": true, "-modfile": true, "-overlay": true, "-pgo": true, "-C": false,
}

// goBuildArgs splits go build / go run arguments into the build
// flags to keep, the packages and the -o output.
func goBuildArgs(args []string) (flags, pkgs []string, out string, ok bool) {
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
		case goValueFlags[name] && !hasVal:
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
