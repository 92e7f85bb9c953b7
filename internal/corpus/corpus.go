package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir finds the team's corpus of real Dockerfiles: $DOCKDOC_CORPUS,
// or a shared/corpus/files folder beside one of the checkout's ancestors.
func Dir() string {
	if d := os.Getenv("DOCKDOC_CORPUS"); d != "" {
		return d
	}
	dir, _ := filepath.Abs(".")
	for {
		c := filepath.Join(dir, "shared", "corpus", "files")
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			return c
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Files lists the corpus files, or skips the test or benchmark when there
// is no corpus.
func Files(t testing.TB) []string {
	t.Helper()
	dir := Dir()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if dir == "" || len(files) == 0 {
		t.Skip("no corpus of Dockerfiles found (set DOCKDOC_CORPUS); skipping the sweep")
	}
	return files
}
