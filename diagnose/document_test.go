package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/internal/corpus"
)

// The logical text we rebuild from the raw bytes must equal what BuildKit's
// parser saw, for every instruction of every corpus file; otherwise offsets
// computed from it would point at the wrong bytes.
func TestLogicalMatchesParserOriginal(t *testing.T) {
	for _, f := range corpus.Files(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(f, src)
		if err != nil || doc.ParseErr != nil {
			continue
		}
		for _, in := range doc.Instructions {
			if in.Logical != in.Node.Original {
				t.Errorf("%s:%d: logical text differs from the parser's\n got: %q\nwant: %q", filepath.Base(f), in.StartLine, in.Logical, in.Node.Original)
				continue
			}
			for i := range len(in.Logical) {
				if src[in.Orig(i)] != in.Logical[i] {
					t.Errorf("%s:%d: byte %d maps to %q, want %q", filepath.Base(f), in.StartLine, i, src[in.Orig(i)], in.Logical[i])
					break
				}
			}
			kw := in.KeywordSpan()
			if !strings.EqualFold(string(src[kw.Start:kw.End]), in.Keyword) {
				t.Errorf("%s:%d: keyword span %q", filepath.Base(f), in.StartLine, src[kw.Start:kw.End])
			}
		}
	}
}

func TestDocumentBasics(t *testing.T) {
	src := "\xEF\xBB\xBF# syntax=docker/dockerfile:1\r\n# escape=`\r\nFROM alpine AS b\r\nRUN echo a `\r\n  # inner\r\n  && echo b\r\nCOPY <<EOF /x\r\nhello\r\nEOF\r\n"
	doc, err := Parse("Dockerfile", []byte(src))
	if err != nil || doc.ParseErr != nil {
		t.Fatal(err, doc.ParseErr)
	}
	if !doc.BOM || doc.EOL != "\r\n" || doc.Escape != '`' {
		t.Fatalf("BOM=%v EOL=%q escape=%q", doc.BOM, doc.EOL, doc.Escape)
	}
	if v, ok := doc.Directive("syntax"); !ok || v != "docker/dockerfile:1" {
		t.Errorf("syntax directive = %q %v", v, ok)
	}
	if len(doc.Directives) != 2 {
		t.Errorf("directives = %+v", doc.Directives)
	}
	if len(doc.Instructions) != 3 {
		t.Fatalf("instructions = %d", len(doc.Instructions))
	}
	run := doc.Instructions[1]
	if run.Logical != "RUN echo a   && echo b" || run.StartLine != 4 || run.EndLine != 6 {
		t.Errorf("run = %q %d-%d", run.Logical, run.StartLine, run.EndLine)
	}
	if l, c := doc.Position(run.Span.Start); l != 4 || c != 1 {
		t.Errorf("run position = %d:%d", l, c)
	}
	cp := doc.Instructions[2]
	if len(cp.Heredocs) != 1 || string(doc.Src[cp.Heredocs[0].Body.Start:cp.Heredocs[0].Body.End]) != "hello\r\n" {
		t.Errorf("heredoc = %+v", cp.Heredocs)
	}
	if doc.Stages[0].Name != "b" || doc.Stages[0].Image != "alpine" {
		t.Errorf("stage = %+v", doc.Stages[0])
	}
}
