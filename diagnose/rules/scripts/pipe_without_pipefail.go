package scripts

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD056",
	Name:     "pipe-without-pipefail",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL4006"},
	Summary:  "RUN pipes commands without pipefail",
	Fixable:  diagnose.FixSometimes,
	Changes:  []string{"Shell"},
	Doc: diagnose.Doc{
		What: "Flags a `RUN` with a pipe (`a | b`) when `pipefail` is not in effect for it: neither the shell " +
			"in force has `-o pipefail` (a `SHELL` earlier in the stage, or in the stage it is built FROM), nor " +
			"the script runs `set -o pipefail` (or `set -euo pipefail`) before the pipe. Pipes whose status " +
			"cannot matter are not flagged: every command but the last is `echo`, `printf`, `yes` or `true` " +
			"(alone or in a `{ ...; }` group); " +
			"the pipe is followed by `|| true`; or it sits in a command substitution whose status is thrown " +
			"away (`echo \"$(a | b)\"`, unlike `X=$(a | b)`). A here-document script that starts with `#!` runs " +
			"without the `SHELL`, so only its own `set -o pipefail` counts. Better than hadolint: dockdoc " +
			"sees `set -o pipefail` in the script, a `SHELL` inherited from an earlier stage, and `|` inside " +
			"quotes is not a pipe. Windows shells are not checked.",
		Why: "A pipe's exit status is the status of its last command only. In `curl -fsSL $URL | sh`, if the " +
			"download fails, sh reads an empty script, runs nothing, exits 0, and the build carries on with a step " +
			"that silently did nothing; the same goes for `wget -qO- ... | bash` or `... | gpg --dearmor > key.gpg` " +
			"(an empty key file). Some last commands notice an empty input by themselves (`tar -xz` exits 2 on it), " +
			"but then the error names the wrong command, and a download cut short halfway can still look like a " +
			"valid start. With `pipefail` the pipe fails when any of its commands fails, so the build stops where " +
			"the problem is.",
		Bad:  "FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh",
		Good: "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/install.sh | sh",
		Fix: "Turns pipefail on with the `SHELL` instruction, once for all the findings that share a shell: " +
			"when the shell in force comes from a `SHELL` running bash or ash, `-o pipefail` is added to that " +
			"`SHELL`; otherwise `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` is inserted before " +
			"the first such `RUN` (above its comments, so an ignore pragma stays with it). Debian's /bin/sh is " +
			"dash, which has no pipefail, hence the switch to bash, offered only when dockdoc knows the image " +
			"has it: debian, ubuntu, buildpack-deps, fedora, centos, rockylinux, almalinux, amazonlinux, " +
			"oraclelinux, ubi8-10, devcontainers images, and the Debian-based default variants of python, node, " +
			"golang, ruby, php, perl, rust, openjdk, eclipse-temurin, maven, gradle, gcc, haskell, elixir, " +
			"erlang, clojure, nginx, httpd, postgres, redis, mysql, mariadb, mongo, rabbitmq, tomcat and " +
			"wordpress. Alpine images (alpine, docker, or a tag that says alpine) get `SHELL [\"/bin/ash\", " +
			"\"-o\", \"pipefail\", \"-c\"]`; busybox ash has pipefail. `-e` is not added: stopping at the " +
			"first failing command is a separate change. A variable in the image reference is read from the " +
			"global `ARG` default; a tag that stays unknown, or another image, gets no fix. For a " +
			"here-document with a bash or ash `#!` line, the fix adds `set -o pipefail` after that line " +
			"instead. Always unsafe: a pipe whose first command fails on purpose or is cut short (`... | head " +
			"-1` can kill the writer with SIGPIPE) now fails the build, and the `SHELL` also applies to every " +
			"later `RUN`, shell-form `CMD` and `ENTRYPOINT` of the stage and of stages built from it, which " +
			"then run with bash instead of sh. In a stage the image is made of (the last stage or one it is " +
			"built `FROM`), a new `SHELL` would also become the image's configured shell and change every `RUN` " +
			"of every image built `FROM` it (an official image's users included), so the fix puts " +
			"`SHELL [\"/bin/sh\", \"-c\"]` back after the stage's last `RUN`.",
		Refs: []string{
			"https://docs.docker.com/build/building/best-practices/#using-pipes",
			"https://docs.docker.com/reference/dockerfile/#shell",
			"https://www.gnu.org/software/bash/manual/html_node/Pipelines.html",
			"https://github.com/hadolint/hadolint/wiki/DL4006",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Keyword != "run" || in.Stage == nil { // a RUN before any FROM has no image to run in
				continue
			}
			pf := pipefailProblem(d, in)
			if pf == nil {
				continue
			}
			f := p.Report(pf.script.Span(pf.pipe), "%s", pf.message())
			if pf.shebang {
				shebangPipefailFix(d, f, pf)
				continue
			}
			shellPipefailFix(d, f, in)
		}
	},
})

// pipefail is an unprotected pipe of a RUN.
type pipefail struct {
	script  *diagnose.Script
	pipe    *syntax.BinaryCmd
	leaves  []*syntax.Stmt
	shebang bool // the script is a here-document run through its #! line
}

func (pf *pipefail) message() string {
	name := func(s *syntax.Stmt) string {
		if call, ok := s.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 {
			if v, lit := diagnose.LiteralWord(call.Args[0]); lit {
				return path.Base(v)
			}
		}
		return ""
	}
	lead := pf.leaves[0]
	for _, l := range pf.leaves[:len(pf.leaves)-1] {
		if !harmlessStmt(l) {
			lead = l
			break
		}
	}
	first, last := name(lead), name(pf.leaves[len(pf.leaves)-1])
	who := "its first command"
	if first != "" {
		who = first
	}
	end := "the last command"
	if last != "" {
		end = last + ", the last command"
	}
	return fmt.Sprintf("without pipefail a failure of %s in this pipe goes unnoticed: the RUN only sees the exit status of %s", who, end)
}

// pipefailProblem returns the first pipe of a RUN that runs without
// pipefail and whose status matters, or nil.
func pipefailProblem(d *diagnose.Document, in *diagnose.Instruction) *pipefail {
	scripts := in.Scripts(d)
	if len(scripts) == 0 {
		return nil
	}
	shellOn := shellPipefail(in.ShellFor())
	for _, s := range scripts {
		shebang := len(in.Heredocs) > 0 && strings.HasPrefix(s.Src, "#!")
		if shebang {
			line, _, _ := strings.Cut(s.Src, "\n")
			if strings.Contains(line, "pipefail") {
				continue
			}
		} else if shellOn {
			continue
		}
		sets := pipefailSets(s)
		for _, pl := range pipes(s) {
			if on, ok := sets.at(int(pl.pipe.Pos().Offset())); ok && on {
				continue
			}
			pl.script, pl.shebang = s, shebang
			return pl
		}
	}
	return nil
}

// shellPipefail reports whether a SHELL command line turns pipefail on
// (`-o pipefail`, `-eo pipefail`, `-euxo pipefail`, before `-c`).
func shellPipefail(shell []string) bool {
	on := false
	for i := 1; i+1 < len(shell); i++ {
		a := shell[i]
		if a == "-c" || (len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.HasSuffix(a, "c")) {
			break
		}
		if len(a) > 1 && (a[0] == '-' || a[0] == '+') && a[1] != '-' && strings.HasSuffix(a, "o") && shell[i+1] == "pipefail" {
			on = a[0] == '-'
			i++
		}
	}
	return on
}

// pipefailState lists where a script turns pipefail on or off with set.
type pipefailState []struct {
	off int
	on  bool
}

// at reports the pipefail state the script set before offset off, and
// whether it set one.
func (st pipefailState) at(off int) (on, ok bool) {
	for _, e := range st {
		if e.off < off {
			on, ok = e.on, true
		}
	}
	return on, ok
}

// pipefailSets finds the script's `set -o pipefail` / `set +o pipefail`.
func pipefailSets(s *diagnose.Script) pipefailState {
	var st pipefailState
	for _, c := range s.Commands() {
		if c.Name() != "set" {
			continue
		}
		for i := c.Prog + 1; i+1 < len(c.Words); i++ {
			a := c.Words[i]
			if len(a) > 1 && (a[0] == '-' || a[0] == '+') && a[1] != '-' && strings.HasSuffix(a, "o") {
				if c.Words[i+1] == "pipefail" {
					st = append(st, struct {
						off int
						on  bool
					}{int(c.Call.End().Offset()), a[0] == '-'})
				}
				i++
			}
		}
	}
	return st
}

// harmlessProducers are commands whose failure in front of a pipe is of
// no interest.
var harmlessProducers = map[string]bool{"echo": true, "printf": true, "yes": true, "true": true, ":": true}

// harmlessStmt reports whether a statement only prints (echo, printf,
// yes, true), alone or in a { ...; } group or ( ... ) subshell, so that
// its failure in front of a pipe is of no interest.
func harmlessStmt(st *syntax.Stmt) bool {
	var list []*syntax.Stmt
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			return false
		}
		v, lit := diagnose.LiteralWord(c.Args[0])
		return lit && harmlessProducers[v]
	case *syntax.Block:
		list = c.Stmts
	case *syntax.Subshell:
		list = c.Stmts
	default:
		return false
	}
	for _, s := range list {
		if !harmlessStmt(s) {
			return false
		}
	}
	return len(list) > 0
}

// pipes lists the pipelines of a script whose status can matter, in
// source order (a | b | c is one pipeline).
func pipes(s *diagnose.Script) []*pipefail {
	var out []*pipefail
	var stack []syntax.Node
	inner := map[*syntax.BinaryCmd]bool{}
	isPipe := func(n syntax.Node) (*syntax.BinaryCmd, bool) {
		b, ok := n.(*syntax.BinaryCmd)
		return b, ok && (b.Op == syntax.Pipe || b.Op == syntax.PipeAll)
	}
	var leaves func(b *syntax.BinaryCmd) []*syntax.Stmt
	leaves = func(b *syntax.BinaryCmd) []*syntax.Stmt {
		var ls []*syntax.Stmt
		for _, st := range []*syntax.Stmt{b.X, b.Y} {
			if nb, ok := isPipe(st.Cmd); ok && !st.Negated && len(st.Redirs) == 0 {
				inner[nb] = true
				ls = append(ls, leaves(nb)...)
			} else {
				ls = append(ls, st)
			}
		}
		return ls
	}
	syntax.Walk(s.File, func(n syntax.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if b, ok := isPipe(n); ok && !inner[b] {
			ls := leaves(b)
			if pipeMatters(stack, ls) {
				out = append(out, &pipefail{pipe: b, leaves: ls})
			}
		}
		stack = append(stack, n)
		return true
	})
	return out
}

// pipeMatters reports whether pipefail would change anything for a
// pipeline found under the given ancestors.
func pipeMatters(stack []syntax.Node, leaves []*syntax.Stmt) bool {
	harmless := true
	for _, l := range leaves[:len(leaves)-1] {
		harmless = harmless && harmlessStmt(l)
	}
	if harmless {
		return false
	}
	// a | b || true: the pipe's failure is ignored on purpose.
	if n := len(stack); n >= 2 {
		if st, ok := stack[n-1].(*syntax.Stmt); ok {
			if or, ok := stack[n-2].(*syntax.BinaryCmd); ok && or.Op == syntax.OrStmt && or.X == st {
				if call, ok := or.Y.Cmd.(*syntax.CallExpr); ok && len(call.Args) == 1 {
					if v, _ := diagnose.LiteralWord(call.Args[0]); v == "true" || v == ":" {
						return false
					}
				}
			}
		}
	}
	// Inside a command or process substitution, the status only counts for
	// a bare assignment: X=$(a | b).
	for k := len(stack) - 1; k >= 0; k-- {
		switch stack[k].(type) {
		case *syntax.ProcSubst:
			return false
		case *syntax.CmdSubst:
			if k >= 3 {
				_, isWord := stack[k-1].(*syntax.Word)
				_, isAssign := stack[k-2].(*syntax.Assign)
				call, isCall := stack[k-3].(*syntax.CallExpr)
				if isWord && isAssign && isCall && len(call.Args) == 0 {
					return true
				}
			}
			return false
		}
	}
	return true
}

// shellPipefailFix adds the SHELL fix to a finding on RUN in: one SHELL
// line before the first RUN of in's shell region (since the last SHELL of
// the stage) that has the same problem, so that every finding of the
// region carries the same edit.
func shellPipefailFix(d *diagnose.Document, f *diagnose.Finding, in *diagnose.Instruction) {
	shell := in.ShellFor()
	prog, opts, ok := pipefailShell(d, in, shell)
	if !ok {
		return
	}
	// in's shell region: the instructions since the last SHELL, along the
	// chain of stages in is built from.
	var region []*diagnose.Instruction
	var shellInstr *diagnose.Instruction
	for _, s := range in.Stage.Lineage() {
		for _, o := range s.Instrs {
			if s == in.Stage && o.Index >= in.Index {
				break
			}
			if o.Keyword == "shell" && o.IsExecForm() && o.Node.Next != nil {
				region, shellInstr = region[:0], o
				continue
			}
			region = append(region, o)
		}
	}
	args := append([]string{prog}, opts...)
	args = append(args, "-o", "pipefail", "-c")
	var fx *fixes.Fix
	restored := false
	if shellInstr != nil && prog == shell[0] {
		// The SHELL in force is bash or ash: add -o pipefail to it.
		a, start := shellInstr.Args()
		span := shellInstr.OrigSpan(diagnose.Span{Start: start, End: start + len(a)})
		if d.HasCommentLines(span) {
			return
		}
		fx = f.AddFix(fmt.Sprintf("Add -o pipefail to the SHELL on line %d", shellInstr.StartLine), fixes.Unsafe,
			diagnose.Replace(span, mainproc.JSON(args)))
	} else {
		// The first RUN of the region with a problem the SHELL fixes.
		anchor := in
		for _, o := range region {
			if o.Keyword != "run" {
				continue
			}
			if pf := pipefailProblem(d, o); pf != nil && !pf.shebang {
				anchor = o
				break
			}
		}
		line := "SHELL " + mainproc.JSON(args)
		title := "Set " + line + " before this RUN"
		if anchor != in {
			title = fmt.Sprintf("Set %s before the first piped RUN (line %d)", line, anchor.StartLine)
		}
		l := insertLineBefore(d, anchor)
		edits := []fixes.Edit{diagnose.Insert(d.LineStart(l), d.Indent(l)+line+d.EOL)}
		// A stage the image is made of would hand the new SHELL to every
		// image built FROM this one (an official image's children would all
		// run their RUNs with it): give the default back after the stage's
		// last RUN, so the image's config keeps the shell it had.
		if ships(d, anchor.Stage) {
			if last := lastRun(anchor.Stage); last != nil {
				edits = append(edits, restoreShell(d, last))
				restored = true
			}
		}
		fx = f.AddFix(title, fixes.Unsafe, edits...)
	}
	fx.Note = "With pipefail a pipe fails when any of its commands fails; a pipe whose first command fails on " +
		"purpose, or is cut short by head or grep -q, will now fail the build. The SHELL also applies to every " +
		"later RUN, shell-form CMD and ENTRYPOINT of the stage and of stages built from it."
	if runscript.ShellBase(shell[0]) != runscript.ShellBase(prog) {
		fx.Note += fmt.Sprintf(" They will run with %s instead of %s.", prog, shell[0])
	}
	if restored {
		fx.Note = "With pipefail a pipe fails when any of its commands fails; a pipe whose first command fails on " +
			"purpose, or is cut short by head or grep -q, will now fail the build. The SHELL applies to the RUNs " +
			"up to the stage's last one; after it, SHELL [\"/bin/sh\", \"-c\"] gives the default back, so the image's " +
			"configuration, and every image built FROM it, keeps the default shell."
		if runscript.ShellBase(shell[0]) != runscript.ShellBase(prog) {
			fx.Note += fmt.Sprintf(" Those RUNs will run with %s instead of %s.", prog, shell[0])
		}
	}
}

// ships reports whether the image is made of stage st: the last stage
// or a stage it is built FROM.
func ships(d *diagnose.Document, st *diagnose.Stage) bool {
	if st == nil || len(d.Stages) == 0 {
		return false
	}
	for _, s := range d.Stages[len(d.Stages)-1].Lineage() {
		if s == st {
			return true
		}
	}
	return false
}

// lastRun is the stage's last RUN, or nil.
func lastRun(st *diagnose.Stage) *diagnose.Instruction {
	for i := len(st.Instrs) - 1; i >= 0; i-- {
		if st.Instrs[i].Keyword == "run" {
			return st.Instrs[i]
		}
	}
	return nil
}

// restoreShell is the line after in that sets the default shell again.
func restoreShell(d *diagnose.Document, in *diagnose.Instruction) fixes.Edit {
	line := d.Indent(in.StartLine) + `SHELL ["/bin/sh", "-c"]`
	at := d.LineStart(in.EndLine + 1)
	if at == len(d.Src) && (len(d.Src) == 0 || d.Src[len(d.Src)-1] != '\n') {
		return diagnose.Insert(at, d.EOL+line)
	}
	return diagnose.Insert(at, line+d.EOL)
}

// pipefailShell decides the shell of the SHELL fix: the shell in force
// when it is bash or ash (with its options, -c removed), otherwise bash or
// ash by the stage's base image; ok is false when dockdoc cannot tell
// which shell the image has.
func pipefailShell(d *diagnose.Document, in *diagnose.Instruction, shell []string) (prog string, opts []string, ok bool) {
	if len(shell) < 2 {
		return "", nil, false
	}
	last := shell[len(shell)-1]
	switch {
	case last == "-c":
		opts = append(opts, shell[1:len(shell)-1]...)
	case len(last) > 2 && last[0] == '-' && last[1] != '-' && strings.HasSuffix(last, "c"):
		opts = append(opts, shell[1:len(shell)-1]...)
		opts = append(opts, strings.TrimSuffix(last, "c"))
	default:
		return "", nil, false
	}
	switch runscript.ShellBase(shell[0]) {
	case "bash", "ash":
		return shell[0], opts, true
	case "sh", "dash":
	default:
		return "", nil, false
	}
	switch imageShell(d, in.Stage) {
	case "bash":
		return "/bin/bash", opts, true
	case "ash":
		return "/bin/ash", opts, true
	}
	return "", nil, false
}

// bashImages are images whose default variant is a Debian, Ubuntu or
// Red Hat family system with bash installed.
var bashImages = map[string]bool{
	"debian": true, "ubuntu": true, "buildpack-deps": true, "fedora": true, "centos": true, "rockylinux": true,
	"almalinux": true, "amazonlinux": true, "oraclelinux": true, "ubi8": true, "ubi9": true, "ubi10": true,
	"python": true, "node": true, "golang": true, "ruby": true, "php": true, "perl": true, "rust": true,
	"openjdk": true, "eclipse-temurin": true, "maven": true, "gradle": true, "gcc": true, "haskell": true,
	"elixir": true, "erlang": true, "clojure": true, "nginx": true, "httpd": true, "postgres": true,
	"redis": true, "mysql": true, "mariadb": true, "mongo": true, "rabbitmq": true, "tomcat": true,
	"wordpress": true,
}

// ashImages are images built on Alpine.
var ashImages = map[string]bool{"alpine": true, "docker": true}

// imageShell tells which pipefail-capable shell a stage's base image
// has: "bash", "ash" (Alpine) or "" (unknown). A stage built FROM another
// stage looks at that stage's base; ${VAR} in the reference is replaced by
// the default of a global ARG.
func imageShell(d *diagnose.Document, s *diagnose.Stage) string {
	seen := map[*diagnose.Stage]bool{}
	for s.Parent != nil && !seen[s] {
		seen[s] = true
		s = s.Parent
	}
	img := strings.ToLower(expandGlobalArgs(d, s.Image))
	if img == "" || img == "scratch" || strings.HasPrefix(img, "$") {
		return ""
	}
	name, tag, _ := images.SplitImageRef(img)
	if strings.Contains(name, "$") {
		return ""
	}
	repo := path.Base(name)
	switch {
	case strings.Contains(tag, "windows") || strings.Contains(tag, "nanoserver") || strings.Contains(tag, "servercore"):
		return ""
	case ashImages[repo] || strings.Contains(tag, "alpine"):
		return "ash"
	case strings.Contains(tag, "$"):
		return "" // an unknown variant could be alpine
	case bashImages[repo] || strings.Contains("/"+name+"/", "/devcontainers/"):
		return "bash"
	}
	return ""
}

var argRef = regexp.MustCompile(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))`)

// expandGlobalArgs replaces $NAME and ${NAME} in a FROM reference by the
// default of the global ARG (before the first FROM) of that name; others
// are left as written.
func expandGlobalArgs(d *diagnose.Document, ref string) string {
	if !strings.Contains(ref, "$") {
		return ref
	}
	defaults := map[string]string{}
	for _, in := range d.Instructions {
		if in.Keyword == "from" {
			break
		}
		if in.Keyword != "arg" {
			continue
		}
		for n := in.Node.Next; n != nil; n = n.Next {
			if k, v, ok := strings.Cut(n.Value, "="); ok {
				defaults[k] = strings.Trim(v, `"'`)
			}
		}
	}
	return argRef.ReplaceAllStringFunc(ref, func(m string) string {
		sub := argRef.FindStringSubmatch(m)
		if v, ok := defaults[sub[1]+sub[2]]; ok {
			return v
		}
		return m
	})
}

// insertLineBefore is the line before which a new line goes to come
// before instruction in: the first of the comment lines right above it
// (so that a comment or an ignore pragma stays attached to in), or its
// own first line.
func insertLineBefore(d *diagnose.Document, in *diagnose.Instruction) int {
	prevEnd := 0
	if in.Index > 0 {
		prevEnd = d.Instructions[in.Index-1].EndLine
	}
	l := in.StartLine
	for l-1 > prevEnd && diagnose.IsCommentLine([]byte(d.Line(l-1))) {
		l--
	}
	return l
}

// shebangPipefailFix adds `set -o pipefail` after the #! line of a
// here-document script run by bash or ash.
func shebangPipefailFix(d *diagnose.Document, f *diagnose.Finding, pf *pipefail) {
	line, _, _ := strings.Cut(pf.script.Src, "\n")
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(fields) == 0 {
		return
	}
	prog := path.Base(fields[0])
	if prog == "env" && len(fields) > 1 {
		prog = path.Base(fields[1])
	}
	switch prog {
	case "bash", "ash", "ksh", "zsh":
	default:
		return
	}
	start := pf.script.SpanOf(0, 1).Start
	l, _ := d.Position(start)
	fx := f.AddFix("Add set -o pipefail after the #! line", fixes.Unsafe, diagnose.Insert(d.LineBreakEnd(l), "set -o pipefail"+d.EOL))
	fx.Note = "With pipefail a pipe fails when any of its commands fails; a pipe whose first command fails on " +
		"purpose, or is cut short by head or grep -q, will now fail the build."
}
