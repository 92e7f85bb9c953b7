package scripts

import (
	"sort"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD063",
	Name:     "consecutive-run",
	Severity: diagnose.Info,
	Category: diagnose.Size,
	Aliases:  []string{"DL3059"},
	Summary:  "consecutive simple RUN instructions could be one",
	Fixable:  diagnose.FixSometimes,
	Scope:    diagnose.ShippedStages,
	Doc: diagnose.Doc{
		What: "Flags a `RUN` that directly follows another `RUN` (comments and blank lines between them do not " +
			"count) when each of the two runs a single command and both have the same flags (`--mount`, " +
			"`--network`, ...). As in hadolint, a `RUN` that already chains commands (`a && b`, `a; b`, or a " +
			"command substitution) is taken as a deliberate split and not flagged, and `RUN`s in a shell dockdoc " +
			"cannot read (PowerShell, cmd) are left alone. Checked in stages the image is made of: the last " +
			"stage and the stages it is built `FROM`, directly or through others. A builder stage that later " +
			"stages only read with `COPY --from` is not checked (hadolint checks it): the files copied out of it " +
			"ship, its layers do not, so how many it has costs the image nothing.",
		Why: "Each `RUN` makes a layer. A file deleted in a later layer still takes space in the earlier one, and a " +
			"list of one-command `RUN`s often means that cleanup cannot work (`RUN apt-get update` then `RUN " +
			"apt-get install` also caches a stale package index). Joining the commands gives one layer, and the " +
			"cleanup of a step can happen in the same layer. The other side: separate `RUN`s are rebuilt " +
			"separately, which can be what you want for slow steps that rarely change, so this is only a hint.",
		Bad:  "RUN apt-get update\nRUN apt-get install -y --no-install-recommends curl",
		Good: "RUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl",
		Fix: "Joins the second `RUN` onto the first with ` && \\`, a line break and an indent. Offered only when " +
			"both are plain shell-form commands with no flags and no heredoc, nothing but blank lines separates " +
			"them, the first has no `#` and leaves no shell state behind (`cd`, `export`, `set`, `exit`, ...), and " +
			"the second is a single command or `&&` chain, so the joined command fails whenever either part " +
			"failed before. It is unsafe all the same: the layers and the build cache change, and the second part " +
			"now runs in the same shell as the first.",
		Refs: []string{
			"https://docs.docker.com/build/building/best-practices/#run",
			"https://docs.docker.com/build/cache/",
			"https://github.com/hadolint/hadolint/wiki/DL3059",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		var prev *diagnose.Instruction
		prevCount := 0
		for _, in := range d.Instructions {
			if in.Keyword != "run" {
				prev = nil
				continue
			}
			count, ok := runCommandCount(d, in)
			if !ok {
				prev = nil
				continue
			}
			if prev != nil && prevCount <= 1 && count <= 1 && sameFlags(prev, in) {
				f := p.Report(buildvars.FirstLine(d, in), "this RUN follows the RUN on line %d, each running a single command: "+
					"consider one RUN (one layer) for both", prev.StartLine)
				mergeRunFix(d, prev, in, f)
			}
			prev, prevCount = in, count
		}
	},
})

// runCommandCount counts the commands of a RUN, those in command
// substitutions included (an exec-form RUN is one), and says false when
// the shell code is unreadable. hadolint counts each command twice and
// flags counts up to 2, which means a single command.
func runCommandCount(d *diagnose.Document, in *diagnose.Instruction) (int, bool) {
	if in.IsExecForm() {
		return 1, true
	}
	if len(in.Scripts(d)) == 0 {
		return 0, false
	}
	return len(in.Commands(d)), true
}

func sameFlags(a, b *diagnose.Instruction) bool {
	fa := append([]string(nil), a.Node.Flags...)
	fb := append([]string(nil), b.Node.Flags...)
	if len(fa) != len(fb) {
		return false
	}
	sort.Strings(fa)
	sort.Strings(fb)
	for i := range fa {
		if fa[i] != fb[i] {
			return false
		}
	}
	return true
}

// statefulCommands leave shell state behind that a command joined after
// them would inherit (or end the shell early).
var statefulCommands = map[string]bool{
	"cd": true, "pushd": true, "popd": true, "export": true, "set": true, "source": true, ".": true,
	"umask": true, "shopt": true, "alias": true, "unset": true, "exit": true, "exec": true, "trap": true,
	"declare": true, "typeset": true, "local": true, "readonly": true, "return": true, "ulimit": true,
}

// mergeRunFix offers to join in onto prev when that is mechanical.
func mergeRunFix(d *diagnose.Document, prev, in *diagnose.Instruction, f *diagnose.Finding) {
	if d.Escape != '\\' || prev.IsExecForm() || in.IsExecForm() || len(prev.Heredocs) > 0 || len(in.Heredocs) > 0 ||
		len(prev.Node.Flags) > 0 || len(in.Node.Flags) > 0 {
		return
	}
	ps, is := prev.Scripts(d), in.Scripts(d)
	if len(ps) != 1 || len(is) != 1 {
		return
	}
	prevArgs, _ := prev.Args()
	if strings.Contains(prevArgs, "#") {
		return // a shell comment would swallow what is joined after it
	}
	// The first part: nothing that changes the shell for what follows.
	for _, c := range prev.Commands(d) {
		if (c.Lit[0] && statefulCommands[c.Words[0]]) || (c.Prog < len(c.Words) && c.Lit[c.Prog] && statefulCommands[c.Words[c.Prog]]) {
			return
		}
		if len(c.Call.Assigns) > 0 && len(c.Call.Args) == 0 {
			return
		}
	}
	stmts := ps[0].File.Stmts
	if len(stmts) == 0 || stmts[len(stmts)-1].Background || stmts[len(stmts)-1].Coprocess {
		return
	}
	for _, st := range stmts {
		if st.Cmd == nil {
			return // a bare assignment
		}
		if ce, ok := st.Cmd.(*syntax.CallExpr); ok && len(ce.Args) == 0 {
			return
		}
	}
	// The second part: one statement whose top level has no ||, so that
	// "first && second" fails whenever either failed.
	second := is[0].File.Stmts
	if len(second) != 1 || second[0].Background || second[0].Coprocess || hasTopLevelOr(second[0].Cmd) {
		return
	}
	if ce, ok := second[0].Cmd.(*syntax.CallExpr); ok && len(ce.Args) == 0 {
		return
	}

	trimmed := strings.TrimRight(prev.Logical, " \t")
	end := prev.Orig(len(trimmed)-1) + 1
	_, argStart := in.Args()
	start := in.Orig(argStart)
	if start <= end || d.HasCommentLines(diagnose.Span{Start: end, End: start}) {
		return
	}
	indent := "    "
	if prev.EndLine > prev.StartLine && strings.HasPrefix(d.Indent(prev.StartLine+1), "\t") {
		indent = "\t"
	}
	fx := f.AddFix("Join this RUN onto the previous one with &&", fixes.Unsafe,
		diagnose.Replace(diagnose.Span{Start: end, End: start}, " && "+string(d.Escape)+d.EOL+indent))
	fx.Note = "One layer instead of two: the build cache of both steps changes, and the second now runs in the same shell as the first."
}

// hasTopLevelOr reports whether an && / || chain contains ||.
func hasTopLevelOr(c syntax.Command) bool {
	b, ok := c.(*syntax.BinaryCmd)
	if !ok {
		return false
	}
	switch b.Op {
	case syntax.OrStmt:
		return true
	case syntax.AndStmt:
		return hasTopLevelOr(b.X.Cmd) || hasTopLevelOr(b.Y.Cmd)
	}
	return false
}
