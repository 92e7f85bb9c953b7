package diagnose

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/fixes"
)

func TestRejectionsFollowBuildKit(t *testing.T) {
	for _, c := range []struct {
		src   string
		lines []int // lines of the rejected instructions
		not   string
	}{
		{src: "FROM alpine\nRUN echo ok\n"},
		{src: "FROM alpine\nRUNN x\nFOO bar\n", lines: []int{2, 3}},
		{src: "FROM\n", lines: []int{1}},
		{src: "FROM a\nRUN --foo=bar x\nCOPY --user=u a b\n", lines: []int{2, 3}},
		{src: "FROM a\nHEALTHCHECK --interval=abc CMD true\n", lines: []int{2}},
		{src: "FROM a\nHEALTHCHECK\n", lines: []int{2}},
		{src: "FROM {{ .Base }}\n", lines: []int{1}},
		{src: "# check=skip=all\nFROM a\n# check=error=true\nRUNN x\n", lines: []int{4}},
		{src: "kind: Pod\nmetadata:\n  name: x\n", not: "YAML"},
		{src: "[1, 2]\n", not: "JSON"},
		{src: "hello there\nRun it\n", not: "text"},
		{src: "# syntax=docker/dockerfile:1-labs\nFROM a\nRUN --foo x\n"},
		{src: "# syntax=example.com/frontend\nFROM a\nRUNN x\n"},
		{src: "# syntax=docker/dockerfile:1\nFROM a\nRUNN x\n", lines: []int{3}},
	} {
		d := mustParse(t, c.src)
		if c.not != "" {
			if d.ParseErr == nil || d.ParseErr.NotDockerfile != c.not {
				t.Errorf("%q: ParseErr %+v, want a file that looks like %s", c.src, d.ParseErr, c.not)
			}
			continue
		}
		if d.ParseErr != nil {
			t.Errorf("%q: unexpected ParseErr %v", c.src, d.ParseErr)
		}
		var got []int
		for _, r := range d.Rejections {
			got = append(got, r.Instr.StartLine)
			if !strings.HasPrefix(r.Msg, "dockerfile parse error on line ") {
				t.Errorf("%q: message %q is not docker build's", c.src, r.Msg)
			}
			if !d.Rejected(r.Instr) {
				t.Errorf("%q: Rejected is false for line %d", c.src, r.Instr.StartLine)
			}
		}
		if len(got) != len(c.lines) || len(got) > 0 && got[0] != c.lines[0] || len(got) > 1 && got[1] != c.lines[1] {
			t.Errorf("%q: rejected lines %v, want %v", c.src, got, c.lines)
		}
	}
}

// TestFixesOnRejectedInstructionsWithheld: findings on a rejected
// instruction are dropped, fixes that edit one are not offered (and the
// finding says so), other fixes stay, a line inserted before it is no edit
// of it.
func TestFixesOnRejectedInstructionsWithheld(t *testing.T) {
	d := mustParse(t, "FROM a\nRUN x\nRUN --foo=bar y\nCMD z\n")
	run, bad, cmd := d.Instructions[1], d.Instructions[2], d.Instructions[3]
	r := &Rule{Code: "DD999", Name: "test-rule", Check: func(p *Pass) {
		p.Report(bad.Span, "on the rejected RUN")
		f := p.Report(run.Span, "joins")
		f.AddFix("Join the RUNs", fixes.Unsafe, Replace(Span{run.Span.Start, bad.Span.End}, "RUN x && y"))
		f.AddFix("Rewrite the RUN", fixes.Safe, Replace(run.Span, "RUN [\"x\"]"))
		g := p.Report(cmd.Span, "appends")
		g.AddFix("Append to the rejected RUN", fixes.Safe, Insert(bad.Span.End, " && z"))
		g.AddFix("Insert before the rejected RUN", fixes.Safe, Insert(bad.Span.Start, "# note\n"))
	}}
	out := withholdRejected(d, runRule(d, r))
	if len(out) != 2 {
		t.Fatalf("got %d findings, want 2 (the one on the rejected RUN dropped): %+v", len(out), out)
	}
	for i, want := range [][]string{{"Rewrite the RUN"}, {"Insert before the rejected RUN"}} {
		var titles []string
		for _, fx := range out[i].Fixes {
			titles = append(titles, fx.Title)
		}
		if strings.Join(titles, "|") != strings.Join(want, "|") {
			t.Errorf("finding %q offers %v, want %v", out[i].Message, titles, want)
		}
		if len(out[i].Problems) != 1 || !strings.Contains(out[i].Problems[0], "not offered: it edits line 3, which docker build rejects") {
			t.Errorf("finding %q: Problems %q", out[i].Message, out[i].Problems)
		}
	}
}
