package scripts

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// The -l DD054 inserts lands right after useradd in an ONBUILD trigger
// that spans continuation lines, and the fixed file is not flagged again.
func TestDD054OnbuildContinuation(t *testing.T) {
	src := "FROM debian:12\nONBUILD RUN groupadd -g 200000 app \\\n    && useradd \\\n       -u 200000 -g app app\n"
	want := "FROM debian:12\nONBUILD RUN groupadd -g 200000 app \\\n    && useradd -l \\\n       -u 200000 -g app app\n"
	opts := diagnose.Options{Only: []string{"DD054"}}
	res, err := diagnose.FixAll("Dockerfile", []byte(src), opts, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Out); got != want {
		t.Errorf("fixed output:\n%s\nwant:\n%s", got, want)
	}
	if len(res.Remaining) != 0 {
		t.Errorf("%d findings remain", len(res.Remaining))
	}
}
