package diagnose

import (
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = register(&Rule{
	Code:     "DD008",
	Name:     "apt-get-upgrade",
	Severity: Warning,
	Category: Reproducibility,
	Summary:  "apt-get upgrade or dist-upgrade in a build",
	Fixable:  FixSometimes,
	Doc: Doc{
		What: "Flags `apt-get upgrade`, `apt-get dist-upgrade` and `apt-get full-upgrade` (and the same " +
			"subcommands of `apt`) in a `RUN`. A simulated run (`-s`, `--dry-run`) and `apt-get install " +
			"--only-upgrade <package>` are not flagged.",
		Why: "An upgrade replaces the packages of the base image with whatever the mirror serves on the day " +
			"of the build. Two builds of the same Dockerfile, a week apart, then contain different software, " +
			"and a change nobody made can break the image. It also duplicates every upgraded package in a new " +
			"layer, making the image bigger. The base image's maintainers already publish rebuilt images when " +
			"security fixes land; getting those fixes by moving to a newer base tag (or digest) keeps every " +
			"change visible in the Dockerfile and in review.",
		Bad:  "RUN apt-get update && apt-get upgrade -y && apt-get install -y --no-install-recommends curl",
		Good: "FROM debian:12.7-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
		Fix: "Removes the upgrade command from its `&&` chain or `;` list, with the operator that joined it. " +
			"Unsafe: the image keeps the package versions of its base image, so a security fix that the " +
			"upgrade used to pull in is gone until you rebuild on a newer base image; a comment inside the " +
			"removed text goes too. No fix is offered when the upgrade is the only command of the `RUN` (delete " +
			"the instruction yourself) or sits inside `if`, a pipe or an `||` list.",
		Refs: []string{
			"https://docs.docker.com/build/building/best-practices/#apt-get",
			"https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
			"https://manpages.debian.org/apt-get.8",
		},
	},
	Check: func(p *Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Keyword != "run" {
				continue // CMD and ENTRYPOINT run in the container, not in the image build
			}
			for _, c := range in.Commands(d) {
				name := c.Name()
				if name != "apt-get" && name != "apt" {
					continue
				}
				v := aptVerbIndex(c)
				if v < 0 {
					continue
				}
				verb := c.Words[v]
				if verb != "upgrade" && verb != "dist-upgrade" && verb != "full-upgrade" {
					continue
				}
				if c.HasFlag("-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act") {
					continue
				}
				f := p.Report(c.Script.Span(c.Call),
					"%s %s installs whatever package versions the mirror has at build time, so rebuilds differ; "+
						"get updates from a newer base image instead", name, verb)
				if edit, ok := aptUpgradeRemovalEdit(d, c); ok {
					fx := f.AddFix("Remove "+name+" "+verb, fixes.Unsafe, edit)
					fx.Note = "The image keeps the package versions of its base image. To pick up security " +
						"fixes, rebuild on a newer tag or digest of the base image."
				}
			}
		}
	},
})

// aptUpgradeChain flattens a statement that is an && list into its
// elements (`a && b && c` gives a, b, c); any other statement is its own
// single element. The parser nests && lists to the left.
func aptUpgradeChain(st *syntax.Stmt) []*syntax.Stmt {
	b, ok := st.Cmd.(*syntax.BinaryCmd)
	if !ok || b.Op != syntax.AndStmt || st.Negated || st.Background || st.Coprocess || st.Disown || len(st.Redirs) > 0 {
		return []*syntax.Stmt{st}
	}
	return append(aptUpgradeChain(b.X), b.Y)
}

// aptUpgradeStmtEnd is the script offset where a statement ends, before a
// ';' that terminates it.
func aptUpgradeStmtEnd(st *syntax.Stmt) int {
	bare := *st
	bare.Semicolon = syntax.Pos{}
	return int(bare.End().Offset())
}

// aptUpgradeRemovalEdit deletes the statement running c from its && chain
// or from the script's top-level list, with the operator or separator
// that joined it, or returns false when that cannot be done cleanly.
func aptUpgradeRemovalEdit(d *Document, c *Command) (fixes.Edit, bool) {
	s, st := c.Script, c.Stmt
	if st == nil || st.Cmd != c.Call || st.Background || st.Coprocess || st.Disown || st.Negated {
		return fixes.Edit{}, false
	}
	stmts := s.File.Stmts
	off := func(p syntax.Pos) int { return int(p.Offset()) }
	for ti, top := range stmts {
		elems := aptUpgradeChain(top)
		for ei, e := range elems {
			if e != st {
				continue
			}
			if len(elems) > 1 {
				if ei > 0 {
					// From the end of the previous command through this one:
					// ` && apt-get upgrade -y`, continuation included.
					return Delete(s.SpanOf(aptUpgradeStmtEnd(elems[ei-1]), aptUpgradeStmtEnd(e))), true
				}
				// The first command and the `&& ` after it.
				return Delete(s.SpanOf(off(e.Pos()), off(elems[1].Pos()))), true
			}
			if len(stmts) == 1 {
				return fixes.Edit{}, false // the only command: nothing would be left
			}
			if del, ok := aptUpgradeOwnLines(d, s, top); ok {
				return del, true
			}
			if ti > 0 {
				prev := stmts[ti-1]
				from := off(prev.End())
				if ti == len(stmts)-1 && !prev.Background && !prev.Coprocess && !prev.Disown {
					from = aptUpgradeStmtEnd(prev) // the ';' before it is not needed any more
				}
				return Delete(s.SpanOf(from, off(top.End()))), true
			}
			return Delete(s.SpanOf(off(top.Pos()), off(stmts[1].Pos()))), true
		}
	}
	return fixes.Edit{}, false
}

// aptUpgradeOwnLines deletes a top-level statement of a heredoc script
// with its whole lines when nothing else shares them (a comment after the
// previous command then stays where it is).
func aptUpgradeOwnLines(d *Document, s *Script, st *syntax.Stmt) (fixes.Edit, bool) {
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
	return Delete(Span{d.LineStart(first), d.LineBreakEnd(last)}), true
}
