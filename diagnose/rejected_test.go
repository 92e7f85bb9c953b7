package diagnose

import (
	"fmt"
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

// TestConversionRejections: what BuildKit's conversion rejects is found
// without converting, at the instruction it names, and only what no
// --build-arg can change; what a plain docker build accepts is not.
func TestConversionRejections(t *testing.T) {
	for _, c := range []struct {
		src   string
		lines []int
	}{
		{src: "FROM $UNSET\n", lines: []int{1}},
		{src: "FROM ${X}\nFROM alpine:${TAG}\n", lines: []int{1, 2}},
		{src: "ARG BASE\nFROM $BASE\n"},                  // a --build-arg fills it: DD075's
		{src: "ARG TAG=\nFROM alpine:$TAG\n"},            // likewise
		{src: "FROM alpine${SUFFIX}\n"},                  // empty, but valid
		{src: "FROM --platform=$TARGETVARIANT alpine\n"}, // empty on amd64 only
		{src: "FROM --platform=$UNSET alpine\nFROM --platform=a/b/c/d/e alpine\n", lines: []int{1, 2}},
		{src: "FROM REPLACE-ME\nFROM SCRATCH\nFROM scratch\n", lines: []int{1, 2}},
		{src: "FROM alpine AS build\nFROM Build\nFROM build\n", lines: []int{2}},
		{src: "FROM alpine AS a\nFROM alpine AS a\nFROM a AS b\nFROM b AS b\n"},                                                // BuildKit accepts both
		{src: "FROM alpine AS a\nCOPY --from=a /x /x\nRUN --mount=from=a true\nRUN --mount=from=0 true\n", lines: []int{2, 3}}, // from= takes no stage number
		{src: "FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n", lines: []int{2, 4}},
		{src: "FROM alpine AS a\nCOPY --from=b /x /x\nFROM a AS b\n", lines: []int{2}},
		{src: "FROM alpine AS a\nRUN --mount=from=b true\nFROM a AS b\n", lines: []int{2}},
		{src: "FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\n"}, // stage a is not built
		{src: "FROM alpine\nCOPY --from=5 /x /x\nCOPY --from=$X /y /y\nCOPY --from=Foo /z /z\n", lines: []int{2, 3, 4}},
		{src: "ARG V=${templateOption:v}\nFROM alpine\nENV A='a\\'b'\nARG B=${C:i}\nRUN --mount=type=bind,z true\n", lines: []int{1, 3, 4, 5}},
		{src: "FROM alpine AS unused\nENV A=\"x\nFROM alpine\n"},                        // a stage docker build does not build
		{src: "FROM alpine\nWORKDIR ${X?set X}\nRUN --mount=type=bind,uid=$UID true\n"}, // values from the base image
		{src: "FROM alpine\nRUNN x\nCOPY --from=$X /y /y\n", lines: []int{2}},           // BuildKit stops at the parse error
		{src: "# syntax=example.com/frontend\nFROM $UNSET\n"},
	} {
		d := mustParse(t, c.src)
		if d.ParseErr != nil {
			t.Errorf("%q: unexpected ParseErr %v", c.src, d.ParseErr)
			continue
		}
		var got []int
		for _, r := range d.Rejections {
			got = append(got, r.Instr.StartLine)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.lines) {
			t.Errorf("%q: rejected lines %v, want %v", c.src, got, c.lines)
		}
	}
}

// TestFixesRewritingTheRejectedWordOffered: around a word the conversion
// rejects, a finding pointing into it keeps its fix of it, a fix elsewhere
// that also rewrites that word is offered, and a fix editing the rest of
// the instruction is not.
func TestFixesRewritingTheRejectedWordOffered(t *testing.T) {
	d := mustParse(t, "ARG TAG=3.20\nFROM alpine AS Base\nFROM alpine:$TAGG as app\n")
	from := d.Instructions[2]
	if len(d.Rejections) != 1 || d.Rejections[0].Instr != from {
		t.Fatalf("rejections %+v, want the FROM on line 3", d.Rejections)
	}
	logical := func(s string) Span {
		i := strings.Index(from.Logical, s)
		return from.OrigSpan(Span{i, i + len(s)})
	}
	tagg, as, image := logical("$TAGG"), logical("as"), logical("alpine:$TAGG")
	r := &Rule{Code: "DD999", Name: "test-rule", Check: func(p *Pass) {
		p.Report(tagg, "undeclared").AddFix("Use $TAG", fixes.Unsafe, Replace(Span{tagg.Start + 1, tagg.End}, "TAG"))
		p.Report(as, "casing").AddFix("Upper-case AS", fixes.Safe, Replace(as, "AS"))
		p.Report(image, "no image").AddFix("Pin", fixes.Unsafe, Replace(image, "alpine:3.20"), Replace(as, "AS"))
		base := d.Stages[0].From.OrigSpan(d.Stages[0].NameSpan)
		p.Report(base, "stage casing").AddFix("Rename", fixes.Safe, Replace(base, "base"), Replace(Span{image.Start, image.Start + len("alpine")}, "base"))
	}}
	out := withholdRejected(d, runRule(d, r))
	got := map[string]int{}
	for _, f := range out {
		got[f.Message] = len(f.Fixes)
	}
	if want := map[string]int{"undeclared": 1, "stage casing": 1}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("findings and their fixes %v, want %v", got, want)
	}
}
