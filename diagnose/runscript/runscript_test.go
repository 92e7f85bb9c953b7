package runscript

import (
	"slices"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
)

func names(cs []*diagnose.Command) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name())
	}
	return out
}

func TestRunNode(t *testing.T) {
	doc := ruletest.MustParseClean(t, "FROM alpine\nRUN echo hi\nONBUILD RUN make\nONBUILD COPY . /app\nCMD [\"sh\"]\n")
	run, onRun, onCopy, cmd := doc.Instructions[1], doc.Instructions[2], doc.Instructions[3], doc.Instructions[4]
	if RunNode(run) != run.Node {
		t.Errorf("RUN: want the instruction's own node")
	}
	if n := RunNode(onRun); n == nil || !strings.EqualFold(n.Value, "run") || n == onRun.Node {
		t.Errorf("ONBUILD RUN: want the trigger's RUN node, got %+v", n)
	}
	if n := RunNode(onCopy); n != nil {
		t.Errorf("ONBUILD COPY: want nil, got %+v", n)
	}
	if n := RunNode(cmd); n != nil {
		t.Errorf("CMD: want nil, got %+v", n)
	}
	if trig := OnbuildTrigger(onRun); trig == nil || trig.Keyword != "run" || trig.Node != RunNode(onRun) {
		t.Errorf("OnbuildTrigger(ONBUILD RUN) = %+v, want a run stand-in on the trigger node", trig)
	}
	for _, in := range []*diagnose.Instruction{run, onCopy, cmd} {
		if trig := OnbuildTrigger(in); trig != nil {
			t.Errorf("OnbuildTrigger(%s) = %+v, want nil", in.Keyword, trig)
		}
	}
}

func TestCommandsOfRunAndOnbuild(t *testing.T) {
	src := "FROM alpine\n" +
		"RUN apk add --no-cache curl && curl -fsS https://example.com/x.sh | sh\n" +
		"ONBUILD RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt; echo done\n" +
		"ONBUILD RUN [\"make\", \"all\"]\n" +
		"ONBUILD COPY . .\n" +
		"RUN [\"echo\", \"exec\"]\n" +
		"CMD echo start\n" +
		"RUN if then fi (\n"
	doc := ruletest.MustParseClean(t, src)
	for _, tc := range []struct {
		i    int
		want []string
	}{
		{1, []string{"apk", "curl", "sh"}},
		{2, []string{"pip", "echo"}}, // the mount flag is not part of the script
		{3, nil},                     // exec-form trigger
		{4, nil},                     // not a RUN trigger
		{5, nil},                     // exec form
		{6, nil},                     // CMD is not a RUN
		{7, nil},                     // not valid shell
	} {
		in := doc.Instructions[tc.i]
		if got := names(RunOrOnbuildCommands(doc, in)); !slices.Equal(got, tc.want) {
			t.Errorf("RunOrOnbuildCommands(line %d) = %q, want %q", in.StartLine, got, tc.want)
		}
		var fromScripts []string
		for _, s := range Scripts(doc, in) {
			fromScripts = append(fromScripts, names(s.Commands())...)
		}
		if !slices.Equal(fromScripts, tc.want) {
			t.Errorf("Scripts(line %d) commands = %q, want %q", in.StartLine, fromScripts, tc.want)
		}
	}

	// The trigger script's spans map back to the original bytes.
	on := doc.Instructions[2]
	cs := RunOrOnbuildCommands(doc, on)
	if len(cs) != 2 {
		t.Fatalf("ONBUILD RUN: %d commands", len(cs))
	}
	sp := cs[0].ArgSpan(2)
	if got := string(doc.Src[sp.Start:sp.End]); got != "-r" {
		t.Errorf("ONBUILD RUN arg 2 maps to %q in Src, want -r", got)
	}
	if s := OnbuildScript(doc, on); s == nil || s.In != on {
		t.Errorf("OnbuildScript: want a script whose In is the ONBUILD instruction")
	}
	if got := RunMountTargets(on); !slices.Equal(got, []string{"/root/.cache"}) {
		t.Errorf("RunMountTargets(ONBUILD RUN) = %q, want [/root/.cache]", got)
	}
}

func TestScriptsSkipWindowsAndBacktickFiles(t *testing.T) {
	doc := ruletest.MustParseClean(t, "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nONBUILD RUN echo hi\nRUN echo hi\n")
	for _, in := range doc.Instructions[1:] {
		if cs := RunOrOnbuildCommands(doc, in); cs != nil {
			t.Errorf("line %d: backtick-escaped file read as shell: %q", in.StartLine, names(cs))
		}
		if ss := Scripts(doc, in); ss != nil {
			t.Errorf("line %d: Scripts = %d scripts, want nil", in.StartLine, len(ss))
		}
	}
	doc = ruletest.MustParseClean(t, "FROM mcr.microsoft.com/windows/servercore\nSHELL [\"powershell\", \"-Command\"]\nONBUILD RUN Write-Host hi\n")
	if cs := RunOrOnbuildCommands(doc, doc.Instructions[2]); cs != nil {
		t.Errorf("PowerShell trigger read as POSIX shell: %q", names(cs))
	}
}

func TestInvoked(t *testing.T) {
	for src, want := range map[string]bool{
		"curl -fsS x":          true,
		"command curl x":       true,
		"command -p curl x":    true,
		"command -v curl":      false,
		"command -V curl":      false,
		"command -pv curl":     false,
		"sudo command -v curl": false,
		"sudo -u app curl x":   true,
	} {
		doc := ruletest.MustParseClean(t, "FROM alpine\nRUN "+src+"\n")
		cs := doc.Instructions[1].Commands(doc)
		if len(cs) != 1 {
			t.Fatalf("%s: %d commands", src, len(cs))
		}
		if got := Invoked(cs[0]); got != want {
			t.Errorf("Invoked(%s) = %v, want %v", src, got, want)
		}
	}
}

func TestInvokedCommands(t *testing.T) {
	doc := ruletest.MustParseClean(t, "FROM alpine\n"+
		"RUN command -v curl || apk add curl && curl -o /x https://example.com\n"+
		"ONBUILD RUN command -v git >/dev/null && git clone https://example.com/r.git\n")
	if got := names(InvokedCommands(doc, doc.Instructions[1])); !slices.Equal(got, []string{"apk", "curl"}) {
		t.Errorf("InvokedCommands(RUN) = %q, want [apk curl]", got)
	}
	if got := names(InvokedCommands(doc, doc.Instructions[2])); !slices.Equal(got, []string{"git"}) {
		t.Errorf("InvokedCommands(ONBUILD RUN) = %q, want [git]", got)
	}
}

func TestWordSourceAndWordText(t *testing.T) {
	doc := ruletest.MustParseClean(t, "FROM alpine\nRUN echo plain 'a b' \"x$HOME\" $(date) \\\"q \"\\$lit\" ${V:-d}z $'c' \"a\\\\b\"\n")
	cs := doc.Instructions[1].Commands(doc)
	if len(cs) != 2 || cs[0].Name() != "echo" || cs[1].Name() != "date" {
		t.Fatalf("commands %q, want echo and the substituted date", names(cs))
	}
	c := cs[0]
	for i, want := range []struct{ source, text string }{
		{"echo", "echo"},
		{"plain", "plain"},
		{"'a b'", "a b"},
		{`"x$HOME"`, "x$"},
		{"$(date)", "$"},
		{`\"q`, `"q`},
		{`"\$lit"`, "$lit"}, // an escaped dollar is a literal dollar
		{"${V:-d}z", "$z"},
		{"$'c'", "$"},
		{`"a\\b"`, `a\b`},
	} {
		if got := WordSource(c, i); got != want.source {
			t.Errorf("WordSource(%d) = %q, want %q", i, got, want.source)
		}
		if got := WordText(c.Call.Args[i]); got != want.text {
			t.Errorf("WordText(%s) = %q, want %q", want.source, got, want.text)
		}
	}
}

func TestStmtEnd(t *testing.T) {
	doc := ruletest.MustParseClean(t, "FROM alpine\nRUN apt-get update >/dev/null 2>&1; apt-get install -y curl & wait\n")
	cs := doc.Instructions[1].Commands(doc)
	if len(cs) != 3 {
		t.Fatalf("%d commands", len(cs))
	}
	src := cs[0].Script.Src
	for i, want := range []string{
		"apt-get update >/dev/null 2>&1",                          // before the ;
		"apt-get update >/dev/null 2>&1; apt-get install -y curl", // before the &
		src, // the last statement ends the script
	} {
		if got := src[:StmtEnd(cs[i].Stmt)]; strings.TrimRight(got, " ") != strings.TrimRight(want, " \n") {
			t.Errorf("StmtEnd(%s) cuts %q, want %q", cs[i].Name(), got, want)
		}
	}
}

func TestListNames(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c"}, "a, b and c"},
		{[]string{"a", "b", "c", "d", "e"}, "a, b, c and 2 more"},
	} {
		if got := ListNames(tc.in); got != tc.want {
			t.Errorf("ListNames(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestListAtMost(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		max  int
		want string
	}{
		{nil, 3, ""},
		{[]string{"a"}, 3, "a"},
		{[]string{"a", "b"}, 3, "a and b"},
		{[]string{"a", "b", "c"}, 3, "a, b and c"},
		{[]string{"a", "b", "c", "d"}, 3, "a, b, c and 1 more"},
		{[]string{"a", "b", "c", "d", "e", "f", "g"}, 2, "a, b and 5 more"},
	} {
		if got := ListAtMost(tc.in, tc.max); got != tc.want {
			t.Errorf("ListAtMost(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func TestShellBase(t *testing.T) {
	for in, want := range map[string]string{
		"/bin/bash":    "bash",
		"sh":           "sh",
		"/usr/bin/env": "env",
		`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`: "powershell",
		"cmd.EXE": "cmd",
		"pwsh":    "pwsh",
	} {
		if got := ShellBase(in); got != want {
			t.Errorf("ShellBase(%q) = %q, want %q", in, got, want)
		}
	}
}
