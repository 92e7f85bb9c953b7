package rules

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
)

func codes(fs []diagnose.Finding) string {
	var cs []string
	for _, f := range fs {
		cs = append(cs, f.Rule.Code)
	}
	return strings.Join(cs, ",")
}

func TestCheckDirectiveSkips(t *testing.T) {
	body := "FROM debian\nRUN apt-get install curl\n"
	base := codes(diagnose.Run(ruletest.MustParse(t, body), diagnose.Options{Only: []string{"DD001", "DD005"}}))
	if base != "DD001,DD005" {
		t.Fatalf("without directive: %s", base)
	}
	for directive, want := range map[string]string{
		"# check=skip=DL3014\n":                    "DD001",
		"# check=skip=DD001,apt-get-install-yes\n": "",
		"# check=skip=all\n":                       "DD001,DD005", // neither mirrors a BuildKit check
		"# check=error=true\n":                     "DD001,DD005",
	} {
		got := codes(diagnose.Run(ruletest.MustParse(t, directive+body), diagnose.Options{Only: []string{"DD001", "DD005"}}))
		if got != want {
			t.Errorf("%q: got %s, want %s", directive, got, want)
		}
	}
}

func TestFindingIDsAreUnique(t *testing.T) {
	d := ruletest.MustParse(t, "FROM debian:12\nRUN apt-get install a && apt-get install b\n")
	fs := diagnose.Run(d, diagnose.Options{})
	seen := map[string]bool{}
	for _, f := range fs {
		if seen[f.ID()] {
			t.Errorf("duplicate ID %s", f.ID())
		}
		seen[f.ID()] = true
	}
}

// Fixes edit the original bytes: a CRLF file with a BOM keeps both, and
// untouched lines are byte-identical.
func TestFixKeepsCRLFAndBOM(t *testing.T) {
	src := "\xEF\xBB\xBFFROM debian:12\r\n# keep me\r\nRUN apt-get update && \\\r\n\tapt-get install curl\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD005"}}, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	want := "\xEF\xBB\xBFFROM debian:12\r\n# keep me\r\nRUN apt-get update && \\\r\n\tapt-get install -y curl\r\n"
	if string(res.Out) != want {
		t.Errorf("got %q", res.Out)
	}
}

func TestNoFinalNewlineKept(t *testing.T) {
	src := "FROM debian:12\nRUN apt-get install curl"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD005"}}, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Out) != "FROM debian:12\nRUN apt-get install -y curl" {
		t.Errorf("got %q", res.Out)
	}
}

func TestParseErrorIsAFinding(t *testing.T) {
	d := ruletest.MustParse(t, "FROM alpine\nRUN <<EOF\necho\n")
	fs := diagnose.Run(d, diagnose.Options{})
	if len(fs) != 1 || fs[0].Rule.Code != "DD000" || fs[0].Line != 2 {
		t.Fatalf("findings = %s", ruletest.FormatFindings(fs))
	}
}

func TestLiteralWordAndInheritedShell(t *testing.T) {
	d := ruletest.MustParse(t, "FROM mcr/windows AS base\nSHELL [\"powershell\", \"-Command\"]\nFROM base\nRUN cd x\nFROM debian\nRUN echo \"a\\\"b\" c\\ d 'e f' $X\n")
	if got := d.Instructions[3].ShellFor()[0]; got != "powershell" {
		t.Errorf("inherited shell = %q", got)
	}
	if d.Instructions[3].Scripts(d) != nil {
		t.Error("PowerShell code was read as sh")
	}
	cmds := d.Instructions[5].Commands(d)
	if len(cmds) != 1 {
		t.Fatal(len(cmds))
	}
	c := cmds[0]
	want := []string{"echo", `a"b`, "c d", "e f", ""}
	for i, w := range want {
		if c.Words[i] != w || c.Lit[i] != (i < 4) {
			t.Errorf("word %d = %q (literal %v), want %q", i, c.Words[i], c.Lit[i], w)
		}
	}
}

// Two fixes that touch the same bytes: the later one is reported as a
// conflict naming the other rule and line, the earlier one applies, and the
// fix loop settles both over two rounds.
func TestConflictIsReportedAndResolvedByTheLoop(t *testing.T) {
	src := "FROM alpine:3.20\nmaintainer Dana <d@x.org>\nRUN true\nCMD [\"true\"]\n"
	d := ruletest.MustParse(t, src)
	fs := diagnose.Run(d, diagnose.Options{Only: []string{"DD003", "DD015"}})
	if codes(fs) != "DD003,DD015" {
		t.Fatalf("findings: %s", ruletest.FormatFindings(fs))
	}
	c := diagnose.Compose(d, diagnose.DefaultChoices(fs, fixes.Safe))
	if c.Applied() != 1 || c.Outcomes[1].Reason != "conflicts with DD003 at line 2" {
		t.Fatalf("outcomes: %+v", c.Outcomes)
	}
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD003", "DD015"}}, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	want := "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Dana <d@x.org>\"\nRUN true\nCMD [\"true\"]\n"
	if string(res.Out) != want || len(res.Rounds) != 2 || len(res.Remaining) != 0 {
		t.Errorf("rounds %d, remaining %d, out:\n%s", len(res.Rounds), len(res.Remaining), res.Out)
	}
}
