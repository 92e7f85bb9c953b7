package diagnose

import (
	"testing"

	"github.com/dockdoc/dockdoc/fixes"
)

func TestSafeFixDeletingCommentIsDemoted(t *testing.T) {
	d := mustParse(t, "FROM a\nRUN x \\\n  # note\n  && y\n# top\nCMD z\n")
	r := &Rule{Code: "DD999", Name: "test-rule", Check: func(p *Pass) {
		in := p.Doc.Instructions[1]
		f := p.Report(in.Span, "x")
		f.AddFix("Delete the RUN", fixes.Safe, Delete(Span{in.Span.Start, p.Doc.LineBreakEnd(in.EndLine)}))
		cmd := p.Doc.Instructions[2]
		g := p.Report(cmd.Span, "y")
		g.AddFix("Rewrite CMD", fixes.Safe, Replace(cmd.Span, "CMD [\"z\"]"))
	}}
	fs := runRule(d, r)
	if fs[0].Fixes[0].Applicability != fixes.Unsafe {
		t.Error("a fix deleting a comment inside a continuation stayed safe")
	}
	if fs[1].Fixes[0].Applicability != fixes.Safe {
		t.Error("a fix next to (not over) a comment was demoted")
	}
}

func mustParse(t *testing.T, src string) *Document {
	t.Helper()
	d, err := Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return d
}
