package pkgmgr

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"mvdan.cc/sh/v3/syntax"
)

// Env returns the value an environment variable has when command c of
// RUN in runs, and whether it is set: ENV earlier in the stage or in a
// stage it builds on, ARG with a default earlier in the stage, `export`
// earlier in the same script, or an assignment in front of the command
// (`VAR=x cmd`, `env VAR=x cmd`). A value that is not a literal counts as
// set to "?".
func Env(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command, name string) (string, bool) {
	val, set := "", false
	chain := in.Stage.Lineage()
	for _, s := range chain {
		for _, o := range s.Instrs {
			if s == in.Stage && o.Index >= in.Index {
				break
			}
			switch o.Keyword {
			case "env":
				// The parser gives ENV as (name, value, separator) triples.
				for n := o.Node.Next; n != nil && n.Next != nil; {
					if n.Value == name {
						val, set = strings.Trim(n.Next.Value, `"'`), true
					}
					sep := n.Next.Next
					if sep == nil {
						break
					}
					n = sep.Next
				}
			case "arg":
				if s != in.Stage {
					continue // an ARG's value ends with its stage
				}
				for n := o.Node.Next; n != nil; n = n.Next {
					if k, v, ok := strings.Cut(n.Value, "="); ok && k == name {
						val, set = strings.Trim(v, `"'`), true
					}
				}
			}
		}
	}
	if c == nil {
		return val, set
	}
	syntax.Walk(c.Script.File, func(n syntax.Node) bool {
		decl, ok := n.(*syntax.DeclClause)
		if !ok || decl.Variant == nil || decl.Variant.Value != "export" || decl.End().Offset() > c.Call.Pos().Offset() {
			return true
		}
		for _, a := range decl.Args {
			if a.Name != nil && a.Name.Value == name {
				val, set = "?", true
				if a.Value == nil {
					val = ""
				} else if v, lit := diagnose.LiteralWord(a.Value); lit {
					val = v
				}
			}
		}
		return true
	})
	for _, a := range c.Call.Assigns {
		if a.Name != nil && a.Name.Value == name {
			val, set = "?", true
			if a.Value == nil {
				val = ""
			} else if v, lit := diagnose.LiteralWord(a.Value); lit {
				val = v
			}
		}
	}
	for i := 0; i < c.Prog && i < len(c.Words); i++ {
		if v, ok := strings.CutPrefix(c.Words[i], name+"="); ok && c.Lit[i] {
			val, set = v, true
		}
	}
	return val, set
}

// EnvTrue reports whether the variable is set to a true value.
func EnvTrue(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command, name string) bool {
	v, ok := Env(d, in, c, name)
	return ok && envTruthy(v)
}

// mount is one `RUN --mount=...` flag.
type mount = diagnose.Mount

// Mounts parses the --mount flags of a RUN.
func Mounts(in *diagnose.Instruction) []mount { return diagnose.ParseMounts(in.Node.Flags) }

// CopyFlag returns the value of a COPY/ADD flag such as --from.
func CopyFlag(in *diagnose.Instruction, name string) (string, bool) {
	for _, fl := range in.Node.Flags {
		if v, ok := strings.CutPrefix(fl, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}
