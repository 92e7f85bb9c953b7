package mainproc

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"mvdan.cc/sh/v3/syntax"
)

// cmdForm says how a CMD or ENTRYPOINT holds its command.
type cmdForm int

const (
	Exec   cmdForm = iota // ["prog", "arg"]: run directly
	Shell                 // prog arg: run by the stage's shell
	shellC                // ["/bin/sh", "-c", "prog arg"]: a script in exec form
)

// Command is the main command of a CMD or ENTRYPOINT: the program the
// container runs and its arguments, after an init (`tini --`) and a
// leading `exec`, and for a shell script, the last command of an `&&`
// chain.
type Command struct {
	In    *diagnose.Instruction
	Form  cmdForm
	Words []string // literal value of each word ("" when it is not literal)
	Lit   []bool   // which words are literal (always all of them in exec form)
	// Plain is true for a shell form that DD002 rewrites to exactly these
	// words in exec form (one command of plain words, no SHELL in the stage).
	Plain bool

	First     int              // index of Words[0] in elems (exec form) or call.Args (shell forms)
	Elems     []string         // exec forms: the array
	elemSpans []diagnose.Span  // exec forms: logical span of each JSON string in In.Logical
	arr       diagnose.Span    // exec forms: logical span of the array, brackets included
	script    *diagnose.Script // shell forms
	src       string           // shell forms: the script text
	call      *syntax.CallExpr
	Prefix    []string // Plain: the words DD002 keeps before Words (an init such as tini --)
}

// StageChain lists st and the earlier stages it is built FROM, nearest
// first.
func StageChain(st *diagnose.Stage) []*diagnose.Stage {
	var out []*diagnose.Stage
	for s := st; s != nil && len(out) < 64; s = s.Parent {
		out = append(out, s)
	}
	return out
}

// lastInstr returns the last instruction with the keyword in the chain
// (the stage's own first, then the stages it is built from).
func lastInstr(chain []*diagnose.Stage, kw string) *diagnose.Instruction {
	for _, s := range chain {
		for i := len(s.Instrs) - 1; i >= 0; i-- {
			if s.Instrs[i].Keyword == kw {
				return s.Instrs[i]
			}
		}
	}
	return nil
}

// MainCommand returns the command the containers of stage st start with:
// its ENTRYPOINT, or its CMD when there is no ENTRYPOINT or the ENTRYPOINT
// only starts an init (`tini --`) or an entrypoint script that runs its
// arguments. Nil when there is none or dockdoc cannot read it.
func MainCommand(d *diagnose.Document, st *diagnose.Stage) *Command {
	if d == nil || st == nil || d.ParseErr != nil {
		return nil
	}
	chain := StageChain(st)
	ep := lastInstr(chain, "entrypoint")
	cmd := lastInstr(chain, "cmd")
	if ep != nil && !(ep.IsExecForm() && ep.Node.Next == nil) {
		c := readCommand(d, ep)
		if c == nil {
			return nil
		}
		if c.Form == Shell {
			return c // a shell-form ENTRYPOINT ignores CMD
		}
		if len(c.Words) > 0 && !isEntrypointScript(c.Words[0]) {
			return c
		}
	}
	if cmd == nil {
		return nil
	}
	c := readCommand(d, cmd)
	if c == nil || len(c.Words) == 0 {
		return nil
	}
	return c
}

// isEntrypointScript reports whether an ENTRYPOINT program looks like an
// entrypoint script, which by convention ends with `exec "$@"`.
func isEntrypointScript(prog string) bool {
	b := strings.ToLower(path.Base(prog))
	return strings.HasSuffix(b, ".sh") || strings.Contains(b, "entrypoint")
}

var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true}

// readCommand reads a CMD or ENTRYPOINT.
func readCommand(d *diagnose.Document, in *diagnose.Instruction) *Command {
	if len(in.Heredocs) > 0 {
		return nil
	}
	c := &Command{In: in}
	if in.IsExecForm() {
		for n := in.Node.Next; n != nil; n = n.Next {
			c.Elems = append(c.Elems, n.Value)
		}
		spans, arr, ok := jsonSpans(in.Logical, c.Elems)
		if !ok {
			return nil
		}
		c.elemSpans, c.arr = spans, arr
		if len(c.Elems) >= 3 && shells[path.Base(c.Elems[0])] && c.Elems[1] == "-c" {
			at := in.OrigSpan(spans[2]).Start
			if s := diagnose.ParseScript(c.Elems[2], func(int) int { return at }); s != nil {
				if call, i, ok := mainCall(s); ok {
					c.Form, c.script, c.src, c.call, c.First = shellC, s, c.Elems[2], call, i
					c.fillShellWords()
					return c
				}
			}
		}
		c.Form = Exec
		c.First = skipInit(c.Elems)
		c.Words = c.Elems[c.First:]
		c.Lit = make([]bool, len(c.Words))
		for i := range c.Lit {
			c.Lit[i] = true
		}
		return c
	}
	ss := in.Scripts(d)
	if len(ss) != 1 {
		return nil
	}
	s := ss[0]
	call, i, ok := mainCall(s)
	if !ok {
		return nil
	}
	c.Form, c.script, c.src, c.call, c.First = Shell, s, s.Src, call, i
	c.fillShellWords()
	// Plain: DD002 turns this instruction into the JSON array of its words.
	stmts := s.File.Stmts
	src := strings.TrimRight(s.Src, " \t")
	if (in.Keyword == "cmd" || in.Keyword == "entrypoint") && len(stmts) == 1 &&
		!StageChainHas(d, in, "shell", true) && !WindowsBase(d, in) &&
		strings.TrimSpace(src[min(int(stmts[0].End().Offset()), len(src)):]) == "" {
		if pw, ok := PlainWords(stmts[0]); ok && len(pw) >= len(c.Words) {
			k := len(pw) - len(c.Words)
			if strings.Join(pw[k:], "\x00") == strings.Join(c.Words, "\x00") {
				c.Plain, c.Prefix = true, pw[:k]
			}
		}
	}
	return c
}

func (c *Command) fillShellWords() {
	for _, w := range c.call.Args[c.First:] {
		v, ok := diagnose.LiteralWord(w)
		c.Words = append(c.Words, v)
		c.Lit = append(c.Lit, ok)
	}
}

// mainCall finds the command a script ends by running: the script must
// be one command, or an `&&` chain whose last command is the program. It
// returns the call and the index of the program in its arguments, after a
// leading `exec` and an init (tini, dumb-init).
func mainCall(s *diagnose.Script) (*syntax.CallExpr, int, bool) {
	if len(s.File.Stmts) != 1 {
		return nil, 0, false
	}
	st := s.File.Stmts[0]
	for {
		if st.Negated || st.Background || st.Coprocess || st.Disown {
			return nil, 0, false
		}
		switch x := st.Cmd.(type) {
		case *syntax.BinaryCmd:
			if x.Op != syntax.AndStmt {
				return nil, 0, false
			}
			st = x.Y
			continue
		case *syntax.CallExpr:
			if len(x.Args) == 0 {
				return nil, 0, false
			}
			i := 0
			if v, ok := diagnose.LiteralWord(x.Args[0]); ok && v == "exec" {
				i = 1
				if i < len(x.Args) {
					if v, ok := diagnose.LiteralWord(x.Args[i]); !ok || strings.HasPrefix(v, "-") {
						return nil, 0, false
					}
				}
			}
			var words []string
			for _, w := range x.Args[i:] {
				v, _ := diagnose.LiteralWord(w)
				words = append(words, v)
			}
			return x, i + skipInit(words), true
		default:
			return nil, 0, false
		}
	}
}

// skipInit returns how many leading words start an init process (tini,
// dumb-init) with its options, up to and including `--`.
func skipInit(words []string) int {
	if len(words) == 0 {
		return 0
	}
	b := path.Base(words[0])
	if b != "tini" && b != "tini-static" && b != "dumb-init" {
		return 0
	}
	i := 1
	for i < len(words) && strings.HasPrefix(words[i], "-") {
		w := words[i]
		i++
		if w == "--" {
			break
		}
		if (b != "dumb-init" && (w == "-p" || w == "-e")) || (b == "dumb-init" && (w == "-r" || w == "--rewrite")) {
			i++
		}
	}
	return min(i, len(words))
}

// ---- the stage around the command ----

// ---- wrappers ----

var (
	uvValued = set("--extra", "--group", "--only-group", "--no-group", "--no-extra", "--package", "--index",
		"--default-index", "--index-url", "-i", "--extra-index-url", "--find-links", "-f", "--cache-dir",
		"--config-file", "--color", "--python-preference", "--refresh-package", "--reinstall-package",
		"--upgrade-package", "-P", "--no-binary-package", "--no-build-package", "--exclude-newer", "--prerelease",
		"--resolution", "--link-mode", "--index-strategy", "--keyring-provider", "--config-setting", "-C",
		"--allow-insecure-host", "--python-platform", "--no-install-package", "--fork-strategy")
	// uv run options that change what runs: no rewrite.
	uvBlocking = map[string]string{
		"--with": "adds packages that are not in the project's environment", "-w": "adds packages that are not in the project's environment",
		"--with-editable": "adds packages that are not in the project's environment", "--with-requirements": "adds packages that are not in the project's environment",
		"--python": "may pick another interpreter than the environment's", "-p": "may pick another interpreter than the environment's",
		"--directory": "changes the working directory", "--project": "runs another project",
		"--env-file": "loads variables from a file", "--no-project": "runs outside the project's environment",
		"--isolated": "runs in a temporary environment", "--script": "runs a script with its own inline dependencies",
		"-s": "runs a script with its own inline dependencies", "--gui-script": "runs a GUI script", "--active": "uses the active virtual environment",
	}
)

var (
	poetryBlocking = set("-P", "--project", "-C", "--directory")
)

// ---- development mode ----

var (
	flaskValued = set("-A", "--app", "-e", "--env-file")
)

// ---- the plan: wrapper + dev mode, and the command they converge to ----
