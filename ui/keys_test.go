package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
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
