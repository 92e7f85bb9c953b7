package buildmodel

import (
	"fmt"
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
)

// underSudo reports whether c runs through a plain sudo (not sudo -u
// someone), which makes it root whatever the USER.
func underSudo(c *diagnose.Command) bool {
	sudo := false
	for i := 0; i < c.Prog && i < len(c.Words); i++ {
		w := c.Words[i]
		switch {
		case path.Base(w) == "sudo":
			sudo = true
		case sudo && (w == "-u" || w == "-g" || strings.HasPrefix(w, "--user") || strings.HasPrefix(w, "--group") ||
			(strings.HasPrefix(w, "-u") && len(w) > 2)):
			return false
		}
	}
	return sudo
}

// rootVerbs are the subcommands of package managers that change the
// system's packages or their lists, which only root may do.
var rootVerbs = map[string]map[string]bool{
	"apt-get":  set("install", "update", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "autoremove", "dist-clean", "clean"),
	"apt":      set("install", "update", "upgrade", "full-upgrade", "remove", "purge", "autoremove"),
	"apk":      set("add", "del", "update", "upgrade", "fix"),
	"dnf":      set("install", "update", "upgrade", "remove", "erase", "makecache", "clean", "reinstall"),
	"yum":      set("install", "update", "upgrade", "remove", "erase", "makecache", "clean", "reinstall"),
	"microdnf": set("install", "update", "upgrade", "remove", "clean"),
	"zypper":   set("install", "in", "update", "up", "remove", "rm", "refresh", "ref", "clean"),
}

// rootPrograms change the system's accounts or packages whatever their
// arguments.
var rootPrograms = set("useradd", "groupadd", "adduser", "addgroup", "usermod", "groupmod", "userdel", "groupdel",
	"update-ca-certificates", "locale-gen")

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// needsRoot reports whether c needs root: it installs or removes system
// packages, or manages users and groups.
func needsRoot(c *diagnose.Command) bool {
	name := c.Name()
	if rootPrograms[name] {
		return !c.HasFlag("--help", "-h", "--version")
	}
	verbs := rootVerbs[name]
	if verbs == nil {
		return false
	}
	if sub := c.Sub(); sub >= 0 {
		return verbs[c.Words[sub]]
	}
	return false
}

// inlineEnv is the environment a command sets for itself: `NODE_ENV=x
// npm ci`, `env NODE_ENV=x npm ci`.
func inlineEnv(c *diagnose.Command) func(string) (string, bool) {
	return func(k string) (string, bool) {
		for i := 0; i < c.Prog && i < len(c.Words); i++ {
			if name, v, ok := strings.Cut(c.Words[i], "="); ok && name == k && c.Lit[i] {
				return v, true
			}
		}
		if c.Call != nil {
			for _, a := range c.Call.Assigns {
				if a.Name != nil && a.Name.Value == k {
					if a.Value == nil {
						return "", true
					}
					if lit := a.Value.Lit(); lit != "" {
						return lit, true
					}
					return "?", true
				}
			}
		}
		return "", false
	}
}

type userKind int

const (
	userUnknown userKind = iota // the base image's default, or a variable: normally root
	userRoot
	userNonRoot
)

// effectiveUser is who a RUN runs as: the USER in force, or the base
// image's user when it is known to be a non-root one.
func effectiveUser(cur *Seen) (string, userKind) {
	switch u := strings.TrimSpace(cur.User); {
	case u == "" && cur.BaseUser != "":
		return cur.BaseUser + " (the base image's user)", userNonRoot
	case u == "", strings.Contains(u, "$"):
		return "", userUnknown
	case mainproc.IsRootUser(u):
		return "root", userRoot
	default:
		return u, userNonRoot
	}
}

// rootNeed records who a command runs as, where that matters: a command
// that needs root, a command run through sudo, and every command of a
// stage known to run as another user (so that a change that takes away a
// sudo is seen: the command ran as root and no longer does).
func (m *Model) rootNeed(in *diagnose.Instruction, cur *Seen, e event) {
	who, kind := effectiveUser(cur)
	if !e.sudo && !e.root && kind != userNonRoot {
		return
	}
	n := Need{In: in, What: e.verb + " runs as root", Held: e.sudo || kind != userNonRoot}
	if !n.Held {
		n.Why = fmt.Sprintf("%s at line %d would run as %s instead of root", e.verb, in.StartLine+e.line, who)
		if e.root {
			n.Why += ", and it needs root"
		}
	}
	m.Needs = append(m.Needs, n)
}

// devInstall follows a project install: whether the dev dependencies are
// there after it, and, in a development stage or in the development
// branch of a script, the need that they stay.
func (m *Model) devInstall(in *diagnose.Instruction, cur *Seen, e event, vs vars) {
	omits := e.omits
	switch e.eco {
	case "node":
		if v, _ := vs.Get("NODE_ENV"); v == "production" && !strings.HasPrefix(e.verb, "yarn") {
			omits = true // npm and pnpm leave devDependencies out (Yarn is read from its flags)
		}
		state := DevIncluded
		if omits {
			state = DevOmitted
		}
		cur.NodeDev = state
	case "python":
		if v, _ := vs.Get("UV_NO_DEV"); e.verb == "uv sync" && (v == "1" || strings.EqualFold(v, "true")) {
			omits = true
		}
		state := DevIncluded
		if omits {
			state = DevOmitted
		}
		cur.PythonDev = state
	}
	where := ""
	if name, ok := DevStage(in.Stage); ok {
		where = fmt.Sprintf("of the development stage %q", name)
	} else if e.devBranch {
		where = "in the development branch of its script"
	}
	if where == "" {
		return
	}
	n := Need{In: in, What: e.verb + " keeps the dev dependencies", Held: !omits}
	if !n.Held {
		n.Why = fmt.Sprintf("%s at line %d %s would leave out the development dependencies that it is there to install",
			e.verb, in.StartLine+e.line, where)
	}
	m.Needs = append(m.Needs, n)
}

// startNeeds records what the start command of stage st needs from it:
// the devDependencies, when it runs a Node development tool (ng serve,
// nodemon, vite) and the stage installs the project's packages.
func (m *Model) startNeeds(st *diagnose.Stage, cur Seen) {
	if cur.NodeDev == NoInstall {
		return
	}
	mc := mainproc.MainCommand(m.Doc, st)
	if mc == nil {
		return
	}
	tool := mainproc.NodeDevTool(mc.Words, mc.Lit)
	if tool == "" {
		return
	}
	n := Need{In: mc.In, What: "the start command's dev tool has the devDependencies", Held: cur.NodeDev == DevIncluded}
	if !n.Held {
		n.Why = fmt.Sprintf("%s at line %d would not find the devDependencies it comes from: the install leaves them out",
			tool, mc.In.StartLine)
	}
	m.Needs = append(m.Needs, n)
}

// devStageWords name a stage built for development.
var devStageWords = set("dev", "development", "develop", "devel", "debug", "local", "test", "tests", "testing", "devcontainer")

// DevStage reports whether stage st, or a stage it is built FROM, is
// named as a development one (`development`, `dev-envs`, `test`), and
// which: its dependencies are meant to include the dev tools.
func DevStage(st *diagnose.Stage) (string, bool) {
	for _, s := range st.Lineage() {
		for _, w := range strings.FieldsFunc(strings.ToLower(s.Name), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
			if devStageWords[w] {
				return s.Name, true
			}
		}
	}
	return "", false
}
