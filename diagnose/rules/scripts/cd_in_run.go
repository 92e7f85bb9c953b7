package scripts

import (
	"bytes"
	"path"
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildmodel"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD011",
	Name:     "cd-in-run",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3003"},
	Summary:  "cd in RUN instead of WORKDIR",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags a `cd` in a `RUN` whose directory lasts to the end of the `RUN`: the `cd` that `WORKDIR` " +
			"replaces, as in `RUN cd /app && npm ci`. Only a `cd` at the top level of the shell code counts: one " +
			"inside a subshell, `( cd src && make )`, or a command substitution, `$(cd dir && pwd)`, is meant to " +
			"stay local, and one inside an `if`, `case`, loop or function body may not run, or runs once per item, so " +
			"no `WORKDIR` can stand for it. A `cd` that backs out (`cd /`, `cd -`, `cd ..`, or back to the directory the `RUN` " +
			"started in) is not flagged, and it ends the `cd`s it backs out of (`cd /` and the start directory " +
			"all of them, `cd -` and `cd ..` the last one, `cd ../..` the last two): `cd /usr/src/php && make && " +
			"cd /` works in a directory for a part of the `RUN`, like a subshell. Nor is a `cd` into a temporary " +
			"directory: `cd \"$(mktemp -d)\"`, `cd \"$tmp\"` after `tmp=$(mktemp -d)`, a cache or tmpfs mount of " +
			"the `RUN`, or a directory that a later `rm -r` of the same `RUN` removes (`mkdir /tmp/b && cd /tmp/b " +
			"&& make && cd / && rm -rf /tmp/b`): no `WORKDIR` should point there. A `cd` that is the `RUN`'s last " +
			"command is flagged: it changes nothing, and usually means the next `RUN` was expected to start there. " +
			"Shells dockdoc cannot read (Windows, PowerShell) are left alone.",
		Why: "Each `RUN` starts a fresh shell in the stage's working directory, so a `cd` lasts only until the end of " +
			"that `RUN`. Readers have to track in their head which directory each command runs in, later " +
			"instructions silently go back to the old directory, and the same `cd` gets repeated in every `RUN`. " +
			"`WORKDIR` states the directory once, applies to everything that follows (`RUN`, `COPY`, `CMD`, the " +
			"running container), and creates the directory if it is missing.",
		Bad:  "RUN cd /app && npm ci\nRUN cd /app && npm run build",
		Good: "WORKDIR /app\nRUN npm ci\nRUN npm run build",
		Fix: "When the `RUN` starts with `cd /absolute/path && ...`, the fix adds `WORKDIR /absolute/path` on its own " +
			"line just before the `RUN` and removes `cd /absolute/path && ` from it. When the file set the working " +
			"directory before (an earlier `WORKDIR /app`), a second `WORKDIR /app` after the `RUN` puts it back, so " +
			"relative `COPY` destinations, other `RUN`s and the container's start directory stay where they were. " +
			"When the directory before is the base image's own, dockdoc cannot put it back, and the model of the " +
			"build refuses the fix if anything after the `RUN` depends on it. The fix is unsafe: `WORKDIR` creates " +
			"the directory where `cd` would have failed. A `cd` anywhere else (a relative path, a `$VAR`, in the " +
			"middle of a chain, after `;`) has no automatic fix.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#workdir",
			"https://docs.docker.com/build/building/best-practices/#workdir",
			"https://github.com/hadolint/hadolint/wiki/DL3003",
		},
	},
	Check: checkCdInRun,
})

// safePath is an absolute path WORKDIR takes as written: no quotes,
// spaces, variables or escapes.
var safePath = regexp.MustCompile(`^/[A-Za-z0-9._/@+,:=-]*$`)

func checkCdInRun(p *diagnose.Pass) {
	d := p.Doc
	model := buildmodel.Of(d)
	for _, in := range d.Instructions {
		if in.Keyword != "run" {
			continue
		}
		start := ""
		if in.Index < len(model.Seen) {
			start = model.Seen[in.Index].Workdir
		}
		for _, s := range in.Scripts(d) {
			for _, c := range lastingCds(s, start, runscript.RunMountTargets(in)) {
				f := p.Report(s.Span(c.Call), "cd changes the directory for this RUN only; set it with WORKDIR instead")
				if len(in.Heredocs) == 0 {
					addFix(d, in, s, c, f)
				}
			}
		}
	}
}

// lastingCds returns the top-level cds of a script whose directory lasts
// to the end of the RUN: the ones WORKDIR would replace. start is the
// working directory the RUN begins in, when the model of the build knows
// it. Left out are:
//   - a cd that backs out of an earlier one: `cd /`, `cd -`, `cd ..`, or
//     back to start; it also ends the cds it backs out of (`cd /` and
//     `cd start` all of them, `cd -` and `cd ..` the last one, `cd ../..`
//     the last two), which were meant for a part of the RUN only, like a
//     subshell;
//   - a cd into a temporary directory: `cd "$(mktemp -d)"`, `cd "$tmp"`
//     after `tmp=$(mktemp -d)`, a cache or tmpfs mount of the RUN, or a
//     directory a later `rm -r` of the same RUN removes
//     (`mkdir /tmp/b && cd /tmp/b && ... && rm -rf /tmp/b`).
func lastingCds(s *diagnose.Script, start string, mounts []string) []*diagnose.Command {
	top := topLevelCalls(s.File)
	var mktemp map[string]bool
	cmds := s.Commands()
	var open []*diagnose.Command // cds still in force, reportable or not (nil)
	for k, c := range cmds {
		if !top[c.Call] || c.Prog >= len(c.Words) || !c.Lit[c.Prog] || c.Words[c.Prog] != "cd" {
			continue
		}
		arg := c.Prog + 1
		for arg < len(c.Words) && c.Lit[arg] && len(c.Words[arg]) > 1 && strings.HasPrefix(c.Words[arg], "-") && c.Words[arg] != "--" {
			arg++ // -L, -P, -e, -@
		}
		if arg < len(c.Words) && c.Lit[arg] && c.Words[arg] == "--" {
			arg++
		}
		if arg >= len(c.Words) { // cd alone: the home directory
			open = append(open, c)
			continue
		}
		w := c.Call.Args[arg]
		dir := runscript.DirWord(w)
		switch {
		case dir == "/" || (dir != "" && dir == start):
			open = open[:0]
			continue
		case dir == "-":
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			continue
		case dir != "" && strings.Trim(dir, "./") == "" && strings.Contains(dir, ".."):
			open = open[:max(0, len(open)-strings.Count(dir, ".."))]
			continue
		}
		if mktemp == nil {
			mktemp = runscript.MktempDirVars(s.File)
		}
		temp := runscript.IsMktempDir(w) || mktempVar(dir, mktemp) || underAny(dir, mounts)
		for _, later := range cmds[k+1:] {
			if temp {
				break
			}
			temp = runscript.RemovesDir(later, dir)
		}
		if temp {
			open = append(open, nil)
		} else {
			open = append(open, c)
		}
	}
	var out []*diagnose.Command
	for _, c := range open {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

// mktempVar reports whether dir is, or is under, "$v" for a variable v
// the script sets to a new temporary directory.
func mktempVar(dir string, mktemp map[string]bool) bool {
	if !strings.HasPrefix(dir, "$") {
		return false
	}
	name, _, _ := strings.Cut(dir[1:], "/")
	return mktemp[name]
}

// underAny reports whether the absolute path dir is one of dirs or under one.
func underAny(dir string, dirs []string) bool {
	for _, m := range dirs {
		if strings.HasPrefix(dir, "/") && (dir == m || strings.HasPrefix(dir, strings.TrimSuffix(m, "/")+"/")) {
			return true
		}
	}
	return false
}

// topLevelCalls collects the commands that run in the RUN's own shell,
// unconditionally and once: everything except what is inside ( ... ),
// $( ... ), `...` and <( ... ) (another shell), and the bodies of if,
// case, loops and functions (a cd there may not run, or runs per item, so
// no WORKDIR can stand for it).
func topLevelCalls(f *syntax.File) map[*syntax.CallExpr]bool {
	top := map[*syntax.CallExpr]bool{}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Subshell, *syntax.CmdSubst, *syntax.ProcSubst,
			*syntax.IfClause, *syntax.CaseClause, *syntax.ForClause, *syntax.WhileClause, *syntax.FuncDecl:
			return false
		case *syntax.CallExpr:
			top[n] = true
		}
		return true
	})
	return top
}

// addFix offers WORKDIR when the script's first statement is a chain
// of && whose first command is `cd /absolute/path`.
func addFix(d *diagnose.Document, in *diagnose.Instruction, s *diagnose.Script, c *diagnose.Command, f *diagnose.Finding) {
	if c.Prog != 0 || len(c.Call.Args) != 2 || len(c.Call.Assigns) > 0 || !c.Lit[1] ||
		!safePath.MatchString(c.Words[1]) || len(s.File.Stmts) == 0 {
		return
	}
	// Walk down the left side of the first statement's && chain to the
	// first command; every operator on the way must be &&.
	var first *syntax.BinaryCmd // the && whose left side is the cd
	st := s.File.Stmts[0]
	for {
		if st.Negated || st.Background || st.Coprocess || len(st.Redirs) > 0 {
			return
		}
		bc, ok := st.Cmd.(*syntax.BinaryCmd)
		if !ok {
			break
		}
		if bc.Op != syntax.AndStmt {
			return
		}
		first = bc
		st = bc.X
	}
	if first == nil || st.Cmd != c.Call {
		return
	}
	// Remove "cd <path> && " up to the next command. If comment lines sit
	// in between (inside a continuation), stop after the && so they stay.
	cdSpan := s.Span(st)
	del := diagnose.Span{Start: cdSpan.Start, End: s.Span(first.Y).Start}
	if d.HasCommentLines(del) {
		op := s.SpanOf(int(first.OpPos.Offset()), int(first.OpPos.Offset())+2)
		end := op.End
		for end < len(d.Src) && (d.Src[end] == ' ' || d.Src[end] == '\t') {
			end++
		}
		del.End = end
	}
	dir := c.Words[1]
	ins := d.Indent(in.StartLine) + "WORKDIR " + dir + d.EOL
	edits := []fixes.Edit{diagnose.Insert(d.LineStart(in.StartLine), ins), diagnose.Delete(del)}
	note := "WORKDIR also applies to every later instruction of this stage and creates the directory if it is missing."
	// Put the directory in force before back after the RUN, when the model
	// of the build knows it, so later instructions stay where they were.
	if prev := buildmodel.Of(d).Seen[in.Index].Workdir; path.IsAbs(prev) && !strings.Contains(prev, "$") && prev != dir {
		at := d.LineBreakEnd(in.EndLine)
		back := d.Indent(in.StartLine) + "WORKDIR " + prev + d.EOL
		if at == len(d.Src) && !bytes.HasSuffix(d.Src, []byte("\n")) {
			back = d.EOL + strings.TrimSuffix(back, d.EOL)
		}
		edits = append(edits, diagnose.Insert(at, back))
		note = "A second WORKDIR after the RUN puts back " + prev + " for the instructions after it; WORKDIR creates " + dir + " if it is missing, where cd would have failed."
	}
	fx := f.AddFix("Move cd "+dir+" into a WORKDIR instruction", fixes.Unsafe, edits...)
	fx.Note = note
}
