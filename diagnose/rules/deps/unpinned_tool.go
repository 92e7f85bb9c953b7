package deps

import (
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD025",
	Name:     "unpinned-tool",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Summary:  "build tool installed without a version",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags a package manager or build tool installed without an exact version:\n" +
			"- `pip install uv`, `poetry` or `pipenv` (also `pip3`, `python -m pip`) without `==<version>`, including " +
			"with `--upgrade`/`-U`; a version range such as `uv>=0.4` is flagged too, because it still moves;\n" +
			"- `pip install --upgrade pip` (without `--upgrade`, installing the pip that is already there does nothing, so that is not flagged);\n" +
			"- `pipx install <app>` without `==<version>` (every application pipx installs is a tool);\n" +
			"- `npm install -g <tool>` (also `npm i -g`, `--global`, `pnpm add -g`) and `yarn global add <tool>` " +
			"without `@<version>`, or with a tag such as `@latest`;\n" +
			"- `COPY --from=<...>/astral-sh/uv` (and `RUN --mount=from=...`) with no tag, `:latest`, or a tag that names " +
			"no uv version (`:python3.12-bookworm`).\n" +
			"Not flagged: a `pip install` with a constraints file (`-c`, `PIP_CONSTRAINT`), which may pin the tool " +
			"where dockdoc cannot see it; versions held in variables (`uv==$UV_VERSION`); local paths and URLs. " +
			"hadolint files the pip cases under DL3013 and the global npm ones under DL3016, so `# hadolint " +
			"ignore=DL3013` or `DL3016` above the line silences this rule's finding there too.",
		Why: "The tool that installs your dependencies decides how they are resolved, which lockfile format it reads, " +
			"which options exist and what its defaults are. Installed without a version it is whatever was released " +
			"last on the day of the build: the same Dockerfile builds with one uv today and another next week, and a " +
			"new major release can change a default, drop an option or refuse an older lockfile, so a build breaks " +
			"without any change of yours, or worse, quietly behaves differently. Layer caching makes it confusing too: " +
			"a cached layer keeps the old tool, a rebuild without cache gets the new one. A pinned tool changes only " +
			"when you change the pin, in a commit that can be reviewed and reverted.",
		Bad:  "RUN pip install --upgrade uv\nRUN npm install -g typescript\nCOPY --from=<registry>/astral-sh/uv:latest /uv /bin/",
		Good: "RUN pip install uv==" + images.ToolVersions["uv"] + "\nRUN npm install -g typescript@5.6.3\nCOPY --from=<registry>/astral-sh/uv:" + images.ToolVersions["uv"] + " /uv /bin/",
		Fix: "For `pip install` of uv, Poetry, Pipenv or pip itself the fix pins the bare name to the newest version in " +
			"dockdoc's built-in version table (`uv` becomes `uv==<version>`) and drops a now pointless `--upgrade`/`-U` " +
			"when every package of the command is pinned. It is unsafe: dockdoc works offline, so the table is only as " +
			"new as its date (shown in the fix), the version may differ from the one you use locally, and a different " +
			"tool version can resolve or behave differently. Prefer the version your team already uses. A version " +
			"range gets no fix (the range may exclude the table's version). `npm install -g` gets a fix only for tools " +
			"in the table. The uv image gets the table's version as its tag (`uv:latest` becomes `uv:" + images.ToolVersions["uv"] + "`, " +
			"`uv:python3.12-bookworm` becomes `uv:" + images.ToolVersions["uv"] + "-python3.12-bookworm`, uv's own versioned " +
			"tags), unsafe like the other pins; a digest (`@sha256:...`) pins it even more exactly.",
		Refs: []string{
			"https://docs.astral.sh/uv/guides/integration/docker/#installing-uv",
			"https://pip.pypa.io/en/stable/topics/repeatable-installs/",
			"https://python-poetry.org/docs/#ci-recommendations",
			"https://docs.npmjs.com/cli/commands/npm-install",
		},
	},
	Check: checkUnpinnedTool,
})

var (
	reqName  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*`)
	uvTagVer = regexp.MustCompile(`^v?\d+\.\d+`)
)

func checkUnpinnedTool(p *diagnose.Pass) {
	d := p.Doc
	for _, in := range d.Instructions {
		switch in.Keyword {
		case "copy":
			uvImageCopy(p, in)
		case "run":
			uvImageMount(p, in)
			for _, c := range in.Commands(d) {
				if verb := pkgmgr.PipInstallIndex(c); verb >= 0 {
					pip(p, in, c, verb)
					continue
				}
				switch c.Name() {
				case "npm", "pnpm", "yarn":
					nodeGlobal(p, c)
				case "pipx":
					pipx(p, c)
				}
			}
		}
	}
}

// pipxValueOpts are pipx install's options that take a value.
var pipxValueOpts = map[string]bool{"--python": true, "--pip-args": true, "--suffix": true, "--index-url": true,
	"-i": true, "--preinstall": true, "--backend": true}

// pipx checks pipx install: every application it installs is a tool.
func pipx(p *diagnose.Pass, c *diagnose.Command) {
	sub := pkgmgr.Sub(c, pipxValueOpts)
	if sub < 0 || c.Words[sub] != "install" || c.HasFlag("--spec") {
		return
	}
	for _, i := range pkgmgr.Positionals(c, sub, pipxValueOpts) {
		if !c.Lit[i] {
			continue
		}
		name, rest, ok := pipReq(c.Words[i])
		if !ok || pipPinned(rest) {
			continue
		}
		span := c.ArgSpan(i)
		tool := pkgmgr.NormalizeName(name)
		f := p.Report(span, "pipx install %s without ==<version> installs whatever %s release is newest on the day of the build", c.Words[i], name)
		f.Aliases = []string{"DL3013"}
		v, known := images.ToolVersions[tool]
		if rest != "" || !known {
			continue
		}
		fx := f.AddFix("Pin "+name+" to "+v+" (dockdoc's version table of "+images.VersionsUpdated+")", fixes.Unsafe, diagnose.Replace(span, name+"=="+v))
		fx.Note = v + " is the newest " + name + " in dockdoc's built-in version table, last updated " + images.VersionsUpdated +
			"; dockdoc works offline and cannot know later releases. Prefer the version you use in development or CI."
	}
}

// pipReq splits a requirement into its name and the rest
// (extras, version specifier, marker). ok is false for paths and URLs.
func pipReq(w string) (name, rest string, ok bool) {
	name = reqName.FindString(w)
	if name == "" {
		return "", "", false
	}
	rest = strings.TrimSpace(w[len(name):])
	if strings.HasPrefix(rest, "/") || strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "+") {
		return "", "", false
	}
	return name, rest, true
}

// pipPinned reports whether a requirement's rest names exactly
// one version (== without a wildcard, ===, or a direct URL).
func pipPinned(rest string) bool {
	spec, _, _ := strings.Cut(rest, ";")
	if strings.HasPrefix(strings.TrimSpace(spec), "@") {
		return true
	}
	return strings.Contains(spec, "==") && !strings.Contains(spec, "*")
}

func pip(p *diagnose.Pass, in *diagnose.Instruction, c *diagnose.Command, verb int) {
	d := p.Doc
	if pkgmgr.PipHasOption(c, verb, "-c", "--constraint") {
		return
	}
	if v, set := pkgmgr.Env(d, in, c, "PIP_CONSTRAINT"); set && v != "" {
		return
	}
	upgrade := pkgmgr.PipHasOption(c, verb, "--upgrade", "-U") || c.HasFlag("-U")
	reqs := pkgmgr.Positionals(c, verb, pkgmgr.PipValueOpts)
	for _, i := range reqs {
		if !c.Lit[i] {
			continue
		}
		name, rest, ok := pipReq(c.Words[i])
		if !ok {
			continue
		}
		tool := pkgmgr.NormalizeName(name)
		if !pkgmgr.PipTools[tool] || pipPinned(rest) {
			continue
		}
		if tool == "pip" && !upgrade {
			continue // installing the pip that is already there does nothing
		}
		span := c.ArgSpan(i)
		var f *diagnose.Finding
		switch {
		case tool == "pip":
			f = p.Report(span, "pip install --upgrade pip installs whatever pip release is newest on the day of the build")
		case rest == "" && upgrade:
			f = p.Report(span, "pip install --upgrade %s installs whatever %s release is newest on the day of the build", name, tool)
		case rest == "":
			f = p.Report(span, "%s is installed without a version, so each build gets whatever %s release is newest that day", name, tool)
		default:
			f = p.Report(span, "%s is installed with a version range, so the %s you get changes as new releases come out; pin one version with ==", c.Words[i], tool)
		}
		f.Aliases = []string{"DL3013"} // hadolint files unpinned pip installs there
		v, known := images.ToolVersions[tool]
		if rest != "" || !known {
			continue
		}
		edits := []fixes.Edit{diagnose.Replace(span, name+"=="+v)}
		if upgrade && pipOthersPinned(c, verb, reqs, i) {
			if dels, ok := dropUpgrade(d, c, verb); ok {
				edits = append(edits, dels...)
			}
		}
		fx := f.AddFix("Pin "+tool+" to "+v+" (dockdoc's version table of "+images.VersionsUpdated+")", fixes.Unsafe, edits...)
		fx.Note = v + " is the newest " + tool + " in dockdoc's built-in version table, last updated " + images.VersionsUpdated +
			"; dockdoc works offline and cannot know later releases. Prefer the version you use in development or CI, " +
			"and bump the pin on purpose."
	}
}

// pipOthersPinned reports whether every requirement of the
// command other than reqs[skip] names exactly one version, and no
// requirements file or editable install is involved, so that dropping
// --upgrade changes nothing but the tool being pinned.
func pipOthersPinned(c *diagnose.Command, verb int, reqs []int, skip int) bool {
	if pkgmgr.PipHasOption(c, verb, "-r", "--requirement", "-e", "--editable", "--group") {
		return false
	}
	for _, j := range reqs {
		if j == skip {
			continue
		}
		if !c.Lit[j] {
			return false
		}
		_, rest, ok := pipReq(c.Words[j])
		if !ok || !pipPinned(rest) {
			return false
		}
	}
	return true
}

// dropUpgrade returns the edits that delete each standalone
// --upgrade / -U word of a pip install, with the blanks around it, so
// that the command stays well formed and an insertion right after
// `install` (DD009's --no-cache-dir) does not overlap. ok is false when a
// word cannot be removed cleanly (it shares a group like -qU, or ends the
// instruction on a line of its own).
func dropUpgrade(d *diagnose.Document, c *diagnose.Command, verb int) ([]fixes.Edit, bool) {
	var edits []fixes.Edit
	for i := verb + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			continue
		}
		w := c.Words[i]
		if w == "--" {
			break
		}
		if w != "--upgrade" && w != "-U" {
			if strings.HasPrefix(w, "-") && !strings.HasPrefix(w, "--") && strings.Contains(w, "U") {
				return nil, false // a group such as -qU
			}
			if pkgmgr.PipValueOpts[w] {
				i++
			}
			continue
		}
		s, ok := wordDeletion(d, c.ArgSpan(i))
		if !ok {
			return nil, false
		}
		edits = append(edits, diagnose.Delete(s))
	}
	return edits, len(edits) > 0
}

// wordDeletion is the span to delete to remove one shell word
// from its line: the word and the blanks after it when more follows on
// the line; the blanks before it when it ends the line (before a
// continuation or the end of the command); the whole line when it stands
// alone on a continued line.
func wordDeletion(d *diagnose.Document, w diagnose.Span) (diagnose.Span, bool) {
	line, _ := d.Position(w.Start)
	if endLine, _ := d.Position(w.End); endLine != line {
		return diagnose.Span{}, false
	}
	ls, le := d.LineStart(line), d.LineEnd(line)
	src := d.Src
	j := w.End
	for j < le && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	tail := strings.TrimSpace(string(src[j:le]))
	if j < le && tail != "\\" {
		return diagnose.Span{Start: w.Start, End: j}, true
	}
	k := w.Start
	for k > ls && (src[k-1] == ' ' || src[k-1] == '\t') {
		k--
	}
	if k > ls {
		return diagnose.Span{Start: k, End: w.End}, true
	}
	if tail == "\\" {
		return diagnose.Span{Start: ls, End: d.LineBreakEnd(line)}, true
	}
	return diagnose.Span{}, false
}

// nodeGlobal checks npm install -g, pnpm add -g and yarn global add.
func nodeGlobal(p *diagnose.Pass, c *diagnose.Command) {
	var pkgs []int
	var cmd string
	switch c.Name() {
	case "npm":
		sub := pkgmgr.Sub(c, pkgmgr.NpmValueOpts)
		if sub < 0 {
			return
		}
		switch c.Words[sub] {
		case "install", "i", "add", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall":
		default:
			return
		}
		global := c.HasFlag("-g", "--global") || pkgmgr.HasOpt(c, c.Prog, "--location=global")
		for _, v := range pkgmgr.OptValues(c, c.Prog, "--location") {
			global = global || v == "global"
		}
		if !global {
			return
		}
		cmd = "npm " + c.Words[sub] + " -g"
		pkgs = pkgmgr.Positionals(c, sub, pkgmgr.NpmValueOpts)
	case "pnpm":
		sub := pkgmgr.Sub(c, pkgmgr.PnpmValueOpts)
		if sub < 0 || (c.Words[sub] != "add" && c.Words[sub] != "install" && c.Words[sub] != "i") || !c.HasFlag("-g", "--global") {
			return
		}
		cmd = "pnpm " + c.Words[sub] + " -g"
		pkgs = pkgmgr.Positionals(c, sub, pkgmgr.PnpmValueOpts)
	case "yarn":
		sub := pkgmgr.Sub(c, pkgmgr.YarnValueOpts)
		if sub < 0 || c.Words[sub] != "global" {
			return
		}
		rest := pkgmgr.Positionals(c, sub, pkgmgr.YarnValueOpts)
		if len(rest) == 0 || c.Words[rest[0]] != "add" {
			return
		}
		cmd = "yarn global add"
		pkgs = rest[1:]
	}
	for _, i := range pkgs {
		if !c.Lit[i] {
			continue
		}
		name, ver, ok := npmSpec(c.Words[i])
		if !ok || !pkgmgr.NpmFloating(ver) {
			continue
		}
		span := c.ArgSpan(i)
		how := "without a version"
		if ver != "" {
			how = "with the tag @" + ver
		}
		v, known := images.ToolVersions[name]
		if !known {
			f := p.Report(span, "%s %s %s installs whatever release is newest on the day of the build; pin it as %s@<version>", cmd, name, how, name)
			f.Aliases = []string{"DL3016"}
			continue
		}
		f := p.Report(span, "%s %s %s installs whatever release is newest on the day of the build", cmd, name, how)
		f.Aliases = []string{"DL3016"}
		fx := f.AddFix("Pin "+name+" to "+v+" (dockdoc's version table of "+images.VersionsUpdated+")", fixes.Unsafe, diagnose.Replace(span, name+"@"+v))
		fx.Note = v + " is the newest " + name + " in dockdoc's built-in version table, last updated " + images.VersionsUpdated +
			"; dockdoc works offline and cannot know later releases. Prefer the version you use in development or CI."
	}
}

// npmSpec splits an npm package spec (name, @scope/name, each with
// an optional @version). ok is false for paths, URLs, git and tarballs.
func npmSpec(w string) (name, ver string, ok bool) {
	if w == "" || strings.ContainsAny(w[:1], "./~") || strings.Contains(w, ":") || strings.HasSuffix(w, ".tgz") {
		return "", "", false
	}
	at := strings.LastIndex(w, "@")
	if at <= 0 {
		name = w
	} else {
		name, ver = w[:at], w[at+1:]
	}
	if strings.HasPrefix(name, "@") != strings.Contains(name, "/") || strings.Count(name, "/") > 1 {
		return "", "", false // user/repo is a GitHub shorthand
	}
	return name, ver, true
}

// uvImage reports whether an image reference is the uv image
// without a tag that names a uv version, and returns its tag ("" when
// none).
func uvImage(ref string) (tag string, unpinned bool) {
	if ref == "" || strings.ContainsAny(ref, "$@") {
		return "", false
	}
	repo := ref
	if c := strings.LastIndex(ref, ":"); c > strings.LastIndex(ref, "/") {
		repo, tag = ref[:c], ref[c+1:]
	}
	if strings.ToLower(repo) != "astral-sh/uv" && !strings.HasSuffix(strings.ToLower(repo), "/astral-sh/uv") {
		return "", false
	}
	return tag, !uvTagVer.MatchString(tag)
}

func uvImageMessage(tag string) string {
	switch tag {
	case "":
		return "the uv image has no tag, so this copies whatever uv release is newest on the day of the build"
	case "latest":
		return "the uv image's latest tag copies whatever uv release is newest on the day of the build"
	}
	return "the uv image's tag " + tag + " names no uv version, so this copies whatever uv release is newest on the day of the build"
}

// uvPinFix adds the display-only suggestion of a versioned tag
// for the reference ref found inside word (logical offsets of in).
func uvPinFix(f *diagnose.Finding, in *diagnose.Instruction, word diagnose.Word, ref, tag string) {
	v, ok := images.ToolVersions["uv"]
	k := strings.Index(word.Text, ref)
	if !ok || k < 0 || strings.Count(word.Text, ref) != 1 {
		return
	}
	end := word.Span.Start + k + len(ref)
	var e fixes.Edit
	switch tag {
	case "":
		e = diagnose.Insert(in.Orig(end-1)+1, ":"+v)
	case "latest":
		e = diagnose.Replace(in.OrigSpan(diagnose.Span{Start: end - len(tag), End: end}), v)
	default:
		e = diagnose.Insert(in.Orig(end-len(tag)), v+"-")
	}
	fx := f.AddFix("Pin the uv image to "+v+" (dockdoc's version table of "+images.VersionsUpdated+")", fixes.Unsafe, e)
	fx.Note = v + " is the newest uv in dockdoc's built-in version table, last updated " + images.VersionsUpdated +
		"; use the release you develop with. Adding the digest (@sha256:...) pins the image exactly."
}

func uvImageCopy(p *diagnose.Pass, in *diagnose.Instruction) {
	ref, ok := pkgmgr.CopyFlag(in, "from")
	if !ok || p.Doc.StageByName(ref, len(p.Doc.Stages)) != nil {
		return
	}
	tag, unpinned := uvImage(ref)
	if !unpinned {
		return
	}
	for _, w := range in.Words()[1:] {
		if strings.HasPrefix(strings.ToLower(w.Text), "--from=") {
			f := p.Report(in.OrigSpan(w.Span), "%s", uvImageMessage(tag))
			uvPinFix(f, in, w, ref, tag)
			return
		}
	}
}

func uvImageMount(p *diagnose.Pass, in *diagnose.Instruction) {
	for _, m := range pkgmgr.Mounts(in) {
		if m.From == "" || p.Doc.StageByName(m.From, len(p.Doc.Stages)) != nil {
			continue
		}
		tag, unpinned := uvImage(m.From)
		if !unpinned {
			continue
		}
		for _, w := range in.Words()[1:] {
			if strings.HasPrefix(w.Text, "--mount=") && strings.Contains(w.Text, m.From) {
				f := p.Report(in.OrigSpan(w.Span), "%s", uvImageMessage(tag))
				uvPinFix(f, in, w, m.From, tag)
				break
			}
		}
	}
}
