package runscript

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

func TestDirWord(t *testing.T) {
	for src, want := range map[string]string{
		`/tmp/b/`:      "/tmp/b",
		`"/usr/src"/x`: "/usr/src/x",
		`"$tmp"`:       "$tmp",
		`${tmp}/b`:     "$tmp/b",
		`$tmp`:         "$tmp",
		`${tmp:-/x}`:   "",
		`$(mktemp -d)`: "",
		`/var/*`:       "",
		`..`:           "..",
	} {
		s := diagnose.ParseScript("cd "+src, func(o int) int { return o })
		if got := DirWord(s.Commands()[0].Call.Args[1]); got != want {
			t.Errorf("DirWord(%s) = %q, want %q", src, got, want)
		}
	}
}

func TestRemovesDirAndMktemp(t *testing.T) {
	s := diagnose.ParseScript(`a=$(mktemp -d); export B="$(mktemp -dt x.XXXX)"; c=$(mktemp); `+
		`rm -rf /tmp/b; rm /usr/src/x; rm -r -- "$a"; rm -fR /opt`, func(o int) int { return o })
	vars := MktempDirVars(s.File)
	if !vars["a"] || !vars["B"] || vars["c"] {
		t.Errorf("MktempDirVars = %v, want a and B", vars)
	}
	cmds := s.Commands()
	rmB, rmX, rmA, rmOpt := cmds[len(cmds)-4], cmds[len(cmds)-3], cmds[len(cmds)-2], cmds[len(cmds)-1]
	for _, tc := range []struct {
		c    *diagnose.Command
		dir  string
		want bool
	}{
		{rmB, "/tmp/b", true}, {rmB, "/tmp/bb", false}, {rmB, "/tmp", false},
		{rmX, "/usr/src/x", false}, // not recursive
		{rmA, "$a", true}, {rmA, "$a/src", true}, {rmA, "$b", false},
		{rmOpt, "/opt/tool/bin", true},
	} {
		if got := RemovesDir(tc.c, tc.dir); got != tc.want {
			t.Errorf("RemovesDir(%s, %s) = %v, want %v", tc.c.Script.Text(tc.c.Call), tc.dir, got, tc.want)
		}
	}
}
