package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestSeveralRunesInOneMessage: Bubble Tea v1 delivers runes typed faster
// than a frame in one KeyMsg; each counts as a key press.
func TestSeveralRunesInOneMessage(t *testing.T) {
	one := start(t, 120, 30, copyFixture(t, "golden.Dockerfile"))
	press(one, "j", "j", "j")
	many := start(t, 120, 30, copyFixture(t, "golden.Dockerfile"))
	many.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjj")})
	if many.current() != one.current() || many.current() == 0 {
		t.Fatalf("jjj in one message: cursor %d, three presses: %d", many.current(), one.current())
	}
	// A toggle and a move in one message: the fix of the third finding is
	// on, the cursor on the fourth.
	many.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("kyk")})
	press(one, "k", "y", "k")
	if many.current() != one.current() || string(many.Session().Composed.Out) != string(one.Session().Composed.Out) {
		t.Errorf("kyk in one message differs from three presses")
	}
	// In the filter, the runes are text.
	many.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	many.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("dd00")})
	if got := many.view().filter; got != "dd00" {
		t.Errorf("filter = %q, want dd00", got)
	}
	// Typed before the files are loaded: kept and replayed one by one.
	early := New([]string{copyFixture(t, "golden.Dockerfile")}, Options{DiskPoll: -1})
	early.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	early.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjj")})
	early.Update(early.Init()())
	if early.current() != v3(t) {
		t.Errorf("jjj before loading: cursor %d", early.current())
	}
}

// v3 is the finding under the cursor after three j presses on the golden
// fixture.
func v3(t *testing.T) int {
	m := start(t, 120, 30, copyFixture(t, "golden.Dockerfile"))
	press(m, "j", "j", "j")
	return m.current()
}

// TestNoOnAnOffFixSaysSo: n on a fix that is off says so (and moves on,
// as n does).
func TestNoOnAnOffFixSaysSo(t *testing.T) {
	m := start(t, 120, 30, copyFixture(t, "golden.Dockerfile"))
	cursorTo(t, m, "DD005")
	before := m.current()
	press(m, "n")
	if !strings.Contains(m.status, "DD005: its fix is already off") {
		t.Errorf("n on an off fix: status %q", m.status)
	}
	if m.current() == before {
		t.Error("n did not move to the next undecided finding")
	}
	if m.Session().Dirty() {
		t.Error("n turned something on")
	}
}

// TestSpaceOnNoFixDoesNotSuppress: space (and y) on a "no fix" finding
// says how to suppress it instead of adding the comment; c adds it, and
// space or c takes it out again.
func TestSpaceOnNoFixDoesNotSuppress(t *testing.T) {
	m := start(t, 120, 30, copyFixture(t, "golden.Dockerfile"))
	cursorTo(t, m, "DD031")
	i := m.current()
	s := m.Session()
	if s.Mark(i) != MarkNoFix {
		t.Fatalf("DD031 is marked %s", s.Mark(i).Word())
	}
	for _, k := range []string{"space", "y"} {
		press(m, k)
		if s.Dirty() || s.Selected(i) >= 0 {
			t.Fatalf("%s on a no-fix finding turned on %s", k, s.Composed.Out)
		}
		if m.status != "no fix for this finding; c adds a suppression comment" {
			t.Errorf("%s: status %q", k, m.status)
		}
	}
	press(m, "c")
	if s.Selected(i) < 0 || !strings.Contains(string(s.Composed.Out), "ignore=DD031") {
		t.Fatalf("c did not add the suppression comment (status %q):\n%s", m.status, s.Composed.Out)
	}
	press(m, "space")
	if s.Dirty() {
		t.Errorf("space did not take the suppression out: %q", m.status)
	}
	press(m, "c", "c")
	if s.Dirty() {
		t.Errorf("c twice left the suppression on: %q", m.status)
	}
}

// TestHelpListsEveryKey: ? lists every key whatever applies now and
// however narrow the terminal, and scrolls to the ones below the fold.
func TestHelpListsEveryKey(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}, {60, 15}} {
		m := start(t, sz[0], sz[1], copyFixture(t, "golden.Dockerfile"))
		press(m, "?")
		if m.mode != modeHelp {
			t.Fatalf("%v: ? did not open help", sz)
		}
		seen := ansi.Strip(m.View())
		for i := 0; i < 100; i++ {
			press(m, "j")
			seen += ansi.Strip(m.View())
		}
		for _, sec := range m.route.helpSections() {
			for _, b := range sec.keys {
				h := b.Help()
				if !strings.Contains(seen, h.Key+" ") || !strings.Contains(seen, h.Desc) {
					t.Errorf("%v: help never shows %s (%s)", sz, h.Key, h.Desc)
				}
			}
		}
		for _, l := range strings.Split(m.View(), "\n") {
			if w := ansi.StringWidth(l); w > sz[0] {
				t.Errorf("%v: a line is %d wide", sz, w)
			}
		}
		press(m, "?")
		if m.mode != modeNormal {
			t.Errorf("%v: ? did not close help", sz)
		}
	}
}

// TestSpacePagesTheExplanation: in the full-screen explanation, space
// pages down (the binding is disabled for the help bar there, which must
// not stop the key).
func TestSpacePagesTheExplanation(t *testing.T) {
	m := start(t, 80, 15, copyFixture(t, "golden.Dockerfile"))
	cursorTo(t, m, "DD005")
	press(m, "enter")
	if m.mode != modeExplain {
		t.Fatal("enter did not open the explanation")
	}
	press(m, "space")
	if m.full.YOffset == 0 {
		t.Error("space did not page down the explanation")
	}
}
