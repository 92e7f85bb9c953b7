package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	// jsonschema validates the SARIF output against the official SARIF
	// 2.1.0 schema (JSON Schema draft-04, which the standard library cannot
	// check). It is used only by this test: a small pure-Go module with no
	// dependencies beyond golang.org/x/text, it supports draft-04 and loads
	// no URL unless asked to, so the test stays offline.
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The format fixture: findings of every severity, safe and unsafe fixes, a
// fix that creates a second file (.dockerignore), non-ASCII text before
// the edits (so character and byte offsets differ), messages with commas,
// colons and quotes; and a file that cannot be diagnosed (an input error).
var formatArgs = []string{"testdata/format/project/Dockerfile", "testdata/format/empty.txt"}

// stableVersion keeps the SARIF driver version out of the goldens.
func stableVersion(t *testing.T) {
	t.Helper()
	saved := toolVersion
	toolVersion = func() (string, string) { return "v0.0.0-test", "0.0.0-test" }
	t.Cleanup(func() { toolVersion = saved })
}

// srcRootURI is the originalUriBaseIds entry the SARIF output gives for
// the current directory; goldens hold a placeholder instead.
func srcRootURI(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if r, err := filepath.EvalSymlinks(wd); err == nil {
		wd = r
	}
	return strings.TrimSuffix(fileURI(filepath.ToSlash(wd)), "/") + "/"
}

// Every format's output on the fixture is compared with its golden file;
// go test . -run TestFormats -update rewrites them.
func TestFormats(t *testing.T) {
	stableVersion(t)
	t.Setenv("GITHUB_STEP_SUMMARY", "")
	root := srcRootURI(t)
	for _, format := range formats {
		t.Run(format, func(t *testing.T) {
			args := append([]string{"check", "--format", format}, formatArgs...)
			code, out, errs := runCLI(t, nil, args...)
			if code != exitError {
				t.Errorf("exit %d, want %d (an input error)", code, exitError)
			}
			if !strings.Contains(errs, "testdata/format/empty.txt: empty file") {
				t.Errorf("the input error is not on stderr: %q", errs)
			}
			out = strings.ReplaceAll(out, root, "file:///SRCROOT/")
			golden := filepath.Join("testdata", "format", format+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test . -run TestFormats -update)", err)
			}
			if out != string(want) {
				t.Errorf("--format %s differs from %s (run go test . -run TestFormats -update and review the diff)\n%s", format, golden, firstDiff(string(want), out))
			}
		})
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + a + "\n  got:  " + b
		}
	}
	return ""
}

// sarifValidator compiles the vendored SARIF 2.1.0 schema; nothing is
// fetched.
func sarifValidator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-2.1.0.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // check format: uri and friends too
	if err := c.AddResource(sarifSchema, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(sarifSchema)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, out string) map[string]any {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("not valid SARIF 2.1.0:\n%v", err)
	}
	var log map[string]any
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	return log
}

// The SARIF output is valid against the official schema in every case
// (findings and fixes, a clean file, an input error, a missing path), and
// has what GitHub code scanning requires.
func TestSARIFSchema(t *testing.T) {
	sch := sarifValidator(t)
	dir := t.TempDir()
	cleanFile := write(t, dir, "clean/Dockerfile", clean)
	cases := map[string][]string{
		"fixture":       formatArgs,
		"clean":         {cleanFile},
		"missing path":  {filepath.Join(dir, "nope")},
		"no dockerfile": {filepath.Dir(write(t, dir, "empty-dir/README", "hi"))},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, _ := runCLI(t, nil, append([]string{"check", "--format", "sarif"}, args...)...)
			log := validateSARIF(t, sch, out)
			if log["$schema"] != sarifSchema || log["version"] != "2.1.0" {
				t.Errorf("$schema/version: %v %v", log["$schema"], log["version"])
			}
			runs := log["runs"].([]any)
			if len(runs) != 1 {
				t.Fatalf("%d runs", len(runs))
			}
			run := runs[0].(map[string]any)
			inv := run["invocations"].([]any)[0].(map[string]any)
			if int(inv["exitCode"].(float64)) != code {
				t.Errorf("invocation exitCode %v, the process exits %d", inv["exitCode"], code)
			}
			notes, _ := inv["toolExecutionNotifications"].([]any)
			if (code == exitError) != (len(notes) > 0) || inv["executionSuccessful"] != (len(notes) == 0) {
				t.Errorf("exit %d with notifications %v, executionSuccessful %v", code, notes, inv["executionSuccessful"])
			}
			driver := run["tool"].(map[string]any)["driver"].(map[string]any)
			if driver["name"] != "dockdoc" || driver["informationUri"] != infoURI {
				t.Errorf("driver: %v", driver)
			}
			rules := driver["rules"].([]any)
			for _, r := range rules {
				r := r.(map[string]any)
				for _, k := range []string{"shortDescription", "fullDescription"} {
					if r[k].(map[string]any)["text"] == "" {
						t.Errorf("%s: empty %s", r["id"], k)
					}
				}
				h := r["help"].(map[string]any)
				if h["text"] == "" || !strings.Contains(h["markdown"].(string), "```dockerfile") {
					t.Errorf("%s: help %v", r["id"], h)
				}
			}
			for _, res := range run["results"].([]any) {
				res := res.(map[string]any)
				rule := rules[int(res["ruleIndex"].(float64))].(map[string]any)
				if rule["id"] != res["ruleId"] {
					t.Errorf("ruleIndex points at %v, ruleId is %v", rule["id"], res["ruleId"])
				}
				loc := res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
				region := loc["region"].(map[string]any)
				for _, k := range []string{"startLine", "startColumn", "endLine", "endColumn"} {
					if _, ok := region[k]; !ok {
						t.Errorf("%v: region lacks %s", res["ruleId"], k)
					}
				}
				if uri := loc["artifactLocation"].(map[string]any)["uri"].(string); strings.Contains(uri, `\`) {
					t.Errorf("uri with backslashes: %s", uri)
				}
			}
		})
	}
}

// The validator does reject what the schema forbids (so a passing
// TestSARIFSchema means something).
func TestSARIFSchemaRejects(t *testing.T) {
	sch := sarifValidator(t)
	_, out, _ := runCLI(t, nil, "check", "--format", "sarif", formatArgs[0])
	for name, bad := range map[string]string{
		"level":   strings.Replace(out, `"level": "warning"`, `"level": "fatal"`, 1),
		"version": strings.Replace(out, `"version": "2.1.0"`, `"version": "2.0.0"`, 1),
		"region":  strings.Replace(out, `"startLine": 2`, `"startLine": 0`, 1),
		"extra":   strings.Replace(out, `"ruleId": `, `"rule": "x", "ruleId": `, 1),
	} {
		if bad == out {
			t.Fatalf("%s: the mutation did not apply", name)
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("%s: an invalid log passed validation", name)
		}
	}
}

// The fixes in the SARIF output reproduce what dockdoc fix does: applying
// a fix's replacements to the file, by character offsets and by byte
// offsets, gives the same text.
func TestSARIFFixOffsets(t *testing.T) {
	_, out, _ := runCLI(t, nil, "check", "--format", "sarif", formatArgs[0])
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID string     `json:"ruleId"`
				Fixes  []sarifFix `json:"fixes"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(formatArgs[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.ContainsRune(src, 'é') {
		t.Fatal("the fixture lost its non-ASCII text")
	}
	apply := func(rs []sarifReplacement, chars bool) string {
		text := []rune(string(src))
		b := append([]byte(nil), src...)
		for i := len(rs) - 1; i >= 0; i-- { // from the end, so offsets stay valid
			r := rs[i]
			ins := ""
			if r.InsertedContent != nil {
				ins = r.InsertedContent.Text
			}
			if chars {
				d := r.DeletedRegion
				text = append(text[:d.CharOffset], append([]rune(ins), text[d.CharOffset+d.CharLength:]...)...)
			} else {
				d := r.DeletedRegion
				b = append(b[:d.ByteOffset], append([]byte(ins), b[d.ByteOffset+d.ByteLength:]...)...)
			}
		}
		if chars {
			return string(text)
		}
		return string(b)
	}
	n := 0
	for _, res := range log.Runs[0].Results {
		for _, fx := range res.Fixes {
			for _, ch := range fx.ArtifactChanges {
				if !strings.HasSuffix(ch.ArtifactLocation.URI, "/Dockerfile") {
					continue
				}
				n++
				byChars, byBytes := apply(ch.Replacements, true), apply(ch.Replacements, false)
				if byChars != byBytes {
					t.Errorf("%s %q: character and byte offsets disagree:\n%s\n---\n%s", res.RuleID, fx.Description.Text, byChars, byBytes)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no fixes in the SARIF output")
	}
	// DD005's fix is the insertion of " -y" right after "install".
	if !strings.Contains(out, `"text": " -y"`) {
		t.Error("DD005's insertion is missing")
	}
}

func TestGitHubEscaping(t *testing.T) {
	if got := escapeData("100% done\r\nnext: a,b"); got != "100%25 done%0D%0Anext: a,b" {
		t.Errorf("escapeData: %q", got)
	}
	if got := escapeProperty("a:b,c%d\ne"); got != "a%3Ab%2Cc%25d%0Ae" {
		t.Errorf("escapeProperty: %q", got)
	}
	a := ghAnnotation{kind: "warning", props: []string{"file=" + escapeProperty("dir,x/Docker:file"), "title=" + escapeProperty("DD001 x")}, msg: "one\ntwo"}
	if got := a.String(); got != "::warning file=dir%2Cx/Docker%3Afile,title=DD001 x::one%0Atwo" {
		t.Errorf("annotation: %q", got)
	}
}

// More than ten annotations of a kind: all are written (the log keeps
// them), errors first, and one notice says how many GitHub does not show;
// the step summary gets the full list.
func TestGitHubOverflow(t *testing.T) {
	dir := t.TempDir()
	src := "FROM alpine:3.20\n" + strings.Repeat("MAINTAINER someone\n", 12) + "USER 65532\nWORKDIR app\nCMD [\"sh\"]\n"
	p := write(t, dir, "Dockerfile", src)
	summary := filepath.Join(dir, "summary.md")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	code, out, errs := runCLI(t, nil, "check", "--format", "github", p)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "::error ") || !strings.Contains(lines[0], "title=DD010 ") {
		t.Errorf("the error does not come first: %q", lines[0])
	}
	if n := strings.Count(out, "::warning "); n < 12 {
		t.Errorf("%d warnings written, want every one of them (12 or more)", n)
	}
	var notice string
	for _, l := range lines {
		if strings.HasPrefix(l, "::notice title=dockdoc::") {
			notice = l
		}
	}
	if !strings.Contains(notice, "not shown: 2 warnings") || !strings.Contains(notice, "step summary") {
		t.Errorf("overflow notice: %q\n%s", notice, out)
	}
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), "| DD003 |") != 12 {
		t.Errorf("step summary:\n%s", b)
	}
	// Within the limits there is no notice and no summary.
	os.Remove(summary)
	p2 := write(t, dir, "small/Dockerfile", dirty)
	_, out, _ = runCLI(t, nil, "check", "--format", "github", p2)
	if strings.Contains(out, "title=dockdoc::") {
		t.Errorf("overflow notice without overflow:\n%s", out)
	}
	if _, err := os.Stat(summary); err == nil {
		t.Error("step summary written without overflow")
	}
}

// --output writes the report to a file, prints nothing on stdout and
// leaves the exit code as it is.
func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "Dockerfile", dirty)
	for _, format := range formats {
		want, wantOut, _ := runCLI(t, nil, "check", "--format", format, p)
		dst := filepath.Join(dir, "report."+format)
		code, out, errs := runCLI(t, nil, "check", p, "--format", format, "--output", dst)
		if code != want || code != exitFindings || out != "" {
			t.Errorf("%s: exit %d (without --output %d), stdout %q, stderr %q", format, code, want, out, errs)
		}
		b, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != wantOut {
			t.Errorf("%s: the file differs from the stdout report:\n%s\n---\n%s", format, b, wantOut)
		}
	}
	// -o and -f are the short forms.
	dst := filepath.Join(dir, "short.sarif")
	if code, _, _ := runCLI(t, nil, "check", "-f", "sarif", "-o", dst, write(t, dir, "ok/Dockerfile", clean)); code != exitClean {
		t.Errorf("clean file with -o: exit %d", code)
	}
	if b, _ := os.ReadFile(dst); !bytes.Contains(b, []byte(`"version": "2.1.0"`)) {
		t.Errorf("-o -f sarif wrote:\n%s", b)
	}
	// A file that cannot be written is an I/O error.
	code, _, errs := runCLI(t, nil, "check", "--output", filepath.Join(dir, "no", "such", "dir", "r.txt"), p)
	if code != exitError || !strings.Contains(errs, "--output") {
		t.Errorf("unwritable --output: exit %d %q", code, errs)
	}
	// fix does not take --output.
	if code, _, _ := runCLI(t, nil, "fix", "--diff", "--output", dst, p); code != exitError {
		t.Errorf("fix --output: exit %d", code)
	}
}

// A path that cannot be searched still gives a complete machine report
// (an upload step needs its file); text stays a message on stderr.
func TestDiscoverErrorReports(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	code, out, errs := runCLI(t, nil, "check", "--format", "checkstyle", missing)
	if code != exitError || !strings.Contains(errs, "no such file") {
		t.Errorf("exit %d %q", code, errs)
	}
	var cs struct {
		Files []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Severity string `xml:"severity,attr"`
				Message  string `xml:"message,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	if err := xml.Unmarshal([]byte(out), &cs); err != nil || len(cs.Files) != 1 || cs.Files[0].Name != missing || cs.Files[0].Errors[0].Severity != "error" {
		t.Errorf("checkstyle for a missing path (%v):\n%s", err, out)
	}
	code, out, _ = runCLI(t, nil, "check", missing)
	if code != exitError || out != "" {
		t.Errorf("text for a missing path: exit %d, stdout %q", code, out)
	}
}

// The checkstyle output is well-formed XML whose attributes round-trip,
// whatever the messages hold.
func TestCheckstyleEscaping(t *testing.T) {
	var buf bytes.Buffer
	msg := `a <b> & "c" 'd'` + "\nnext\tline"
	writeCheckstyle(&buf, []fileReport{{path: `dir/"x"&<y>.Dockerfile`, err: os.ErrNotExist}, {path: "z", err: &testErr{msg}}})
	var cs struct {
		Files []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &cs); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if cs.Files[0].Name != `dir/"x"&<y>.Dockerfile` || cs.Files[1].Errors[0].Message != msg {
		t.Errorf("round trip:\n%s", buf.String())
	}
}

type testErr struct{ s string }

func (e *testErr) Error() string { return e.s }
