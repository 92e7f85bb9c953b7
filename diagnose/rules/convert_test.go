package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/effects"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/dockdoc/dockdoc/internal/corpus"
)

// TestCorpusFixesConvert: for every corpus file BuildKit converts, the
// file fix --unsafe writes converts too. Parsing is not building; this is
// the part of building that needs no daemon.
func TestCorpusFixesConvert(t *testing.T) {
	var problems []string
	converted := 0
	for _, f := range corpus.Files(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if effects.Converts(f, src) != nil {
			continue // BuildKit rejects the original: nothing to hold the fixes to
		}
		converted++
		res, err := diagnose.FixAll(f, src, diagnose.Options{}, fixes.Unsafe)
		if err != nil {
			continue
		}
		if err := effects.Converts(f, res.Out); err != nil {
			problems = append(problems, fmt.Sprintf("%s: BuildKit converts the original but not the fixed file: %v", filepath.Base(f), err))
		}
	}
	t.Logf("%d corpus files convert; their fixed files checked", converted)
	if len(problems) > 0 {
		t.Errorf("%d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}

// TestFixesChangeOnlyWhatTheyDeclare: each fix of each corpus file, applied
// alone, changes no field of the image config BuildKit builds except those
// the fix (or its rule) declares in Changes. This holds the declarations
// the model of the build trusts to BuildKit's own answer. (ONBUILD is left
// out: a fix to a trigger changes it by design, and the model does not
// judge child builds.)
func TestFixesChangeOnlyWhatTheyDeclare(t *testing.T) {
	var problems []string
	checked := 0
	configs := map[string]map[string]string{} // corpus file -> BuildKit's config of the original
	eachFixAlone(t, func(f string, src []byte, fd *diagnose.Finding, fx fixes.Fix, out []byte) {
		before, ok := configs[f]
		if !ok {
			before, _ = effects.Config(f, src) // nil when BuildKit does not convert it
			configs[f] = before
		}
		if before == nil {
			return
		}
		after, err := effects.Config(f, out)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %s %q: the fixed file does not convert: %v", filepath.Base(f), fd.ID(), fx.Title, err))
			return
		}
		checked++
		declared := map[string]bool{}
		for _, ch := range append(append([]string(nil), fx.Changes...), fd.Rule.Changes...) {
			declared[ch] = true
		}
		for k, v := range before {
			if k != "OnBuild" && after[k] != v && !declared[k] && !declared["*"] {
				problems = append(problems, fmt.Sprintf("%s: %s %q changes the image's %s (%s -> %s) without declaring it",
					filepath.Base(f), fd.ID(), fx.Title, k, v, after[k]))
			}
		}
	})
	t.Logf("%d fixes applied alone and converted", checked)
	if len(problems) > 0 {
		t.Errorf("%d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}

// eachFixAlone calls fn with every applicable fix of every corpus file,
// applied alone (out is the file with only that fix).
func eachFixAlone(t *testing.T, fn func(f string, src []byte, fd *diagnose.Finding, fx fixes.Fix, out []byte)) {
	t.Helper()
	for _, f := range corpus.Files(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := diagnose.Parse(f, src)
		if err != nil || doc.ParseErr != nil {
			continue
		}
		findings := diagnose.Run(doc, diagnose.Options{})
		for i := range findings {
			fd := &findings[i]
			for alt, fx := range fd.Fixes {
				if fx.Manual || fx.Applicability == fixes.DisplayOnly {
					continue
				}
				if c := diagnose.Compose(doc, []diagnose.Choice{{Finding: fd, Alt: alt}}); c.Applied() > 0 {
					fn(f, src, fd, fx, c.Out)
				}
			}
		}
	}
}

// TestTextOnlyFixesBuildTheSame: the fixes of rules that say they change
// only the text (Rule.TextOnly) leave BuildKit's build steps and image
// config exactly as they were, on every corpus file, applied alone.
func TestTextOnlyFixesBuildTheSame(t *testing.T) {
	var problems []string
	checked := 0
	eachFixAlone(t, func(f string, src []byte, fd *diagnose.Finding, fx fixes.Fix, out []byte) {
		if !fd.Rule.TextOnly {
			return
		}
		e, err := effects.Of(f, src, out)
		if err != nil {
			return // BuildKit does not convert the original
		}
		checked++
		if e.Build != "unchanged" || len(e.Config) > 0 {
			problems = append(problems, fmt.Sprintf("%s: %s %q: build %s, config %v, steps %v",
				filepath.Base(f), fd.ID(), fx.Title, e.Build, e.Config, e.Steps))
		}
	})
	t.Logf("%d text-only fixes converted before and after", checked)
	if checked == 0 {
		t.Skip("no text-only fix on a file BuildKit converts")
	}
	if len(problems) > 0 {
		t.Errorf("%d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}
