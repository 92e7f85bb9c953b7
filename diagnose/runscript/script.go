package runscript

import (
	"path"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"mvdan.cc/sh/v3/syntax"
)

// RunOrOnbuildCommands returns the shell commands of a RUN, or of the RUN that an
// `ONBUILD RUN ...` trigger will run in images built FROM this one (the
// trigger text is parsed the same way, with offsets mapped to Src). It
// returns nil for any other instruction, for exec form, for a non-POSIX
// shell and for text that is not valid shell.
func RunOrOnbuildCommands(d *diagnose.Document, in *diagnose.Instruction) []*diagnose.Command {
	switch in.Keyword {
	case "run":
		return in.Commands(d)
	case "onbuild":
		if s := OnbuildScript(d, in); s != nil {
			return s.Commands()
		}
	}
	return nil
}

// OnbuildTrigger returns the parser node of an ONBUILD's trigger when
// it is a RUN, or nil.
func OnbuildTrigger(in *diagnose.Instruction) *diagnose.Instruction {
	if in.Keyword != "onbuild" || in.Node.Next == nil || len(in.Node.Next.Children) != 1 {
		return nil
	}
	n := in.Node.Next.Children[0]
	if !strings.EqualFold(n.Value, "run") {
		return nil
	}
	// A stand-in instruction carrying the trigger's node, so that helpers
	// reading RUN flags (mounts) work on it.
	return &diagnose.Instruction{Node: n, Keyword: "run"}
}

// OnbuildScript parses the shell command of an `ONBUILD RUN` trigger.
func OnbuildScript(d *diagnose.Document, in *diagnose.Instruction) *diagnose.Script {
	trig := OnbuildTrigger(in)
	if trig == nil || trig.Node.Attributes["json"] || len(in.Heredocs) > 0 || d.Escape != '\\' || !in.HasPOSIXShell() {
		return nil
	}
	words := in.Words()
	i := 2 // ONBUILD RUN
	for i < len(words) && strings.HasPrefix(words[i].Text, "--") {
		i++
	}
	if i >= len(words) {
		return nil
	}
	start := words[i].Span.Start
	s := diagnose.ParseScript(in.Logical[start:], func(o int) int { return in.Orig(start + o) })
	if s != nil {
		s.In = in
	}
	return s
}

// WordText returns a shell word as the shell would pass it, with "$"
// standing for every part whose value is only known at build time
// (parameter expansions, command substitutions, arithmetic). Quotes and
// escapes are removed as LiteralWord does.
func WordText(w *syntax.Word) string {
	var b strings.Builder
	partsText(&b, w.Parts)
	return b.String()
}

func partsText(b *strings.Builder, parts []syntax.WordPart) {
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(diagnose.Unescape(p.Value, ""))
		case *syntax.SglQuoted:
			if p.Dollar {
				b.WriteString("$")
			} else {
				b.WriteString(p.Value)
			}
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					b.WriteString(diagnose.Unescape(l.Value, "\\\"$`\n"))
				} else {
					partsText(b, []syntax.WordPart{q})
				}
			}
		default:
			b.WriteString("$")
		}
	}
}

// ListNames renders names for a message: "a", "a and b", "a, b and c",
// "a, b, c and 2 more".
func ListNames(names []string) string {
	const show = 3
	switch {
	case len(names) == 1:
		return names[0]
	case len(names) <= show:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return strings.Join(names[:show], ", ") + " and " + strconv.Itoa(len(names)-show) + " more"
}

// StmtEnd is the script offset just after a statement's command and
// redirections, before any `;` or `&` that ends it, so that text inserted
// there (` && next`) joins the statement.
func StmtEnd(s *syntax.Stmt) int {
	if s.Semicolon.IsValid() {
		return int(s.Semicolon.Offset())
	}
	return int(s.End().Offset())
}

// ShellBase is the base name of a shell program path ("/bin/bash" →
// "bash"), lower case, without ".exe".
func ShellBase(p string) string {
	return strings.TrimSuffix(strings.ToLower(path.Base(strings.ReplaceAll(p, `\`, "/"))), ".exe")
}
