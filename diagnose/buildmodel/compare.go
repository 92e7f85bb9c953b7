package buildmodel

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// A Break is something a change to the file does to the build that it did
// not declare: a need that held and no longer does, an instruction that
// now sees another working directory, user, shell or environment, or an
// image config field of the final image that changes.
type Break struct {
	Line   int    // in the changed file
	Reason string // in words: "COPY at line 5 would run in /opt instead of /app"
}

func (b *Break) Error() string { return b.Reason }

// BreakLine is the line of the break in the changed file.
func (b *Break) BreakLine() int { return b.Line }

// Compare judges after, the file as some fixes would write it, against
// before, the file as it is. declared names the image config fields (as
// Config.Fields names them) the fixes mean to change; a change to one of
// them is intended, not a break. It returns the first break in the file,
// or nil. Stages are compared by position when both files have as many;
// otherwise only the needs are judged (a fix that adds or removes stages
// declares that the whole image may change).
func Compare(before, after *Model, declared map[string]bool) *Break {
	// Needs: the k-th command of a stage with a given need (apt-get install
	// needs package lists) is matched with the k-th of that stage before;
	// one that held before, or that is new, and fails now is a break.
	// Fixes change how commands are written (-y, apt -> apt-get), not how
	// many installs a stage runs, so order matches them.
	type key struct {
		stage int
		what  string
	}
	held := map[key][]bool{}
	for _, n := range before.Needs {
		k := key{stageOf(n.In), n.What}
		held[k] = append(held[k], n.Held)
	}
	seen := map[key]int{}
	for _, n := range after.Needs {
		k := key{stageOf(n.In), n.What}
		i := seen[k]
		seen[k]++
		if n.Held {
			continue
		}
		if i < len(held[k]) && !held[k][i] {
			continue // it failed before too: not the fixes' doing
		}
		return &Break{Line: n.In.StartLine, Reason: n.Why}
	}
	if declared["*"] || len(before.Doc.Stages) != len(after.Doc.Stages) {
		return nil
	}
	// What unchanged instructions see: an instruction whose text the fixes
	// left alone must run as it did.
	// Instructions are matched by text within their stage, in order of
	// appearance, so moved instructions are compared too.
	for si, ast := range after.Doc.Stages {
		byText := map[string][]*diagnose.Instruction{}
		for _, in := range before.Doc.Stages[si].Instrs {
			byText[textKey(in)] = append(byText[textKey(in)], in)
		}
		for _, in := range ast.Instrs {
			q := byText[textKey(in)]
			if len(q) == 0 {
				continue // an instruction the fixes wrote or changed
			}
			was := q[0]
			byText[textKey(in)] = q[1:]
			if in.Keyword == "from" {
				continue
			}
			if why := seenChange(in, before.Seen[was.Index], after.Seen[in.Index], declared); why != "" {
				return &Break{Line: in.StartLine, Reason: why}
			}
		}
	}
	// The image: the final stage's config.
	last := len(after.Doc.Stages) - 1
	if last < 0 {
		return nil
	}
	// An ENTRYPOINT turned from shell form into exec form starts getting
	// CMD's words as arguments (the shell form ignored them): declaring
	// Entrypoint does not cover that.
	if b, a := before.Config[last], after.Config[last]; strings.HasPrefix(b.Entrypoint, "shell") &&
		strings.HasPrefix(a.Entrypoint, "exec:") && a.Cmd != "" {
		return &Break{Line: after.Doc.Stages[last].From.StartLine,
			Reason: "the ENTRYPOINT in exec form would receive the CMD's words as arguments, which its shell form ignored"}
	}
	was, now := before.Config[last].Fields(), after.Config[last].Fields()
	var fields []string
	for f := range now {
		if f != "OnBuild" { // triggers run in another build, which the model does not see
			fields = append(fields, f)
		}
	}
	sort.Strings(fields)
	for _, f := range fields {
		if was[f] != now[f] && !declared[f] {
			return &Break{Line: after.Doc.Stages[last].From.StartLine,
				Reason: fmt.Sprintf("the image's %s would change from %s to %s, which the fix does not say it changes", f, show(was[f]), show(now[f]))}
		}
	}
	return nil
}

func stageOf(in *diagnose.Instruction) int {
	if in.Stage == nil {
		return -1
	}
	return in.Stage.Index
}

// usesWorkdir reports whether what in does depends on the working
// directory: a RUN, a relative WORKDIR, a COPY or ADD to a relative
// destination.
func usesWorkdir(in *diagnose.Instruction) bool {
	switch in.Keyword {
	case "run":
		return true
	case "workdir":
		return !path.IsAbs(args(in))
	case "copy", "add":
		w := in.Words()
		if len(w) == 0 {
			return true
		}
		return !path.IsAbs(w[len(w)-1].Text)
	}
	return false
}

// textKey identifies an instruction by what it says.
func textKey(in *diagnose.Instruction) string {
	return in.Keyword + "\x00" + strings.TrimSpace(in.Logical)
}

// seenChange says how what in sees changed, when it matters to in.
func seenChange(in *diagnose.Instruction, was, now Seen, declared map[string]bool) string {
	kw := strings.ToUpper(in.Keyword)
	if usesWorkdir(in) {
		if was.Workdir != now.Workdir && !declared["WorkingDir"] {
			return fmt.Sprintf("%s at line %d would run in %s instead of %s", kw, in.StartLine, show(now.Workdir), show(was.Workdir))
		}
	}
	// USER sets who RUN runs as; COPY and ADD write root-owned files
	// whatever the USER (only --chown changes that).
	switch in.Keyword {
	case "run":
		if was.User != now.User && !declared["User"] {
			return fmt.Sprintf("%s at line %d would run as user %s instead of %s", kw, in.StartLine, show(now.User), show(was.User))
		}
	}
	if in.Keyword == "run" && !in.IsExecForm() {
		if was.Shell != now.Shell && !declared["Shell"] {
			return fmt.Sprintf("RUN at line %d would run in the shell %s instead of %s", in.StartLine, show(now.Shell), show(was.Shell))
		}
	}
	return ""
}

func show(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return "the base image's default"
	}
	return strings.ReplaceAll(v, "\n", "; ")
}
