package files

import (
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"golang.org/x/tools/txtar"
)

// simulate resolves every WORKDIR of doc the way BuildKit does
// (expand the word, then join it to the current directory), with base as
// the working directory of every image that is not scratch or a stage.
func simulate(t *testing.T, doc *diagnose.Document, base string, env []string) []string {
	t.Helper()
	lex := shell.NewLex(rune(doc.Escape))
	ends := map[*diagnose.Stage]string{}
	var out []string
	for _, st := range doc.Stages {
		cur := base
		if strings.EqualFold(st.Image, "scratch") {
			cur = "/"
		} else if b := doc.StageByName(st.Image, st.Index); b != nil {
			cur = ends[b]
		}
		for _, in := range st.Instrs {
			if in.Keyword != "workdir" || in.Node.Next == nil {
				continue
			}
			w, _, err := lex.ProcessWord(in.Node.Next.Value, shell.EnvsFromSlice(env))
			if err != nil {
				t.Fatalf("line %d: %v", in.StartLine, err)
			}
			if path.IsAbs(w) {
				cur = path.Clean(w)
			} else {
				cur = path.Join(cur, w)
			}
			out = append(out, cur)
		}
		ends[st] = cur
	}
	return out
}

// Safe fixes must not change any working directory, whatever the base
// images start in and whatever the variables hold; unsafe fixes keep them
// when the base images start at /.
func TestWorkdirFixKeepsDirectories(t *testing.T) {
	files, _ := filepath.Glob("../testdata/rules/DD010/*.txtar")
	if len(files) == 0 {
		t.Fatal("no cases")
	}
	envs := [][]string{
		{"NAME=x", "HOME=/root", "APP=/app"},
		{"NAME=a/b/c", "HOME=/home/u", "APP=/srv/app"},
		{"NAME=../..", "HOME=/", "APP=/"},
	}
	for _, file := range files {
		a, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		src, _ := ruletest.Section(a, "Dockerfile")
		doc, err := diagnose.Parse("Dockerfile", src)
		if err != nil || doc.ParseErr != nil {
			t.Fatalf("%s: %v %v", file, err, doc.ParseErr)
		}
		if doc.Escape != '\\' {
			continue // Windows paths: no fixes, nothing to simulate
		}
		for _, c := range []struct {
			min  fixes.Applicability
			base string
		}{{fixes.Safe, "/weird/base"}, {fixes.Safe, "/"}, {fixes.Unsafe, "/"}} {
			res, err := diagnose.FixAll("Dockerfile", src, diagnose.Options{Only: []string{"DD010"}}, c.min)
			if err != nil {
				t.Fatal(err)
			}
			fixed, err := diagnose.Parse("Dockerfile", res.Out)
			if err != nil || fixed.ParseErr != nil {
				t.Fatalf("%s: %v %v", file, err, fixed.ParseErr)
			}
			for _, env := range envs {
				before := simulate(t, doc, c.base, env)
				after := simulate(t, fixed, c.base, env)
				if strings.Join(before, "\n") != strings.Join(after, "\n") {
					t.Errorf("%s (%s fixes, base %s, env %v): directories changed\nbefore %q\nafter  %q",
						file, c.min, c.base, env, before, after)
				}
			}
		}
	}
}

func TestWorkdirCRLF(t *testing.T) {
	in := "FROM scratch\r\nWORKDIR /srv\r\nWORKDIR a\\\r\nb\r\nWORKDIR c \r\n"
	want := "FROM scratch\r\nWORKDIR /srv\r\nWORKDIR /srv/ab\r\nWORKDIR /srv/ab/c \r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(in), diagnose.Options{Only: []string{"DD010"}}, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Out) != want {
		t.Errorf("got %q\nwant %q", res.Out, want)
	}
}
