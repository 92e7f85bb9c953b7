package variables

import (
	"fmt"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD072",
	Name:     "undefined-var",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"UndefinedVar"},
	Summary:  "variable used before any ARG or ENV defines it",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Follows the variables each stage has defined (its `ARG`s and `ENV`s, those of the stage it is built " +
			"`FROM`, and `PATH`, which Docker always sets) and flags a `$VAR` that Docker expands before anything " +
			"defines it. Only what Docker itself expands is checked, with BuildKit's own expansion rules: `ENV`, " +
			"`ARG` defaults, `LABEL`, `WORKDIR`, `USER`, `VOLUME`, `STOPSIGNAL`, the sources, destination, " +
			"`--chown`, `--chmod` and `--checksum` of `COPY` / `ADD`, the contents of an unquoted `COPY <<EOF` " +
			"heredoc and the `--mount` options of `RUN`. The commands of `RUN`, `CMD` and `ENTRYPOINT` are not " +
			"checked: the shell expands those when the container runs them, with the environment it has then. " +
			"`FROM` lines are checked by undefined-arg-in-from.\n\n" +
			"BuildKit also knows the environment of the base image, which dockdoc cannot see offline. For a stage " +
			"built on an image (anything but `scratch`), dockdoc therefore only flags a variable when the file shows " +
			"it is one of its own: a global `ARG` the stage never declared, a platform argument such as " +
			"`TARGETARCH` without its `ARG`, a name defined further down the stage or only in another stage, or a " +
			"near-miss of a defined name (the message then suggests it). Names that common official images set " +
			"(`PYTHON_VERSION`, `NODE_VERSION`, `JAVA_HOME`, `GOPATH`, ...) are left alone for those images. For " +
			"stages built on `scratch` every undefined variable is flagged, as BuildKit does. Files using the " +
			"backtick escape (Windows images) are skipped: there variable names ignore case and the base image " +
			"sets many of them.",
		Why: "An undefined variable expands to an empty string without any error. `ARG VERSION=1.2` before the first " +
			"`FROM` is invisible inside the stage until it says `ARG VERSION` again, so `COPY app-$VERSION.tar /` " +
			"copies `app-.tar` and fails, and `ENV PATH=$APP_HOME/bin:$PATH` written a line before " +
			"`ENV APP_HOME=/app` puts `/bin` on the path instead of `/app/bin`. `ENV` values do not cross stages " +
			"either. These mistakes build a " +
			"different image than the one you read in the file.",
		Bad:  "ARG VERSION=1.2\nFROM alpine:3.20\nCOPY app-$VERSION.tar.gz /tmp/",
		Good: "ARG VERSION=1.2\nFROM alpine:3.20\nARG VERSION\nCOPY app-$VERSION.tar.gz /tmp/",
		Fix: "No automatic fix: the right repair depends on intent. Declare the argument in the stage " +
			"(`ARG VERSION` picks up the global default), move the `ENV` above its first use, repeat it in the " +
			"stage that needs it, or correct the misspelt name the message suggests.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/undefined-var/",
			"https://docs.docker.com/reference/dockerfile/#environment-replacement",
			"https://docs.docker.com/reference/dockerfile/#scope",
		},
	},
	Check: checkUndefinedVar,
})

// state is what a stage has defined at some point: the environment
// BuildKit expands with (ARGs with a value, ENVs, PATH) and the ARG names
// declared, which BuildKit never reports even without a value.
type state struct {
	env      *buildvars.Env
	declared map[string]bool
	scratch  bool   // the stage chain starts from scratch: nothing unknown
	image    string // the image the chain starts from, otherwise
}

func (s *state) clone() *state {
	c := &state{env: s.env.Clone(), declared: map[string]bool{}, scratch: s.scratch, image: s.image}
	for k := range s.declared {
		c.declared[k] = true
	}
	return c
}

// use is one undefined variable in an instruction.
type use struct {
	name    string
	span    diagnose.Span // Src span of the first reference
	sameEnv bool          // an earlier pair of the same ENV sets it
	suggest string        // BuildKit's did-you-mean among the names set then
}

func checkUndefinedVar(p *diagnose.Pass) {
	d := p.Doc
	if d.Escape != '\\' {
		// A Windows Dockerfile: variable names ignore case there and the
		// base image's environment (ProgramFiles, ...) is unknown.
		return
	}
	g := buildvars.Globals(d)
	// Where each name is defined by an ARG or ENV inside a stage.
	defs := map[string][]*diagnose.Instruction{}
	for _, in := range d.Instructions {
		if in.Stage == nil {
			continue
		}
		switch in.Keyword {
		case "arg":
			for _, a := range buildvars.Args(in.Node) {
				defs[a.Key] = append(defs[a.Key], in)
			}
		case "env":
			for _, pr := range buildvars.Pairs(in.Node) {
				defs[pr.Key] = append(defs[pr.Key], in)
			}
		}
	}
	ends := map[*diagnose.Stage]*state{}
	for _, s := range d.Stages {
		var st *state
		if s.Parent != nil && ends[s.Parent] != nil {
			st = ends[s.Parent].clone()
		} else {
			st = &state{env: buildvars.NewEnv(), declared: map[string]bool{}}
			st.env.Set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
			st.scratch = strings.EqualFold(s.Image, "scratch")
			st.image = s.Image
		}
		for _, in := range s.Instrs[1:] {
			for _, u := range instruction(d, g, in, st) {
				report(p, d, g, s, in, st, u, defs)
			}
		}
		ends[s] = st
	}
}

// instruction checks one instruction against st, then applies its
// definitions to st. It returns the undefined variables, in order.
func instruction(d *diagnose.Document, g *buildvars.Global, in *diagnose.Instruction, st *state) []use {
	var uses []use
	seen := map[string]bool{}
	// note records the undefined names of one expansion.
	note := func(x buildvars.Expansion, ok bool, search func(name string) (diagnose.Span, bool)) {
		if !ok {
			return
		}
		for _, name := range buildvars.SortedKeys(x.Unmatched) {
			if seen[name] || st.declared[name] || buildvars.NonEnvArgs[name] {
				continue
			}
			seen[name] = true
			sp, found := search(name)
			if !found {
				sp = in.KeywordSpan()
			}
			u := use{name: name, span: sp}
			if len(name) >= 4 || st.scratch {
				u.suggest = buildvars.SuggestName(name, st.env.Keys())
			}
			uses = append(uses, u)
		}
	}
	inLogical := func(name string) (diagnose.Span, bool) {
		_, start := in.Args()
		if ls, ok := buildvars.FindVar(in.Logical, name, min(start, len(in.Logical))); ok {
			return in.OrigSpan(ls), true
		}
		if ls, ok := buildvars.FindVar(in.Logical, name, 0); ok {
			return in.OrigSpan(ls), true
		}
		return diagnose.Span{}, false
	}
	word := func(w string) {
		x, ok := buildvars.Expand(w, st.env, d.Escape)
		note(x, ok, inLogical)
	}
	flags := func(names ...string) {
		for _, f := range in.Node.Flags {
			for _, n := range names {
				if v, ok := strings.CutPrefix(f, "--"+n+"="); ok {
					word(v)
				}
			}
		}
	}
	values := func(skipHeredoc bool) {
		for n := in.Node.Next; n != nil; n = n.Next {
			if skipHeredoc && strings.HasPrefix(n.Value, "<<") {
				continue
			}
			word(n.Value)
		}
	}
	switch in.Keyword {
	case "env":
		pairs := buildvars.Pairs(in.Node)
		setBefore := map[string]bool{}
		for _, pr := range pairs {
			word(pr.Key)
			n := len(uses)
			word(pr.Value)
			for i := n; i < len(uses); i++ {
				uses[i].sameEnv = setBefore[uses[i].name]
			}
			setBefore[pr.Key] = true
		}
		for _, pr := range pairs {
			if !strings.Contains(pr.Key, "$") {
				st.env.Set(pr.Key, "")
			}
		}
	case "arg":
		for _, a := range buildvars.Args(in.Node) {
			if a.Value != nil {
				word(*a.Value)
			}
			st.declared[a.Key] = true
			if buildvars.NonEnvArgs[a.Key] {
				continue
			}
			if a.Value != nil {
				st.env.Set(a.Key, "")
			} else if _, ok := g.Env.Get(a.Key); ok {
				st.env.Set(a.Key, "")
			}
		}
	case "label":
		for _, pr := range buildvars.Pairs(in.Node) {
			word(pr.Key)
			word(pr.Value)
		}
	case "workdir", "user", "stopsignal", "volume":
		values(false)
	case "copy", "add":
		flags("chown", "chmod", "checksum")
		values(true)
		for i, h := range in.Node.Heredocs {
			if !h.Expand || i >= len(in.Heredocs) {
				continue
			}
			body := in.Heredocs[i].Body
			x, ok := buildvars.ExpandRaw(h.Content, st.env)
			note(x, ok, func(name string) (diagnose.Span, bool) {
				text := string(d.Src[body.Start:body.End])
				if ls, ok := buildvars.FindVar(text, name, 0); ok {
					return diagnose.Span{Start: body.Start + ls.Start, End: body.Start + ls.End}, true
				}
				return diagnose.Span{}, false
			})
		}
	case "run":
		for _, f := range in.Node.Flags {
			v, ok := strings.CutPrefix(f, "--mount=")
			if !ok {
				continue
			}
			for _, field := range strings.Split(v, ",") {
				if _, val, ok := strings.Cut(field, "="); ok {
					word(val)
				}
			}
		}
	}
	return uses
}

// report reports an undefined variable when the file gives evidence it
// is one of its own (or the stage starts from scratch).
func report(p *diagnose.Pass, d *diagnose.Document, g *buildvars.Global, s *diagnose.Stage, in *diagnose.Instruction, st *state, u use, defs map[string][]*diagnose.Instruction) {
	name := u.name
	effect := "so it expands to nothing here"
	if u.span.End-u.span.Start > 1 && u.span.End <= len(d.Src) {
		if t := string(d.Src[u.span.Start:u.span.End]); strings.HasPrefix(t, "${") && !strings.HasSuffix(t, "}") {
			effect = "so it is never set here"
		}
	}
	sug := u.suggest
	hint := ""
	if sug != "" {
		hint = fmt.Sprintf(" (did you mean $%s?)", sug)
	}
	// Evidence, strongest first.
	var later, other *diagnose.Instruction
	for _, def := range defs[name] {
		switch {
		case def.Stage == s && def.Index > in.Index:
			if later == nil {
				later = def
			}
		case def.Stage != s && !ancestor(def.Stage, s):
			if other == nil {
				other = def
			}
		}
	}
	var msg string
	switch {
	case buildvars.IsPlatformArg(name) && !g.DeclaredGlobally(name):
		msg = fmt.Sprintf("$%s is only set in a stage after `ARG %s`, %s%s", name, name, effect, hint)
	case g.Keys[name]:
		if imageMaySet(st, name) {
			return
		}
		decl := g.Decl[name]
		if decl == nil {
			msg = fmt.Sprintf("$%s is only set in a stage after `ARG %s`, %s%s", name, name, effect, hint)
			break
		}
		msg = fmt.Sprintf("$%s is a global ARG (line %d), but a stage only sees it after its own `ARG %s`, %s%s",
			name, decl.StartLine, name, effect, hint)
	case u.sameEnv:
		if imageMaySet(st, name) {
			return
		}
		msg = fmt.Sprintf("$%s is set earlier in this same ENV, but Docker expands all values of one ENV before setting any, %s%s",
			name, effect, hint)
	case later != nil:
		if imageMaySet(st, name) {
			return
		}
		msg = fmt.Sprintf("$%s is used before the %s on line %d that defines it, %s%s",
			name, strings.ToUpper(later.Keyword), later.StartLine, effect, hint)
	case other != nil:
		if imageMaySet(st, name) {
			return
		}
		msg = fmt.Sprintf("$%s is only defined in %s (line %d), which this stage does not build on, %s%s",
			name, stageLabel(other.Stage), other.StartLine, effect, hint)
	case sug != "":
		if imageMaySet(st, name) {
			return
		}
		msg = fmt.Sprintf("$%s is not defined at this point, %s%s", name, effect, hint)
	case st.scratch:
		msg = fmt.Sprintf("$%s is not defined by any ARG or ENV before this point, %s", name, effect)
	default:
		return // may come from the base image, which dockdoc cannot see
	}
	p.Report(u.span, "%s", msg)
}

// ancestor reports whether a is s or a stage s is built on.
func ancestor(a, s *diagnose.Stage) bool {
	for i := 0; s != nil && i < 64; i++ {
		if s == a {
			return true
		}
		s = s.Parent
	}
	return false
}

func stageLabel(s *diagnose.Stage) string {
	if s.Name != "" {
		return "stage " + s.Name
	}
	return fmt.Sprintf("stage %d", s.Index)
}

// imageEnv lists variables that popular official images set, by image
// name (the last path component, without tag). A prefix ending in "_"
// stands for every name starting with it.
var imageEnv = map[string][]string{
	"python":          {"PYTHON_", "GPG_KEY", "LANG"},
	"pypy":            {"PYPY_", "PYTHON_", "LANG"},
	"node":            {"NODE_", "YARN_VERSION"},
	"golang":          {"GOLANG_", "GOPATH", "GOTOOLCHAIN"},
	"ruby":            {"RUBY_", "GEM_HOME", "BUNDLE_", "LANG"},
	"php":             {"PHP_", "PHPIZE_DEPS", "GPG_KEYS", "APACHE_"},
	"rust":            {"RUSTUP_HOME", "CARGO_HOME", "RUST_VERSION"},
	"nginx":           {"NGINX_", "NJS_", "PKG_RELEASE", "DYNPKG_RELEASE"},
	"httpd":           {"HTTPD_"},
	"postgres":        {"PG", "GOSU_VERSION", "LANG"},
	"mysql":           {"MYSQL_", "GOSU_VERSION"},
	"mariadb":         {"MARIADB_", "GOSU_VERSION", "LANG"},
	"erlang":          {"OTP_VERSION", "REBAR3_VERSION", "REBAR_VERSION", "LANG"},
	"elixir":          {"ELIXIR_VERSION", "OTP_VERSION", "REBAR3_VERSION", "LANG"},
	"openjdk":         {"JAVA_", "LANG", "LANGUAGE", "LC_ALL"},
	"eclipse-temurin": {"JAVA_", "LANG", "LANGUAGE", "LC_ALL"},
	"amazoncorretto":  {"JAVA_", "LANG"},
	"maven":           {"MAVEN_", "JAVA_", "LANG", "LANGUAGE", "LC_ALL"},
	"gradle":          {"GRADLE_", "JAVA_", "LANG", "LANGUAGE", "LC_ALL"},
	"tomcat":          {"CATALINA_HOME", "TOMCAT_", "LD_LIBRARY_PATH", "JAVA_", "LANG", "LANGUAGE", "LC_ALL"},
	"jenkins":         {"JENKINS_", "REF", "COPY_REFERENCE_FILE_LOG", "AGENT_WORKDIR", "JAVA_", "LANG"},
	"docker":          {"DOCKER_"},
	"cuda":            {"CUDA_", "NV_", "NVIDIA_", "LD_LIBRARY_PATH", "LIBRARY_PATH", "NCCL_VERSION"},
}

// imageMaySet reports whether the image the stage chain starts from may
// set name itself (then BuildKit would see it defined).
func imageMaySet(st *state, name string) bool {
	if st.scratch || st.image == "" {
		return false
	}
	img := strings.ToLower(st.image)
	if i := strings.IndexByte(img, '@'); i >= 0 {
		img = img[:i]
	}
	last := img[strings.LastIndex(img, "/")+1:]
	if i := strings.IndexByte(last, ':'); i >= 0 {
		last = last[:i]
	}
	patterns := imageEnv[last]
	if strings.Contains(img, "dotnet") {
		patterns = append(patterns, "DOTNET_", "ASPNETCORE_", "ASPNET_VERSION", "APP_UID", "NUGET_", "POWERSHELL_")
	}
	// Official images usually prefix their variables with their own name.
	patterns = append(patterns, strings.ToUpper(strings.ReplaceAll(last, "-", "_"))+"_")
	for _, pat := range patterns {
		if pat == name || (strings.HasSuffix(pat, "_") && strings.HasPrefix(name, pat)) || (pat == "PG" && strings.HasPrefix(name, "PG")) {
			return true
		}
	}
	return false
}
