package deps

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/deplayer"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD027",
	Name:     "uv-managed-python",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Summary:  "uv may download its own Python for the venv",
	Fixable:  diagnose.FixSometimes,
	Changes:  []string{"Env"},
	Doc: diagnose.Doc{
		What: "Flags a stage that builds a virtual environment with uv (`uv sync`, `uv venv`, `uv pip install` " +
			"without `--system`, `uv run`) while nothing stops uv from downloading a Python of its own: no " +
			"`UV_PYTHON_DOWNLOADS=never` (or `0`, `false`, `manual`) and no `UV_PYTHON_PREFERENCE=only-system` " +
			"(or `UV_NO_MANAGED_PYTHON=1`) in an `ENV` of the stage or of a stage it builds on, in an `ARG`, " +
			"in front of the command, or as an option (`--no-python-downloads`, `--python-preference " +
			"only-system`, `--no-managed-python`). Stages that choose uv-managed Python on purpose (`uv python " +
			"install`, `UV_PYTHON_INSTALL_DIR`, `only-managed`) and commands given an interpreter path " +
			"(`--python /usr/local/bin/python3`) are left alone, and so is a stage no image is made of whose venv " +
			"no later stage copies (whichever Python uv picks there never ships). It also flags a `COPY --from` " +
			"that takes a virtual environment built on one base image into a stage built on another, unless the " +
			"interpreter is copied along (the `UV_PYTHON_INSTALL_DIR` of the builder, to the same path); uv's " +
			"own images with Python (`astral-sh/uv:python3.12-bookworm-slim`) count as the python image they " +
			"are built on (`python:3.12-slim-bookworm`).",
		Why: "uv uses an interpreter of the image only if it satisfies what the project asks for: the version " +
			"in `.python-version`, or else `requires-python` in pyproject.toml. When none does, for example " +
			"`FROM python:latest` (the newest release, 3.14 or later) with `.python-version` saying 3.10, uv does not fail: it downloads " +
			"CPython 3.10 into `~/.local/share/uv/python` (`/root/.local/share/uv/python` for root) and " +
			"`.venv/bin/python` becomes a link to that download. The build passes and the image quietly runs " +
			"another Python than its base, plus an extra copy of it. Then it breaks in one of two ways. A " +
			"runtime stage that copies only `/app` gets a venv whose interpreter link points at nothing, and " +
			"the container fails at start. A single stage that switches to a non-root `USER` cannot read " +
			"`/root`, so the venv is unusable for that user.\n\n" +
			"When the base image's tag and `.python-version` name the same version, the system interpreter " +
			"satisfies uv and no download happens. `UV_PYTHON_DOWNLOADS=never` keeps it that way: if the two " +
			"ever drift apart, the build stops with an error naming the missing version, instead of shipping " +
			"a broken image. `UV_PYTHON_PREFERENCE=only-system` also keeps uv away from a managed Python that " +
			"may already be on the machine.\n\n" +
			"The same interpreter link is why a venv must be copied into a stage built on the same image as " +
			"the one it was built on: another tag can have another Python version, another path, or another C " +
			"library (Alpine's musl instead of glibc), and the venv then fails at start.",
		Bad: "FROM python:latest\nWORKDIR /app\nCOPY pyproject.toml uv.lock .python-version ./\n" +
			"RUN uv sync --locked --no-install-project",
		Good: "FROM python:3.10-slim\nENV UV_PYTHON_DOWNLOADS=never UV_PYTHON_PREFERENCE=only-system\nWORKDIR /app\n" +
			"COPY pyproject.toml uv.lock .python-version ./\nRUN uv sync --locked --no-install-project",
		Fix: "Inserts `ENV UV_PYTHON_DOWNLOADS=never UV_PYTHON_PREFERENCE=only-system` right after the stage's " +
			"`FROM`, so it covers every uv command of the stage and of the stages built on it. Safe when the " +
			"base image is `python:<version>` and that version satisfies `.python-version` (then uv never " +
			"downloads, and the setting only guards the future). Unsafe otherwise: where uv used to download a " +
			"Python, the build now fails. That failure is the point; fix it by choosing the base image tag " +
			"that matches `.python-version` (dockdoc offers that on the `FROM`). For a venv copied between " +
			"different base images there is only advice: build both stages on the same image, tag included.",
		Refs: []string{
			"https://docs.astral.sh/uv/concepts/python-versions/#disabling-automatic-python-downloads",
			"https://docs.astral.sh/uv/reference/environment/#uv_python_downloads",
			"https://docs.astral.sh/uv/guides/integration/docker/",
			"https://github.com/astral-sh/uv/issues/13207",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		// inChain[i]: stage i or a stage it builds on was reported (a
		// stage's parent always comes before it).
		inChain := make([]bool, len(d.Stages))
		for _, st := range d.Stages {
			covered := st.Parent != nil && inChain[st.Parent.Index]
			if !covered {
				inChain[st.Index] = checkManagedPython(p, st)
			} else {
				inChain[st.Index] = true
			}
		}
		copies(p)
	},
})

// env is what the environment says about uv's Python choice.
type env struct {
	guarded    bool // downloads off or system-only
	deliberate bool // managed Python chosen on purpose
}

func truthy(v string) bool {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on", "y", "t":
		return true
	}
	return false
}

// apply records one variable.
func (e *env) apply(name, value string) {
	v := strings.ToLower(strings.Trim(value, `"'`))
	switch name {
	case "UV_PYTHON_DOWNLOADS":
		switch v {
		case "never", "0", "false", "no", "off", "manual":
			e.guarded = true
		case "automatic", "auto", "1", "true":
			e.deliberate = true
		}
	case "UV_PYTHON_PREFERENCE":
		switch v {
		case "only-system":
			e.guarded = true
		case "only-managed", "managed":
			e.deliberate = true
		}
	case "UV_NO_MANAGED_PYTHON", "UV_NO_PYTHON_DOWNLOADS":
		if truthy(v) {
			e.guarded = true
		}
	case "UV_MANAGED_PYTHON":
		if truthy(v) {
			e.deliberate = true
		}
	case "UV_PYTHON_INSTALL_DIR":
		if v != "" {
			e.deliberate = true
		}
	case "UV_PYTHON":
		if strings.Contains(v, "/") {
			e.guarded = true // an interpreter path: nothing to download
		}
	}
}

// envInstr applies an ENV (or, in the stage itself, an ARG with a
// value) to e.
func envInstr(e *env, o *diagnose.Instruction, own bool) {
	switch o.Keyword {
	case "env":
		// The parser gives ENV as (name, value, separator) triples.
		for n := o.Node.Next; n != nil && n.Next != nil; {
			e.apply(n.Value, n.Next.Value)
			sep := n.Next.Next
			if sep == nil {
				break
			}
			n = sep.Next
		}
	case "arg":
		if !own {
			return // an ARG's value ends with its stage
		}
		for n := o.Node.Next; n != nil; n = n.Next {
			if name, v, ok := strings.Cut(n.Value, "="); ok {
				e.apply(name, v)
			}
		}
	}
}

// venvCommand reports whether c makes uv build or fill a virtual
// environment, and returns its name for messages.
func venvCommand(c *diagnose.Command) (string, bool) {
	if c.Name() != "uv" {
		return "", false
	}
	sub := c.Sub()
	if sub < 0 || !c.Lit[sub] {
		return "", false
	}
	switch w := c.Words[sub]; w {
	case "sync", "venv", "run":
		return "uv " + w, true
	case "pip":
		if sub+1 < len(c.Words) && c.Lit[sub+1] && (c.Words[sub+1] == "install" || c.Words[sub+1] == "sync") {
			if c.HasFlag("--system") {
				return "", false
			}
			return "uv pip " + c.Words[sub+1], true
		}
	}
	return "", false
}

// inline applies what the command line itself says: assignments in
// front of it, and uv's own options.
func inline(e env, c *diagnose.Command) env {
	for _, a := range c.Call.Assigns {
		if a.Name != nil && a.Value != nil {
			if v, ok := diagnose.LiteralWord(a.Value); ok {
				e.apply(a.Name.Value, v)
			}
		}
	}
	for i := 0; i < c.Prog && i < len(c.Words); i++ {
		if name, v, ok := strings.Cut(c.Words[i], "="); ok && c.Lit[i] {
			e.apply(name, v)
		}
	}
	if c.HasFlag("--no-python-downloads", "--no-managed-python", "--offline") {
		e.guarded = true
	}
	if c.HasFlag("--managed-python") {
		e.deliberate = true
	}
	for i := c.Prog + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			continue
		}
		w, next := c.Words[i], ""
		if i+1 < len(c.Words) && c.Lit[i+1] {
			next = c.Words[i+1]
		}
		switch {
		case w == "--python-preference":
			e.apply("UV_PYTHON_PREFERENCE", next)
		case strings.HasPrefix(w, "--python-preference="):
			e.apply("UV_PYTHON_PREFERENCE", strings.TrimPrefix(w, "--python-preference="))
		case w == "--python" || w == "-p":
			e.apply("UV_PYTHON", next)
		case strings.HasPrefix(w, "--python="):
			e.apply("UV_PYTHON", strings.TrimPrefix(w, "--python="))
		}
	}
	return e
}

// checkManagedPython reports the first uv command of a stage that may download a
// Python, and whether it did. A stage built on a reported one is not
// reported: the fix on its parent covers it.
func checkManagedPython(p *diagnose.Pass, st *diagnose.Stage) bool {
	d := p.Doc
	if !st.Ships() && !venvLeaves(d, st) {
		// The venv never leaves its stage: whichever Python uv picks
		// there, no image is made of it.
		return false
	}
	var env env
	if st.Parent != nil {
		env = inherited(d)[st.Parent.Index]
	}
	for _, o := range st.Instrs {
		envInstr(&env, o, true)
		if o.Keyword != "run" {
			continue
		}
		if installsPython(d, o) {
			env.deliberate = true
		}
		if env.guarded || env.deliberate {
			return false
		}
		for _, c := range o.Commands(d) {
			what, ok := venvCommand(c)
			if !ok {
				continue
			}
			if e := inline(env, c); e.guarded || e.deliberate || exportGuards(c) {
				continue
			}
			reportManagedPython(p, st, c, what)
			return true
		}
	}
	return false
}

type inheritedKey struct{}

// inherited is, by stage, what the environment says at the end of the
// stage to a stage built on it: its ENVs and those of the stages it builds
// on, and whether any of their RUNs installs a managed Python. Computed
// once per Document, parents first.
func inherited(d *diagnose.Document) []env {
	return d.Memo(inheritedKey{}, func() any {
		ends := make([]env, len(d.Stages))
		for i, s := range d.Stages {
			var env env
			if s.Parent != nil {
				env = ends[s.Parent.Index]
			}
			for _, o := range s.Instrs {
				envInstr(&env, o, false)
				if o.Keyword == "run" && installsPython(d, o) {
					env.deliberate = true
				}
			}
			ends[i] = env
		}
		return ends
	}).([]env)
}

// installsPython reports whether a RUN installs a uv-managed Python
// on purpose (`uv python install`).
func installsPython(d *diagnose.Document, in *diagnose.Instruction) bool {
	for _, c := range in.Commands(d) {
		if c.Name() == "uv" {
			if sub := c.Sub(); sub >= 0 && sub+1 < len(c.Words) && c.Words[sub] == "python" && c.Words[sub+1] == "install" {
				return true
			}
		}
	}
	return false
}

// exportGuards reports whether the script exports a guarding
// variable before c (`export UV_PYTHON_DOWNLOADS=never && uv sync`).
func exportGuards(c *diagnose.Command) bool {
	var e env
	syntax.Walk(c.Script.File, func(n syntax.Node) bool {
		decl, ok := n.(*syntax.DeclClause)
		if !ok || decl.Variant == nil || decl.Variant.Value != "export" || decl.End().Offset() > c.Call.Pos().Offset() {
			return true
		}
		for _, a := range decl.Args {
			if a.Name != nil && a.Value != nil {
				if v, ok := diagnose.LiteralWord(a.Value); ok {
					e.apply(a.Name.Value, v)
				}
			}
		}
		return true
	})
	return e.guarded
}

// rootImage is the image a stage is ultimately built on, as written,
// without a digest.
func rootImage(st *diagnose.Stage) string {
	chain := st.Lineage()
	img := chain[0].Image
	if i := strings.Index(img, "@"); i >= 0 {
		img = img[:i]
	}
	return img
}

var pythonTagVersion = regexp.MustCompile(`^(\d+)\.(\d+)(?:\.(\d+))?(?:$|[^.\d])`)

// imageVersion reads the Python version of an official python image
// reference ("python:3.12-slim" gives "3.12"); ok is false for other
// images, variables and tags without a version (latest).
func imageVersion(ref string) (version string, isPython, ok bool) {
	name, tag, _ := strings.Cut(ref[strings.LastIndex(ref, "/")+1:], ":")
	repo := ref
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		repo = ref[:i]
	}
	if name != "python" || (repo != "python" && repo != "library/python") {
		return "", false, false
	}
	m := pythonTagVersion.FindStringSubmatch(tag)
	if m == nil {
		return "", true, false
	}
	v := m[1] + "." + m[2]
	if m[3] != "" {
		v += "." + m[3]
	}
	return v, true, true
}

// pinMatches reports whether an image's Python version satisfies a
// .python-version pin: the same minor for "3.10", the same patch release
// for "3.10.14".
func pinMatches(pin, image string) bool {
	pin = strings.TrimPrefix(strings.TrimSpace(pin), "cpython-")
	pp := strings.Split(pin, ".")
	ip := strings.Split(image, ".")
	if len(pp) < 2 || len(ip) < 2 || pp[0] != ip[0] || pp[1] != ip[1] {
		return false
	}
	if len(pp) == 2 {
		return true
	}
	return len(ip) >= 3 && pp[2] == ip[2]
}

// reportManagedPython reports the stage and adds the ENV fix.
func reportManagedPython(p *diagnose.Pass, st *diagnose.Stage, c *diagnose.Command, what string) {
	d := p.Doc
	base := rootImage(st)
	version, isPython, known := imageVersion(base)
	var pin *buildctx.Pin
	if cx := d.Ctx; cx != nil && cx.Python != nil && cx.Python.Source == ".python-version" {
		pin = cx.Python
	}
	const where = "into ~/.local/share/uv/python and links the venv to it"
	const mayWhere = "into ~/.local/share/uv/python and link the venv to it"
	var msg string
	safe := false
	switch {
	case pin != nil && known && pinMatches(pin.Full, version):
		safe = true
		msg = fmt.Sprintf("%s runs without UV_PYTHON_DOWNLOADS=never: the base image %s matches .python-version (%s) today, "+
			"but if they drift apart uv silently downloads its own Python %s instead of failing", what, base, pin.Full, where)
	case pin != nil && known && minor(pin.Full) == minor(version):
		msg = fmt.Sprintf("%s runs without UV_PYTHON_DOWNLOADS=never: .python-version asks for exactly %s but the base image %s "+
			"has whichever %s release it was last built with, so uv downloads CPython %s %s", what, pin.Full, base,
			minor(version), pin.Full, where)
	case pin != nil && known:
		msg = fmt.Sprintf("%s runs without UV_PYTHON_DOWNLOADS=never: .python-version asks for %s but the base image %s "+
			"has Python %s, so uv downloads CPython %s %s", what, pin.Full, base, version, pin.Full, where)
	case pin != nil && strings.Contains(base, "$"):
		msg = fmt.Sprintf("%s runs without UV_PYTHON_DOWNLOADS=never: the base image %s depends on a build argument, "+
			"and unless its Python is %s (from .python-version) uv downloads CPython %s %s", what, base, pin.Full, pin.Full, where)
	case pin != nil && isPython:
		msg = fmt.Sprintf("%s runs without UV_PYTHON_DOWNLOADS=never: .python-version asks for %s and the base image %s "+
			"can hold any version, so uv may download CPython %s %s", what, pin.Full, base, pin.Full, mayWhere)
	case pin != nil:
		msg = fmt.Sprintf("%s runs without UV_PYTHON_DOWNLOADS=never: unless the base image %s has Python %s "+
			"(from .python-version), uv downloads it %s", what, base, pin.Full, where)
	default:
		msg = fmt.Sprintf("%s runs without UV_PYTHON_DOWNLOADS=never: when no interpreter of the base image %s "+
			"satisfies the project's Python request, uv silently downloads its own %s", what, base, where)
	}
	f := p.Report(c.Script.Span(c.Call), "%s", msg)

	from := st.From
	kw := "ENV"
	if k := string(d.Src[from.KeywordSpan().Start:from.KeywordSpan().End]); k == strings.ToLower(k) {
		kw = "env"
	}
	line := d.EOL + d.Indent(from.StartLine) + kw + " UV_PYTHON_DOWNLOADS=never UV_PYTHON_PREFERENCE=only-system"
	app := fixes.Unsafe
	if safe {
		app = fixes.Safe
	}
	fx := f.AddFix("Stop uv from downloading its own Python (UV_PYTHON_DOWNLOADS=never)", app, diagnose.Insert(from.Span.End, line))
	if !safe {
		switch {
		case pin != nil:
			fx.Note = fmt.Sprintf("Where uv would have downloaded Python %s, the build now fails instead. Give the base "+
				"image the tag .python-version asks for (python:%s-slim, for example) so the system interpreter "+
				"satisfies uv.", pin.Full, strings.TrimPrefix(pin.Full, "cpython-"))
		default:
			fx.Note = "Where uv would have downloaded a Python, the build now fails instead: make the base image's " +
				"Python satisfy the project's requires-python (or .python-version)."
		}
	}
}

// minor is "3.10" for "3.10.14".
func minor(v string) string {
	parts := strings.Split(strings.TrimPrefix(v, "cpython-"), ".")
	if len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return v
}

// venvDirs lists the directories where a stage builds virtual
// environments ("" for one dockdoc cannot place), or nil when it builds
// none.
func venvDirs(d *diagnose.Document, st *diagnose.Stage) []string {
	var dirs []string
	projectEnv := ""
	for _, o := range st.Instrs {
		if o.Keyword == "env" {
			for n := o.Node.Next; n != nil && n.Next != nil; {
				if n.Value == "UV_PROJECT_ENVIRONMENT" {
					projectEnv = strings.Trim(n.Next.Value, `"'`)
				}
				sep := n.Next.Next
				if sep == nil {
					break
				}
				n = sep.Next
			}
		}
		if o.Keyword != "run" {
			continue
		}
		wd, wdKnown := deplayer.Workdir(d, st, o)
		at := func(p string) string {
			if strings.Contains(p, "$") {
				return ""
			}
			if r, ok := deplayer.Resolve(p, wd, wdKnown); ok {
				return r
			}
			return ""
		}
		for _, c := range o.Commands(d) {
			name, sub := c.Name(), c.Sub()
			word := func(i int) string {
				if i < 0 || i >= len(c.Words) || !c.Lit[i] {
					return ""
				}
				return c.Words[i]
			}
			switch {
			case name == "uv" && word(sub) == "sync":
				if projectEnv != "" {
					dirs = append(dirs, at(projectEnv))
				} else {
					dirs = append(dirs, at(".venv"))
				}
			case name == "uv" && word(sub) == "venv":
				pos, _ := deplayer.Positionals(c, sub, map[string]bool{"--python": true, "-p": true, "--prompt": true})
				if len(pos) > 0 {
					dirs = append(dirs, at(c.Words[pos[0]]))
				} else {
					dirs = append(dirs, at(".venv"))
				}
			case pkgmgr.PythonProgram.MatchString(name) && word(c.Prog+1) == "-m" && word(c.Prog+2) == "venv":
				pos, _ := deplayer.Positionals(c, c.Prog+2, map[string]bool{"--prompt": true})
				if len(pos) > 0 {
					dirs = append(dirs, at(c.Words[pos[0]]))
				}
			case name == "virtualenv":
				pos, _ := deplayer.Positionals(c, c.Prog, map[string]bool{"-p": true, "--python": true, "--prompt": true})
				if len(pos) > 0 {
					dirs = append(dirs, at(c.Words[pos[0]]))
				}
			}
		}
	}
	return dirs
}

// copiesVenv reports whether copying src out of a stage takes one of
// its venvs along.
func copiesVenv(src string, dirs []string) bool {
	if strings.Contains(src, "$") {
		return false
	}
	s := path.Clean("/" + src)
	for _, v := range dirs {
		switch {
		case v == "":
			if strings.Contains(s, "venv") {
				return true
			}
		case s == "/" || v == s || strings.HasPrefix(v, s+"/"):
			return true
		}
	}
	return false
}

// copies reports venvs copied into a stage built on another image
// than the one they were built on.
func copies(p *diagnose.Pass) {
	d := p.Doc
	venvs := map[*diagnose.Stage][]string{}
	for _, st := range d.Stages {
		venvs[st] = venvDirs(d, st)
	}
	for _, st := range d.Stages {
		for _, in := range st.Instrs {
			if in.Keyword != "copy" {
				continue
			}
			from := ""
			for _, f := range in.Node.Flags {
				if v, ok := strings.CutPrefix(f, "--from="); ok {
					from = v
				}
			}
			if from == "" {
				continue
			}
			var src *diagnose.Stage
			if n, err := strconv.Atoi(from); err == nil && n >= 0 && n < st.Index {
				src = d.Stages[n]
			} else {
				src = d.StageByName(from, st.Index)
			}
			if src == nil {
				continue
			}
			var built []string
			for _, s := range src.Lineage() {
				built = append(built, venvs[s]...)
			}
			if len(built) == 0 {
				continue
			}
			args := deplayer.Args(in)
			copied := false
			for _, a := range args[:max(len(args)-1, 0)] {
				copied = copied || copiesVenv(a, built)
			}
			if !copied {
				continue
			}
			a, b := rootImage(src), rootImage(st)
			if !imagesDiffer(a, b) || copiesInterpreter(d, st, src) {
				continue
			}
			name := src.Name
			if name == "" {
				name = strconv.Itoa(src.Index)
			}
			f := p.Report(diagnose.Span{Start: in.Span.Start, End: in.TextEnd},
				"copies a virtual environment built in stage %s on %s into a stage built on %s: the venv's python "+
					"link and its compiled packages belong to the builder's interpreter, which this image may not have", name, a, b)
			root := st.Lineage()[0]
			if root.Image != "" && d.StageByName(root.Image, root.Index) == nil && !strings.Contains(root.From.Logical, "$") {
				fx := f.AddFix("Build this stage on "+a+" as well", fixes.DisplayOnly, diagnose.Replace(root.From.OrigSpan(root.ImageSpan), a))
				fx.Note = "The venv runs where the builder's interpreter is: the same Python version at the same " +
					"path, on the same C library. The simplest way to get that is the same image, tag included."
			}
		}
	}
}

// copiesInterpreter reports whether stage st also copies, from stage
// src, the uv-managed Python the venv links to: the directory
// UV_PYTHON_INSTALL_DIR names in src (or uv's default,
// ~/.local/share/uv/python of root), copied to the same path.
func copiesInterpreter(d *diagnose.Document, st, src *diagnose.Stage) bool {
	if len(src.Instrs) == 0 {
		return false
	}
	dir, ok := pkgmgr.Env(d, src.Instrs[len(src.Instrs)-1], nil, "UV_PYTHON_INSTALL_DIR")
	if !ok || dir == "" {
		dir = "/root/.local/share/uv/python"
	}
	if strings.Contains(dir, "$") {
		return false
	}
	dir = path.Clean(dir)
	for _, in := range st.Instrs {
		from, ok := pkgmgr.CopyFlag(in, "from")
		if in.Keyword != "copy" || !ok || d.StageByName(from, st.Index) != src && from != strconv.Itoa(src.Index) {
			continue
		}
		args := deplayer.Args(in)
		if len(args) != 2 {
			continue
		}
		s, dst := path.Clean("/"+args[0]), path.Clean(args[1])
		if (s == dir || strings.HasPrefix(dir, s+"/")) && (dst == s || dst+"/" == s+"/") {
			return true
		}
	}
	return false
}

// venvLeaves reports whether a later stage copies a virtual environment
// built in st (or a stage it is built FROM) out of it.
func venvLeaves(d *diagnose.Document, st *diagnose.Stage) bool {
	var built []string
	for _, s := range st.Lineage() {
		built = append(built, venvDirs(d, s)...)
	}
	for _, o := range d.Stages[st.Index+1:] {
		for _, in := range o.Instrs {
			from, ok := pkgmgr.CopyFlag(in, "from")
			if in.Keyword != "copy" || !ok || d.StageByName(from, o.Index) != st && from != strconv.Itoa(st.Index) {
				continue
			}
			args := deplayer.Args(in)
			for _, a := range args[:max(len(args)-1, 0)] {
				if copiesVenv(a, built) {
					return true
				}
			}
		}
	}
	return false
}

// codenames are the Debian releases python image tags name.
var codenames = []string{"bookworm", "bullseye", "buster", "trixie", "forky"}

// imagesDiffer reports whether a venv built on image a may not run on
// image b. Two official python images differ when their versions
// (major.minor) differ or cannot both be read, when one is Alpine (musl)
// and the other not, or when both name a Debian release and the releases
// differ; python:3.12 and python:3.12-slim hold the same interpreter at
// the same path and do not count. Other images differ unless written
// identically. References holding variables are not judged.
func imagesDiffer(a, b string) bool {
	if a == b || a == "" || b == "" || strings.Contains(a, "$") || strings.Contains(b, "$") {
		return false
	}
	// uv's images with Python are built on the python image they name.
	if p := images.UVImagePython(a); p != "" {
		a = p
	}
	if p := images.UVImagePython(b); p != "" {
		b = p
	}
	va, pa, ka := imageVersion(a)
	vb, pb, kb := imageVersion(b)
	if !pa || !pb {
		return true
	}
	if !ka || !kb || minor(va) != minor(vb) {
		return true
	}
	ta, tb := a[strings.LastIndex(a, ":")+1:], b[strings.LastIndex(b, ":")+1:]
	if strings.Contains(ta, "alpine") != strings.Contains(tb, "alpine") {
		return true
	}
	if strings.Contains(ta, "windows") != strings.Contains(tb, "windows") {
		return true
	}
	ca, cb := "", ""
	for _, c := range codenames {
		if strings.Contains(ta, c) {
			ca = c
		}
		if strings.Contains(tb, c) {
			cb = c
		}
	}
	return ca != "" && cb != "" && ca != cb
}
