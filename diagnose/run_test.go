package diagnose

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/fixes"
)

func codes(fs []Finding) string {
	var cs []string
	for _, f := range fs {
		cs = append(cs, f.Rule.Code)
	}
	return strings.Join(cs, ",")
}

func mustParse(t *testing.T, src string) *Document {
	t.Helper()
	d, err := Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCheckDirectiveSkips(t *testing.T) {
	body := "FROM debian\nRUN apt-get install curl\n"
	base := codes(Run(mustParse(t, body), Options{Only: []string{"DD001", "DD005"}}))
	if base != "DD001,DD005" {
		t.Fatalf("without directive: %s", base)
	}
	for directive, want := range map[string]string{
		"# check=skip=DL3014\n":                    "DD001",
		"# check=skip=DD001,apt-get-install-yes\n": "",
		"# check=skip=all\n":                       "DD001,DD005", // neither mirrors a BuildKit check
		"# check=error=true\n":                     "DD001,DD005",
	} {
		got := codes(Run(mustParse(t, directive+body), Options{Only: []string{"DD001", "DD005"}}))
		if got != want {
			t.Errorf("%q: got %s, want %s", directive, got, want)
		}
	}
}

func TestFindingIDsAreUnique(t *testing.T) {
	d := mustParse(t, "FROM debian:12\nRUN apt-get install a && apt-get install b\n")
	fs := Run(d, Options{})
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
	res, err := FixAll("Dockerfile", []byte(src), Options{Only: []string{"DD005"}}, fixes.Safe)
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
	res, err := FixAll("Dockerfile", []byte(src), Options{Only: []string{"DD005"}}, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Out) != "FROM debian:12\nRUN apt-get install -y curl" {
		t.Errorf("got %q", res.Out)
	}
}

func TestParseErrorIsAFinding(t *testing.T) {
	d := mustParse(t, "FROM alpine\nRUN <<EOF\necho\n")
	fs := Run(d, Options{})
	if len(fs) != 1 || fs[0].Rule.Code != "DD000" || fs[0].Line != 2 {
		t.Fatalf("findings = %s", formatFindings(fs))
	}
}

func TestSafeFixDeletingCommentIsDemoted(t *testing.T) {
	d := mustParse(t, "FROM a\nRUN x \\\n  # note\n  && y\n# top\nCMD z\n")
	r := &Rule{Code: "DD999", Name: "test-rule", Check: func(p *Pass) {
		in := p.Doc.Instructions[1]
		f := p.Report(in.Span, "x")
		f.AddFix("Delete the RUN", fixes.Safe, Delete(Span{in.Span.Start, p.Doc.LineBreakEnd(in.EndLine)}))
		cmd := p.Doc.Instructions[2]
		g := p.Report(cmd.Span, "y")
		g.AddFix("Rewrite CMD", fixes.Safe, Replace(cmd.Span, "CMD [\"z\"]"))
	}}
	fs := runRule(d, r)
	if fs[0].Fixes[0].Applicability != fixes.Unsafe {
		t.Error("a fix deleting a comment inside a continuation stayed safe")
	}
	if fs[1].Fixes[0].Applicability != fixes.Safe {
		t.Error("a fix next to (not over) a comment was demoted")
	}
}

func TestLiteralWordAndInheritedShell(t *testing.T) {
	d := mustParse(t, "FROM mcr/windows AS base\nSHELL [\"powershell\", \"-Command\"]\nFROM base\nRUN cd x\nFROM debian\nRUN echo \"a\\\"b\" c\\ d 'e f' $X\n")
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
	d := mustParse(t, src)
	fs := Run(d, Options{Only: []string{"DD003", "DD015"}})
	if codes(fs) != "DD003,DD015" {
		t.Fatalf("findings: %s", formatFindings(fs))
	}
	c := Compose(d, DefaultChoices(fs, fixes.Safe))
	if c.Applied() != 1 || c.Outcomes[1].Reason != "conflicts with DD003 at line 2" {
		t.Fatalf("outcomes: %+v", c.Outcomes)
	}
	res, err := FixAll("Dockerfile", []byte(src), Options{Only: []string{"DD003", "DD015"}}, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	want := "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Dana <d@x.org>\"\nRUN true\nCMD [\"true\"]\n"
	if string(res.Out) != want || len(res.Rounds) != 2 || len(res.Remaining) != 0 {
		t.Errorf("rounds %d, remaining %d, out:\n%s", len(res.Rounds), len(res.Remaining), res.Out)
	}
}
