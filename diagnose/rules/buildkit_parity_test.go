package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/effects"
	"github.com/dockdoc/dockdoc/internal/corpus"
)

// deliberate says why dockdoc does not report a BuildKit warning on
// purpose (the rule's doc says so too), or "".
func deliberate(w effects.Warning) string {
	switch {
	case w.Rule == "UndefinedVar":
		// Run offline, BuildKit knows no base image's environment and
		// flags what the base defines ($HOME, $APP_ROOT in s2i images,
		// $LD_LIBRARY_PATH); dockdoc cannot know it either and stays
		// silent unless the stage's variables are all in the file.
		return "the base image may define it"
	case w.Rule == "WorkdirRelativePath" && strings.Contains(w.Message, `workdir ""`):
		return "the path is a variable the base image defines (WORKDIR \"${HOME}\"), empty offline"
	case w.Rule == "WorkdirRelativePath" && driveLetter.MatchString(w.Message):
		return "a Windows path such as C:\\go is absolute on Windows; BuildKit judges it by Linux rules"
	case w.Rule == "SecretsUsedInArgOrEnv" && strings.Contains(w.Message, "GPG_KEY"):
		return "a GPG key in an ARG or ENV is the fingerprint of the public key that verifies a download"
	}
	return ""
}

var driveLetter = regexp.MustCompile(`"[A-Za-z]:[\\/]`)

// Where BuildKit's own checks (docker build --check, run offline) warn on
// a corpus file, dockdoc reports the same check on the same line, through
// the rule that carries the check's name as an alias. The counts of
// agreement per check are logged; a check dockdoc misses fails the test
// unless dockdoc differs on purpose (see deliberate).
func TestBuildKitParity(t *testing.T) {
	files := corpus.Files(t)
	type tally struct{ both, onlyBK, onlyDD int }
	counts := map[string]*tally{}
	var missed, extra []string
	bkRules := map[string]bool{}
	for _, r := range diagnose.All() {
		if n := r.BuildKitName(); n != "" {
			bkRules[n] = true
		}
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ws, err := effects.Lint(filepath.Base(f), src)
		if err != nil {
			continue // BuildKit rejects the file: DD000's business
		}
		doc, err := diagnose.Parse(f, src)
		if err != nil {
			continue
		}
		// Findings are matched by instruction: BuildKit and dockdoc may
		// point at different lines of one multi-line instruction.
		instrAt := func(line int) int {
			for _, in := range doc.Instructions {
				if in.StartLine <= line && line <= in.EndLine {
					return in.StartLine
				}
			}
			return line
		}
		dd := map[string]bool{} // "Check@first line of the instruction"
		for _, fd := range diagnose.Run(doc, diagnose.Options{}) {
			if n := fd.Rule.BuildKitName(); n != "" {
				dd[fmt.Sprintf("%s@%d", n, instrAt(fd.Line))] = true
			}
		}
		bk := map[string]bool{}
		for _, w := range ws {
			if len(w.Lines) == 0 {
				continue
			}
			key := fmt.Sprintf("%s@%d", w.Rule, instrAt(w.Lines[0]))
			bk[key] = true
			c := counts[w.Rule]
			if c == nil {
				c = &tally{}
				counts[w.Rule] = c
			}
			if dd[key] {
				c.both++
				continue
			}
			c.onlyBK++
			if deliberate(w) == "" {
				missed = append(missed, fmt.Sprintf("%s:%d %s (%s)", filepath.Base(f), w.Lines[0], w.Rule, w.Message))
			}
		}
		for key := range dd {
			name, _, _ := strings.Cut(key, "@")
			if !bk[key] && bkRules[name] {
				c := counts[name]
				if c == nil {
					c = &tally{}
					counts[name] = c
				}
				c.onlyDD++
				extra = append(extra, filepath.Base(f)+":"+key)
			}
		}
	}
	var names []string
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		c := counts[n]
		fmt.Fprintf(&b, "\n  %-32s both %4d  only BuildKit %4d  only dockdoc %4d", n, c.both, c.onlyBK, c.onlyDD)
	}
	t.Logf("BuildKit's checks against dockdoc over the corpus:%s", b.String())
	agreed := 0
	for _, c := range counts {
		agreed += c.both
	}
	if agreed < len(files)/2 {
		// BuildKit warns on most corpus files: this few means its checks
		// did not run (a conversion that fails everywhere compares nothing).
		t.Errorf("only %d BuildKit warnings matched over %d files", agreed, len(files))
	}
	sort.Strings(extra)
	t.Logf("dockdoc reports, BuildKit does not: %s", strings.Join(extra, " "))
	sort.Strings(missed)
	if len(missed) > 0 {
		t.Errorf("%d BuildKit warnings dockdoc does not report on the same line:\n  %s", len(missed), strings.Join(missed[:min(len(missed), 60)], "\n  "))
	}
}
