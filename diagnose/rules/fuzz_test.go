package rules

import (
	"bytes"
	"os"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/dockdoc/dockdoc/internal/corpus"
)

func addCorpusSeeds(f *testing.F) {
	if dir := corpus.Dir(); dir != "" {
		files := corpus.Files(f)
		for i, p := range files {
			if i%7 != 0 { // a spread of the corpus keeps seeding quick
				continue
			}
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("FROM alpine\nRUN apt-get install x \\\n\n  && echo\nCMD echo $X\n"))
	f.Add([]byte("\xEF\xBB\xBF# escape=`\r\nFROM a AS b\r\nRUN <<EOF\r\necho\r\nEOF\r\n"))
}

// FuzzDiagnose: parsing and diagnosing any input never panics, no rule
// panics (they would surface as internal-error findings), and with no fix
// chosen the output is the input.
func FuzzDiagnose(f *testing.F) {
	addCorpusSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := diagnose.Parse("Dockerfile", src)
		if err != nil {
			return
		}
		fs := diagnose.Run(doc, diagnose.Options{})
		for _, fd := range fs {
			if bytes.Contains([]byte(fd.Message), []byte("internal error")) {
				t.Fatalf("%s", fd.Message)
			}
		}
		if c := diagnose.Compose(doc, nil); !bytes.Equal(c.Out, src) {
			t.Fatal("output with no fix differs from the input")
		}
	})
}

// FuzzComposeSubsets: any subset of a file's fixes composes into a file
// that parses, or the engine names the fix that broke it; never a panic.
func FuzzComposeSubsets(f *testing.F) {
	addCorpusSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := diagnose.Parse("Dockerfile", src)
		if err != nil || doc.ParseErr != nil {
			return
		}
		fs := diagnose.Run(doc, diagnose.Options{})
		all := diagnose.DefaultChoices(fs, fixes.Unsafe)
		// Subsets picked by the bytes of the input itself, so the fuzzer
		// explores them as it mutates.
		for round := 0; round < 3; round++ {
			var pick []diagnose.Choice
			for i, c := range all {
				if len(src) > 0 && (int(src[(i+round)%len(src)])+round)%3 != 0 {
					pick = append(pick, c)
				}
			}
			c := diagnose.Compose(doc, pick)
			if c.Applied() > 0 {
				if err := diagnose.Verify(c.Out); err != nil {
					t.Fatalf("composed output does not parse and no fix was blamed: %v", err)
				}
			}
			for _, o := range c.Outcomes {
				if o.Status.Kind != fixes.Applied && o.Reason == "" {
					t.Fatalf("fix %q left out without a reason", o.Finding.Fixes[o.Alt].Title)
				}
			}
		}
	})
}
