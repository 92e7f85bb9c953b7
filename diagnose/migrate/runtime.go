package migrate

import (
	"path"
	"slices"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"mvdan.cc/sh/v3/syntax"
)

// expandCommand returns c with the words that use variables replaced by
// their values, when the file itself defines every variable they use (ENV,
// or ARG with a default a --build-arg does not reach) and nothing else in
// them is dynamic. The plan then holds those values: the runtime stage may
// not define the variable where the command lands.
func expandCommand(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command, shown string) (*diagnose.Command, string) {
	if !slices.Contains(c.Lit, false) {
		return c, ""
	}
	why := "`" + shown + "` uses a variable or a substitution"
	sc := buildvars.ScopeAt(d, in)
	out := *c
	out.Words, out.Lit = slices.Clone(c.Words), slices.Clone(c.Lit)
	for i, lit := range c.Lit {
		if lit {
			continue
		}
		w := c.Call.Args[i]
		if !plainVarWord(w) {
			return nil, why
		}
		raw := c.Script.Text(w)
		x, ok := buildvars.Expand(raw, sc.Env, '\\')
		if !ok || len(x.Unmatched) > 0 {
			return nil, why + " the file does not define"
		}
		for name := range x.Matched {
			if sc.FromBuildArg[name] {
				return nil, "`" + shown + "` uses " + name + ", which a --build-arg can change"
			}
		}
		out.Words[i], out.Lit[i] = x.Result, true
	}
	return &out, ""
}

// plainVarWord reports whether a shell word holds only literals, quotes
// and plain $NAME / ${NAME} references: no command substitution, no
// ${NAME:-default}, no arithmetic.
func plainVarWord(w *syntax.Word) bool {
	var part func(p syntax.WordPart) bool
	part = func(p syntax.WordPart) bool {
		switch x := p.(type) {
		case *syntax.Lit, *syntax.SglQuoted:
			return true
		case *syntax.DblQuoted:
			for _, q := range x.Parts {
				if !part(q) {
					return false
				}
			}
			return true
		case *syntax.ParamExp:
			return x.Param != nil && x.Exp == nil && x.Repl == nil && x.Slice == nil && x.Index == nil &&
				!x.Length && !x.Excl && !x.Width && x.Names == 0
		}
		return false
	}
	for _, p := range w.Parts {
		if !part(p) {
			return false
		}
	}
	return true
}

// accountCommands create users and groups; the runtime stage runs them.
var accountCommands = map[string]bool{"groupadd": true, "useradd": true, "addgroup": true, "adduser": true}

// runtimeCmd is a command the runtime stage runs: an account, a
// directory the application uses, its owner.
type runtimeCmd struct {
	words []string
	run   int // the RUN it came from, to keep one RUN per original RUN
}

// readRuntimeCommand places account creation and mkdir/chown of
// directories in the runtime stage, ok false for other commands.
func (pl *Plan) readRuntimeCommand(c *diagnose.Command, run int) (why string, ok bool) {
	name := c.Name()
	if !accountCommands[name] && name != "mkdir" && name != "chown" {
		return "", false
	}
	shown := strings.Join(c.Words[c.Prog:], " ")
	if pl.eco == "go" {
		if accountCommands[name] {
			// The scratch runtime stage has no account database: it runs
			// as the numeric unprivileged user 65532 whatever the file made.
			pl.accounts = append(pl.accounts, c.Words[c.Prog+1:]...)
			return "", true
		}
		return "it runs `" + shown + "`, and the Go runtime stage is FROM scratch, with no shell to run it", true
	}
	if pl.curUser != "" {
		return "`" + shown + "` runs as " + pl.curUser + " (after USER), and the runtime stage would run it as root", true
	}
	words := make([]string, 0, len(c.Words)-c.Prog)
	positional := 0
	for i, w := range c.Words[c.Prog:] {
		if i > 0 && !strings.HasPrefix(w, "-") && !(name == "mkdir" && (words[i-1] == "-m" || words[i-1] == "--mode")) {
			positional++
			// A path (chown's first word is the owner): relative ones are
			// relative to the working directory.
			if (name == "mkdir" || name == "chown" && positional > 1) && !strings.HasPrefix(w, "/") {
				w = path.Join(pl.workdir, w)
			}
		}
		words = append(words, w)
	}
	if accountCommands[name] {
		pl.accounts = append(pl.accounts, words[1:]...)
	}
	pl.runtimeCmds = append(pl.runtimeCmds, runtimeCmd{words: words, run: run})
	return "", true
}

// runtimeRuns writes the runtime stage's own commands, one RUN for the
// commands of each original RUN.
func (pl *Plan) runtimeRuns(add func(...string)) {
	var cur []string
	last := -1
	flush := func() {
		if len(cur) > 0 {
			add("RUN " + strings.Join(cur, " && "))
		}
		cur = nil
	}
	for _, rc := range pl.runtimeCmds {
		if rc.run != last {
			flush()
			last = rc.run
		}
		ws := make([]string, len(rc.words))
		for i, w := range rc.words {
			ws[i] = shellWord(w)
		}
		cur = append(cur, strings.Join(ws, " "))
	}
	flush()
}

// createsAccount reports whether the file's account commands name the
// user (or uid) of a USER value.
func (pl *Plan) createsAccount(u string) bool {
	name, _, _ := strings.Cut(u, ":")
	return name != "" && slices.Contains(pl.accounts, name)
}

// runUser is the user the runtime stage runs as: the file's own, when it
// creates it, or the template's.
func (pl *Plan) runUser() string {
	if pl.user != "" {
		return pl.user
	}
	if pl.eco == "node" {
		return "node"
	}
	return "app"
}

// templateAccount reports whether the Python runtime stage creates its own
// app user: not when the file creates one of its own.
func (pl *Plan) templateAccount() bool {
	return pl.user == "" && !slices.Contains(pl.accounts, "app")
}

// expandPath expands the variables of an instruction's word (WORKDIR,
// USER) when the file defines each of them and no --build-arg reaches
// them.
func expandPath(d *diagnose.Document, in *diagnose.Instruction, raw string) (string, bool) {
	if !strings.Contains(raw, "$") {
		return raw, false
	}
	sc := buildvars.ScopeAt(d, in)
	x, ok := buildvars.Expand(raw, sc.Env, d.Escape)
	if !ok || len(x.Unmatched) > 0 || strings.Contains(x.Result, "$") {
		return raw, false
	}
	for name := range x.Matched {
		if sc.FromBuildArg[name] {
			return raw, false
		}
	}
	return x.Result, true
}

// ownsTemplateAccount reports whether the file's accounts are only a
// system user app (and its group), the account the Python template
// creates itself: the runtime stage then creates the template's, and runs
// as it. That is the account final-stage-root (DD013) adds, so the
// migration is the same whether that fix came first or not.
func (pl *Plan) ownsTemplateAccount() bool {
	if pl.eco != "python" || len(pl.accounts) == 0 {
		return false
	}
	for _, w := range pl.accounts {
		if !strings.HasPrefix(w, "-") && w != "app" && strings.Trim(w, "0123456789") != "" {
			return false
		}
	}
	switch name, group, _ := strings.Cut(pl.user, ":"); {
	case pl.user == "", name == "app" && (group == "" || group == "app"):
	case strings.Trim(name+group, "0123456789") == "" && slices.Contains(pl.accounts, name):
	default:
		return false
	}
	return true
}

// dropTemplateAccount takes out the file's own app account, for the
// template's (see ownsTemplateAccount).
func (pl *Plan) dropTemplateAccount() {
	pl.runtimeCmds = slices.DeleteFunc(pl.runtimeCmds, func(rc runtimeCmd) bool { return accountCommands[rc.words[0]] })
	pl.accounts, pl.user = nil, ""
}
