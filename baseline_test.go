package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// baselined is a file with findings in two stages.
const baselined = `FROM debian:12 AS build
RUN apt-get update && apt-get install curl

FROM alpine:3.20
RUN apk add git
USER 65532
CMD ["sh"]
`

func readBaseline(t *testing.T, p string) baselineFile {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var bf baselineFile
	if err := json.Unmarshal(b, &bf); err != nil {
		t.Fatal(err, string(b))
	}
	return bf
}

// jsonFindings runs check --format json and returns rule@line of each finding.
func jsonFindings(t *testing.T, args ...string) (int, []string) {
	t.Helper()
	code, out, errs := runCLI(t, nil, append([]string{"check", "--format", "json"}, args...)...)
	var doc struct {
		Findings []struct {
			Rule string `json:"rule"`
			Line int    `json:"line"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errs)
	}
	var got []string
	for _, f := range doc.Findings {
		got = append(got, f.Rule+"@"+itoa(f.Line))
	}
	return code, got
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestBaselineSurvivesLineShifts(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	p := write(t, dir, "svc/Dockerfile", baselined)
	code, out, errs := runCLI(t, nil, "baseline", "svc", "-o", ".dockdoc-baseline.json")
	if code != exitClean || out != "" || !strings.Contains(errs, "Wrote ") {
		t.Fatalf("baseline: exit %d\n%s%s", code, out, errs)
	}
	bf := readBaseline(t, ".dockdoc-baseline.json")
	if bf.Version != 1 || bf.Fingerprint != fingerprintKey || len(bf.Findings) < 3 {
		t.Fatalf("baseline file: %+v", bf)
	}
	for _, e := range bf.Findings {
		if e.File != "svc/Dockerfile" || len(e.Fingerprint) != 32 {
			t.Errorf("entry %+v", e)
		}
	}
	if code, got := jsonFindings(t, "--baseline", ".dockdoc-baseline.json", p); code != exitClean || len(got) != 0 {
		t.Errorf("unchanged file: exit %d, %v", code, got)
	}

	// Lines inserted above and between, a continuation re-indented: the
	// same findings, on other lines.
	shifted := "# syntax=docker/dockerfile:1\n# the builder\n\n" + strings.Replace(
		strings.Replace(baselined, "RUN apt-get update && apt-get install curl", "RUN apt-get update \\\n    &&   apt-get install curl", 1),
		"FROM alpine:3.20\n", "# the runtime\n\nFROM alpine:3.20\nWORKDIR /srv\n", 1)
	write(t, dir, "svc/Dockerfile", shifted)
	if code, got := jsonFindings(t, p); code != exitFindings || len(got) != len(bf.Findings) {
		t.Fatalf("the shifted file has other findings than the baseline: %v vs %d", got, len(bf.Findings))
	}
	code, out, errs = runCLI(t, nil, "check", "--baseline", ".dockdoc-baseline.json", p)
	if code != exitClean || !strings.Contains(out, "No problems found") || !strings.Contains(errs, "in the baseline .dockdoc-baseline.json not shown") {
		t.Errorf("shifted file: exit %d\n%s%s", code, out, errs)
	}

	// From another directory, by another path: the paths are relative to
	// the baseline's directory.
	t.Chdir(filepath.Join(dir, "svc"))
	if code, got := jsonFindings(t, "--baseline", "../.dockdoc-baseline.json", "Dockerfile"); code != exitClean || len(got) != 0 {
		t.Errorf("from svc/: exit %d, %v", code, got)
	}
	t.Chdir(dir)

	// A new problem: only it is reported.
	grown := strings.Replace(shifted, "WORKDIR /srv\n", "WORKDIR /srv\nMAINTAINER someone\n", 1)
	write(t, dir, "svc/Dockerfile", grown)
	line := 1 + strings.Count(grown[:strings.Index(grown, "MAINTAINER")], "\n")
	if code, got := jsonFindings(t, "--baseline", ".dockdoc-baseline.json", p); code != exitFindings || !slices.Equal(got, []string{"DD003@" + itoa(line)}) {
		t.Errorf("new problem: exit %d, %v, want only DD003@%d", code, got, line)
	}
}

// Identical findings are told apart by a counter: one more of them is one
// new finding.
func TestBaselineCountsIdenticalFindings(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	one := "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=8.0\nUSER 1000\nCMD [\"curl\"]\n"
	write(t, dir, "Dockerfile", one)
	if code, _, errs := runCLI(t, nil, "baseline", "-o", "base.json"); code != exitClean {
		t.Fatalf("baseline: %s", errs)
	}
	n := len(readBaseline(t, "base.json").Findings)
	if n == 0 {
		t.Fatal("no findings to baseline")
	}
	two := strings.Replace(one, "USER", "RUN apt-get install -y --no-install-recommends curl=8.0\nUSER", 1)
	write(t, dir, "Dockerfile", two)
	code, all := jsonFindings(t, "Dockerfile")
	_, got := jsonFindings(t, "--baseline", "base.json", "Dockerfile")
	if code != exitFindings || len(got) == 0 || len(got) != len(all)-n {
		t.Errorf("one more identical RUN: %v of %v reported, %d in the baseline", got, all, n)
	}
}

func TestBaselineSARIFFingerprints(t *testing.T) {
	sch := sarifValidator(t) // before leaving the package directory
	dir := t.TempDir()
	t.Chdir(dir)
	write(t, dir, "Dockerfile", baselined)
	if code, _, errs := runCLI(t, nil, "baseline"); code != exitClean {
		t.Fatalf("baseline: %s", errs)
	}
	bf := readBaseline(t, defaultBaseline)
	sarifFps := func(args ...string) []string {
		_, out, _ := runCLI(t, nil, append([]string{"check", "--format", "sarif"}, args...)...)
		log := validateSARIF(t, sch, out)
		var fps []string
		for _, r := range log["runs"].([]any)[0].(map[string]any)["results"].([]any) {
			pf, _ := r.(map[string]any)["partialFingerprints"].(map[string]any)
			fp, _ := pf[fingerprintKey].(string)
			fps = append(fps, fp)
		}
		return fps
	}
	var want []string
	for _, e := range bf.Findings {
		want = append(want, e.Fingerprint)
	}
	if got := sarifFps("Dockerfile"); !slices.Equal(got, want) {
		t.Errorf("SARIF partialFingerprints %v, want the baseline's %v", got, want)
	}
	// With --baseline, the new result keeps the fingerprint it has
	// without one.
	grown := strings.Replace(baselined, "USER 65532", "MAINTAINER someone\nUSER 65532", 1)
	write(t, dir, "Dockerfile", grown)
	all := sarifFps("Dockerfile")
	got := sarifFps("--baseline", defaultBaseline, "Dockerfile")
	if len(got) != 1 || got[0] == "" || !slices.Contains(all, got[0]) || slices.Contains(want, got[0]) {
		t.Errorf("SARIF with --baseline: %v (all: %v)", got, all)
	}
}

func TestBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	p := write(t, dir, "Dockerfile", dirty)
	write(t, dir, "junk.json", "{not json")
	write(t, dir, "other.json", `{"version": 2, "fingerprint": "dockdocFingerprint/v9", "findings": []}`)
	for _, args := range [][]string{
		{"check", "--baseline", "missing.json", p},
		{"check", "--baseline", "junk.json", p},
		{"check", "--baseline", "other.json", p},
		{"baseline", "-o", p, p},                 // would overwrite the Dockerfile
		{"baseline", "-o", "x.json", p, "nope/"}, // a missing path: nothing written
	} {
		if code, _, errs := runCLI(t, nil, args...); code != exitError || errs == "" {
			t.Errorf("%v: exit %d %s", args, code, errs)
		}
	}
	if _, err := os.Stat("x.json"); err == nil {
		t.Error("a baseline was written despite an input error")
	}
	if b, _ := os.ReadFile(p); string(b) != dirty {
		t.Error("baseline -o overwrote the Dockerfile")
	}
	// A file that cannot be diagnosed leaves no baseline behind.
	write(t, dir, "bin/Dockerfile", "FROM a\x00")
	if code, _, errs := runCLI(t, nil, "baseline", "-o", "y.json", "."); code != exitError || !strings.Contains(errs, "nothing written") {
		t.Errorf("binary file: exit %d %s", code, errs)
	}
	if _, err := os.Stat("y.json"); err == nil {
		t.Error("a baseline was written without a file's findings")
	}
}
