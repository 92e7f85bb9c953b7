package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// check --format json --effects says, for each fix applied alone, what it
// changes in the image as BuildKit converts it, or why it is refused.
func TestCheckJSONEffects(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "Dockerfile", "FROM debian:12\nrun echo hi\nRUN apt-get update && apt-get install curl\nRUN cd /opt && make\nCOPY x .\nCMD ./start\n")
	_, out, errOut := runCLI(t, nil, "check", "--format", "json", "--effects", p)
	var rep struct {
		Findings []struct {
			Rule  string `json:"rule"`
			Fixes []struct {
				Title   string `json:"title"`
				Refused string `json:"refused"`
				Effect  *struct {
					Build  string   `json:"build"`
					Config []string `json:"config"`
					Steps  []int    `json:"steps"`
				} `json:"effect"`
			} `json:"fixes"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, errOut)
	}
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		for _, fx := range f.Fixes {
			switch {
			case f.Rule == "DD015" && fx.Effect != nil:
				seen["casing"] = fx.Effect.Build == "unchanged" && len(fx.Effect.Config) == 0
			case f.Rule == "DD005" && fx.Effect != nil:
				seen["-y"] = fx.Effect.Build == "changed" && len(fx.Effect.Steps) > 0 && fx.Effect.Steps[0] == 3
			case f.Rule == "DD002" && fx.Effect != nil:
				seen["exec form"] = fx.Effect.Build == "unchanged" && len(fx.Effect.Config) == 1 && fx.Effect.Config[0] == "Cmd"
			case f.Rule == "DD011":
				seen["refused"] = fx.Refused != "" && fx.Effect == nil
			}
		}
	}
	for _, k := range []string{"casing", "-y", "exec form", "refused"} {
		if !seen[k] {
			t.Errorf("no right effect for %s in:\n%s", k, out)
		}
	}
	// Without the flag the report is as before: no effect fields.
	_, plain, _ := runCLI(t, nil, "check", "--format", "json", p)
	if json.Valid([]byte(plain)) && (strings.Contains(plain, `"effect"`) || strings.Contains(plain, `"refused"`)) {
		t.Error("effects reported without --effects")
	}
}

// fix --diff --effects ends each file's diff with what the fixes change in
// the image.
func TestFixDiffEffects(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "Dockerfile", "FROM debian:12\nrun echo hi\n")
	_, out, _ := runCLI(t, nil, "fix", "--diff", "--effects", p)
	if !strings.Contains(out, "the image is built the same way (only the text changes)") {
		t.Errorf("casing only:\n%s", out)
	}
	write(t, dir, "Dockerfile", "FROM debian:12\nRUN apt-get update && apt-get install curl\nCMD ./start\n")
	_, out, _ = runCLI(t, nil, "fix", "--diff", "--effects", p)
	if !strings.Contains(out, "build steps change (lines 2)") || !strings.Contains(out, "the image config changes (Cmd)") {
		t.Errorf("-y and exec form:\n%s", out)
	}
	_, out, _ = runCLI(t, nil, "fix", "--diff", p)
	if strings.Contains(out, "effect on the image") {
		t.Errorf("effects without --effects:\n%s", out)
	}
}
