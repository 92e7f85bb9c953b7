package mainproc

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"mvdan.cc/sh/v3/syntax"
)

// Builtins are shell builtins that have no program of their own on
// disk: they cannot be the first word of an exec-form array, nor follow
// `exec`.
var Builtins = map[string]bool{
	".": true, ":": true, "alias": true, "bg": true, "break": true, "builtin": true, "cd": true,
	"command": true, "continue": true, "declare": true, "eval": true, "exec": true, "exit": true,
	"export": true, "fg": true, "getopts": true, "hash": true, "jobs": true, "let": true, "local": true,
	"read": true, "readonly": true, "return": true, "set": true, "shift": true, "shopt": true,
	"source": true, "times": true, "trap": true, "type": true, "typeset": true, "ulimit": true,
	"umask": true, "unalias": true, "unset": true, "wait": true,
}

// PlainWords returns the words of a statement that is one command made
// of literal words only, with the shell's quotes removed; a leading `exec`
// is dropped.
func PlainWords(st *syntax.Stmt) ([]string, bool) {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || st.Coprocess || st.Disown || len(st.Redirs) > 0 ||
		len(call.Assigns) > 0 || len(call.Args) == 0 {
		return nil, false
	}
	var words []string
	for _, w := range call.Args {
		v, ok := plainWord(w)
		if !ok {
			return nil, false
		}
		words = append(words, v)
	}
	if words[0] == "exec" {
		words = words[1:]
		if len(words) == 0 || strings.HasPrefix(words[0], "-") {
			return nil, false
		}
	}
	if Builtins[words[0]] || words[0] == "" {
		return nil, false
	}
	// The shell's echo interprets backslashes in some shells; /bin/echo
	// does not.
	if words[0] == "echo" {
		for _, w := range words[1:] {
			if strings.Contains(w, `\`) {
				return nil, false
			}
		}
	}
	return words, true
}

// plainWord removes the quotes of a word the way the shell does, and
// reports false if the shell would change it in any other way (expansion,
// globbing, tilde, brace expansion) or if it holds a backslash escape.
func plainWord(w *syntax.Word) (string, bool) {
	var b, unquoted strings.Builder
	for i, part := range w.Parts {
		switch part := part.(type) {
		case *syntax.Lit:
			v := part.Value
			if i == 0 && strings.HasPrefix(v, "~") {
				return "", false
			}
			if strings.ContainsAny(v, "*?[\\") {
				return "", false
			}
			unquoted.WriteString(v)
			b.WriteString(v)
		case *syntax.SglQuoted:
			if part.Dollar {
				return "", false
			}
			b.WriteString(part.Value)
		case *syntax.DblQuoted:
			if part.Dollar {
				return "", false
			}
			for _, q := range part.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok || strings.Contains(l.Value, `\`) {
					return "", false
				}
				b.WriteString(l.Value)
			}
		default:
			return "", false
		}
	}
	// bash expands {a,b} and {1..3} (sh does not): leave any word with
	// unquoted braces to the shell.
	if u := unquoted.String(); strings.Contains(u, "{") && strings.Contains(u, "}") {
		return "", false
	}
	return b.String(), true
}

// stageChain lists the stage of in and the earlier stages it is built
// FROM (`FROM build AS test`), nearest first.
func stageChain(d *diagnose.Document, in *diagnose.Instruction) []*diagnose.Stage {
	var out []*diagnose.Stage
	for s := in.Stage; s != nil; s = d.StageByName(s.Image, s.Index) {
		out = append(out, s)
	}
	return out
}

// StageChainHas reports whether an instruction with the keyword comes
// before in in its own stage (anywhere in it, when onlyBefore is false) or
// anywhere in a stage it is built from. An `ENTRYPOINT []` does not count.
func StageChainHas(d *diagnose.Document, in *diagnose.Instruction, keyword string, onlyBefore bool) bool {
	for k, s := range stageChain(d, in) {
		for _, o := range s.Instrs {
			if k == 0 && onlyBefore && o.Index >= in.Index {
				break
			}
			if o.Keyword == keyword && !(o.IsExecForm() && o.Node.Next == nil) {
				return true
			}
		}
	}
	return false
}

// WindowsBase reports whether the stage chain starts from a Windows
// image, whose default shell is cmd.exe, not /bin/sh.
func WindowsBase(d *diagnose.Document, in *diagnose.Instruction) bool {
	chain := stageChain(d, in)
	if len(chain) == 0 {
		return false
	}
	img := strings.ToLower(chain[len(chain)-1].Image)
	for _, w := range []string{"windows", "nanoserver", "servercore"} {
		if strings.Contains(img, w) {
			return true
		}
	}
	return false
}
