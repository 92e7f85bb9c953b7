package scripts

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"mvdan.cc/sh/v3/syntax"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD037",
	Name:     "pointless-command",
	Severity: diagnose.Info,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3001"},
	Summary:  "RUN calls a command that is useless in an image build",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags commands in a `RUN` (or `ONBUILD RUN`) that have no lasting effect on the image or need a " +
			"terminal or a running system: `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, " +
			"`mount` and `ifconfig`. Only commands that are run count: installing the package (`apt-get install " +
			"vim`) or naming the tool in a string does not. To avoid the false alarms hadolint gives, some real " +
			"uses are left alone: `service` followed by more work in the same `RUN` (starting a database to load a " +
			"schema, then stopping it); `kill` in a `RUN` that started a background job, or with a pid from a " +
			"variable; `vim` in batch mode (`vim -es`, `vim +PlugInstall +qall`); `ssh` in a `RUN` with an SSH " +
			"mount (`--mount=type=ssh`). hadolint's message names `ifconfig` but its code does not check it; " +
			"dockdoc does.",
		Why: "Each `RUN` executes in a fresh container that is thrown away once the command ends; only the files it " +
			"changed are kept. A service started with `service nginx start` is gone before the next instruction, " +
			"and it will not be running when the image is started either: that is what `CMD` or `ENTRYPOINT` " +
			"are for. `ps`, `free`, `top` and `ifconfig` only describe the throwaway build container; `shutdown` " +
			"and `mount` need privileges a build does not have; `vim` waits for a user who is not there; `ssh` " +
			"needs keys that should never be in a layer.",
		Bad:  "RUN apt-get update && apt-get install -y nginx && service nginx start",
		Good: "RUN apt-get update && apt-get install -y nginx\nCMD [\"nginx\", \"-g\", \"daemon off;\"]",
		Fix: "None: what to do depends on the intent. Start long-running processes from `CMD` or `ENTRYPOINT`; edit " +
			"files with `sed` or a `COPY` of the finished file instead of `vim`; fetch private sources with " +
			"`RUN --mount=type=ssh` or `--mount=type=secret`; delete commands that only print information.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3001",
			"https://docs.docker.com/reference/dockerfile/#run",
			"https://docs.docker.com/reference/dockerfile/#run---mounttypessh",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			for _, s := range runscript.Scripts(d, in) {
				var cmds []*diagnose.Command
				for _, c := range s.Commands() {
					if runscript.Invoked(c) {
						cmds = append(cmds, c)
					}
				}
				for k, c := range cmds {
					msg := message(in, s, cmds, k)
					if msg != "" {
						p.Report(s.Span(c.Call), "%s", msg)
					}
				}
			}
		}
	},
})

// message returns the finding's message for cmds[k], or "" when the
// command is fine where it is.
func message(in *diagnose.Instruction, s *diagnose.Script, cmds []*diagnose.Command, k int) string {
	c := cmds[k]
	switch n := c.Name(); n {
	case "service":
		if serviceAction(c) == "stop" {
			for _, earlier := range cmds[:k] {
				if earlier.Name() == "service" {
					return "" // stops what this RUN started
				}
			}
		}
		for _, later := range cmds[k+1:] {
			switch later.Name() {
			case "service", "echo", "printf", "true", ":", "sleep":
			default:
				return "" // the service is used by later commands of this RUN
			}
		}
		return "service has no lasting effect: what it starts stops when this RUN ends, and is not running when the image starts; use CMD or ENTRYPOINT"
	case "kill":
		if hasBackground(s) {
			return ""
		}
		for i := c.Prog + 1; i < len(c.Words); i++ {
			if !c.Lit[i] {
				return "" // a pid from a variable or a command substitution
			}
		}
		return "kill in a build can only reach processes of this RUN's throwaway container"
	case "vim":
		for i := c.Prog + 1; i < len(c.Words); i++ {
			w := c.Words[i]
			switch {
			case strings.HasPrefix(w, "+"), w == "-c", w == "--cmd", w == "-s", w == "-S", w == "-e", w == "-E",
				w == "-es", w == "-Es", w == "-u", w == "--headless", w == "--not-a-term":
				return "" // batch mode
			}
		}
		return "vim is interactive and there is no one to type in a build; edit files with sed or COPY them"
	case "ssh":
		for _, t := range mountTypes(in) {
			if t == "ssh" {
				return ""
			}
		}
		return "ssh in a build needs keys, which must not end up in a layer; use RUN --mount=type=ssh"
	case "shutdown":
		return "shutdown has no meaning in a build: there is no system to shut down, only this RUN's container"
	case "mount":
		return "mount needs privileges a build does not have, and anything mounted is gone when this RUN ends; use RUN --mount"
	case "ps", "free", "top", "ifconfig":
		return n + " only describes this RUN's throwaway build container; it does not change the image"
	}
	return ""
}

// serviceAction returns the action of `service NAME ACTION`, or "".
func serviceAction(c *diagnose.Command) string {
	if i := c.Prog + 2; i < len(c.Words) && c.Lit[i] {
		return c.Words[i]
	}
	return ""
}

// hasBackground reports whether the script starts a command in the
// background (cmd &).
func hasBackground(s *diagnose.Script) bool {
	bg := false
	syntax.Walk(s.File, func(n syntax.Node) bool {
		if st, ok := n.(*syntax.Stmt); ok && st.Background {
			bg = true
		}
		return !bg
	})
	return bg
}

// mountTypes lists the types of the RUN's --mount flags.
func mountTypes(in *diagnose.Instruction) []string {
	n := runscript.RunNode(in)
	if n == nil {
		return nil
	}
	var out []string
	for _, m := range diagnose.ParseMounts(n.Flags) {
		out = append(out, m.Type)
	}
	return out
}
