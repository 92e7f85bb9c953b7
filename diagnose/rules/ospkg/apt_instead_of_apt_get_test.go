package ospkg

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// Renaming apt to apt-get (DD034) exposes the command to the apt-get
// rules; FixAll must converge with DD005 and DD006 adding their flags in
// the next round, and DD031 (no fix) still reporting the unpinned package.
func TestDD034ThenAptGetRules(t *testing.T) {
	src := "FROM debian:12\nRUN apt update && apt install curl\n"
	want := "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
	opts := diagnose.Options{Only: []string{"DD034", "DD005", "DD006", "DD031"}}
	res, err := diagnose.FixAll("Dockerfile", []byte(src), opts, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Out); got != want {
		t.Errorf("fixed output:\n%s\nwant:\n%s", got, want)
	}
	if res.Unconverged || len(res.Skipped) != 0 {
		t.Errorf("unconverged=%v skipped=%d", res.Unconverged, len(res.Skipped))
	}
	if len(res.Remaining) != 1 || res.Remaining[0].Rule.Code != "DD031" {
		t.Errorf("remaining findings: %v, want only DD031", res.Remaining)
	}
}
