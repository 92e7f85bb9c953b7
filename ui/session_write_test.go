package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// Two doctors open on one file write different fixes at the same moment:
// one write lands, the other is refused as changed on disk (and offers a
// reload), never a silent overwrite.
func TestConcurrentWritesOneLandsOneRefused(t *testing.T) {
	for round := range 20 {
		p := filepath.Join(t.TempDir(), "Dockerfile")
		os.WriteFile(p, []byte(sample), 0o644)
		var ss [2]*Session
		for k, code := range []string{"DD005", "DD010"} {
			s, err := Load(fixes.OS{}, p, diagnose.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Toggle(find(t, s, code)); err != nil {
				t.Fatal(err)
			}
			ss[k] = s
		}
		var errs [2]error
		var wg sync.WaitGroup
		for k, s := range ss {
			wg.Go(func() { _, errs[k] = s.Write() })
		}
		wg.Wait()
		b, _ := os.ReadFile(p)
		wrote := 0
		for k, s := range ss {
			switch {
			case errs[k] == nil:
				wrote++
				if string(b) != string(s.Doc.Src) {
					t.Errorf("round %d: session %d wrote, but the file is not what it wrote:\n%s", round, k, b)
				}
			case errors.Is(errs[k], fixes.ErrChanged):
				if !s.Changed {
					t.Errorf("round %d: refused without marking the session changed", round)
				}
			default:
				t.Fatalf("round %d: %v", round, errs[k])
			}
		}
		// Both read the original before either wrote: exactly one lands.
		if wrote != 1 {
			t.Errorf("round %d: %d writes landed, want exactly one (errors %v)", round, wrote, errs)
		}
		if strings.Contains(string(b), "install -y curl") == strings.Contains(string(b), "WORKDIR /app") {
			t.Errorf("round %d: the file holds both fixes or neither:\n%s", round, b)
		}
	}
}
