package diagnose

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

// Script is shell code from a RUN, CMD or ENTRYPOINT (its shell form, or a
// heredoc that is the script), parsed with mvdan.cc/sh, with a map from the
// parser's offsets back to Document.Src.
type Script struct {
	File *syntax.File
	Src  string
	In   *Instruction
	// Nested is the shell ("sh", "bash", "su") when the script is the
	// argument of a command of another script (`bash -c '…'`), "" for a
	// RUN's own script: the SHELL in force does not run it.
	Nested string
	orig   func(off int) int

	cmds     []*Command // Commands, computed once: rules ask many times
	cmdsDone bool
}

// Span maps a shell syntax node to its Src span.
func (s *Script) Span(n syntax.Node) Span {
	return s.SpanOf(int(n.Pos().Offset()), int(n.End().Offset()))
}

// SpanOf maps script offsets [start, end) to a Src span.
func (s *Script) SpanOf(start, end int) Span {
	if end <= start {
		p := s.orig(start)
		return Span{p, p}
	}
	return Span{s.orig(start), s.orig(end-1) + 1}
}

// Text returns the script source of a node.
func (s *Script) Text(n syntax.Node) string {
	return s.Src[n.Pos().Offset():n.End().Offset()]
}

var heredocOnly = regexp.MustCompile(`^<<-?\s*["']?([A-Za-z0-9_.-]+)["']?\s*$`)

// posixShells are the shells whose syntax mvdan.cc/sh reads.
var posixShells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "ksh": true}

// ShellFor reports the shell that runs shell-form commands of in: the
// last SHELL before in, in its stage or, for a stage built FROM an earlier
// stage, inherited from that stage; otherwise /bin/sh -c.
func (in *Instruction) ShellFor() []string {
	if in.Stage == nil {
		return []string{"/bin/sh", "-c"}
	}
	return in.Stage.shellBefore(in.Index, 0)
}

// shellBefore is the SHELL in effect in s before instruction index idx:
// the last SHELL of s before idx, else the last SHELL of the nearest of
// the up to 64-depth stages up the chain of parents that has one, else
// /bin/sh -c. The SHELLs of every stage are indexed once per Document.
func (s *Stage) shellBefore(idx, depth int) []string {
	facts := s.Doc.shellFacts()
	sh := &facts[s.Index]
	if i := sort.Search(len(sh.own), func(i int) bool { return sh.own[i].index >= idx }); i > 0 {
		return append([]string(nil), sh.own[i-1].args...)
	}
	if s.Parent != nil && depth < 64 {
		if p := &facts[s.Parent.Index]; p.last != nil && depth+1+p.dist <= 64 {
			return append([]string(nil), p.last...)
		}
	}
	return []string{"/bin/sh", "-c"}
}

// HasPOSIXShell reports whether shell-form commands of in run in a shell
// whose syntax dockdoc can read (sh, bash, ash, dash), with the default
// backslash escape. Windows files (backtick escape, PowerShell or cmd
// SHELL) are left alone rather than misread.
func (in *Instruction) HasPOSIXShell() bool {
	sh := in.ShellFor()
	base := strings.TrimSuffix(strings.ToLower(path.Base(strings.ReplaceAll(sh[0], `\`, "/"))), ".exe")
	return posixShells[base]
}

// Scripts returns the shell code of a RUN (shell form or heredoc script),
// or of a shell-form CMD / ENTRYPOINT. It returns nil
// when the instruction holds no shell code dockdoc can read: exec form,
// a non-POSIX SHELL, a backtick-escaped file, or a syntax error.
func (in *Instruction) Scripts(d *Document) []*Script {
	if in.scriptsDone {
		return in.scripts
	}
	in.scriptsDone = true
	switch in.Keyword {
	case "run", "cmd", "entrypoint":
	default:
		return nil
	}
	if in.IsExecForm() || d.Escape != '\\' || !in.HasPOSIXShell() {
		return nil
	}
	args, start := in.Args()
	if len(in.Heredocs) > 0 {
		if in.Keyword != "run" || !heredocOnly.MatchString(strings.TrimSpace(args)) {
			return nil
		}
		for _, h := range in.Heredocs {
			body := string(d.Src[h.Body.Start:h.Body.End])
			if strings.HasPrefix(body, "#!") && !shebangIsPOSIX(body) {
				continue
			}
			base := h.Body.Start
			if s := ParseScript(body, func(o int) int { return base + o }); s != nil {
				s.In = in
				in.scripts = append(in.scripts, s)
			}
		}
		return in.scripts
	}
	if s := ParseScript(args, func(o int) int { return in.Orig(start + o) }); s != nil {
		s.In = in
		in.scripts = append(in.scripts, s)
	}
	return in.scripts
}

// shebangIsPOSIX reports whether a script's #! line names a shell dockdoc
// reads (#!/bin/sh, #!/usr/bin/env bash, ...), not python, fish, node.
func shebangIsPOSIX(body string) bool {
	first, _, _ := strings.Cut(strings.TrimPrefix(body, "#!"), "\n")
	fields := strings.Fields(first)
	if len(fields) == 0 {
		return false
	}
	prog := path.Base(fields[0])
	if prog == "env" {
		prog = ""
		for _, f := range fields[1:] {
			if !strings.HasPrefix(f, "-") {
				prog = path.Base(f)
				break
			}
		}
	}
	return posixShells[prog]
}

// ParseScript parses src as a bash script; orig maps an offset in src to
// the Src offset it came from, so the Script's spans point into the file.
func ParseScript(src string, orig func(int) int) *Script {
	p := syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(false))
	f, err := p.Parse(strings.NewReader(src), "")
	if err != nil {
		return nil
	}
	return &Script{File: f, Src: src, orig: orig}
}

// Command is a simple command found anywhere in a script (after &&, in
// an if, in a subshell, ...).
type Command struct {
	Script *Script
	Stmt   *syntax.Stmt
	Call   *syntax.CallExpr
	// Words holds the literal value of each argument ("" when it is not
	// a literal, e.g. holds $VAR or a command substitution), and Lit says
	// which ones are literal.
	Words []string
	Lit   []bool
	// Prog is the index in Words of the program, after wrappers such as
	// sudo, env VAR=x, command, exec, nohup.
	Prog int
}

// Name is the program's base name ("apt-get", "pip3").
func (c *Command) Name() string {
	if c.Prog >= len(c.Words) {
		return ""
	}
	return path.Base(c.Words[c.Prog])
}

// Sub returns the index of the first argument after the program that is
// not an option (the subcommand, e.g. "install"), or -1.
func (c *Command) Sub() int {
	for i := c.Prog + 1; i < len(c.Words); i++ {
		if !strings.HasPrefix(c.Words[i], "-") || !c.Lit[i] {
			return i
		}
	}
	return -1
}

// HasFlag reports whether any literal argument equals one of flags, or,
// for a single-letter flag like "-y", appears in a group like "-qy".
func (c *Command) HasFlag(flags ...string) bool {
	for i := c.Prog + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		for _, f := range flags {
			if w == f || (strings.HasPrefix(f, "--") && strings.HasPrefix(w, f+"=")) {
				return true
			}
			if len(f) == 2 && f[0] == '-' && f[1] != '-' && len(w) > 2 && w[0] == '-' && w[1] != '-' && strings.ContainsRune(w[1:], rune(f[1])) {
				return true
			}
		}
	}
	return false
}

// ArgSpan is the Src span of argument i.
func (c *Command) ArgSpan(i int) Span { return c.Script.Span(c.Call.Args[i]) }

var wrappers = map[string]bool{"sudo": true, "command": true, "exec": true, "nohup": true, "time": true, "env": true}

// wrapperValueOpts are wrapper options whose value is the next word
// (sudo -u app, env -u VAR, exec -a name).
var wrapperValueOpts = map[string]map[string]bool{
	"sudo": {"-u": true, "-g": true, "-C": true, "-D": true, "-p": true, "-r": true, "-t": true, "-U": true, "-h": true, "-R": true, "-T": true},
	"env":  {"-u": true, "-C": true, "-S": true, "--unset": true, "--chdir": true, "--split-string": true},
	"exec": {"-a": true},
	"time": {"-f": true, "-o": true},
}

// Commands lists the simple commands of the script in source order. The
// slice is shared by every rule that asks: do not modify it.
func (s *Script) Commands() []*Command {
	if !s.cmdsDone {
		s.cmds, s.cmdsDone = s.commands(), true
	}
	return s.cmds
}

func (s *Script) commands() []*Command {
	var out []*Command
	var stmt *syntax.Stmt
	syntax.Walk(s.File, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			stmt = n
		case *syntax.CallExpr:
			if len(n.Args) == 0 {
				return true
			}
			c := &Command{Script: s, Stmt: stmt, Call: n}
			for _, w := range n.Args {
				v, ok := LiteralWord(w)
				c.Words = append(c.Words, v)
				c.Lit = append(c.Lit, ok)
			}
			for c.Prog < len(c.Words) && c.Lit[c.Prog] && wrappers[c.Words[c.Prog]] {
				wrapper := c.Words[c.Prog]
				c.Prog++
				if wrapper == "command" && c.Prog < len(c.Words) && (c.Words[c.Prog] == "-v" || c.Words[c.Prog] == "-V") {
					c.Prog = len(c.Words) // `command -v x` looks x up; it does not run it
					break
				}
				// skip the wrapper's own options and env's assignments
				for c.Prog < len(c.Words) && c.Lit[c.Prog] &&
					(strings.HasPrefix(c.Words[c.Prog], "-") || (wrapper == "env" && strings.Contains(c.Words[c.Prog], "="))) {
					if wrapperValueOpts[wrapper][c.Words[c.Prog]] {
						c.Prog++
					}
					c.Prog++
				}
			}
			out = append(out, c)
			if n := s.nestedScript(c); n != nil {
				out = append(out, n.Commands()...)
			}
		}
		return true
	})
	return out
}

// Commands lists the commands of every script of in.
func (in *Instruction) Commands(d *Document) []*Command {
	var out []*Command
	for _, s := range in.Scripts(d) {
		out = append(out, s.Commands()...)
	}
	return out
}

// LiteralWord returns the value of a shell word as the shell would pass it
// (quotes and backslash escapes removed), and false if any part of it is
// not literal ($VAR, $(...)). Globs are kept as written and count as
// literal.
func LiteralWord(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(Unescape(p.Value, ""))
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			if p.Dollar {
				return "", false
			}
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				b.WriteString(Unescape(l.Value, "\\\"$`\n"))
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// Unescape removes shell backslash escapes. Outside quotes (only == "")
// a backslash escapes any character; inside double quotes only the
// characters in only. A backslash-newline disappears in both.
func Unescape(s, only string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (only == "" || strings.IndexByte(only, s[i+1]) >= 0) {
			i++
			if s[i] != '\n' {
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// AppendCommandEdit builds the edit that runs cmd after everything else in
// script s of instruction in: ` && cmd` after the last statement (before a
// ';' that ends it), or, for a heredoc script running under `set -e`, a
// new last line (when heredocLine allows it). It returns false when an
// added command would not run or would change the RUN's exit status: the
// script ends in a background job, a negation, or an `exit` / `exec` that
// ends the && list.
func AppendCommandEdit(d *Document, in *Instruction, s *Script, cmd string, heredocLine bool) (fixes.Edit, bool) {
	stmts := s.File.Stmts
	if len(stmts) == 0 {
		return fixes.Edit{}, false
	}
	last := stmts[len(stmts)-1]
	if last.Background || last.Coprocess || last.Disown || last.Negated {
		return fixes.Edit{}, false
	}
	leaf := last
	for {
		b, ok := leaf.Cmd.(*syntax.BinaryCmd)
		if !ok || b.Op != syntax.AndStmt {
			break
		}
		leaf = b.Y
	}
	if call, ok := leaf.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 {
		if w, _ := LiteralWord(call.Args[0]); w == "exit" || w == "exec" {
			return fixes.Edit{}, false
		}
	}
	if heredocLine && len(in.Heredocs) > 0 && SetsErrexit(s) {
		h := in.Heredocs[len(in.Heredocs)-1]
		return Insert(h.Terminator.Start, cmd+d.EOL), true
	}
	bare := *last
	bare.Semicolon = syntax.Pos{}
	end := s.SpanOf(int(last.Pos().Offset()), int(bare.End().Offset())).End
	// In a CRLF file the shell reads a here-document line's \r as part of
	// its last word: the command goes before the line ending, not inside it.
	for end > 0 && d.Src[end-1] == '\r' {
		end--
	}
	return Insert(end, " && "+cmd), true
}

// SetsErrexit reports whether a script has `set -e` on at the end of
// its top level, so a new last line only runs when everything before it
// succeeded.
func SetsErrexit(s *Script) bool {
	on := false
	for _, st := range s.File.Stmts {
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) < 2 {
			continue
		}
		if w, _ := LiteralWord(call.Args[0]); w != "set" {
			continue
		}
		for i := 1; i < len(call.Args); i++ {
			w, ok := LiteralWord(call.Args[i])
			if !ok || w == "--" || strings.HasPrefix(w, "--") {
				continue
			}
			if w == "-o" || w == "+o" {
				if i+1 < len(call.Args) {
					if v, _ := LiteralWord(call.Args[i+1]); v == "errexit" {
						on = w == "-o"
					}
				}
				i++
				continue
			}
			if len(w) > 1 && (w[0] == '-' || w[0] == '+') && strings.Contains(w[1:], "e") {
				on = w[0] == '-'
			}
		}
	}
	return on
}
