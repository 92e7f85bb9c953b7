package pkgmgr

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

// upgradeChain flattens a statement that is an && list into its
// elements (`a && b && c` gives a, b, c); any other statement is its own
// single element. The parser nests && lists to the left.
func upgradeChain(st *syntax.Stmt) []*syntax.Stmt {
	b, ok := st.Cmd.(*syntax.BinaryCmd)
	if !ok || b.Op != syntax.AndStmt || st.Negated || st.Background || st.Coprocess || st.Disown || len(st.Redirs) > 0 {
		return []*syntax.Stmt{st}
	}
	return append(upgradeChain(b.X), b.Y)
}

// upgradeStmtEnd is the script offset where a statement ends, before a
// ';' that terminates it.
func upgradeStmtEnd(st *syntax.Stmt) int {
	bare := *st
	bare.Semicolon = syntax.Pos{}
	return int(bare.End().Offset())
}

// UpgradeRemovalEdit deletes the statement running c from its && chain
// or from the script's top-level list, with the operator or separator
// that joined it, or returns false when that cannot be done cleanly.
func UpgradeRemovalEdit(d *diagnose.Document, c *diagnose.Command) (fixes.Edit, bool) {
	s, st := c.Script, c.Stmt
	if st == nil || st.Cmd != c.Call || st.Background || st.Coprocess || st.Disown || st.Negated {
		return fixes.Edit{}, false
	}
	stmts := s.File.Stmts
	off := func(p syntax.Pos) int { return int(p.Offset()) }
	for ti, top := range stmts {
		elems := upgradeChain(top)
		for ei, e := range elems {
			if e != st {
				continue
			}
			if len(elems) > 1 {
				if ei > 0 {
					// From the end of the previous command through this one:
					// ` && apt-get upgrade -y`, continuation included.
					return diagnose.Delete(s.SpanOf(upgradeStmtEnd(elems[ei-1]), upgradeStmtEnd(e))), true
				}
				// The first command and the `&& ` after it.
				return diagnose.Delete(s.SpanOf(off(e.Pos()), off(elems[1].Pos()))), true
			}
			if len(stmts) == 1 {
				return fixes.Edit{}, false // the only command: nothing would be left
			}
			if del, ok := upgradeOwnLines(d, s, top); ok {
				return del, true
			}
			if ti > 0 {
				prev := stmts[ti-1]
				from := off(prev.End())
				if ti == len(stmts)-1 && !prev.Background && !prev.Coprocess && !prev.Disown {
					from = upgradeStmtEnd(prev) // the ';' before it is not needed any more
				}
				return diagnose.Delete(s.SpanOf(from, off(top.End()))), true
			}
			return diagnose.Delete(s.SpanOf(off(top.Pos()), off(stmts[1].Pos()))), true
		}
	}
	return fixes.Edit{}, false
}

// upgradeOwnLines deletes a top-level statement of a heredoc script
// with its whole lines when nothing else shares them (a comment after the
// previous command then stays where it is).
func upgradeOwnLines(d *diagnose.Document, s *diagnose.Script, st *syntax.Stmt) (fixes.Edit, bool) {
	if len(s.In.Heredocs) == 0 {
		return fixes.Edit{}, false
	}
	sp := s.Span(st)
	first, _ := d.Position(sp.Start)
	last, _ := d.Position(sp.End)
	before := string(d.Src[d.LineStart(first):sp.Start])
	after := string(d.Src[sp.End:d.LineEnd(last)])
	if strings.TrimLeft(before, " \t") != "" || strings.TrimRight(after, " \t") != "" {
		return fixes.Edit{}, false
	}
	return diagnose.Delete(diagnose.Span{Start: d.LineStart(first), End: d.LineBreakEnd(last)}), true
}
