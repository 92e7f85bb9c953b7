package deps

import (
	"fmt"
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/deplayer"
	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD026",
	Name:     "dependency-layer-order",
	Severity: diagnose.Info,
	Category: diagnose.Cache,
	Summary:  "source copied before the dependency install",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags a dependency install (`npm ci`, `npm install`, `yarn install`, `pnpm install`, " +
			"`pip install -r requirements.txt`, `uv pip install -r`, `uv sync`, `poetry install`, `pipenv install`, " +
			"`pipenv sync`, `go mod download`, `bundle install`, `cargo build`) that runs after `COPY . .` " +
			"(or `COPY . /app`, `ADD . .`) in the same stage. For uv it also flags the opposite mistake: a single " +
			"`uv sync` that runs after copying only `pyproject.toml` and `uv.lock`, without " +
			"`--no-install-project`, followed by `COPY . .` and no second sync. A `uv sync` or `poetry install` " +
			"after `COPY . .` is not flagged when an earlier one ran before it: that is the second, project " +
			"install of the recommended layout.",
		Why: "Docker reuses a layer from its cache only if the instruction and everything before it are " +
			"unchanged, and for `COPY` that means the copied files. `COPY . .` copies the whole project, so " +
			"editing any file, even a README, invalidates it and every layer after it. An install placed after " +
			"it downloads and builds every dependency again on each code change, which turns a seconds-long " +
			"rebuild into minutes. Copy only the files the install reads (the manifest and its lockfile) first, " +
			"install, and copy the source last: the install layer is then rebuilt only when the dependencies " +
			"change.\n\n" +
			"uv and Poetry also install the project itself when it is a package (it has a build system). " +
			"Before the source is there, that install fails or installs a project without its code, and after " +
			"`COPY . .` nothing installs it again. The usual layout syncs " +
			"twice: `uv sync --no-install-project` (Poetry: `poetry install --no-root`) after copying the " +
			"manifests, which is the cached dependency layer, then the plain `uv sync` after `COPY . .`, which " +
			"only adds the project and is fast.",
		Bad: "FROM node:22-slim AS web\nWORKDIR /web\nCOPY . .\nRUN npm ci\n\n" +
			"FROM python:3.12-slim\nRUN pip install --no-cache-dir uv==0.9.5\nWORKDIR /app\n" +
			"COPY pyproject.toml uv.lock ./\nRUN uv sync --locked\nCOPY . .",
		Good: "FROM node:22-slim AS web\nWORKDIR /web\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n\n" +
			"FROM python:3.12-slim\nRUN pip install --no-cache-dir uv==0.9.5\nWORKDIR /app\n" +
			"COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked",
		Context: map[string]string{
			"package.json": "{\"name\": \"web\", \"version\": \"1.0.0\", \"private\": true}\n",
			"package-lock.json": "{\"name\": \"web\", \"version\": \"1.0.0\", \"lockfileVersion\": 3, \"requires\": true,\n" +
				" \"packages\": {\"\": {\"name\": \"web\", \"version\": \"1.0.0\"}}}\n",
			"pyproject.toml": "[project]\nname = \"app\"\nversion = \"1.0.0\"\nrequires-python = \">=3.12\"\ndependencies = []\n",
			"uv.lock":        "version = 1\nrequires-python = \">=3.12\"\n",
		},
		Fix: "When the install is alone in its `RUN`, the files it reads exist in the build context, and " +
			"everything between `COPY . .` and the install surely ignores the project's files (`ENV`, `ARG`, " +
			"`USER`, `EXPOSE`, a `RUN` that only installs system packages or named tools), the fix moves " +
			"`COPY . .` (with the comment lines right above it) below the install and puts a `COPY` of the " +
			"files the install reads right before it: package.json with its lockfile and .npmrc; the " +
			"requirements files the command names; pyproject.toml with uv.lock, .python-version and uv.toml, or " +
			"with poetry.lock and poetry.toml; Pipfile and Pipfile.lock; go.mod and go.sum; Gemfile and " +
			"Gemfile.lock. Files an earlier `COPY` already brings are not copied twice. The new `COPY` keeps " +
			"the `--chown`, `--chmod` and `--link` of `COPY . .`. For uv and Poetry, a copy of the install with " +
			"`--no-install-project` / `--no-root` goes before `COPY . .` and the original stays after it to " +
			"install the project. For the single early `uv sync`, the fix adds `--no-install-project` to it and " +
			"a `RUN uv sync` with the same words (and cache mounts) after `COPY . .`.\n\n" +
			"Unsafe: the install now runs before the rest of the project is copied. If it needs other files " +
			"(a postinstall script, a path dependency, a requirements file pulled in with `-r`, a `replace` " +
			"directive pointing at a local module, a gemspec), add them to the new `COPY`, or the build fails. " +
			"No fix is offered when package.json has install scripts or local `file:` dependencies, for " +
			"workspaces, when a `WORKDIR`, a `COPY` or a `RUN` that may use the project sits between, or for " +
			"`cargo build`, which needs the source to build anything (use cargo-chef or cache mounts there).",
		Refs: []string{
			"https://docs.docker.com/build/cache/optimize/#order-your-layers",
			"https://docs.astral.sh/uv/guides/integration/docker/#intermediate-layers",
			"https://python-poetry.org/docs/faq/#poetry-busts-my-docker-cache-because-it-requires-me-to-copy-my-source-files-in-before-installing-3rd-party-dependencies",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, st := range d.Stages {
			checkLayerOrder(p, st)
		}
	},
})

// checkLayerOrder checks one stage.
func checkLayerOrder(p *diagnose.Pass, st *diagnose.Stage) {
	d := p.Doc
	var copyAll *diagnose.Instruction
	var before []*deplayer.Install
	after := map[string]bool{}
	cargoCooked := false
	var moving *deplayer.Install // the first install whose fix moves COPY . .
	for _, in := range st.Instrs {
		if copyAll == nil && deplayer.CopiesAll(in) {
			copyAll = in
			continue
		}
		if in.Keyword != "run" {
			continue
		}
		for _, c := range in.Commands(d) {
			if c.Name() == "cargo" && c.Sub() >= 0 && (c.Words[c.Sub()] == "chef" || c.Words[c.Sub()] == "fetch") {
				cargoCooked = true
			}
			di := deplayer.InstallOf(d, in, c)
			if di == nil {
				continue
			}
			if copyAll == nil {
				before = append(before, di)
				continue
			}
			after[di.Tool] = true
			if secondInstall(di, before) {
				continue
			}
			if di.Tool == "cargo" && (cargoCooked || deplayer.CargoCached(in)) {
				continue
			}
			if reportAfter(p, st, copyAll, di) && moving == nil {
				moving = di
			}
		}
	}
	if copyAll == nil || after["uv"] || after["uvpip"] {
		return
	}
	// (b) one uv sync before COPY . . that also installs the project.
	var sync *deplayer.Install
	for _, di := range before {
		if di.Tool == "uv" {
			sync = di
		}
	}
	if sync == nil || sync.ProjectOff {
		return
	}
	reportEarlySync(p, copyAll, sync, moving)
}

// secondInstall reports whether di is the project install of the
// two-step uv / Poetry layout: an install of the same tool ran before the
// source was copied.
func secondInstall(di *deplayer.Install, before []*deplayer.Install) bool {
	if di.Tool != "uv" && di.Tool != "poetry" {
		return false
	}
	for _, b := range before {
		if b.Tool == di.Tool {
			return true
		}
	}
	return false
}

// reportAfter reports an install that runs after COPY . . and
// builds the fix that moves it before.
func reportAfter(p *diagnose.Pass, st *diagnose.Stage, copyAll *diagnose.Instruction, di *deplayer.Install) (fixed bool) {
	d := p.Doc
	span := di.C.Script.Span(di.C.Call)
	msg := fmt.Sprintf("%s runs after %s (line %d), so a change to any file of the project reinstalls every dependency",
		di.What, copyText(copyAll), copyAll.StartLine)
	edits, files, why := moveEdits(d, st, copyAll, di)
	if why != "" {
		p.Report(span, "%s; no automatic fix: %s", msg, why)
		return false
	}
	f := p.Report(span, "%s", msg)
	var fx *fixes.Fix
	keep := (di.Tool == "uv" && !di.ProjectOff) || di.Tool == "poetry"
	switch {
	case keep && di.Tool == "uv":
		fx = f.AddFix("Sync dependencies with --no-install-project before "+copyText(copyAll), fixes.Unsafe, edits...)
	case keep:
		fx = f.AddFix("Install dependencies with --no-root before "+copyText(copyAll), fixes.Unsafe, edits...)
	case len(files) > 0:
		fx = f.AddFix(fmt.Sprintf("Copy %s first and move %s before %s", strings.Join(files, ", "), di.What, copyText(copyAll)), fixes.Unsafe, edits...)
	default:
		fx = f.AddFix(fmt.Sprintf("Move %s before %s", di.What, copyText(copyAll)), fixes.Unsafe, edits...)
	}
	fx.Note = note(di, files)
	return true
}

func note(di *deplayer.Install, files []string) string {
	seen := "the files copied before it"
	if len(files) > 0 {
		seen = strings.Join(files, ", ")
	}
	n := "The install now runs before the rest of the project is copied and sees only " + seen + ". "
	switch di.Tool {
	case "npm", "yarn", "pnpm":
		n += "If it needs other files (a patches/ directory, workspace packages, a local tarball), add them to the COPY."
	case "pip", "uvpip":
		n += "If a requirements file pulls in another one (-r, -c) or a local path, add it to the COPY."
	case "uv":
		n += "The project itself is still installed by the sync after COPY . .; [tool.uv.sources] path dependencies must be copied too."
	case "poetry":
		n += "The project itself is still installed by the install after COPY . .; path dependencies must be copied too."
	case "go":
		n += "A replace directive pointing at a local directory needs that directory copied too."
	case "bundle":
		n += "A Gemfile that uses gemspec or path: gems needs those files copied too."
	}
	return n
}

// copyText is how messages name the whole-context copy.
func copyText(in *diagnose.Instruction) string {
	args := deplayer.Args(in)
	kw := strings.ToUpper(in.Keyword)
	if len(args) == 2 {
		return kw + " " + args[0] + " " + args[1]
	}
	return kw + " . ."
}

// moveEdits builds the edits that put the install before copyAll
// (with the COPY of the manifests it needs): copyAll, with the comment
// lines right above it, moves below the install, and the manifests'
// COPY goes right before the install. It returns the names of the files
// that COPY copies, or why no fix can be built.
func moveEdits(d *diagnose.Document, st *diagnose.Stage, copyAll *diagnose.Instruction, di *deplayer.Install) ([]fixes.Edit, []string, string) {
	if di.NoFix != "" {
		return nil, nil, di.NoFix
	}
	in := di.In
	if !alone(d, di) {
		return nil, nil, "its RUN does more than the install"
	}
	if d.Ctx == nil {
		return nil, nil, "the build context was not read"
	}
	var copyFlags []string
	for _, f := range copyAll.Node.Flags {
		switch {
		case strings.Contains(f, "$"):
			return nil, nil, "the copy's " + f + " holds a variable"
		case strings.HasPrefix(f, "--chown="), strings.HasPrefix(f, "--chmod="), f == "--link", strings.HasPrefix(f, "--link="):
			copyFlags = append(copyFlags, f)
		default:
			return nil, nil, "the copy uses " + f
		}
	}
	args := deplayer.Args(copyAll)
	dest := args[len(args)-1]
	if strings.Contains(dest, "$") {
		return nil, nil, "the copy's destination holds a variable"
	}
	wd, wdKnown := deplayer.Workdir(d, st, copyAll)
	destAbs, _ := deplayer.Resolve(dest, wd, wdKnown)
	for _, o := range st.Instrs {
		if o.Index <= copyAll.Index || o.Index >= in.Index {
			continue
		}
		if deplayer.Independent[o.Keyword] || (o.Keyword == "run" && deplayer.IndependentRun(d, o, destAbs)) {
			continue
		}
		if o.Keyword == "run" {
			return nil, nil, fmt.Sprintf("the RUN at line %d between them may use the copied files", o.StartLine)
		}
		switch o.Keyword {
		case "workdir":
			return nil, nil, fmt.Sprintf("the WORKDIR at line %d between them changes where the copy would land below it", o.StartLine)
		case "copy", "add":
			return nil, nil, fmt.Sprintf("the %s at line %d between them writes files the copy could overwrite below it", strings.ToUpper(o.Keyword), o.StartLine)
		}
		return nil, nil, fmt.Sprintf("the %s at line %d between them would change what the copy does below it", strings.ToUpper(o.Keyword), o.StartLine)
	}
	files, why := deplayer.Manifests(d, di, dest, wd, wdKnown)
	if why != "" {
		return nil, nil, why
	}
	covered := deplayer.Covered(d, st, copyAll, dest, wd, wdKnown)
	var need []string
	for _, f := range files {
		if !covered(f) {
			need = append(need, f)
		}
	}

	// The COPY of the manifests, with the copy's own flags.
	indent := d.Indent(copyAll.StartLine)
	kw := "COPY"
	if k := string(d.Src[copyAll.KeywordSpan().Start:copyAll.KeywordSpan().End]); k == strings.ToLower(k) {
		kw = "copy"
	}
	var b strings.Builder
	groups, order := map[string][]string{}, []string(nil)
	for _, f := range need {
		dir := path.Dir(f)
		if _, ok := groups[dir]; !ok {
			order = append(order, dir)
		}
		groups[dir] = append(groups[dir], f)
	}
	for _, dir := range order {
		target := dest
		if dir != "." {
			target = path.Join(dest, dir)
		}
		if target == "." {
			target = "./"
		}
		if !strings.HasSuffix(target, "/") {
			target += "/"
		}
		b.WriteString(indent + kw)
		for _, fl := range copyFlags {
			b.WriteString(" " + fl)
		}
		b.WriteString(" " + strings.Join(groups[dir], " ") + " " + target + d.EOL)
	}

	// COPY . . moves with the comment lines right above it. The removed
	// range runs from the line break before them to the one after the
	// copy (replaced by one line break), so that an insertion another rule
	// makes at the start or the end of the copy's line falls strictly inside
	// it: the two fixes then conflict instead of leaving that text behind.
	copyStart := commentsAbove(d, copyAll)
	copyText := string(d.Src[d.LineStart(copyStart):d.LineEnd(copyAll.EndLine)])
	del := diagnose.Replace(diagnose.Span{Start: d.LineEnd(copyStart - 1), End: d.LineBreakEnd(copyAll.EndLine)}, d.EOL)
	at := d.LineStart(commentsAbove(d, in))

	keep := (di.Tool == "uv" && !di.ProjectOff) || di.Tool == "poetry"
	if keep {
		// A copy of the install that leaves the project out goes before
		// COPY . .; the original stays after it to install the project.
		flag := "--no-install-project"
		if di.Tool == "poetry" {
			flag = "--no-root"
		}
		start, end := d.LineStart(in.StartLine), d.LineEnd(in.EndLine)
		text := string(d.Src[start:end])
		if !di.ProjectOff {
			off, ins := flagPoint(di.C, flag)
			off -= start
			text = text[:off] + ins + text[off:]
		}
		b.WriteString(text + d.EOL + copyText + d.EOL)
		return []fixes.Edit{del, diagnose.Insert(at, b.String())}, need, ""
	}
	edits := []fixes.Edit{del}
	if b.Len() > 0 {
		edits = append(edits, diagnose.Insert(at, b.String()))
	}
	edits = append(edits, diagnose.Insert(d.LineEnd(in.EndLine), d.EOL+copyText))
	return edits, need, ""
}

// flagPoint is the Src offset where --no-install-project (uv) or
// --no-root (Poetry) goes, and the text to insert there: before the
// option another rule appends at the end of the command (--no-dev,
// --only main) when it is there, otherwise at the end. So the options
// come out in the same order whichever fix is applied first.
func flagPoint(c *diagnose.Command, flag string) (int, string) {
	for i := c.Prog + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			continue
		}
		w := c.Words[i]
		if w == "--no-dev" || w == "--only" || strings.HasPrefix(w, "--only=") {
			return c.ArgSpan(i).Start, flag + " "
		}
	}
	return c.ArgSpan(len(c.Call.Args) - 1).End, " " + flag
}

// addFlag is the edit that adds flag to the command. It replaces
// the whole command and the byte after it, so that in a round where
// another rule adds an option to the same command (after its verb, or at
// its end) the two fixes conflict: the other applies first and this one
// in the next round, with the option placed as flagPoint says.
func addFlag(d *diagnose.Document, c *diagnose.Command, flag string) fixes.Edit {
	span := c.Script.Span(c.Call)
	at, ins := flagPoint(c, flag)
	text := string(d.Src[span.Start:at]) + ins + string(d.Src[at:span.End])
	if span.End < len(d.Src) {
		return diagnose.Replace(diagnose.Span{Start: span.Start, End: span.End + 1}, text+string(d.Src[span.End]))
	}
	return diagnose.Replace(span, text)
}

// alone reports whether the install is the only command of its
// RUN.
func alone(d *diagnose.Document, di *deplayer.Install) bool {
	scripts := di.In.Scripts(d)
	if len(scripts) != 1 || len(scripts[0].File.Stmts) != 1 || len(di.In.Commands(d)) != 1 {
		return false
	}
	s := scripts[0].File.Stmts[0]
	call, ok := s.Cmd.(*syntax.CallExpr)
	return ok && call == di.C.Call && !s.Negated && !s.Background
}

// commentsAbove returns the first line of the comment lines right
// above in (no blank line between), or in's own first line.
func commentsAbove(d *diagnose.Document, in *diagnose.Instruction) int {
	prevEnd := 0
	if in.Index > 0 {
		prevEnd = d.Instructions[in.Index-1].EndLine
	}
	l := in.StartLine
	for l-1 > prevEnd && diagnose.IsCommentLine([]byte(d.Line(l-1))) {
		l--
	}
	if prevEnd == 0 {
		// Before the first instruction, comments may be parser directives.
		for l < in.StartLine && len(d.Directives) > 0 && l <= d.Directives[len(d.Directives)-1].Line {
			l++
		}
	}
	return l
}

// reportEarlySync reports a single uv sync before COPY . . that
// also installs the project, and splits it.
//
// When another install of the stage is about to move above COPY . .
// (moving), the split waits for that fix: the second sync must follow
// COPY . . wherever it ends up, so applying the two in either order gives
// one file.
func reportEarlySync(p *diagnose.Pass, copyAll *diagnose.Instruction, di *deplayer.Install, moving *deplayer.Install) {
	d := p.Doc
	c := di.C
	msg := fmt.Sprintf("uv sync runs before %s (line %d) without --no-install-project: the dependency layer includes the project, "+
		"whose source is not there yet, and nothing syncs the project after the copy", copyText(copyAll), copyAll.StartLine)
	if moving != nil {
		p.Report(c.Script.Span(c.Call), "%s; no automatic fix until %s (line %d) is moved above the copy", msg, moving.What, moving.In.StartLine)
		return
	}
	f := p.Report(c.Script.Span(c.Call), "%s", msg)
	// The second sync: the same words, as written.
	var words []string
	for _, a := range c.Call.Assigns {
		sp := c.Script.Span(a)
		words = append(words, string(d.Src[sp.Start:sp.End]))
	}
	for i := range c.Call.Args {
		sp := c.ArgSpan(i)
		words = append(words, string(d.Src[sp.Start:sp.End]))
	}
	kw := "RUN"
	if k := string(d.Src[di.In.KeywordSpan().Start:di.In.KeywordSpan().End]); k == strings.ToLower(k) {
		kw = "run"
	}
	line := d.Indent(copyAll.StartLine) + kw
	for _, fl := range di.In.Node.Flags {
		if strings.HasPrefix(fl, "--mount=") && strings.Contains(fl, "type=cache") {
			line += " " + fl
		}
	}
	line += " " + strings.Join(words, " ")
	fx := f.AddFix("Sync dependencies only here and the project after "+copyText(copyAll), fixes.Unsafe,
		addFlag(d, c, "--no-install-project"),
		diagnose.Insert(copyAll.Span.End, d.EOL+line))
	fx.Note = "Adds a second layer that installs the project once its source is copied. With a project " +
		"that is not a package (no [build-system]), that sync only checks the environment and is fast."
}
