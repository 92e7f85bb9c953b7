package rules

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/internal/corpus"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
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

// TestCorpusRejectionsAreBuildKits checks, over the corpus, that dockdoc
// reports a rejection exactly when BuildKit's own instruction parsing
// (instructions.Parse, what docker build runs after the line parser)
// rejects the file, and at the line BuildKit names: dockdoc's errors come
// only from BuildKit's verdict. Instructions before the first FROM are
// DD064's, not DD000's.
func TestCorpusRejectionsAreBuildKits(t *testing.T) {
	files := corpus.Files(t)
	rejected := 0
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
		stages, _, bkErr := instructions.Parse(res.AST, linter.New(&linter.Config{}))
		bkLine := 0
		var le *parser.LocationError
		if errors.As(bkErr, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
			bkLine = le.Locations[0][0].Start.Line
		}
		if bkErr != nil && strings.Contains(bkErr.Error(), "no build stage in current context") {
			bkErr = nil // DD064 reports it
		}
		dLine := 0
		switch {
		case doc.ParseErr != nil:
			dLine = doc.ParseErr.Line
		case len(doc.Rejections) > 0 && doc.Rejections[0].Instr != nil:
			dLine = doc.Rejections[0].Instr.StartLine
		case len(doc.Rejections) > 0:
			if bkErr != nil || len(stages) != 0 {
				t.Errorf("%s: dockdoc says no stages, BuildKit gives %d stages, error %v", name, len(stages), bkErr)
			}
			rejected++
			continue
		}
		if v, ok := doc.Directive("syntax"); ok && (strings.Contains(v, "labs") || !strings.Contains(v, "docker/dockerfile")) {
			if dLine != 0 {
				t.Errorf("%s: frontend %q, yet dockdoc judged line %d", name, v, dLine)
			}
			continue
		}
		if (bkErr != nil) != (dLine != 0) || bkErr != nil && bkLine != dLine {
			t.Errorf("%s: BuildKit says %v (line %d); dockdoc's first rejection is at line %d", name, bkErr, bkLine, dLine)
		}
		if dLine != 0 {
			rejected++
		}
	}
	t.Logf("%d of %d corpus files get a BuildKit rejection (DD000 beyond the line parser); BuildKit agrees on each, line included", rejected, len(files))
}
