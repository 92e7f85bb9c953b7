package ui

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

func TestGuideAcceptSkipBack(t *testing.T) {
	src := "FROM debian:12\nmaintainer Dana <d@x.org>\nRUN apt-get update && apt-get install curl\nUSER 1000\nCMD run --port 80\n"
	g, err := NewGuide("Dockerfile", []byte(src), fixes.Stamp{}, diagnose.Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := g.Current
	if first == nil || first.Rule.Category != diagnose.Correctness {
		t.Fatalf("the first lesson should be about correctness, got %+v", first)
	}
	total := g.Left
	// Accept the first fix: it is in the working copy before the next lesson.
	if err := g.Accept(); err != nil {
		t.Fatal(err)
	}
	if string(g.Buffer.Src) == src || g.Step != 2 || len(g.Accepted) != 1 {
		t.Fatalf("after accept: step %d, accepted %v", g.Step, g.Accepted)
	}
	afterFirst := string(g.Buffer.Src)
	// Skip the next; it is not offered again.
	skipped := lessonKey(*g.Current)
	g.Skip()
	if g.Current != nil && lessonKey(*g.Current) == skipped {
		t.Fatal("a skipped lesson came back")
	}
	if g.Left >= total {
		t.Errorf("lessons left %d, started with %d", g.Left, total)
	}
	// Back twice: the skip is undone, then the accept.
	g.Back()
	if g.Current == nil || lessonKey(*g.Current) != skipped || string(g.Buffer.Src) != afterFirst {
		t.Fatal("back did not return to the skipped lesson")
	}
	g.Back()
	if string(g.Buffer.Src) != src || len(g.Accepted) != 0 || g.Step != 1 {
		t.Fatal("back did not undo the accept")
	}
	if g.Back() {
		t.Error("back past the first lesson")
	}
	// Accept everything that can be applied, skip the rest: the lesson ends
	// with a file that still parses and lessons in category order.
	last := -1
	for g.Current != nil {
		c := categoryOrder[g.Current.Rule.Category]
		if c < last && len(g.Accepted) == 0 {
			t.Errorf("lesson order went back from %d to %d", last, c)
		}
		last = c
		if g.Fix() != nil {
			if err := g.Accept(); err != nil {
				g.Skip()
			}
		} else {
			g.Skip()
		}
	}
	if err := diagnose.Verify(g.Buffer.Src); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(g.Buffer.Src), " -y curl") || !strings.Contains(string(g.Buffer.Src), `CMD ["run"`) {
		t.Errorf("final buffer:\n%s", g.Buffer.Src)
	}
}

func TestGuideKeysWrite(t *testing.T) {
	p := copyFixture(t, "golden.Dockerfile")
	m := start(t, 120, 40, p)
	press(m, "t")
	if m.mode != modeGuide || !strings.Contains(m.View(), "lesson 1") {
		t.Fatalf("t did not start the lesson:\n%s", m.View())
	}
	for m.guide.g.Fix() == nil && m.guide.g.Current != nil {
		press(m, "n")
	}
	press(m, "y")
	if len(m.guide.g.Accepted) != 1 {
		t.Fatal("y did not apply")
	}
	press(m, "w")
	run(m, press(m, "y"))
	if m.mode != modeGuide || len(m.Wrote) != 1 {
		t.Fatalf("guide write: mode %d wrote %v status %q", m.mode, m.Wrote, m.status)
	}
	press(m, "q")
	if m.mode != modeNormal {
		t.Error("q did not leave the lesson")
	}
}
