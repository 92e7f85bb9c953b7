package process

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// fixed applies the first fix of the single DD002 finding of src and
// returns the result.
func fixed(t *testing.T, src string) (*diagnose.Finding, []byte) {
	t.Helper()
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD002"}})
	if len(fs) != 1 {
		t.Fatalf("%q: want 1 finding, got %d", src, len(fs))
	}
	if len(fs[0].Fixes) == 0 {
		return &fs[0], nil
	}
	c := diagnose.Compose(doc, []diagnose.Choice{{Finding: &fs[0], Alt: 0}})
	return &fs[0], c.Out
}

// TestExecFormPlainWordsMatchShell checks that the safe JSON rewrite gives
// the program exactly the arguments the shell would have given it.
func TestExecFormPlainWordsMatchShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	for _, cmd := range []string{
		`python app.py`,
		`node "server file.js" --title 'say "hi"'`,
		`printf 'a\nb' 'back\slash' "x'y"`,
		`app --opt="a b" -- ''`,
		`exec app 'it'"'"'s'`,
		`./run a'b'"c"d`,
		`node -e 'console.log("{}")'`,
		`app "a#b" c#d 100%`,
	} {
		f, out := fixed(t, "FROM alpine\nCMD "+cmd+"\n")
		if out == nil || f.Fixes[0].Applicability != fixes.Safe {
			t.Errorf("%s: want a safe fix, got %+v", cmd, f.Fixes)
			continue
		}
		doc, err := diagnose.Parse("Dockerfile", out)
		if err != nil || doc.ParseErr != nil {
			t.Fatalf("%s: fixed file does not parse: %v %v", cmd, err, doc.ParseErr)
		}
		in := doc.Instructions[1]
		if !in.IsExecForm() {
			t.Fatalf("%s: not exec form: %s", cmd, out)
		}
		var got []string
		for n := in.Node.Next; n != nil; n = n.Next {
			got = append(got, n.Value)
		}
		shCmd := strings.TrimPrefix(cmd, "exec ")
		raw, err := exec.Command(sh, "-c", "set -- "+shCmd+"; printf '%s\\0' \"$@\"").Output()
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Split(string(bytes.TrimSuffix(raw, []byte{0})), "\x00")
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Errorf("%s:\n got %q\nwant %q", cmd, got, want)
		}
	}
}

func TestExecFormNotes(t *testing.T) {
	for _, tc := range []struct {
		src, title, note string
		app              fixes.Applicability
	}{
		{"FROM a\nCMD a | b\n", "Wrap CMD in an explicit /bin/sh -c", "signals still do not reach", fixes.Unsafe},
		{"FROM a\nCMD set -e; exec ./server\n", "Wrap CMD in an explicit /bin/sh -c", "", fixes.Unsafe},
		{"FROM a\nCMD ./a && exec ./b\n", "Wrap CMD in an explicit /bin/sh -c", "", fixes.Unsafe},
		{"FROM a\nENTRYPOINT [\"/e\"]\nCMD run\n", "Rewrite CMD in exec form", "ENTRYPOINT", fixes.Unsafe},
		{"FROM a\nENTRYPOINT []\nCMD run\n", "Rewrite CMD in exec form", "", fixes.Safe},
		{"FROM a\nENTRYPOINT run\nCMD [\"x\"]\n", "Rewrite ENTRYPOINT in exec form", "CMD", fixes.Unsafe},
		{"FROM a\nhealthcheck --retries=3 cmd test -f /ok\n", "Rewrite HEALTHCHECK in exec form", "", fixes.Safe},
	} {
		f, _ := fixed(t, tc.src)
		if len(f.Fixes) != 1 {
			t.Errorf("%q: want one fix, got %+v", tc.src, f.Fixes)
			continue
		}
		fx := f.Fixes[0]
		if fx.Title != tc.title || fx.Applicability != tc.app {
			t.Errorf("%q: got %q (%s), want %q (%s)", tc.src, fx.Title, fx.Applicability, tc.title, tc.app)
		}
		if (tc.note == "") != (fx.Note == "") || !strings.Contains(fx.Note, tc.note) {
			t.Errorf("%q: note %q, want one containing %q", tc.src, fx.Note, tc.note)
		}
	}
}

func TestExecFormCRLF(t *testing.T) {
	src := "FROM alpine\r\nCMD ./app \\\r\n  --flag\r\nHEALTHCHECK CMD true\r\n"
	want := "FROM alpine\r\nCMD [\"./app\", \"--flag\"]\r\nHEALTHCHECK CMD [\"true\"]\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD002"}}, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Out) != want {
		t.Errorf("got %q, want %q", res.Out, want)
	}
}
