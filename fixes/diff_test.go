package fixes

import (
	"fmt"
	"strings"
	"testing"
)

// TestUnifiedHunkStarts: a hunk's new start is its old start moved by the
// lines the hunks before it added, also when a hunk holds several edits with
// unchanged lines between them; the lines keep their "\r\n".
func TestUnifiedHunkStarts(t *testing.T) {
	for _, eol := range []string{"\n", "\r\n"} {
		var before, after []string
		for i := 1; i <= 20; i++ {
			before = append(before, fmt.Sprintf("l%d", i))
		}
		after = append(after, "L1", "l2", "l3", "new a", "new b")
		after = append(after, before[3:14]...)
		after = append(after, "L15")
		after = append(after, before[15:]...)
		b := strings.Join(before, eol) + eol
		a := strings.Join(after, eol) + eol

		body := func(ls ...string) string { return strings.Join(ls, eol) + eol }
		want := "--- a/Dockerfile\n+++ b/Dockerfile\n" +
			"@@ -1,6 +1,8 @@\n" + body("-l1", "+L1", " l2", " l3", "+new a", "+new b", " l4", " l5", " l6") +
			"@@ -12,7 +14,7 @@\n" + body(" l12", " l13", " l14", "-l15", "+L15", " l16", " l17", " l18")
		if got := Unified("Dockerfile", []byte(b), []byte(a)); got != want {
			t.Errorf("%q: Unified:\n%q\nwant:\n%q", eol, got, want)
		}
		hs := Hunks([]byte(b), []byte(a), 3)
		if len(hs) != 2 || hs[0].FromLine != 1 || hs[0].ToLine != 1 || hs[1].FromLine != 12 || hs[1].ToLine != 14 {
			t.Errorf("%q: Hunks starts: %+v", eol, hs)
		}
	}
	if got := Unified("Dockerfile", []byte("x\r\n"), []byte("x\r\n")); got != "" {
		t.Errorf("no change: %q", got)
	}
}
