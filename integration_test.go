package main

// Tests of what fits dockdoc into other tools: its own Dockerfile (which
// dockdoc must rate clean), the pre-commit hooks, the GitHub Action, shell
// completion, --version, and the README's picture of the doctor.

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dockdoc/dockdoc/diagnose"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
	"go.yaml.in/yaml/v3"
)

// ---- the project's own Dockerfile ----

func TestOwnDockerfileIsClean(t *testing.T) {
	code, out, errs := runCLI(t, nil, "check", "Dockerfile")
	if code != exitClean || out != "No problems found in 1 file.\n" || errs != "" {
		t.Errorf("dockdoc check Dockerfile: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	// Every rule that is on by default, at every severity, style included.
	code, out, _ = runCLI(t, nil, "check", "--format", "json", "--fail-level", "style", "Dockerfile")
	if code != exitClean || !strings.Contains(out, `"findings": []`) {
		t.Errorf("dockdoc check --format json --fail-level style Dockerfile: exit %d\n%s", code, out)
	}
}

func TestOwnDockerfileShape(t *testing.T) {
	src, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var froms []*parser.Node
	var last = map[string]*parser.Node{} // of the final stage
	runs := ""
	for _, n := range res.AST.Children {
		n.Value = strings.ToLower(n.Value)
		switch n.Value {
		case "from":
			froms = append(froms, n)
			last = map[string]*parser.Node{}
		case "run":
			runs += n.Original + "\n"
		}
		last[n.Value] = n
	}
	if len(froms) < 2 {
		t.Fatalf("%d stages; want a builder and a runtime stage", len(froms))
	}
	// The builder's Go matches go.mod's go line (golang:1.26 for go 1.26.x).
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	builder := froms[0].Next.Value
	if builder != "golang:"+string(m[1]) && !strings.HasPrefix(builder, "golang:"+string(m[1])+".") {
		t.Errorf("builder image %s does not match go.mod's go %s", builder, m[1])
	}
	if final := froms[len(froms)-1].Next.Value; final != "scratch" && !strings.Contains(final, "distroless") {
		t.Errorf("the final stage is FROM %s; want scratch or distroless", final)
	}
	for _, want := range []string{"CGO_ENABLED=0", "go build", "-trimpath", `-ldflags="-s -w"`} {
		if !strings.Contains(runs, want) && !strings.Contains(string(src), "ENV "+want) {
			t.Errorf("the build does not use %s", want)
		}
	}
	user := last["user"]
	if user == nil {
		t.Fatal("the final stage sets no USER")
	}
	uid, _, _ := strings.Cut(user.Next.Value, ":")
	if !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(uid) {
		t.Errorf("USER %s: want a numeric, non-root uid (scratch has no /etc/passwd)", user.Next.Value)
	}
	ep := last["entrypoint"]
	if ep == nil || ep.Attributes["json"] != true {
		t.Errorf("the final stage's ENTRYPOINT is missing or not in exec (JSON) form")
	}
}

// The .dockerignore keeps the build context small but must keep every file
// go build reads: the main module's Go files, embedded files, go.mod, go.sum.
func TestDockerignoreKeepsBuildInputs(t *testing.T) {
	f, err := os.Open(".dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	ignored := func(p string) bool {
		ok, err := pm.MatchesOrParentMatches(filepath.ToSlash(p))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	out, err := exec.Command("go", "list", "-deps", "-f",
		`{{if .Module}}{{if .Module.Main}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{end}}{{end}}`,
		".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	needed := []string{"go.mod", "go.sum"}
	for _, p := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(root, p)
		if err != nil {
			t.Fatal(err)
		}
		needed = append(needed, rel)
	}
	if len(needed) < 10 {
		t.Fatalf("go list found only %v", needed)
	}
	for _, p := range needed {
		if ignored(p) {
			t.Errorf(".dockerignore drops %s, which go build needs", p)
		}
	}
	for _, p := range []string{".git/HEAD", "diagnose/testdata/rules", "main_test.go", "README.md"} {
		if !ignored(p) {
			t.Errorf(".dockerignore keeps %s in the build context", p)
		}
	}
}

// ---- pre-commit ----

type preCommitHook struct {
	ID            string   `yaml:"id"`
	Name          string   `yaml:"name"`
	Entry         string   `yaml:"entry"`
	Language      string   `yaml:"language"`
	Files         string   `yaml:"files"`
	Exclude       string   `yaml:"exclude"`
	Types         []string `yaml:"types"`
	PassFilenames *bool    `yaml:"pass_filenames"`
	RequireSerial *bool    `yaml:"require_serial"`
	Description   string   `yaml:"description"`
}

func TestPreCommitHooks(t *testing.T) {
	b, err := os.ReadFile(".pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []preCommitHook
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true) // a misspelt key is an error, not silently ignored
	if err := dec.Decode(&hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	want := map[string]string{"dockdoc": "check", "dockdoc-fix": "fix"}
	if len(hooks) != len(want) {
		t.Errorf("%d hooks; want %d", len(hooks), len(want))
	}
	// language: golang builds the repository with go install ./..., which
	// names the binary after the module path's last element.
	mod, _ := os.ReadFile("go.mod")
	if !regexp.MustCompile(`(?m)^module \S+/dockdoc$`).Match(mod) {
		t.Errorf("go install would not produce a binary named dockdoc from this go.mod")
	}
	for _, h := range hooks {
		cmd, ok := want[h.ID]
		if !ok {
			t.Errorf("unexpected hook %q", h.ID)
			continue
		}
		if h.Name == "" || h.Description == "" || h.Language != "golang" {
			t.Errorf("%s: name %q, description %q, language %q", h.ID, h.Name, h.Description, h.Language)
		}
		if f := strings.Fields(h.Entry); len(f) != 2 || f[0] != "dockdoc" || f[1] != cmd || !isCommand(cmd) {
			t.Errorf("%s: entry %q; want dockdoc %s", h.ID, h.Entry, cmd)
		}
		if !slices.Equal(h.Types, []string{"text"}) {
			t.Errorf("%s: types %v; want [text] (identify's dockerfile tag misses Dockerfile.* and *.Dockerfile)", h.ID, h.Types)
		}
		if h.PassFilenames == nil || !*h.PassFilenames || h.RequireSerial == nil {
			t.Errorf("%s: pass_filenames and require_serial should be explicit", h.ID)
		}
		files, err1 := regexp.Compile(h.Files)
		exclude, err2 := regexp.Compile(h.Exclude)
		if err1 != nil || err2 != nil || h.Files == "" {
			t.Errorf("%s: files %q (%v), exclude %q (%v)", h.ID, h.Files, err1, h.Exclude, err2)
			continue
		}
		// pre-commit runs a hook on a path when files matches (re.search)
		// and exclude does not; that must be exactly what dockdoc itself
		// takes for a Dockerfile when it searches a directory.
		for _, p := range []string{
			"Dockerfile", "Containerfile", "Dockerfile.prod", "Containerfile.dev", "api.Dockerfile",
			"api.dockerfile", "services/api/Dockerfile", "a/b/Dockerfile.test", "svc/web.Dockerfile",
			"Dockerfile.", ".Dockerfile",
			".dockerignore", "Dockerfile.dockerignore", "api.Dockerfile.dockerignore", "svc/Containerfile.dockerignore",
			"Dockerfile.dockdoc-123", "README.md", "Dockerfiles", "MyDockerfile", "dockerfile", "Dockerfile.d/app.conf",
			"docs/Dockerfile.md/x", "build/Dockerfile_old", "notes.Dockerfile.txt",
		} {
			got := files.MatchString(p) && !exclude.MatchString(p)
			if exp := diagnose.IsDockerfileName(filepath.Base(p)); got != exp {
				t.Errorf("%s: %s selected = %v; dockdoc takes it as a Dockerfile: %v", h.ID, p, got, exp)
			}
		}
	}
}

// ---- the GitHub Action ----

type actionStep struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Run   string            `yaml:"run"`
	Shell string            `yaml:"shell"`
	With  map[string]string `yaml:"with"`
	Env   map[string]string `yaml:"env"`
}

type actionFile struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Inputs      map[string]struct {
		Description string  `yaml:"description"`
		Required    bool    `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

func loadAction(t *testing.T) (*actionFile, string) {
	t.Helper()
	b, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a, string(b)
}

func TestActionMetadata(t *testing.T) {
	a, text := loadAction(t)
	if a.Name == "" || a.Description == "" {
		t.Errorf("name %q, description %q: both are required", a.Name, a.Description)
	}
	if a.Runs.Using != "composite" || len(a.Runs.Steps) == 0 {
		t.Fatalf("runs.using %q with %d steps; want a composite action", a.Runs.Using, len(a.Runs.Steps))
	}
	defaults := map[string]string{"path": ".", "format": "github", "fail-level": "", "args": "", "version": ""}
	for name, def := range defaults {
		in, ok := a.Inputs[name]
		if !ok {
			t.Errorf("no input %q", name)
			continue
		}
		if in.Description == "" || in.Required || in.Default == nil || *in.Default != def {
			t.Errorf("input %s: description %q, required %v, default %v; want default %q", name, in.Description, in.Required, in.Default, def)
		}
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
	}
	for name, out := range a.Outputs {
		if out.Value == "" {
			t.Errorf("output %s has no value (composite actions need one)", name)
		}
	}
	var uses []string
	ids := map[string]bool{}
	for i, s := range a.Runs.Steps {
		if s.ID != "" {
			ids[s.ID] = true
		}
		switch {
		case s.Uses != "" && s.Run != "":
			t.Errorf("step %d (%s) has both uses and run", i, s.Name)
		case s.Uses != "":
			uses = append(uses, s.Uses)
			if !strings.Contains(s.Uses, "@") {
				t.Errorf("step %d uses %s without a ref", i, s.Uses)
			}
		case s.Run != "":
			if s.Shell == "" {
				t.Errorf("step %d (%s): a composite run step needs a shell", i, s.Name)
			}
			if strings.Contains(s.Run, "${{") {
				t.Errorf("step %d (%s): expressions in run: are injected as script text; pass inputs through env", i, s.Name)
			}
		default:
			t.Errorf("step %d (%s) has neither uses nor run", i, s.Name)
		}
	}
	has := func(prefix string) *actionStep {
		for i := range a.Runs.Steps {
			if strings.HasPrefix(a.Runs.Steps[i].Uses, prefix+"@") {
				return &a.Runs.Steps[i]
			}
		}
		return nil
	}
	if has("actions/setup-go") == nil {
		t.Errorf("no actions/setup-go step; uses: %v", uses)
	}
	up := has("github/codeql-action/upload-sarif")
	if up == nil {
		t.Fatalf("no github/codeql-action/upload-sarif step; uses: %v", uses)
	}
	if !strings.Contains(up.If, "inputs.format == 'sarif'") || up.With["sarif_file"] == "" {
		t.Errorf("the upload step: if %q, with %v; want it only for format sarif, with sarif_file", up.If, up.With)
	}
	if !ids["check"] {
		t.Error("no step with id check (the outputs read it)")
	}
	if !strings.Contains(text, "go install \"github.com/dockdoc/dockdoc@${version}\"") {
		t.Error("the action does not go install github.com/dockdoc/dockdoc@<version>")
	}
	// Container registry hosts, assembled so this file names none itself.
	for _, host := range []string{"ghcr" + ".io", "docker" + ".io", "quay" + ".io", "gcr" + ".io"} {
		if strings.Contains(text, host) {
			t.Errorf("action.yml names the container registry %s", host)
		}
	}
}

// The check step's script, run by bash against a stand-in dockdoc that
// records its arguments: the command line and the exit handling.
func TestActionCheckStep(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	a, _ := loadAction(t)
	var script string
	for _, s := range a.Runs.Steps {
		if s.ID == "check" {
			script = s.Run
		}
	}
	if script == "" {
		t.Fatal("no check step")
	}
	cases := []struct {
		format, failLevel, args string
		exit                    string // the stand-in's exit status
		wantArgs                string
		wantCode                int
		wantOut                 string
	}{
		{"github", "", "", "0", "check --format github .", 0, "exit-code=0\n"},
		{"github", "warning", "", "1", "check --format github --fail-level warning .", 1, "exit-code=1\n"},
		{"sarif", "none", "--rule DD001,DD013  --verbose", "0",
			"check --format sarif --output dockdoc.sarif --fail-level none --rule DD001,DD013 --verbose .", 0,
			"sarif-file=dockdoc.sarif\nexit-code=0\n"},
		// Findings with sarif: the step passes so the upload runs; a later
		// step fails the job.
		{"sarif", "", "", "1", "check --format sarif --output dockdoc.sarif .", 0, "sarif-file=dockdoc.sarif\nexit-code=1\n"},
		{"sarif", "", "", "2", "check --format sarif --output dockdoc.sarif .", 2, "sarif-file=dockdoc.sarif\nexit-code=2\n"},
		{"xml", "", "", "0", "", 2, ""},
	}
	for _, tc := range cases {
		tmp := t.TempDir()
		bin := filepath.Join(tmp, "dockdoc-bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		stub := "#!/bin/sh\necho \"$@\" > \"$RUNNER_TEMP/args\"\nexit " + tc.exit + "\n"
		if err := os.WriteFile(filepath.Join(bin, "dockdoc"), []byte(stub), 0o755); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(tmp, "github_output")
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), "RUNNER_TEMP="+tmp, "GITHUB_OUTPUT="+out,
			"TARGET=.", "FORMAT="+tc.format, "FAIL_LEVEL="+tc.failLevel, "ARGS="+tc.args, "SARIF_FILE=dockdoc.sarif")
		combined, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		args, _ := os.ReadFile(filepath.Join(tmp, "args"))
		outputs, _ := os.ReadFile(out)
		if code != tc.wantCode || strings.TrimSpace(string(args)) != tc.wantArgs || string(outputs) != tc.wantOut {
			t.Errorf("format %s, fail-level %q, args %q, dockdoc exits %s:\nexit %d (want %d)\nargs %q\n(want %q)\noutputs %q (want %q)\n%s",
				tc.format, tc.failLevel, tc.args, tc.exit, code, tc.wantCode, args, tc.wantArgs, outputs, tc.wantOut, combined)
		}
	}
}

// The command lines the action builds work with the real CLI.
func TestActionCommandLines(t *testing.T) {
	sarif := filepath.Join(t.TempDir(), "dockdoc.sarif")
	if code, out, errs := runCLI(t, nil, "check", "--format", "sarif", "--output", sarif, "--fail-level", "none", "Dockerfile"); code != exitClean {
		t.Errorf("check --format sarif --output: exit %d\n%s%s", code, out, errs)
	}
	if b, err := os.ReadFile(sarif); err != nil || !bytes.Contains(b, []byte(`"2.1.0"`)) {
		t.Errorf("no SARIF report written (%v):\n%.200s", err, b)
	}
	if code, out, errs := runCLI(t, nil, "check", "--format", "github", "Dockerfile"); code != exitClean {
		t.Errorf("check --format github Dockerfile: exit %d\n%s%s", code, out, errs)
	}
}

// ---- shell completion ----

// subcommands are every command dockdoc dispatches, besides the usage's.
var subcommands = []string{"check", "fix", "baseline", "explain", "rules", "demo", "guide", "completion", "help", "version"}

func usageCommands(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^  dockdoc ([a-z][a-z-]*)`).FindAllStringSubmatch(usage, -1) {
		names = append(names, m[1])
	}
	if len(names) < 6 {
		t.Fatalf("found only %v in the usage text", names)
	}
	return names
}

func TestCompletionScripts(t *testing.T) {
	cmds := append(usageCommands(t), subcommands...)
	for _, name := range cmds {
		if !isCommand(name) {
			t.Errorf("%s is in the usage but not a command", name)
		}
	}
	for _, sh := range shells {
		code, out, errs := runCLI(t, nil, "completion", sh)
		if code != exitClean || errs != "" || len(out) < 500 {
			t.Errorf("completion %s: exit %d, %d bytes\n%s", sh, code, len(out), errs)
			continue
		}
		for _, name := range cmds {
			if !regexp.MustCompile(`\b` + name + `\b`).MatchString(out) {
				t.Errorf("completion %s does not mention %s", sh, name)
			}
		}
		for _, flag := range []string{"--format", "--fail-level", "--rule", "--context", "--unsafe", "--diff", "--no-color", "DD001", "base-image-latest"} {
			if !strings.Contains(out, strings.TrimPrefix(flag, "--")) {
				t.Errorf("completion %s does not mention %s", sh, flag)
			}
		}
	}
	if code, _, errs := runCLI(t, nil, "completion"); code != exitError || !strings.Contains(errs, "bash, zsh, fish") {
		t.Errorf("completion with no shell: exit %d %s", code, errs)
	}
	if code, _, _ := runCLI(t, nil, "completion", "powershell"); code != exitError {
		t.Errorf("completion powershell: exit %d", code)
	}
	if code, out, _ := runCLI(t, nil, "completion", "--help"); code != exitClean || !strings.Contains(out, "source <(dockdoc completion bash)") {
		t.Errorf("completion --help: exit %d\n%s", code, out)
	}
}

// The flags come from the usage text and the real flag sets; each one is
// accepted by its command.
func TestCompletionFlags(t *testing.T) {
	byName := map[string]compCommand{}
	for _, c := range completionCommands() {
		byName[c.name] = c
	}
	flag := func(cmd, name string) *compFlag {
		for _, f := range byName[cmd].flags {
			if f.name == name {
				return &f
			}
		}
		t.Errorf("%q has no flag --%s; it has %v", cmd, name, flagNames(byName[cmd].flags))
		return &compFlag{}
	}
	for _, tc := range []struct {
		cmd, flag, arg string
		words          []string
	}{
		{"check", "format", "word", []string{"text", "json"}},
		{"check", "fail-level", "word", []string{"error", "warning", "info", "style", "none"}},
		{"check", "rule", "rule", nil},
		{"check", "context", "dir", nil},
		{"check", "config", "file", nil},
		{"check", "verbose", "", nil},
		{"fix", "unsafe", "", nil},
		{"fix", "diff", "", nil},
		{"fix", "fail-level", "word", []string{"error", "none"}},
		{"explain", "format", "word", []string{"text", "json"}},
		{"rules", "format", "word", []string{"text", "json"}},
		{"demo", "no-color", "", nil},
		{"guide", "no-color", "", nil},
		{"", "no-color", "", nil},
		{"", "rule", "rule", nil},
	} {
		f := flag(tc.cmd, tc.flag)
		if f.arg != tc.arg {
			t.Errorf("%q --%s: argument %q, want %q", tc.cmd, tc.flag, f.arg, tc.arg)
		}
		for _, w := range tc.words {
			if !slices.Contains(f.words, w) {
				t.Errorf("%q --%s: values %v lack %s", tc.cmd, tc.flag, f.words, w)
			}
		}
	}
	for _, c := range byName {
		for _, f := range c.flags {
			if f.name != "help" && f.name != "version" && !accepts(c.name, f) {
				t.Errorf("%q does not accept %s", c.name, dash(f.name))
			}
		}
	}
	if c := byName["demo"]; slices.ContainsFunc(c.flags, func(f compFlag) bool { return f.name == "rule" }) {
		t.Error("demo is offered --rule, which it does not accept")
	}
	if c := byName["completion"]; c.pos != "word" || !slices.Equal(c.words, shells) {
		t.Errorf("completion's argument: %q %v", c.pos, c.words)
	}
	if byName["explain"].pos != "rule" || byName["check"].pos != "path" || byName["rules"].pos != "" {
		t.Errorf("positionals: explain %q, check %q, rules %q", byName["explain"].pos, byName["check"].pos, byName["rules"].pos)
	}
}

// The bash script, run: what a tab completes.
func TestCompletionBash(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	_, script, _ := runCLI(t, nil, "completion", "bash")
	dir := t.TempDir()
	write(t, dir, "Dockerfile", clean)
	write(t, dir, "sub/x", "")
	driver := script + `
t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMPREPLY=(); _dockdoc 2>/dev/null; echo "${COMPREPLY[*]}"; }
t dockdoc ch
t dockdoc check --fo
t dockdoc check --format ""
t dockdoc check --format = s
t dockdoc check --fail-level e
t dockdoc explain DD00
t dockdoc completion ""
t dockdoc rules ""
t dockdoc check Dock
t dockdoc fix --context ""
t dockdoc --no
`
	cmd := exec.Command("bash", "--noprofile", "--norc", "-c", driver)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	want := []string{
		"check",
		"--format",
		"text json sarif github checkstyle gnu",
		"sarif",
		"error",
		"DD000 DD001 DD002 DD003 DD004 DD005 DD006 DD007 DD008 DD009",
		"bash zsh fish",
		"",
		"Dockerfile",
		"sub",
		"--no-color",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(want), out)
	}
	for i := range want {
		// Formats may be added; the ones named here must be there.
		if i == 2 {
			for _, w := range strings.Fields(want[i]) {
				if !slices.Contains(strings.Fields(got[i]), w) && (w == "text" || w == "json") {
					t.Errorf("line %d: %q lacks %s", i+1, got[i], w)
				}
			}
			continue
		}
		if got[i] != want[i] {
			t.Errorf("line %d: got %q, want %q", i+1, got[i], want[i])
		}
	}
}

// zsh and fish check the syntax of their scripts, when installed; fish
// also completes a few words.
func TestCompletionZshFish(t *testing.T) {
	for _, sh := range []string{"zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			if _, err := exec.LookPath(sh); err != nil {
				t.Skipf("%s is not installed", sh)
			}
			_, script, _ := runCLI(t, nil, "completion", sh)
			p := write(t, t.TempDir(), "dockdoc."+sh, script)
			if out, err := exec.Command(sh, "-n", p).CombinedOutput(); err != nil {
				t.Fatalf("%s -n: %v\n%s", sh, err, out)
			}
			if sh != "fish" {
				return
			}
			out, err := exec.Command("fish", "--no-config", "-c", "source "+shQuote(p)+
				"; complete -C 'dockdoc check --format '; echo sep; complete -C 'dockdoc completion '; echo sep; complete -C 'dockdoc ex'").CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			s := string(out)
			for _, want := range []string{"json\t", "sarif\t", "sep\nbash\nfish\nzsh\nsep\nexplain\t"} {
				if !strings.Contains(s, want) {
					t.Errorf("fish completes:\n%s\nwant %q in it", s, want)
				}
			}
		})
	}
}

// ---- --version ----

func TestVersion(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		bi   debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "false"},
		}}, "(devel) 0123456789ab"},
		{debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260101000000-0123456789ab+dirty"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"},
		}}, "v0.0.0-20260101000000-0123456789ab+dirty 0123456789ab (modified)"},
		{debug.BuildInfo{}, "(devel)"},
	} {
		if got := versionOf(&tc.bi); got != tc.want {
			t.Errorf("versionOf(%+v) = %q, want %q", tc.bi, got, tc.want)
		}
	}
	for _, arg := range []string{"--version", "version"} {
		code, out, _ := runCLI(t, nil, arg)
		if code != exitClean || !strings.HasPrefix(out, "dockdoc ") || strings.Count(out, "\n") != 1 {
			t.Errorf("dockdoc %s: exit %d %q", arg, code, out)
		}
	}
}

// ---- the README's picture ----

func TestReadmeScreenshot(t *testing.T) {
	shot, err := os.ReadFile("docs/screenshot.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(shot), "\n"), "\n")
	if len(lines) > 30 || !strings.Contains(string(shot), "Findings (") || !strings.Contains(string(shot), "[Diff]") {
		t.Errorf("docs/screenshot.txt is not a 100x30 capture of the doctor with the diff open:\n%s", shot)
	}
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n > 100 {
			t.Errorf("docs/screenshot.txt line %d is %d columns wide", i+1, n)
		}
	}
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	m := regexp.MustCompile("(?s)(<!-- screenshot:start[^\n]*-->\n```text\n)(.*?)(```\n<!-- screenshot:end -->)").FindStringSubmatchIndex(s)
	if m == nil {
		t.Fatal("README.md lacks the screenshot:start / screenshot:end markers around a ```text block")
	}
	if got := s[m[4]:m[5]]; got != string(shot) {
		if *update {
			if err := os.WriteFile("README.md", []byte(s[:m[4]]+string(shot)+s[m[5]:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Error("README.md's picture differs from docs/screenshot.txt; run scripts/screenshot.sh (or go test . -update)")
	}
	script, err := os.ReadFile("scripts/screenshot.sh")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s, "scripts/screenshot.sh") {
		t.Error("README.md does not say which script refreshes the picture")
	}
	// The script names no path outside the repository: its files live in
	// one mktemp directory.
	for i, l := range strings.Split(string(script), "\n") {
		if i == 0 && strings.HasPrefix(l, "#!") {
			continue
		}
		if m := regexp.MustCompile(`(^|[\s"'=>(])/[A-Za-z]`).FindString(l); m != "" {
			t.Errorf("scripts/screenshot.sh line %d names an absolute path: %s", i+1, l)
		}
	}
}
