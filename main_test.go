package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

var update = flag.Bool("update", false, "rewrite the README rule table")

func runCLI(t *testing.T, c *cli, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	if c == nil {
		c = &cli{fsys: fixes.OS{}}
	}
	c.stdout, c.stderr = &out, &errb
	code := c.dispatch(args)
	return code, out.String(), errb.String()
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const clean = "FROM alpine:3.20\nUSER 65532\nCMD [\"sh\"]\n"
const dirty = "FROM debian:12\nRUN apt-get update && apt-get install curl\nUSER 1000\nCMD [\"curl\"]\n"

func TestCheckExitCodes(t *testing.T) {
	dir := t.TempDir()
	ok := write(t, dir, "ok/Dockerfile", clean)
	bad := write(t, dir, "bad/Dockerfile", dirty)
	if code, out, errs := runCLI(t, nil, "check", ok); code != exitClean {
		t.Errorf("clean file: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ := runCLI(t, nil, "check", bad)
	if code != exitFindings || !strings.Contains(out, bad+":2:") || !strings.Contains(out, "DD005") {
		t.Errorf("findings: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, nil, "check", "--fail-level", "none", bad); code != exitClean {
		t.Errorf("--fail-level none: exit %d", code)
	}
	if code, _, _ := runCLI(t, nil, "check", bad, "--fail-level=error"); code != exitClean {
		t.Errorf("--fail-level error with only warnings: exit %d", code)
	}
	if code, _, errs := runCLI(t, nil, "check", "--format", "xml", bad); code != exitError || errs == "" {
		t.Errorf("bad format: exit %d", code)
	}
	if code, _, errs := runCLI(t, nil, "check", "--rule", "NOPE", bad); code != exitError || !strings.Contains(errs, "NOPE") {
		t.Errorf("bad rule: exit %d %s", code, errs)
	}
	// A directory is searched; both files are found, in a stable order.
	code, out, _ = runCLI(t, nil, "check", dir)
	if code != exitFindings || !strings.Contains(out, bad) || !strings.Contains(out, "in 2 files") {
		t.Errorf("directory: exit %d\n%s", code, out)
	}
}

func TestCheckJSON(t *testing.T) {
	p := write(t, t.TempDir(), "Dockerfile", dirty)
	code, out, _ := runCLI(t, nil, "check", "--format", "json", p)
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err, out)
	}
	if len(doc.Findings) == 0 {
		t.Fatal("no findings")
	}
	var f map[string]any
	for _, x := range doc.Findings {
		if x["rule"] == "DD005" {
			f = x
		}
	}
	if f == nil {
		t.Fatalf("no DD005 finding in %s", out)
	}
	for _, k := range []string{"file", "rule", "name", "aliases", "severity", "line", "column", "endLine", "endColumn", "message", "fixes"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding lacks %q", k)
		}
	}
	if f["line"].(float64) != 2 || f["column"].(float64) != 23 || f["file"] != p {
		t.Errorf("position: %v", f)
	}
	fx := f["fixes"].([]any)[0].(map[string]any)
	if fx["applicability"] != "safe" || fx["title"] == "" {
		t.Errorf("fix: %v", fx)
	}
}

// Every kind of bad input: one line naming the file and the problem, exit 2,
// nothing written.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		"missing":    filepath.Join(dir, "nope", "Dockerfile"),
		"no docker":  filepath.Dir(write(t, dir, "empty-dir/README", "hi")),
		"binary":     write(t, dir, "bin/Dockerfile", "FROM a\x00\x01\x02"),
		"empty":      write(t, dir, "empty/Dockerfile", ""),
		"blank":      write(t, dir, "blank/Dockerfile", "  \n\n"),
		"not utf8":   write(t, dir, "latin1/Dockerfile", "FROM alpine\nLABEL a=\xe9t\xe9\n"),
		"heredoc":    write(t, dir, "heredoc/Dockerfile", "FROM alpine\nRUN <<EOF\necho hi\n"),
		"huge":       write(t, dir, "huge/Dockerfile", "FROM alpine\n"+strings.Repeat("# padding padding padding\n", 400000)),
		"bad escape": write(t, dir, "esc/Dockerfile", "# escape=x\nFROM alpine\n"),
	}
	for name, p := range cases {
		for _, cmd := range []string{"check", "fix"} {
			t.Run(name+"/"+cmd, func(t *testing.T) {
				before, _ := os.ReadFile(p)
				code, out, errs := runCLI(t, nil, cmd, p)
				if code != exitError {
					t.Errorf("exit %d, want 2\nstdout: %s\nstderr: %s", code, out, errs)
				}
				msg := strings.TrimSpace(errs + out)
				if !strings.Contains(msg, p) {
					t.Errorf("message does not name the file: %q", msg)
				}
				if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
					t.Error("the file was changed")
				}
			})
		}
	}
}

type unreadableFS struct{ fixes.OS }

func (unreadableFS) ReadFile(string) ([]byte, error) { return nil, os.ErrPermission }

func TestUnreadableFile(t *testing.T) {
	p := write(t, t.TempDir(), "Dockerfile", clean)
	code, _, errs := runCLI(t, &cli{fsys: unreadableFS{}}, "check", p)
	if code != exitError || !strings.Contains(errs, p+": permission denied") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

func TestFixWritesAndReportsRemaining(t *testing.T) {
	p := write(t, t.TempDir(), "Dockerfile", dirty)
	code, out, errs := runCLI(t, nil, "fix", "--diff", p)
	if b, _ := os.ReadFile(p); string(b) != dirty {
		t.Fatal("--diff wrote the file")
	}
	if !strings.Contains(out, "+RUN apt-get update && apt-get install -y") {
		t.Errorf("--diff output:\n%s%s", out, errs)
	}
	code, out, errs = runCLI(t, nil, "fix", p)
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), "apt-get install -y") {
		t.Fatalf("not fixed (exit %d):\n%s\n%s%s", code, b, out, errs)
	}
	if !strings.Contains(out, "DD005 fixed: Add -y") || !strings.Contains(errs, "wrote 1 file") {
		t.Errorf("report:\n%s%s", out, errs)
	}
	// Running again on the fixed file finds nothing left that fix could do.
	_, out, errs = runCLI(t, nil, "fix", p)
	if strings.Contains(out, " fixed: ") || !strings.Contains(errs, "Applied 0 fixes; wrote 0 files") {
		t.Errorf("second run:\n%s%s", out, errs)
	}
}

// changingFS modifies the target after it was read, just as an editor saving
// it would, so the write must be refused.
type changingFS struct {
	fixes.OS
	path string
}

func (c changingFS) CreateTemp(dir, pattern string) (fixes.File, error) {
	os.WriteFile(c.path, []byte("FROM alpine:3.19\n"), 0o644)
	return c.OS.CreateTemp(dir, pattern)
}

func TestFixRefusesConcurrentModification(t *testing.T) {
	p := write(t, t.TempDir(), "Dockerfile", dirty)
	code, _, errs := runCLI(t, &cli{fsys: changingFS{path: p}}, "fix", p)
	if code != exitError || !strings.Contains(errs, "changed on disk") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(p); string(b) != "FROM alpine:3.19\n" {
		t.Errorf("the other writer's content was overwritten: %q", b)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".*dockdoc-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestExplainAndRules(t *testing.T) {
	for _, name := range []string{"DD005", "dd005", "apt-get-install-yes", "DL3014"} {
		code, out, _ := runCLI(t, nil, "explain", name)
		if code != exitClean || !strings.HasPrefix(out, "DD005 apt-get-install-yes") || !strings.Contains(out, "Why it matters") {
			t.Errorf("explain %s: exit %d\n%s", name, code, out)
		}
	}
	if code, _, errs := runCLI(t, nil, "explain", "DL9999"); code != exitError || !strings.Contains(errs, "DL9999") {
		t.Errorf("unknown rule: exit %d %s", code, errs)
	}
	code, out, _ := runCLI(t, nil, "rules", "--format", "json")
	var rules []map[string]any
	if code != exitClean || json.Unmarshal([]byte(out), &rules) != nil || len(rules) != len(diagnose.All()) {
		t.Fatalf("rules json: exit %d\n%s", code, out)
	}
	for _, k := range []string{"code", "name", "aliases", "severity", "category", "summary", "fixable"} {
		if _, ok := rules[0][k]; !ok {
			t.Errorf("rules json lacks %q", k)
		}
	}
	code, out, _ = runCLI(t, nil, "rules")
	if code != exitClean || strings.Count(out, "\n") != len(diagnose.All())+1 {
		t.Errorf("rules text:\n%s", out)
	}
}

func TestDemo(t *testing.T) {
	code, out, errs := runCLI(t, nil, "demo")
	if code != exitClean {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"a sample project was copied to", "DD001", "DD002", "+++ b/Dockerfile", "+++ b/.dockerignore"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
}

// The README's rule table is generated from the registry; run
// go test . -update after adding or changing a rule.
func TestReadmeRuleTable(t *testing.T) {
	const start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the rules:start / rules:end markers")
	}
	want := diagnose.RulesTable(true)
	if got := s[i+len(start) : j]; got != want {
		if *update {
			s = s[:i+len(start)] + want + s[j:]
			if err := os.WriteFile("README.md", []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README rule table is out of date; run go test . -update")
	}
}

func TestReadmeCommands(t *testing.T) {
	b, _ := os.ReadFile("README.md")
	ci, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"go run . demo", "go test ./..."} {
		if !strings.Contains(string(b), cmd) {
			t.Errorf("README lacks %q", cmd)
		}
	}
	if !strings.Contains(string(ci), "go test ./...") {
		t.Error(".ci/run does not run the README's test command")
	}
}

// Without a terminal, `dockdoc [flags] PATH` runs check; interactive-only
// flags such as --no-color must not break that fallback.
func TestNoTerminalFallback(t *testing.T) {
	p := write(t, t.TempDir(), "Dockerfile", dirty)
	code, out, errs := runCLI(t, nil, "--no-color", p, "--rule", "DD005")
	if code != exitFindings || !strings.Contains(errs, "not a terminal") || !strings.Contains(out, "DD005") || strings.Contains(out, "DD006") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if code, _, errs := runCLI(t, nil, "guide", p); code != exitError || !strings.Contains(errs, "needs a terminal") {
		t.Errorf("guide without a terminal: exit %d %s", code, errs)
	}
}

func TestConfigAndSuppressCLI(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "Dockerfile", dirty)
	write(t, dir, ".dockdoc.yaml", "ignore: [DD005, DD006, DD007]\nfail-level: error\n")
	code, out, errs := runCLI(t, nil, "check", p)
	if code != exitClean || strings.Contains(out, "DD005") {
		t.Errorf("config ignore/fail-level: exit %d\n%s%s", code, out, errs)
	}
	write(t, dir, ".dockdoc.yaml", "fail-level: error\n")
	if code, _, _ := runCLI(t, nil, "check", p); code != exitClean {
		t.Errorf("config fail-level error with only warnings: exit %d", code)
	}
	if code, _, _ := runCLI(t, nil, "check", "--fail-level", "info", p); code != exitFindings {
		t.Errorf("--fail-level beats the config: exit %d", code)
	}
	write(t, dir, ".dockdoc.yaml", "ignore: [DD999]\n")
	code, _, errs = runCLI(t, nil, "check", p)
	if code != exitError || !strings.Contains(errs, ".dockdoc.yaml: ignore: no rule \"DD999\"") {
		t.Errorf("config error: exit %d %s", code, errs)
	}
	os.Remove(filepath.Join(dir, ".dockdoc.yaml"))
	code, out, errs = runCLI(t, nil, "fix", "--suppress", p)
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), "# dockdoc ignore=") || !strings.Contains(string(b), "install -y") {
		t.Fatalf("fix --suppress (exit %d):\n%s\n%s%s", code, b, out, errs)
	}
	if code, out, _ := runCLI(t, nil, "check", p); code != exitClean {
		t.Errorf("after fix --suppress, check still finds:\n%s", out)
	}
	if code, out, _ := runCLI(t, nil, "check", "--report-unused", p); code != exitClean || strings.Contains(out, "DD094") {
		t.Errorf("the new suppressions are all used:\n%s", out)
	}
}
