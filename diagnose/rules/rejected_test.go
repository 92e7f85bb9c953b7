package rules

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/effects"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/internal/corpus"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"golang.org/x/tools/txtar"
)

// TestRejectedInstructionsSilenceRules runs every rule on files with
// instructions BuildKit rejects: no rule reports on a rejected instruction
// (a bare FROM is no base image "" to pin or to run as root), and no fix
// offered edits one.
func TestRejectedInstructionsSilenceRules(t *testing.T) {
	for _, src := range []string{
		"FROM\nRUN echo hi\n",
		"FROM {{ .Base }}\nRUN apt-get update && apt-get install curl\n",
		"FROM alpine:3.20\nHEALTHCHECK --interval=abc CMD curl -f http://localhost/\n",
		"FROM ubuntu:24.04\nRUN apt-get update\nRUN --foo apt-get install curl\n",
		"FROM alpine:3.20\nRUNN apk add curl\nMAINTAINER me\n",
		"FROM ubuntu:24.04 AS app\nCOPY --from=app /x /x\nRUN apt-get update && apt-get install curl\n",
		"FROM alpine:3.20\nENV GREETING \"never closed\nRUN --mount=type=bind,target=/src,z apt-get install curl\n",
	} {
		doc, err := diagnose.Parse("Dockerfile", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Rejections) == 0 {
			t.Errorf("%q: no rejection", src)
			continue
		}
		for _, f := range diagnose.Run(doc, diagnose.Options{}) {
			if f.Rule.Code == "DD000" {
				continue
			}
			for _, r := range doc.Rejections {
				in := r.Instr
				if f.Span.Start < in.Span.End && f.Span.End > in.Span.Start {
					t.Errorf("%q: %s reports on rejected line %d: %s", src, f.ID(), in.StartLine, f.Message)
				}
				for _, fx := range f.Fixes {
					for _, e := range fx.Edits {
						if e.Start < in.Span.End && e.End > in.Span.Start || e.Start == e.End && e.Start > in.Span.Start && e.Start <= in.Span.End {
							t.Errorf("%q: %s offers %q, which edits rejected line %d", src, f.ID(), fx.Title, in.StartLine)
						}
					}
				}
			}
			if strings.Contains(f.Message, `""`) {
				t.Errorf("%q: %s: %s", src, f.ID(), f.Message)
			}
		}
	}
}

// TestCorpusRejectionsAreBuildKits checks, over the corpus, that dockdoc's
// rejections are BuildKit's. Where BuildKit's instruction parsing
// (instructions.Parse) rejects the file, dockdoc does too, first at the line
// BuildKit names. Every corpus file BuildKit's conversion (dockerfile2llb,
// what docker build runs after parsing) accepts has no DD000; every file
// dockdoc rejects the conversion rejects too, with one of dockdoc's
// messages. Instructions before the first FROM are DD064's, not DD000's;
// what the conversion rejects and dockdoc leaves to other rules (a FROM
// empty until a --build-arg fills it: DD075) is listed.
func TestCorpusRejectionsAreBuildKits(t *testing.T) {
	files := corpus.Files(t)
	rejected := 0
	var left []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := diagnose.Parse(f, src)
		if err != nil {
			continue
		}
		name := filepath.Base(f)
		res, err := parser.Parse(bytes.NewReader(src))
		if err != nil {
			if doc.ParseErr == nil || doc.ParseErr.NotDockerfile != "" {
				t.Errorf("%s: the line parser rejects it but dockdoc's ParseErr is %+v", name, doc.ParseErr)
			}
			continue
		}
		_, _, bkErr := instructions.Parse(res.AST, linter.New(&linter.Config{}))
		bkLine := errorLine(bkErr)
		if bkErr != nil && strings.Contains(bkErr.Error(), "no build stage in current context") {
			bkErr = nil // DD064 reports it
		}
		lines, msgs := dockdocRejections(doc)
		if v, ok := doc.Directive("syntax"); ok && (strings.Contains(v, "labs") || !strings.Contains(v, "docker/dockerfile")) {
			if len(lines) != 0 {
				t.Errorf("%s: frontend %q, yet dockdoc judged line %d", name, v, lines[0])
			}
			continue
		}
		if bkErr != nil && (len(lines) == 0 || lines[0] != bkLine) {
			t.Errorf("%s: BuildKit says %v (line %d); dockdoc's rejections are at lines %v", name, bkErr, bkLine, lines)
		}
		convErr := effects.Converts(f, src)
		switch {
		case convErr == nil && len(lines) > 0:
			t.Errorf("%s: BuildKit converts it, yet dockdoc rejects lines %v: %q", name, lines, msgs)
		case convErr != nil && len(lines) == 0:
			left = append(left, fmt.Sprintf("%s: %v", name, convErr))
		case convErr != nil:
			rejected++
			if !slices.Contains(msgs, convErr.Error()) {
				t.Errorf("%s: BuildKit's conversion says %q (line %d); dockdoc says %q at lines %v", name, convErr, errorLine(convErr), msgs, lines)
			}
		}
	}
	t.Logf("%d of %d corpus files get a DD000 beyond the line parser; BuildKit's conversion rejects each with one of dockdoc's messages", rejected, len(files))
	t.Logf("%d files the conversion rejects for what DD000 leaves to other rules:\n%s", len(left), strings.Join(left, "\n"))
}

// dockdocRejections are the lines and messages of what dockdoc says
// docker build rejects in doc.
func dockdocRejections(doc *diagnose.Document) (lines []int, msgs []string) {
	if doc.ParseErr != nil {
		return []int{doc.ParseErr.Line}, []string{doc.ParseErr.Msg}
	}
	for _, r := range doc.Rejections {
		l := 0
		if r.Instr != nil {
			l = r.Instr.StartLine
		}
		lines, msgs = append(lines, l), append(msgs, r.Msg)
	}
	return lines, msgs
}

// errorLine is the first line a BuildKit error names, or 0.
func errorLine(err error) int {
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		return le.Locations[0][0].Start.Line
	}
	return 0
}

// TestConversionRejectionsAreBuildKits holds each kind of rejection dockdoc
// finds without converting to BuildKit's conversion: in a file that has
// only that one, dockdoc rejects the instruction BuildKit names (or, where
// BuildKit names none, the one that holds what it quotes), with BuildKit's
// own message.
func TestConversionRejectionsAreBuildKits(t *testing.T) {
	for _, c := range []struct {
		src  string
		line int
	}{
		{"FROM $UNSET\n", 1},
		{"FROM ${X}\nRUN true\n", 1},
		{"FROM alpine:$UNSET\n", 1},
		{"FROM REPLACE-ME\n", 1},
		{"FROM alpine AS build\nFROM Build\n", 2},
		{"FROM SCRATCH\n", 1},
		{"FROM --platform=$BULIDPLATFORM alpine\n", 1},
		{"FROM --platform=linux/amd64/v2/x alpine\n", 1},
		{"FROM alpine AS a\nCOPY --from=a /x /x\n", 2},
		{"FROM alpine AS a\nCOPY --from=0 /x /x\n", 2},
		{"FROM alpine AS a\nRUN --mount=from=a,target=/m true\n", 2},
		{"FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n", 2},
		{"FROM alpine AS a\nCOPY --from=b /x /x\nFROM a AS b\n", 2},
		{"FROM alpine AS a\nRUN --mount=from=b,target=/m true\nFROM a AS b\n", 2},
		{"FROM alpine\nCOPY --from=5 /x /x\n", 2},
		{"FROM alpine\nCOPY --from=$X /x /x\n", 2},
		{"FROM alpine\nCOPY --from=Foo /x /x\n", 2},
		{"FROM alpine\nRUN --mount=type=cache,from=Foo,target=/c true\n", 2},
		{"ARG V=${templateOption:v}\nFROM alpine\n", 1},
		{"FROM mcr.example/base:0-${templateOption:imageVariant}\n", 1},
		{"FROM alpine\nENV A='a\\'b'\n", 2},
		{"FROM alpine\nARG B=${C:i}\n", 2},
		{"FROM alpine\nLABEL a=${b:x}\n", 2},
		{"FROM alpine\nWORKDIR ${HOME:-/root\n", 2},
		{"FROM alpine\nEXPOSE ${PORT:p}\n", 2},
		{"FROM alpine\nCOPY <<EOT /a\n${X:i}\nEOT\n", 2},
		{"FROM alpine\nRUN --mount=type=bind,target=/src,z true\n", 2},
		{"FROM alpine\nRUN --mount=type=volume,target=/v true\n", 2},
		{"FROM alpine\nRUN --mount=type=cache,target=/c,uid=app true\n", 2},
		{"FROM alpine AS 1st\n", 1},
	} {
		doc, err := diagnose.Parse("Dockerfile", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		convErr := effects.Converts("Dockerfile", []byte(c.src))
		if convErr == nil {
			t.Errorf("%q: BuildKit converts it", c.src)
			continue
		}
		lines, msgs := dockdocRejections(doc)
		if len(lines) == 0 || lines[0] != c.line || !slices.Contains(msgs, convErr.Error()) {
			t.Errorf("%q: BuildKit says %q (line %d); dockdoc says %q at lines %v, want line %d", c.src, convErr, errorLine(convErr), msgs, lines, c.line)
		}
		if l := errorLine(convErr); l != 0 && l != c.line {
			t.Errorf("%q: BuildKit names line %d, the case says %d", c.src, l, c.line)
		}
	}
}

// TestDD000CasesAreBuildKits holds the DD000 txtar cases to BuildKit's
// conversion: a case without findings converts (unless it names another
// frontend); a case of the instruction parser is rejected with its first
// message; and each instruction a case reports for the conversion is
// rejected by BuildKit with DD000's message, in the case's file with the
// other reported instructions commented out.
func TestDD000CasesAreBuildKits(t *testing.T) {
	files, _ := filepath.Glob("testdata/rules/DD000/*.txtar")
	if len(files) == 0 {
		t.Fatal("no DD000 cases")
	}
	for _, file := range files {
		a, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		src, _ := ruletest.Section(a, "Dockerfile")
		doc, err := diagnose.Parse("Dockerfile", src)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(file)
		if v, ok := doc.Directive("syntax"); ok && (strings.Contains(v, "labs") || !strings.Contains(v, "docker/dockerfile")) {
			continue
		}
		if doc.ParseErr != nil {
			if err := effects.Converts("Dockerfile", src); err == nil || err.Error() != doc.ParseErr.Msg && !strings.HasSuffix(err.Error(), doc.ParseErr.Msg) {
				t.Errorf("%s: dockdoc says %q, BuildKit's conversion %v", name, doc.ParseErr.Msg, err)
			}
			continue
		}
		if len(doc.Rejections) == 0 {
			if err := effects.Converts("Dockerfile", src); err != nil {
				t.Errorf("%s: no DD000, but BuildKit's conversion says %v", name, err)
			}
			continue
		}
		if r := doc.Rejections[0]; r.Why == "" { // the instruction parser's: BuildKit stops at the first
			if err := effects.Converts("Dockerfile", src); err == nil || err.Error() != r.Msg {
				t.Errorf("%s: dockdoc says %q first; BuildKit's conversion says %v", name, r.Msg, err)
			}
			continue
		}
		for i, r := range doc.Rejections {
			alone := src
			if r.Instr != nil {
				alone = commentOutOthers(doc, i)
			}
			err := effects.Converts("Dockerfile", alone)
			if err == nil || err.Error() != r.Msg {
				line := 0
				if r.Instr != nil {
					line = r.Instr.StartLine
				}
				t.Errorf("%s: line %d: dockdoc says %q; with the other rejected lines commented out BuildKit's conversion says %v\n%s", name, line, r.Msg, err, alone)
			}
		}
	}
}

// commentOutOthers is doc's file with the rejected instructions turned
// into comment lines, but the i-th and those rejected with its message
// (the other uses on one circle of stages).
func commentOutOthers(doc *diagnose.Document, i int) []byte {
	keep := doc.Rejections[i]
	var out []byte
	for l := 1; l <= doc.LineCount(); l++ {
		line := doc.Line(l)
		for _, r := range doc.Rejections {
			if r.Instr != nil && r.Instr != keep.Instr && r.Msg != keep.Msg && l >= r.Instr.StartLine && l <= r.Instr.EndLine {
				line = "# " + line
				break
			}
		}
		out = append(out, line+"\n"...)
	}
	return out
}
