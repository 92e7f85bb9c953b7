package diagnose

import (
	"math/rand"
	"os"
	"testing"

	"github.com/dockdoc/dockdoc/fixes"
	"github.com/dockdoc/dockdoc/internal/corpus"
)

// The instruction-by-instruction verifier must agree with a full parse on
// every output, including edits that break a file in ways only the
// neighbouring instructions reveal (a continuation left at the end of an
// instruction, an unterminated heredoc).
func TestIncrementalVerifyAgreesWithFullParse(t *testing.T) {
	srcs := []string{
		"FROM a\nRUN x\n# c\nRUN y\nCMD z\n",
		"# escape=`\nFROM a\nRUN x `\n  y\nCOPY <<EOF /f\nhi\nEOF\nCMD z\n",
		"FROM a\r\nRUN x\r\n\r\nENV A=1\r\n",
	}
	if dir := corpus.Dir(); dir != "" {
		for i, f := range corpus.Files(t) {
			if i%9 == 0 {
				b, _ := os.ReadFile(f)
				srcs = append(srcs, string(b))
			}
		}
	}
	pieces := []string{"\\\n", "`\n", "RUN <<EOF\n", "EOF\n", "\n", "x", "RUN", " ", "FROM", "#", "\"", "ARG A\n", "ENV"}
	rnd := rand.New(rand.NewSource(1))
	checked, broken := 0, 0
	for _, src := range srcs {
		doc, err := Parse("Dockerfile", []byte(src))
		if err != nil || doc.ParseErr != nil || len(doc.Instructions) == 0 {
			continue
		}
		verify := verifierFor(doc)
		for trial := 0; trial < 60; trial++ {
			var edits []fixes.Edit
			pos := doc.LineStart(doc.Instructions[0].StartLine)
			for pos < len(src) && len(edits) < 4 {
				pos += rnd.Intn(len(src)-pos+1) / 2
				end := min(len(src), pos+rnd.Intn(6))
				edits = append(edits, fixes.Edit{Start: pos, End: end, New: pieces[rnd.Intn(len(pieces))]})
				pos = end + 1
			}
			if len(edits) == 0 {
				continue
			}
			out, err := fixes.Apply([]byte(src), edits)
			if err != nil {
				continue
			}
			full := Verify(out) == nil
			inc := verify(out, edits) == nil
			checked++
			if !full {
				broken++
			}
			if full != inc {
				t.Fatalf("full parse says %v, incremental says %v\nsource:\n%s\nedits: %+v\noutput:\n%s", full, inc, src, edits, out)
			}
			// Asking again hits the cache and must give the same answer.
			if again := verify(out, edits) == nil; again != inc {
				t.Fatalf("cached answer differs")
			}
		}
	}
	t.Logf("%d outputs checked, %d do not parse", checked, broken)
	if checked < 100 || broken == 0 {
		t.Fatalf("checked %d outputs, %d broken: the test is not exercising anything", checked, broken)
	}
}

// After a bulk check (a full parse that fills the cache), single changes
// are judged from the cache and must still agree with a full parse.
func TestIncrementalVerifyAfterBulk(t *testing.T) {
	var src string
	for i := 0; i < 300; i++ {
		src += "RUN echo a\n"
	}
	src = "FROM alpine\n" + src
	doc := mustParse(t, src)
	verify := verifierFor(doc)
	var all []fixes.Edit
	for _, in := range doc.Instructions[1:] {
		all = append(all, fixes.Edit{Start: in.Span.End, End: in.Span.End, New: " b"})
	}
	out, _ := fixes.Apply([]byte(src), all)
	if verify(out, all) != nil || Verify(out) != nil {
		t.Fatal("bulk edit should parse")
	}
	// Now break one instruction with a dangling continuation, and with an
	// unterminated heredoc: both must be caught.
	for _, bad := range []string{" \\", " <<EOF"} {
		edits := append([]fixes.Edit(nil), all...)
		edits[150].New = " b" + bad
		out, _ := fixes.Apply([]byte(src), edits)
		if (verify(out, edits) == nil) != (Verify(out) == nil) {
			t.Errorf("%q: incremental and full parse disagree", bad)
		}
	}
}
