package ospkg

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// DD005 (-y) and DD006 (--no-install-recommends) both insert right after
// `install`; applied together they must compose into one clean command and
// neither may fire again.
func TestDD006WithDD005(t *testing.T) {
	src := "FROM debian:12\n" +
		"RUN apt-get update && apt-get install curl\n" +
		"RUN apt-get install \\\n    git \\\n    vim\n"
	want := "FROM debian:12\n" +
		"RUN apt-get update && apt-get install -y --no-install-recommends curl\n" +
		"RUN apt-get install -y --no-install-recommends \\\n    git \\\n    vim\n"
	opts := diagnose.Options{Only: []string{"DD005", "DD006"}}
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(diagnose.Run(doc, opts)); n != 4 {
		t.Fatalf("got %d findings, want 4 (two per RUN)", n)
	}
	res, err := diagnose.FixAll("Dockerfile", []byte(src), opts, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Out); got != want {
		t.Errorf("fixed output:\n%s\nwant:\n%s", got, want)
	}
	if len(res.Rounds) != 1 {
		t.Errorf("took %d rounds, want 1 (both fixes compose in one round)", len(res.Rounds))
	}
	if len(res.Remaining) != 0 || len(res.Skipped) != 0 {
		t.Errorf("after fixing: %d findings remain, %d fixes skipped", len(res.Remaining), len(res.Skipped))
	}
}
