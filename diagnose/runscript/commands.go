package runscript

import (
	"path"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Helpers shared by DD031–DD038 (the hadolint shell rules DL3008, DL3018,
// DL3019, DL3027, DL4001, DL3047, DL3001, DL3004). Like hadolint, these
// rules also read the RUN of an `ONBUILD RUN` trigger.

// RunNode returns the parser node of the RUN an instruction runs: the
// instruction itself for RUN, the trigger for `ONBUILD RUN`, else nil.
func RunNode(in *diagnose.Instruction) *parser.Node {
	switch in.Keyword {
	case "run":
		return in.Node
	case "onbuild":
		if in.Node.Next == nil || len(in.Node.Next.Children) != 1 {
			return nil
		}
		if n := in.Node.Next.Children[0]; strings.EqualFold(n.Value, "run") {
			return n
		}
	}
	return nil
}

// Scripts returns the shell scripts of a RUN, or of the RUN in an
// `ONBUILD RUN` trigger (shell form only, no heredoc). Like Scripts, it
// returns nil when the shell is not one dockdoc reads.
func Scripts(d *diagnose.Document, in *diagnose.Instruction) []*diagnose.Script {
	switch in.Keyword {
	case "run":
		return in.Scripts(d)
	case "onbuild":
	default:
		return nil
	}
	n := RunNode(in)
	if n == nil || n.Attributes["json"] || len(n.Heredocs) > 0 || d.Escape != '\\' || !in.HasPOSIXShell() {
		return nil
	}
	words := in.Words()
	if len(words) < 3 || !strings.EqualFold(words[1].Text, "run") {
		return nil
	}
	i := 2
	for i < len(words) && strings.HasPrefix(words[i].Text, "--") {
		i++
	}
	if i >= len(words) {
		return nil
	}
	start := words[i].Span.Start
	s := diagnose.ParseScript(in.Logical[start:], func(o int) int { return in.Orig(start + o) })
	if s == nil {
		return nil
	}
	s.In = in
	return []*diagnose.Script{s}
}

// InvokedCommands lists the simple commands of a RUN or ONBUILD RUN that
// really run the program they name: `command -v curl` only asks where curl
// is, so it is left out.
func InvokedCommands(d *diagnose.Document, in *diagnose.Instruction) []*diagnose.Command {
	var out []*diagnose.Command
	for _, s := range Scripts(d, in) {
		for _, c := range s.Commands() {
			if Invoked(c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// Invoked reports whether the command runs its program, rather than
// looking it up with `command -v` / `command -V`.
func Invoked(c *diagnose.Command) bool {
	for i := 0; i < c.Prog && i < len(c.Words); i++ {
		if !c.Lit[i] || path.Base(c.Words[i]) != "command" {
			continue
		}
		for j := i + 1; j < c.Prog && strings.HasPrefix(c.Words[j], "-"); j++ {
			if strings.ContainsAny(c.Words[j], "vV") {
				return false
			}
		}
	}
	return true
}

// WordSource returns the source text of argument i as written
// (quotes and $ included).
func WordSource(c *diagnose.Command, i int) string {
	return c.Script.Text(c.Call.Args[i])
}

// RunMountTargets returns the cleaned targets of the cache and tmpfs
// mounts of a RUN or ONBUILD RUN.
func RunMountTargets(in *diagnose.Instruction) []string {
	n := RunNode(in)
	if n == nil {
		return nil
	}
	return diagnose.EphemeralMountTargets(&diagnose.Instruction{Node: n})
}

// ListAtMost renders names as "a, b and c", keeping at most max of them
// ("a, b, c and 4 more").
func ListAtMost(names []string, max int) string {
	if len(names) == 0 {
		return ""
	}
	if len(names) > max {
		rest := len(names) - max
		return strings.Join(names[:max], ", ") + " and " + strconv.Itoa(rest) + " more"
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
