package diagnose

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/fixes"
)

func TestNestedScripts(t *testing.T) {
	src := "FROM debian:12\n" +
		"RUN bash -c \"apt-get update && apt-get install -y \\\"curl\\\"\"\n" +
		"RUN sh -euxc 'cd /tmp && make'\n" +
		"RUN su app -c 'npm ci'\n" +
		"RUN sh -c \"$CMD\" && bash script.sh\n"
	d, err := Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	names := func(in *Instruction) []string {
		var out []string
		for _, c := range in.Commands(d) {
			s := d.Src[c.Script.Span(c.Call).Start:c.Script.Span(c.Call).End]
			out = append(out, c.Name()+"="+c.Script.Nested+"|"+string(s))
		}
		return out
	}
	for i, want := range []string{
		`bash=|bash -c "apt-get update && apt-get install -y \"curl\"" apt-get=bash|apt-get update apt-get=bash|apt-get install -y \"curl\"`,
		`sh=|sh -euxc 'cd /tmp && make' cd=sh|cd /tmp make=sh|make`,
		`su=|su app -c 'npm ci' npm=su|npm ci`,
		`sh=|sh -c "$CMD" .=sh|$CMD bash=|bash script.sh`, // a command held in a variable: no name
	} {
		if got := strings.Join(names(d.Instructions[i+1]), " "); got != want {
			t.Errorf("line %d: commands\n%s\nwant\n%s", i+2, got, want)
		}
	}
	// The nested command's words are the inner shell's: the escaped
	// quotes are gone.
	c := d.Instructions[1].Commands(d)[2]
	if c.Words[len(c.Words)-1] != "curl" {
		t.Errorf("words %q", c.Words)
	}
	// Text a fix inserts inside the quotes is escaped for them.
	at := strings.Index(src, "make'")
	got := d.escapeForQuotes([]fixes.Edit{{Start: at, End: at, New: "echo 'hi' && "}})
	if got[0].New != `echo '\''hi'\'' && ` {
		t.Errorf("inside single quotes: %q", got[0].New)
	}
	at = strings.Index(src, "apt-get install")
	got = d.escapeForQuotes([]fixes.Edit{{Start: at, End: at, New: `X="$Y" `}})
	if got[0].New != `X=\"\$Y\" ` {
		t.Errorf("inside double quotes: %q", got[0].New)
	}
	out := d.escapeForQuotes([]fixes.Edit{{Start: 0, End: 0, New: `"x'`}})
	if out[0].New != `"x'` {
		t.Errorf("outside any nested script: %q", out[0].New)
	}
}
