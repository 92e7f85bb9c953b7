package buildmodel

import (
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Lists is what a stage knows of a package manager's package lists.
type Lists int

const (
	// NoLists: the lists are not there (official Debian and Ubuntu images
	// ship without them; rm -rf /var/lib/apt/lists removes them).
	NoLists Lists = iota
	// HaveLists: an apt-get update ran and nothing removed its lists.
	HaveLists
	// UnknownLists: something the model cannot read happened (a mount
	// over the lists, a script it cannot see into).
	UnknownLists
)

// Seen is what one instruction sees when it runs: the state earlier
// instructions of its stage (and of the stages it is built FROM) leave.
// Values are as written in the file; "" means the base image's default,
// which the model does not know.
type Seen struct {
	Workdir string // the working directory, "" until a WORKDIR
	User    string // the USER in force, "" until one
	Shell   string // the SHELL in force (its JSON text), "" for the default
	Lists   Lists  // apt's package lists
	// BaseUser is the user the stage's base image runs as when it is
	// known to be a non-root one (images.DefaultUser), else "".
	BaseUser string
	// NodeDev and PythonDev tell whether the project's development
	// dependencies are installed, after the last install of each.
	NodeDev, PythonDev DevDeps
	// Python tells whether a Python interpreter is in the stage's file
	// system (from the base image, a package install, uv python install).
	Python Presence
	// Bash tells whether bash is there (Alpine and BusyBox images have
	// only ash).
	Bash Presence
}

// Presence is what the model knows of a tool being installed.
type Presence int

const (
	MaybePresent Presence = iota // the model cannot tell
	Absent                       // the base image has none and nothing installed it
	Present
)

// DevDeps is what a stage knows of a project's development dependencies.
type DevDeps int

const (
	NoInstall   DevDeps = iota // no project install ran
	DevIncluded                // the last install included them
	DevOmitted                 // the last install left them out
)

// Config is the image configuration the file sets for a stage: the fields
// of the OCI image config an instruction of the file writes. Each value is
// as written; fields the file never sets are "".
type Config struct {
	Cmd, Entrypoint, WorkingDir, User, Shell, Env, Healthcheck string
	ExposedPorts, Volumes, StopSignal, Labels, OnBuild         string
}

// Fields names the Config fields as the OCI image config does, the names a
// fix declares in fixes.Fix.Changes.
func (c Config) Fields() map[string]string {
	return map[string]string{
		"Cmd": c.Cmd, "Entrypoint": c.Entrypoint, "WorkingDir": c.WorkingDir, "User": c.User,
		"Shell": c.Shell, "Env": c.Env, "Healthcheck": c.Healthcheck, "ExposedPorts": c.ExposedPorts,
		"Volumes": c.Volumes, "StopSignal": c.StopSignal, "Labels": c.Labels, "OnBuild": c.OnBuild,
	}
}

// Need is a precondition a command has on what came before it, and
// whether it holds.
type Need struct {
	In   *diagnose.Instruction
	What string // "apt-get install needs package lists"
	Held bool
	Why  string // when it does not hold: what the command would find
}

// Model is the model of one document's build: what each instruction sees,
// the needs of its commands, and the image config of each stage.
type Model struct {
	Doc    *diagnose.Document
	Seen   []Seen   // by Instruction.Index (zero for instructions before the first FROM)
	Needs  []Need   // in file order
	Config []Config // by Stage.Index
	// Reads are the paths of the build context the build reads by name
	// (COPY sources written plainly, .git for git commands), in file
	// order: what a .dockerignore must not exclude.
	Reads []Read
}

// A Read is a path of the build context an instruction reads.
type Read struct {
	Path string // "package.json", ".env", ".git"
	In   *diagnose.Instruction
	Why  string // "git describe at line 9", "COPY at line 3"
}

// Build walks the document's stages in order; a stage built FROM an earlier
// one starts from that stage's state (a stage can only be built on an
// earlier one, so file order is build order).
func Build(d *diagnose.Document) *Model {
	m := &Model{Doc: d, Seen: make([]Seen, len(d.Instructions)), Config: make([]Config, len(d.Stages))}
	end := make([]Seen, len(d.Stages))
	// ARGs declared before the first FROM: their defaults reach a stage
	// that declares the ARG again without one.
	globals := vars{}
	for _, in := range d.Instructions {
		if in.Stage != nil {
			break
		}
		if in.Keyword == "arg" {
			globals.arg(in, nil, d.Escape)
		}
	}
	endVars := make([]vars, len(d.Stages))
	copied := make([]bool, len(d.Stages))
	for _, st := range d.Stages {
		var cur Seen
		var cfg Config
		if st.Parent != nil {
			cur, cfg = end[st.Parent.Index], m.Config[st.Parent.Index]
		} else {
			if u, nonRoot := images.DefaultUser(st.Image); nonRoot {
				cur.BaseUser = u
			}
			cur.Python = pythonInImage(st.Image)
			cur.Bash = bashInImage(st.Image)
		}
		// The stage's ENV assignments accumulate in one builder (one
		// string per instruction would cost the square of the file).
		var env strings.Builder
		env.WriteString(cfg.Env)
		vs, ev := vars{}, vars{} // every value known here; the ENV values alone
		if st.Parent != nil {
			vs, ev = endVars[st.Parent.Index].clone(), endVars[st.Parent.Index].clone() // ENV carries over, ARG does not
		}
		copiedAll := st.Parent != nil && copied[st.Parent.Index] // a COPY or ADD of the whole context came before
		for _, in := range st.Instrs {
			m.Seen[in.Index] = cur
			switch in.Keyword {
			case "env":
				env.WriteString(m.pairs(in))
				for _, p := range buildvars.Pairs(in.Node) {
					vs[p.Key] = vs.expand(p.Value, d.Escape)
					ev[p.Key] = vs[p.Key]
				}
				continue
			case "arg":
				vs.arg(in, globals, d.Escape)
				continue
			case "copy":
				m.copySources(in, vs)
				if copiesTools(in) {
					// Files from another image or stage: an interpreter or a
					// shell may come with them.
					if cur.Python == Absent {
						cur.Python = MaybePresent
					}
					if cur.Bash == Absent {
						cur.Bash = MaybePresent
					}
				}
			}
			m.contextReads(in, &copiedAll)
			m.step(in, &cur, &cfg, vs)
		}
		cfg.Env = env.String()
		m.startNeeds(st, cur)
		end[st.Index], m.Config[st.Index], endVars[st.Index], copied[st.Index] = cur, cfg, ev, copiedAll
	}
	return m
}

// vars are the values of ARGs and ENVs a stage knows, for expanding
// instruction arguments as BuildKit does.
type vars map[string]string

func (v vars) clone() vars {
	c := vars{}
	for k, x := range v {
		c[k] = x
	}
	return c
}

func (v vars) Get(k string) (string, bool) { x, ok := v[k]; return x, ok }
func (v vars) Keys() []string {
	ks := make([]string, 0, len(v))
	for k := range v {
		ks = append(ks, k)
	}
	return ks
}

// expand reads a word with the known values (unknown variables expand to
// nothing, as in BuildKit); a word the lexer refuses stays as written.
func (v vars) expand(raw string, esc byte) string {
	res, err := shell.NewLex(rune(esc)).ProcessWordWithMatches(raw, v)
	if err != nil {
		return raw
	}
	return res.Result
}

// arg records an ARG's names with their defaults (or the global default
// of a name declared again without one).
func (v vars) arg(in *diagnose.Instruction, globals vars, esc byte) {
	for n := in.Node.Next; n != nil; n = n.Next {
		name, def, hasDef := strings.Cut(n.Value, "=")
		switch {
		case hasDef:
			v[name] = v.expand(def, esc)
		case globals != nil:
			if g, ok := globals[name]; ok {
				v[name] = g
			}
		}
	}
}

// contextReads records what an instruction reads from the build context
// that .dockerignore could take away: a COPY or ADD source named plainly
// (no wildcard, not the whole context), and .git for a git command in a
// RUN after the whole context was copied in its stage or in one it is
// built FROM, or that mounts the context (git describe, rev-parse, log).
// copiedAll tells, and learns, whether the stage copied the whole context.
func (m *Model) contextReads(in *diagnose.Instruction, copiedAll *bool) {
	var ign interface{ Ignores(string) bool } = noIgnores{}
	if m.Doc.Ctx != nil && m.Doc.Ctx.DockerIgnore != nil {
		ign = m.Doc.Ctx.DockerIgnore
	}
	switch in.Keyword {
	case "copy", "add":
		for _, w := range contextSources(in) {
			p := path.Clean(strings.TrimPrefix(w, "./"))
			switch {
			case p == "." || p == "/":
				*copiedAll = true
			case strings.ContainsAny(w, "*?[$") || strings.Contains(w, "://") || path.IsAbs(w):
			default:
				m.Reads = append(m.Reads, Read{Path: p, In: in, Why: fmt.Sprintf("%s at line %d", strings.ToUpper(in.Keyword), in.StartLine)})
				n := Need{In: in, What: "COPY source " + p + " is in the build context", Held: !ign.Ignores(p)}
				if !n.Held {
					n.Why = fmt.Sprintf("%s at line %d would find no %s: .dockerignore excludes it from the build context", strings.ToUpper(in.Keyword), in.StartLine, p)
				}
				m.Needs = append(m.Needs, n)
			}
		}
	case "run":
		// A bind mount of the context (--mount=target=., no from=) shows
		// the RUN the whole context, .git included.
		mounted := false
		for _, mt := range diagnose.ParseMounts(in.Node.Flags) {
			s := path.Clean("/" + mt.Source)
			mounted = mounted || mt.Type == "bind" && mt.From == "" && (s == "/" || s == "/.git")
		}
		if !*copiedAll && !mounted {
			return
		}
		for _, c := range in.Commands(m.Doc) {
			if c.Name() != "git" {
				continue
			}
			sub := c.Sub()
			if sub < 0 || c.Words[sub] == "clone" || c.Words[sub] == "init" || c.Words[sub] == "config" || c.Words[sub] == "--version" {
				continue
			}
			m.Reads = append(m.Reads, Read{Path: ".git", In: in, Why: fmt.Sprintf("git %s at line %d", c.Words[sub], in.StartLine)})
			n := Need{In: in, What: "git needs .git from the build context", Held: !ign.Ignores(".git")}
			if !n.Held {
				n.Why = fmt.Sprintf("git %s at line %d would find no repository: .dockerignore excludes .git from the build context", c.Words[sub], in.StartLine)
			}
			m.Needs = append(m.Needs, n)
			return
		}
	}
}

// nodeWords lists an instruction's arguments as the parser split them
// (an exec-form array's elements, a COPY's sources and destination).
func nodeWords(in *diagnose.Instruction) []string {
	var words []string
	for n := in.Node.Next; n != nil; n = n.Next {
		words = append(words, n.Value)
	}
	return words
}

// contextSources lists the sources of a COPY or ADD that reads the build
// context: none for --from, which reads a stage or an image.
func contextSources(in *diagnose.Instruction) []string {
	for _, f := range in.Node.Flags {
		if strings.HasPrefix(f, "--from=") {
			return nil
		}
	}
	words := nodeWords(in)
	if len(words) < 2 {
		return nil
	}
	return words[:len(words)-1]
}

type noIgnores struct{}

func (noIgnores) Ignores(string) bool { return false }

// copySources records the need of a COPY (not --from) that its sources be
// in the build context: BuildKit rejects a URL ("source can't be a URL for
// COPY"), ADD's job.
func (m *Model) copySources(in *diagnose.Instruction, vs vars) {
	srcs := contextSources(in)
	if len(srcs) == 0 {
		return
	}
	n := Need{In: in, What: "COPY sources are local", Held: true}
	for _, w := range srcs {
		if src := vs.expand(w, m.Doc.Escape); strings.Contains(strings.ToLower(src), "://") {
			n.Held = false
			n.Why = fmt.Sprintf("COPY at line %d would copy from %s, a URL, which COPY rejects (only ADD downloads)", in.StartLine, src)
			break
		}
	}
	m.Needs = append(m.Needs, n)
}

// pairs writes the key=value pairs of an ENV or LABEL one per line, each
// value as BuildKit reads it (quotes and escapes removed), so the legacy
// form "ENV A b c" and "ENV A=\"b c\"" set the same thing. A value that
// refers to a variable stays as written.
func (m *Model) pairs(in *diagnose.Instruction) string {
	var b strings.Builder
	for _, p := range buildvars.Pairs(in.Node) {
		b.WriteString(p.Key + "=" + lexKeepVars(p.Value, m.Doc.Escape) + "\n")
	}
	return b.String()
}

// keepVars answers every variable with its own reference, so lexing a
// word removes quotes and escapes but keeps "$HOME" as "${HOME}".
type keepVars struct{}

func (keepVars) Get(k string) (string, bool) { return "${" + k + "}", true }
func (keepVars) Keys() []string              { return nil }

// lexKeepVars reads a word as BuildKit's lexer does, variables kept as
// references; a word the lexer refuses stays as written.
func lexKeepVars(raw string, esc byte) string {
	res, err := shell.NewLex(rune(esc)).ProcessWordWithMatches(raw, keepVars{})
	if err != nil {
		return raw
	}
	return res.Result
}

// command writes a CMD or ENTRYPOINT as the config holds it: exec form as
// its words, shell form as the shell's script and the SHELL in force,
// which BuildKit writes in front of it (so ["a","b"] and ["a", "b"] are the
// same, "a b" differs from ["a", "b"], and a new SHELL changes "a b").
func command(in *diagnose.Instruction, shell string) string {
	if !in.IsExecForm() {
		return "shell " + shell + ": " + args(in)
	}
	return "exec: " + strings.Join(nodeWords(in), "\x00")
}

// args is an instruction's text after its keyword, flags included.
func args(in *diagnose.Instruction) string {
	a, _ := in.Args()
	return strings.TrimSpace(a)
}

func (m *Model) step(in *diagnose.Instruction, cur *Seen, cfg *Config, vs vars) {
	switch in.Keyword {
	case "workdir":
		w := args(in)
		switch {
		case strings.Contains(w, "$"):
		case path.IsAbs(w):
			w = path.Clean(w)
		case cur.Workdir != "":
			w = path.Join(cur.Workdir, w)
		}
		cur.Workdir, cfg.WorkingDir = w, w
	case "user":
		cur.User, cfg.User = args(in), args(in)
	case "shell":
		m.shellNeed(in, cur)
		sh := args(in)
		if w := nodeWords(in); in.IsExecForm() && len(w) == 2 && w[0] == "/bin/sh" && w[1] == "-c" {
			sh = "" // the default shell of a Linux image, written out
		}
		cur.Shell, cfg.Shell = sh, sh
	case "cmd":
		cfg.Cmd = command(in, cur.Shell)
	case "entrypoint":
		cfg.Entrypoint = command(in, cur.Shell)
		cfg.Cmd = "" // BuildKit resets CMD when ENTRYPOINT is set
	case "healthcheck":
		cfg.Healthcheck = args(in)
	case "expose":
		cfg.ExposedPorts += args(in) + "\n"
	case "volume":
		cfg.Volumes += args(in) + "\n"
	case "stopsignal":
		cfg.StopSignal = args(in)
	case "label":
		cfg.Labels += m.pairs(in)
	case "maintainer":
		cfg.Labels += "MAINTAINER " + args(in) + "\n" // the image's Author field
	case "onbuild":
		cfg.OnBuild += args(in) + "\n"
	case "run":
		m.run(in, cur, vs)
	}
}

// run follows the package lists through one RUN's commands, in order, and
// records the needs of the installs.
func (m *Model) run(in *diagnose.Instruction, cur *Seen, vs vars) {
	for _, e := range m.events(in) {
		switch e.kind {
		case evCmd:
			m.rootNeed(in, cur, e)
		case evInstall:
			m.devInstall(in, cur, e, vs)
		case evPython:
			cur.Python = Present
		case evBash:
			cur.Bash = Present
		case evUVNeed:
			m.uvNeed(in, cur, e, vs)
		case evUpdate:
			cur.Lists = HaveLists
		case evRemove:
			cur.Lists = NoLists
		case evUnknown:
			cur.Lists = UnknownLists
		case evNeed:
			n := Need{In: in, What: "apt-get " + e.verb + " needs package lists", Held: cur.Lists != NoLists}
			if !n.Held {
				n.Why = fmt.Sprintf("apt-get %s at line %d would find no package lists", e.verb, in.StartLine+e.line)
			}
			m.Needs = append(m.Needs, n)
		}
	}
}

// An event is what one command of a RUN does to the package lists, who
// it must run as, or what it installs.
type event struct {
	kind evKind
	verb string // evNeed: the apt-get subcommand; evCmd: the program; evInstall: "npm ci"
	line int    // lines below the RUN's first line
	// evCmd: the command runs under sudo; it needs root (installs
	// packages, manages users).
	sudo, root bool
	// evInstall: the ecosystem, whether the flags leave the dev
	// dependencies out, and whether it is in an explicit development
	// branch of its script.
	eco              string
	omits, devBranch bool
}

type evKind int

const (
	evUpdate evKind = iota
	evRemove
	evUnknown
	evNeed
	evCmd
	evInstall
	evPython // installs a Python interpreter
	evUVNeed // a uv command that needs an interpreter (omits: its flags forbid downloads)
	evBash   // installs bash
)

// eventCache remembers the events of RUN texts: the doctor judges a
// composition on every key press, and the composed file repeats most RUNs
// of the original, whose shell need not be read again. Bounded: it starts
// over when full.
var eventCache = struct {
	sync.Mutex
	m     map[string][]event
	bytes int
}{m: map[string][]event{}}

// eventCacheMax bounds the cache's keys in bytes; texts longer than
// eventKeyMax are read each time.
const (
	eventCacheMax = 32 << 20
	eventKeyMax   = 64 << 10
)

// events reads a RUN's commands once per distinct text (heredoc bodies,
// flags and the escape character included).
func (m *Model) events(in *diagnose.Instruction) []event {
	d := m.Doc
	var k strings.Builder
	k.WriteByte(d.Escape)
	k.WriteString(in.Logical)
	for _, h := range in.Heredocs {
		k.Write(d.Src[h.Body.Start:h.Body.End])
	}
	key := k.String()
	if len(key) > eventKeyMax {
		return m.readEvents(in)
	}
	eventCache.Lock()
	evs, ok := eventCache.m[key]
	eventCache.Unlock()
	if ok {
		return evs
	}
	evs = m.readEvents(in)
	eventCache.Lock()
	if eventCache.bytes+len(key) > eventCacheMax {
		eventCache.m, eventCache.bytes = map[string][]event{}, 0
	}
	eventCache.m[key] = evs
	eventCache.bytes += len(key)
	eventCache.Unlock()
	return evs
}

func (m *Model) readEvents(in *diagnose.Instruction) []event {
	d := m.Doc
	// A cache or tmpfs mount over the lists: what they hold is not the
	// image's business, and after the RUN the image's own lists are as
	// before. (Only apt needs an update before an install: apk, dnf, yum
	// and zypper fetch their indexes themselves.)
	aptMounted := mountsLists(in)
	cmds := in.Commands(d)
	if in.IsExecForm() {
		// ["apt-get", "install", "-y", "x"]: one command, its words as written.
		words := nodeWords(in)
		lit := make([]bool, len(words))
		for i := range lit {
			lit[i] = true
		}
		cmds = []*diagnose.Command{{Words: words, Lit: lit}}
	} else if len(in.Scripts(d)) == 0 {
		if in.HasPOSIXShell() {
			return []event{{kind: evUnknown}} // a script dockdoc cannot read
		}
		return nil
	}
	var evs []event
	for _, c := range cmds {
		line := 0
		if c.Script != nil {
			l, _ := d.Position(c.Script.Span(c.Call).Start)
			line = l - in.StartLine
		}
		if c.Name() != "" {
			evs = append(evs, event{kind: evCmd, verb: c.Name(), line: line, sudo: underSudo(c), root: needsRoot(c)})
		}
		if installsPython(c) {
			evs = append(evs, event{kind: evPython})
		}
		if installsPackage(c, "bash") {
			evs = append(evs, event{kind: evBash})
		}
		if verb, noDownloads, ok := uvNeedsPython(c); ok {
			evs = append(evs, event{kind: evUVNeed, verb: verb, line: line, omits: noDownloads})
		}
		if di, ok := pkgmgr.DevInstallOf(c, inlineEnv(c)); ok {
			evs = append(evs, event{kind: evInstall, verb: di.Verb, line: line, eco: di.Eco, omits: di.Omits,
				devBranch: runscript.DevBranch(c)})
		}
		if aptMounted {
			continue
		}
		switch {
		case isAptGet(c, "update"):
			evs = append(evs, event{kind: evUpdate})
		case isAptGet(c, "install"), isAptGet(c, "upgrade"), isAptGet(c, "dist-upgrade"), isAptGet(c, "full-upgrade"):
			if c.HasFlag("-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act") {
				continue
			}
			evs = append(evs, event{kind: evNeed, verb: c.Words[pkgmgr.VerbIndex(c)], line: line})
		case pkgmgr.RemovesAptLists(c), removesLists(c):
			evs = append(evs, event{kind: evRemove})
		}
	}
	return evs
}

// isAptGet reports whether c is apt-get (or apt) running verb.
func isAptGet(c *diagnose.Command, verb string) bool {
	if n := c.Name(); n != "apt-get" && n != "apt" {
		return false
	}
	i := pkgmgr.VerbIndex(c)
	return i >= 0 && c.Words[i] == verb
}

// removesLists reports whether c is an rm of apt's package lists, even
// without -r: the files go, which is all a later install needs to fail
// (pkgmgr.RemovesAptLists covers the recursive removals and dist-clean).
func removesLists(c *diagnose.Command) bool {
	if c.Name() != "rm" {
		return false
	}
	for _, w := range c.Words[1:] {
		if !strings.HasPrefix(w, "-") && pkgmgr.ListsPath(w) {
			return true
		}
	}
	return false
}

// mountsLists reports whether the RUN mounts something over apt's lists.
func mountsLists(in *diagnose.Instruction) bool {
	for _, t := range diagnose.EphemeralMountTargets(in) {
		if pkgmgr.ListsPath(t) {
			return true
		}
	}
	return false
}
