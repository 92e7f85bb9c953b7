package metadata

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// The LABEL the fix writes must hold, after BuildKit's quote processing and
// variable expansion, exactly the text MAINTAINER recorded.
func TestMaintainerLabelRoundTrip(t *testing.T) {
	values := []string{
		`Jane Doe <jane@example.com>`,
		`"Jane" 'single' $HOME ${USER:-x}`,
		`C:\Users\jane \"x\" \$y \\`,
		"back`tick ``",
		`trailing quote"`,
		`a=b c=d`,
	}
	for _, esc := range []string{"\\", "`"} {
		for _, v := range values {
			src := "# escape=" + esc + "\nFROM scratch\nMAINTAINER " + v + "\n"
			doc, err := diagnose.Parse("Dockerfile", []byte(src))
			if err != nil || doc.ParseErr != nil {
				t.Fatalf("%q: %v %v", src, err, doc.ParseErr)
			}
			want := doc.Instructions[1].Node.Next.Value
			fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD003"}})
			if len(fs) != 1 || len(fs[0].Fixes) != 1 {
				t.Fatalf("%q: want one finding with a fix, got %v", src, fs)
			}
			c := diagnose.Compose(doc, []diagnose.Choice{{Finding: &fs[0], Alt: 0}})
			out, err := diagnose.Parse("Dockerfile", c.Out)
			if err != nil || out.ParseErr != nil {
				t.Fatalf("%q: fixed file does not parse: %v %v\n%s", src, err, out.ParseErr, c.Out)
			}
			// LABEL nodes are key, value, separator; BuildKit expands key and
			// value with its shell lexer (instructions.expandKvpsInPlace).
			n := out.Instructions[1].Node
			if out.Instructions[1].Keyword != "label" || n.Next == nil || n.Next.Next == nil || n.Next.Next.Next.Next != nil {
				t.Fatalf("%q: not a single-pair LABEL", c.Out)
			}
			lex := shell.NewLex(rune(esc[0]))
			env := shell.EnvsFromSlice([]string{"HOME=/root", "USER=me", "y=Y"})
			key, _, err := lex.ProcessWord(n.Next.Value, env)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := lex.ProcessWord(n.Next.Next.Value, env)
			if err != nil {
				t.Fatalf("%q: expand: %v", c.Out, err)
			}
			if key != labels.AuthorsLabel || got != want {
				t.Errorf("escape %s: MAINTAINER %q became %q=%q (fixed line %q)", esc, want, key, got, out.Line(3))
			}
		}
	}
}

// CRLF files keep their line endings: the replacement stays on its line
// and the deletion takes the whole "\r\n".
func TestMaintainerCRLF(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"FROM scratch\r\nMAINTAINER Jane\r\nCMD [\"x\"]\r\n",
			"FROM scratch\r\nLABEL org.opencontainers.image.authors=\"Jane\"\r\nCMD [\"x\"]\r\n"},
		{"FROM scratch\r\nLABEL org.opencontainers.image.authors=Jane\r\nMAINTAINER Jane\r\nCMD [\"x\"]\r\n",
			"FROM scratch\r\nLABEL org.opencontainers.image.authors=Jane\r\nCMD [\"x\"]\r\n"},
	} {
		res, err := diagnose.FixAll("Dockerfile", []byte(c.in), diagnose.Options{Only: []string{"DD003"}}, fixes.Safe)
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Out) != c.want {
			t.Errorf("fixing %q\n got %q\nwant %q", c.in, res.Out, c.want)
		}
	}
}
