package migrate

import (
	"fmt"
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/sources"
)

// readWorkdir finds the one directory the stage works in.
func (pl *Plan) readWorkdir(d *diagnose.Document, st *diagnose.Stage) string {
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
				if x, why := expandCommand(d, in, c, ""); why == "" {
					c = x
				}
				if !cwdFree(c) {
					used = true
				}
			}
		}
		if in.Keyword != "workdir" || in.Node.Next == nil {
			continue
		}
		v := in.Node.Next.Value
		if x, ok := expandPath(d, in, v); ok {
			v = x
		}
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

// cwdFree reports whether a command does the same whatever the
// working directory: package lists, tool installs, configuration.
func cwdFree(c *diagnose.Command) bool {
	switch c.Name() {
	case "apt-get", "apt", "apk", "rm", "useradd", "groupadd", "adduser", "addgroup":
		return true
	case "mkdir", "chown":
		for i, w := range c.Words[c.Prog+1:] {
			if !strings.HasPrefix(w, "-") && !strings.HasPrefix(w, "/") && !(c.Name() == "chown" && i == 0) {
				return false
			}
		}
		return true
	case "poetry":
		sub := c.Sub()
		return sub >= 0 && c.Words[sub] == "config"
	case "npm":
		return c.HasFlag("-g", "--global")
	case "corepack":
		sub := c.Sub()
		return sub >= 0 && c.Words[sub] == "enable"
	}
	if pkgmgr.PythonProgram.MatchString(c.Name()) && len(c.Words) == 4 && c.Words[1] == "-m" && c.Words[2] == "venv" {
		return strings.HasPrefix(c.Words[3], "/")
	}
	if v := pkgmgr.PipInstallIndex(c); v >= 0 {
		for _, w := range c.Words[v+1:] {
			if !strings.HasPrefix(w, "-") && !pipTools[pipName(w)] && !pipSelf[pipName(w)] {
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
func (pl *Plan) readInstructions(d *diagnose.Document, st *diagnose.Stage) string {
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
			line, ok := pairs(d, in)
			if !ok {
				return at + ": dockdoc cannot rewrite this LABEL exactly"
			}
			pl.labels = append(pl.labels, line)
		case "maintainer":
			if in.Node.Next != nil && !labels.StageHasAuthorsLabel(st) {
				pl.labels = append(pl.labels, labels.AuthorsLabel+"=\""+labels.EscapeLabel(in.Node.Next.Value, d.Escape)+"\"")
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
			if x, ok := expandPath(d, in, u); ok {
				u = x
			}
			pl.curUser, pl.user = "", ""
			if !mainproc.IsRootUser(u) {
				pl.curUser = u
				if !(pl.eco == "node" && (u == "node" || u == "1000" || u == "node:node" || u == "1000:1000")) {
					pl.user, pl.userLine = u, in.StartLine
				}
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
func (pl *Plan) readCopy(d *diagnose.Document, in *diagnose.Instruction, sawWorkdir bool) string {
	var srcs []string
	n := in.Node.Next
	for ; n != nil; n = n.Next {
		srcs = append(srcs, n.Value)
	}
	if len(in.Heredocs) > 0 || len(srcs) < 2 {
		return "dockdoc does not move this " + strings.ToUpper(in.Keyword) + " into a new stage"
	}
	dest := srcs[len(srcs)-1]
	if x, ok := expandPath(d, in, dest); ok {
		dest = x // COPY . $APP_HOME/: the file's own ENV
	}
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
		repo, tag, _ := splitRef(from)
		if pl.tool == "uv" && (repo == "astral-sh/uv" || strings.HasSuffix(repo, "/astral-sh/uv")) {
			if versionRe.MatchString(tag) && tag != "" {
				pl.toolVer = tag
			}
			return ""
		}
		return "COPY --from=" + from + " takes files from another image"
	}
	if in.Keyword == "add" {
		for _, s := range srcs {
			if sources.IsRemote(s) || sources.IsArchive(s) {
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
		r, ok := relTo(pl.workdir, path.Clean(dest))
		if !ok {
			return "it copies into " + dest + ", outside the application directory " + pl.workdir
		}
		rel = r
	case sawWorkdir || !hasWorkdir(in.Stage):
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
		pl.copies = append(pl.copies, appCopy{srcs: kept, rel: rel, dir: strings.HasSuffix(dest, "/")})
	}
	return ""
}

// appCopy is a COPY of application files into the application directory.
type appCopy struct {
	srcs []string
	rel  string // destination, relative to the application directory
	dir  bool   // the destination was written as a directory (trailing slash)
}

// line writes the COPY's arguments. A directory destination keeps its
// slash (several sources or a glob need it); a whole-context copy is always
// written `COPY . .`.
func (c appCopy) line() string {
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

func hasWorkdir(st *diagnose.Stage) bool {
	for _, in := range st.Instrs {
		if in.Keyword == "workdir" {
			return true
		}
	}
	return false
}

// relTo returns p relative to base when p is base or under it.
func relTo(base, p string) (string, bool) {
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
func (pl *Plan) isManifest(p string) bool {
	switch pl.tool {
	case "uv":
		return p == "pyproject.toml" || p == "uv.lock" || p == ".python-version" || p == "uv.toml"
	case "poetry":
		return p == "pyproject.toml" || p == "poetry.lock" || p == "poetry.toml"
	case "pip":
		return strings.HasPrefix(p, "requirements") && strings.HasSuffix(p, ".txt") && !strings.Contains(p, "/")
	case toolNpm:
		return p == "package.json" || p == "package-lock.json" || p == "npm-shrinkwrap.json" || p == ".npmrc"
	case toolYarnClassic:
		return p == "package.json" || p == "yarn.lock" || p == ".yarnrc" || p == ".npmrc"
	case toolYarnBerry:
		return p == "package.json" || p == "yarn.lock" || p == ".yarnrc.yml"
	case toolPnpm:
		return p == "package.json" || p == "pnpm-lock.yaml" || p == ".npmrc" || p == ".pnpmfile.cjs"
	case "go":
		return p == "go.mod" || p == "go.sum"
	}
	return false
}

// isManifestPattern reports whether a COPY source names a manifest, or is
// a glob that matches one (package*.json, requirements*.txt).
func (pl *Plan) isManifestPattern(p string) bool {
	if !strings.ContainsAny(p, "*?[") {
		return pl.isManifest(p)
	}
	for _, m := range []string{"pyproject.toml", "uv.lock", "poetry.lock", "package.json", "package-lock.json",
		"yarn.lock", "pnpm-lock.yaml", "go.mod", "go.sum", "requirements.txt"} {
		if ok, _ := path.Match(p, m); ok && pl.isManifest(m) {
			return true
		}
	}
	return false
}

// runFlagOK accepts the RUN options a migration can drop: cache mounts
// and bind mounts of the project's manifests.
func (pl *Plan) runFlagOK(fl string) bool {
	ms := diagnose.ParseMounts([]string{fl})
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
func (pl *Plan) readRun(d *diagnose.Document, in *diagnose.Instruction) string {
	for _, fl := range in.Node.Flags {
		if !pl.runFlagOK(fl) {
			return "RUN " + fl + " is not something the new stages can keep"
		}
	}
	if len(in.Heredocs) > 0 || in.IsExecForm() {
		return "dockdoc reads only shell-form RUN commands here"
	}
	ss := in.Scripts(d)
	if len(ss) != 1 || !simpleScript(ss[0].File) {
		return "the RUN is more than a list of commands joined by && or ;"
	}
	pl.runs++
	for _, c := range ss[0].Commands() {
		x, why := expandCommand(d, in, c, commandShown(c))
		if why != "" {
			return why
		}
		if why, ok := pl.readRuntimeCommand(x, pl.runs); ok {
			if why != "" {
				return why
			}
			continue
		}
		if why := pl.readCommand(d, x); why != "" {
			return why
		}
	}
	return ""
}
