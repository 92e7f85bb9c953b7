package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

const sample = "FROM debian:12\nmaintainer Dana <d@x.org>\nRUN apt-get update && apt-get install curl\nWORKDIR app\nCMD ./run --port 80\n"

func newSession(t *testing.T, src string) *Session {
	t.Helper()
	p := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(fixes.OS{}, p, diagnose.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func find(t *testing.T, s *Session, code string) int {
	t.Helper()
	for i, f := range s.Findings {
		if f.Rule.Code == code {
			return i
		}
	}
	t.Fatalf("no %s finding", code)
	return -1
}

func TestToggleUndoRedo(t *testing.T) {
	s := newSession(t, sample)
	if s.Dirty() {
		t.Fatal("dirty with nothing selected")
	}
	i := find(t, s, "DD005")
	if s.Mark(i) != MarkOff {
		t.Fatalf("mark = %v", s.Mark(i).Word())
	}
	if err := s.Toggle(i); err != nil {
		t.Fatal(err)
	}
	if s.Mark(i) != MarkOn || !strings.Contains(string(s.Composed.Out), "install -y curl") || len(s.Hunks) != 1 {
		t.Fatalf("after toggle: %v\n%s", s.Mark(i).Word(), s.Composed.Out)
	}
	if !s.Undo() || s.Dirty() || s.Mark(i) != MarkOff {
		t.Fatal("undo did not restore")
	}
	if !s.Redo() || !s.Dirty() {
		t.Fatal("redo did not re-apply")
	}
	if s.Undo(); s.Undo() {
		t.Fatal("undo past the start")
	}
}

func TestConflictRefused(t *testing.T) {
	s := newSession(t, sample)
	m := find(t, s, "DD003") // rewrites the whole maintainer instruction
	c := find(t, s, "DD015") // recases its keyword
	if err := s.Toggle(m); err != nil {
		t.Fatal(err)
	}
	if s.Mark(c) != MarkConflict {
		t.Errorf("mark = %s, want conflict", s.Mark(c).Word())
	}
	before := string(s.Composed.Out)
	err := s.Toggle(c)
	if err == nil || !strings.Contains(err.Error(), "conflicts with DD003 at line 2") {
		t.Fatalf("err = %v", err)
	}
	if string(s.Composed.Out) != before || s.Selected(c) >= 0 {
		t.Error("a refused toggle changed the selection")
	}
}

func TestSetManyAndCounts(t *testing.T) {
	s := newSession(t, sample)
	safe := s.Fixable(fixes.Safe)
	changed, skipped, err := s.SetMany(safe, true, fixes.Safe)
	if err != nil || changed == 0 {
		t.Fatalf("changed %d skipped %d err %v", changed, skipped, err)
	}
	if changed+skipped != len(safe) {
		t.Errorf("changed %d + skipped %d != %d", changed, skipped, len(safe))
	}
	on, unsafe := s.Counts()
	if on != changed || unsafe != 0 {
		t.Errorf("on %d unsafe %d", on, unsafe)
	}
	if err := diagnose.Verify(s.Composed.Out); err != nil {
		t.Fatal(err)
	}
	// The all-fixes selection includes unsafe ones.
	_, _, err = s.SetMany(s.Fixable(fixes.Unsafe), true, fixes.Unsafe)
	if _, u := s.Counts(); err != nil || u == 0 {
		t.Errorf("unsafe on %d, err %v", u, err)
	}
	if _, _, err := s.SetMany(s.Fixable(fixes.Unsafe), false, fixes.Unsafe); err != nil || s.Dirty() {
		t.Errorf("all off: dirty %v err %v", s.Dirty(), err)
	}
}

func TestCycleAlternatives(t *testing.T) {
	s := newSession(t, "FROM alpine:3.20\nRUN echo a \\\n\nRUN echo b\nUSER 1000\n")
	i := find(t, s, "DD017")
	if len(s.Findings[i].Fixes) < 2 {
		t.Fatalf("want alternatives, got %d", len(s.Findings[i].Fixes))
	}
	if err := s.Toggle(i); err != nil {
		t.Fatal(err)
	}
	first := string(s.Composed.Out)
	if err := s.Cycle(i); err != nil {
		t.Fatal(err)
	}
	if s.Alt(i) != 1 || s.Selected(i) != 1 || string(s.Composed.Out) == first || s.Mark(i) != MarkUnsafeOn {
		t.Errorf("alt %d sel %d mark %s\n%s", s.Alt(i), s.Selected(i), s.Mark(i).Word(), s.Composed.Out)
	}
	if err := s.Cycle(i); err != nil || s.Selected(i) != 0 || string(s.Composed.Out) != first {
		t.Errorf("cycling back: %v sel %d", err, s.Selected(i))
	}
}

func TestAdviceCannotBeApplied(t *testing.T) {
	s := newSession(t, "FROM registry.example/base:1\nCMD [\"x\"]\n") // a base dockdoc does not know: advice only
	i := find(t, s, "DD013")
	if s.Mark(i) != MarkAdvice {
		t.Fatalf("mark %s", s.Mark(i).Word())
	}
	if err := s.Toggle(i); err == nil || s.Dirty() {
		t.Errorf("advice applied: %v", err)
	}
}

func TestWriteAndChangedOnDisk(t *testing.T) {
	s := newSession(t, sample)
	s.Toggle(find(t, s, "DD005"))
	n, err := s.Write()
	if err != nil || n != 1 {
		t.Fatalf("write: %d %v", n, err)
	}
	b, _ := os.ReadFile(s.Path)
	if !strings.Contains(string(b), "install -y curl") || s.Dirty() || !s.Written {
		t.Fatalf("after write: %s", b)
	}
	for _, f := range s.Findings {
		if f.Rule.Code == "DD005" {
			t.Error("the written fix is still reported")
		}
	}
	// Someone edits the file; the next write is refused, reload keeps choices.
	s.Toggle(find(t, s, "DD003"))
	os.WriteFile(s.Path, append(b, []byte("EXPOSE 80\n")...), 0o644)
	if _, err := s.Write(); err == nil || !s.Changed {
		t.Fatalf("write over a changed file: %v", err)
	}
	kept, lost, err := s.Reload(true)
	if err != nil || kept != 1 || lost != 0 {
		t.Fatalf("reload: kept %d lost %d err %v", kept, lost, err)
	}
	if !strings.Contains(string(s.Composed.Out), "EXPOSE 80") || !strings.Contains(string(s.Composed.Out), "image.authors") {
		t.Errorf("reloaded result:\n%s", s.Composed.Out)
	}
}

func TestLessonOrder(t *testing.T) {
	s := newSession(t, sample)
	order := LessonOrder(s.Findings)
	last := -1
	for _, i := range order {
		c := categoryOrder[s.Findings[i].Rule.Category]
		if c < last {
			t.Fatalf("order goes back from category %d to %d", last, c)
		}
		last = c
	}
}
