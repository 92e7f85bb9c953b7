package buildmodel

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

// noPythonImages are base images that ship no Python interpreter (their
// official images leave it out), so one is there only when the build
// installs it.
var noPythonImages = set("ubuntu", "debian", "alpine", "busybox", "scratch")

// pythonInImage tells whether the image ref has a Python interpreter.
func pythonInImage(ref string) Presence {
	repo := repoOf(ref)
	switch {
	case strings.Contains(repo, "$"):
		return MaybePresent
	case strings.ToLower(ref) == "scratch":
		return Absent
	case repo == "python" || strings.HasSuffix(repo, "/python"):
		return Present
	case noPythonImages[repo]:
		return Absent
	}
	return MaybePresent
}

// repoOf is an image reference's repository without the registry host,
// tag and digest, lower case.
func repoOf(ref string) string {
	repo, _ := images.RepoTag(ref)
	return repo
}

// bashInImage tells whether the image ref has bash: not Alpine (by
// name or tag), BusyBox, scratch or distroless.
func bashInImage(ref string) Presence {
	r := strings.ToLower(ref)
	repo := repoOf(ref)
	_, tag, _ := strings.Cut(strings.TrimPrefix(r, repo), ":")
	switch {
	case strings.Contains(r, "$"):
		return MaybePresent
	case r == "scratch", repo == "alpine", repo == "busybox", strings.Contains(repo, "distroless"),
		strings.Contains(tag, "alpine"), strings.HasSuffix(repo, "/alpine"):
		return Absent
	}
	return MaybePresent
}

// installsPackage reports whether c installs the system package name.
func installsPackage(c *diagnose.Command, name string) bool {
	return installs(c, func(w string) bool { p, _, _ := strings.Cut(w, "="); return p == name })
}

// installVerbs are the system package managers' install subcommands.
var installVerbs = map[string]string{"apt-get": "install", "apt": "install", "apk": "add", "dnf": "install", "yum": "install",
	"microdnf": "install", "zypper": "install"}

// installs reports whether c is a system package install with a literal
// argument that pkg accepts.
func installs(c *diagnose.Command, pkg func(string) bool) bool {
	verb, ok := installVerbs[c.Name()]
	if !ok {
		return false
	}
	sub := c.Sub()
	if sub < 0 || c.Words[sub] != verb && !(c.Name() == "zypper" && c.Words[sub] == "in") {
		return false
	}
	for i := sub + 1; i < len(c.Words); i++ {
		if c.Lit[i] && pkg(c.Words[i]) {
			return true
		}
	}
	return false
}

// shellNeed records that a SHELL's program exists: bash where the
// model knows the image has none is a break.
func (m *Model) shellNeed(in *diagnose.Instruction, cur *Seen) {
	w := nodeWords(in)
	if !in.IsExecForm() || len(w) == 0 || path.Base(w[0]) != "bash" {
		return
	}
	n := Need{In: in, What: "SHELL's bash exists", Held: cur.Bash != Absent}
	if !n.Held {
		n.Why = fmt.Sprintf("SHELL at line %d would run every later RUN with %s, which this image does not have "+
			"(Alpine and BusyBox images have ash, not bash)", in.StartLine, w[0])
	}
	m.Needs = append(m.Needs, n)
}

// pythonPackage matches the system packages that install an interpreter.
var pythonPackage = regexp.MustCompile(`^python3?(\.[0-9]+)?(-minimal|-full|-venv|-dev|-pip)?([=<>].*)?$|^python-is-python3$|^python3[0-9]+(-pip|-devel)?$`)

// installsPython reports whether c installs a Python interpreter: a
// system package (python3, python3.12, python3-venv…) or `uv python
// install`.
func installsPython(c *diagnose.Command) bool {
	if c.Name() == "uv" {
		sub := c.Sub()
		return sub >= 0 && sub+1 < len(c.Words) && c.Words[sub] == "python" && c.Words[sub+1] == "install"
	}
	return installs(c, pythonPackage.MatchString)
}

// uvPythonVerbs are the uv subcommands that need an interpreter for the
// project (and download one when allowed).
var uvPythonVerbs = set("sync", "run", "venv", "lock", "add", "remove", "export", "tree")

// uvNeedsPython reads a uv command that needs a Python interpreter:
// its verb ("uv sync"), and whether its own flags or environment forbid
// downloading one.
func uvNeedsPython(c *diagnose.Command) (verb string, noDownloads, ok bool) {
	if c.Name() != "uv" {
		return "", false, false
	}
	sub := pkgmgr.Sub(c, pkgmgr.UVValueOpts)
	if sub < 0 {
		return "", false, false
	}
	switch w := c.Words[sub]; {
	case uvPythonVerbs[w]:
		verb = "uv " + w
	case w == "pip" && sub+1 < len(c.Words) && (c.Words[sub+1] == "install" || c.Words[sub+1] == "sync"):
		if pkgmgr.HasOpt(c, c.Prog, "--system") {
			return "", false, false // the system's Python, which uv never downloads
		}
		verb = "uv pip " + c.Words[sub+1]
	default:
		return "", false, false
	}
	env := inlineEnv(c)
	pref, _ := env("UV_PYTHON_PREFERENCE")
	for _, v := range pkgmgr.OptValues(c, c.Prog, "--python-preference") {
		pref = v
	}
	dl, _ := env("UV_PYTHON_DOWNLOADS")
	noDownloads = pkgmgr.HasOpt(c, c.Prog, "--no-python-downloads") || forbidsDownloads(dl, pref)
	return verb, noDownloads, true
}

// forbidsDownloads reads UV_PYTHON_DOWNLOADS and UV_PYTHON_PREFERENCE:
// whether uv may not fetch an interpreter of its own.
func forbidsDownloads(downloads, preference string) bool {
	d := strings.ToLower(strings.TrimSpace(downloads))
	return d == "never" || d == "manual" || d == "0" || d == "false" || strings.TrimSpace(preference) == "only-system"
}

// uvNeed records that a uv command finds an interpreter: held unless
// downloads are forbidden (by its flags or the stage's environment) and
// the stage has no Python.
func (m *Model) uvNeed(in *diagnose.Instruction, cur *Seen, e event, vs vars) {
	dl, _ := vs.Get("UV_PYTHON_DOWNLOADS")
	pref, _ := vs.Get("UV_PYTHON_PREFERENCE")
	forbidden := e.omits || forbidsDownloads(dl, pref)
	n := Need{In: in, What: e.verb + " finds a Python interpreter", Held: !forbidden || cur.Python != Absent}
	if !n.Held {
		base := "its base image"
		if st := in.Stage; st != nil {
			for ; st.Parent != nil; st = st.Parent {
			}
			img, _, _ := strings.Cut(st.Image, "@")
			base = path.Base(img)
		}
		n.Why = fmt.Sprintf("%s at line %d would find no Python interpreter: uv may not download one, and %s has none "+
			"and the build installs none", e.verb, in.StartLine+e.line, base)
	}
	m.Needs = append(m.Needs, n)
}

// copiesTools reports whether a COPY --from may bring an interpreter or
// a shell: it copies a whole file system or a directory where they live,
// or a path that names Python, bash or a virtual environment.
func copiesTools(in *diagnose.Instruction) bool {
	if from, ok := pkgmgr.CopyFlag(in, "from"); !ok || from == "" {
		return false
	}
	words := nodeWords(in)
	if len(words) < 2 {
		return false
	}
	for _, w := range words[:len(words)-1] {
		p := path.Clean("/" + w)
		switch {
		case p == "/", p == "/usr", p == "/usr/local", p == "/usr/local/bin", p == "/usr/bin", p == "/opt", p == "/root":
			return true
		case strings.Contains(strings.ToLower(p), "python"), strings.Contains(p, "venv"), strings.Contains(p, "bash"), strings.Contains(p, "$"):
			return true
		}
	}
	return false
}
