package runscript

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"mvdan.cc/sh/v3/syntax"
)

// DirWord returns what a shell word names as a path, in a form two words
// of one script can be compared by: the literal text with quotes and
// escapes removed, each plain variable expansion written "$name" ("$tmp",
// "${tmp}" and $tmp all give "$tmp"), cleaned like a path ("$tmp/b/"
// gives "$tmp/b"). It returns "" for a word whose value depends on
// anything else (a command substitution, ${x:-y}, a glob, arithmetic).
func DirWord(w *syntax.Word) string {
	var b strings.Builder
	if w == nil || !dirParts(&b, w.Parts) || b.Len() == 0 {
		return ""
	}
	s := b.String()
	if strings.ContainsAny(s, "*?[") {
		return ""
	}
	return path.Clean(s)
}

func dirParts(b *strings.Builder, parts []syntax.WordPart) bool {
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(diagnose.Unescape(p.Value, ""))
		case *syntax.SglQuoted:
			if p.Dollar {
				return false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			if p.Dollar || !dirParts(b, p.Parts) {
				return false
			}
		case *syntax.ParamExp:
			if p.Param == nil || p.Excl || p.Length || p.Width || p.Index != nil || p.Slice != nil ||
				p.Repl != nil || p.Names != 0 || p.Exp != nil {
				return false
			}
			b.WriteString("$" + p.Param.Value)
		default:
			return false
		}
	}
	return true
}

// RemovesDir reports whether c is an `rm -r` (-R, -rf, --recursive, ...)
// whose arguments include dir, a DirWord, or a directory above it: after
// it, dir is gone.
func RemovesDir(c *diagnose.Command, dir string) bool {
	if dir == "" || c.Name() != "rm" || !c.HasFlag("-r", "-R", "--recursive") {
		return false
	}
	opts := true
	for i := c.Prog + 1; i < len(c.Call.Args); i++ {
		if opts && c.Lit[i] && c.Words[i] == "--" {
			opts = false
			continue
		}
		if opts && c.Lit[i] && strings.HasPrefix(c.Words[i], "-") {
			continue
		}
		w := DirWord(c.Call.Args[i])
		if w != "" && w != "/" && (w == dir || strings.HasPrefix(dir, w+"/")) {
			return true
		}
	}
	return false
}

// MktempDirVars returns the variables a script sets to a new temporary
// directory: `tmp=$(mktemp -d)`, `export T="$(mktemp -d -t x.XXXX)"`,
// `local d=$(mktemp --directory)`, wherever in the script they are.
func MktempDirVars(f *syntax.File) map[string]bool {
	vars := map[string]bool{}
	syntax.Walk(f, func(n syntax.Node) bool {
		if a, ok := n.(*syntax.Assign); ok && a.Name != nil && !a.Append && a.Index == nil && IsMktempDir(a.Value) {
			vars[a.Name.Value] = true
		}
		return true
	})
	return vars
}

// IsMktempDir reports whether a word is only the output of `mktemp -d`
// (quoted or not): a directory that did not exist before the command.
func IsMktempDir(w *syntax.Word) bool {
	if w == nil || len(w.Parts) != 1 {
		return false
	}
	part := w.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok {
		if len(dq.Parts) != 1 {
			return false
		}
		part = dq.Parts[0]
	}
	cs, ok := part.(*syntax.CmdSubst)
	if !ok || len(cs.Stmts) != 1 {
		return false
	}
	call, ok := cs.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	if prog, ok := diagnose.LiteralWord(call.Args[0]); !ok || path.Base(prog) != "mktemp" {
		return false
	}
	for _, a := range call.Args[1:] {
		v, ok := diagnose.LiteralWord(a)
		if !ok {
			continue
		}
		if v == "--directory" || (len(v) > 1 && v[0] == '-' && v[1] != '-' && strings.ContainsRune(v[1:], 'd')) {
			return true
		}
	}
	return false
}
