package syntax

import (
	"os"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/dockdoc/dockdoc/internal/corpus"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// testPairs returns the key/value pairs BuildKit would set for every
// ENV and LABEL of src, expanded with env, in order (legacy or not).
func testPairs(t *testing.T, src []byte, env []string) [][2]string {
	t.Helper()
	res, err := parser.Parse(strings.NewReader(string(src)))
	if err != nil {
		t.Fatalf("does not parse: %v\n%s", err, src)
	}
	lex := shell.NewLex(res.EscapeToken)
	var out [][2]string
	for _, n := range res.AST.Children {
		if strings.EqualFold(n.Value, "onbuild") && n.Next != nil && len(n.Next.Children) == 1 {
			n = n.Next.Children[0]
		}
		if !strings.EqualFold(n.Value, "env") && !strings.EqualFold(n.Value, "label") {
			continue
		}
		for k := n.Next; k != nil && k.Next != nil && k.Next.Next != nil; k = k.Next.Next.Next {
			key, _, kerr := lex.ProcessWord(k.Value, shell.EnvsFromSlice(env))
			val, _, verr := lex.ProcessWord(k.Next.Value, shell.EnvsFromSlice(env))
			if kerr != nil || verr != nil {
				out = append(out, [2]string{"ERROR", k.Value + " " + k.Next.Value})
				continue
			}
			out = append(out, [2]string{key, val})
		}
	}
	return out
}

// Every fix DD014 offers, safe or unsafe, must leave BuildKit with the
// same keys and values (whatever the environment) and remove the finding.
func TestLegacyKVFixKeepsValues(t *testing.T) {
	cases := []string{
		"FROM a\nENV A b\n",
		"FROM a\nENV A   b   c  \n",
		"FROM a\nENV A \"b c\"\n",
		"FROM a\nENV A 'b $X c'\n",
		"FROM a\nENV A $X and ${Y:-d e}\n",
		"FROM a\nENV A ${Y:-d e}\n",
		"FROM a\nENV A x\\ y\\\\z \"q\" 'r'\n",
		"FROM a\nENV A \\\n  b \\\n  # c\n  c\n",
		"FROM a\nENV A \"b\" \\\n  # c\n  c\n",
		"FROM a\nLABEL A b=c d\n",
		"FROM a\nENV A \"it's\" fine\n",
		"FROM a\nENV A \"x\\\"y\" z\n",
		"FROM a\nENV A a\tb\n",
		"FROM a\nENV A a\u00a0b\n",
		"FROM a\nENV A <<EOF x\n",
		"# escape=`\nFROM a\nENV A C:\\x y`\"z\n",
		"# escape=`\nFROM a\nENV A C:\\x \"y z\"\n",
		"FROM a\r\nENV A b c\r\nENV B \"d\" e\r\n",
	}
	envs := [][]string{nil, {"X=1", "Y=two words", "HOME=/root"}}
	for _, src := range cases {
		checkFixes(t, []byte(src), envs)
	}
}

func checkFixes(t *testing.T, src []byte, envs [][]string) {
	t.Helper()
	doc, err := diagnose.Parse("Dockerfile", src)
	if err != nil || doc.ParseErr != nil {
		return
	}
	r := diagnose.Lookup("DD014")
	findings := diagnose.Run(doc, diagnose.Options{Only: []string{"DD014"}})
	for i := range findings {
		for _, fx := range findings[i].Fixes {
			out, err := fixes.Apply(src, fx.Edits)
			if err != nil {
				t.Fatalf("%q: %v", src, err)
			}
			for _, env := range envs {
				before := testPairs(t, src, env)
				after := testPairs(t, out, env)
				if len(before) != len(after) {
					t.Errorf("%q: fix %q changed the number of pairs:\n%q\n%q", src, fx.Title, before, after)
					continue
				}
				for j := range before {
					if before[j] != after[j] {
						t.Errorf("%q: fix %q changed %q to %q (env %q); fixed file:\n%s", src, fx.Title, before[j], after[j], env, out)
					}
				}
			}
			if fx.Applicability == fixes.Safe && strings.Count(string(out), "#") < strings.Count(string(src), "#") {
				t.Errorf("%q: safe fix %q deletes a comment:\n%s", src, fx.Title, out)
			}
			d2, err := diagnose.Parse("Dockerfile", out)
			if err != nil || d2.ParseErr != nil {
				t.Fatalf("%q: fixed file does not parse", src)
			}
			if n := len(diagnose.Run(d2, diagnose.Options{Only: []string{r.Code}})); n != len(findings)-1 {
				t.Errorf("%q: after fix %q at line %d, %d findings remain, want %d:\n%s", src, fx.Title, findings[i].Line, n, len(findings)-1, out)
			}
		}
	}
}

// The same check over every legacy ENV/LABEL of the corpus.
func TestLegacyKVFixKeepsValuesCorpus(t *testing.T) {
	files := corpus.Files(t)
	envs := [][]string{nil, {"PATH=/usr/bin", "HOME=/root", "VERSION=1.2"}}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkFixes(t, src, envs)
	}
}

func TestLegacyKVCRLF(t *testing.T) {
	src := "FROM a\r\nENV A b c\r\nENV B \\\r\n  # why\r\n  d\r\nLABEL C \"e\" f\r\n"
	want := "FROM a\r\nENV A=\"b c\"\r\nENV B=\\\r\n  # why\r\nd\r\nLABEL C=\"e f\"\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD014"}}, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Out) != want {
		t.Errorf("got %q, want %q", res.Out, want)
	}
}
