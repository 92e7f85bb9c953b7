package ui_test

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestTeatestRunesInOneMessage: Bubble Tea v1 sends runes typed faster
// than a frame in one KeyMsg ("jj", "wy"); through a real program each is
// a key press, so the result is that of TestTeatestToggleWrite.
func TestTeatestRunesInOneMessage(t *testing.T) {
	t.Parallel()
	path, _ := copyFixture(t)
	tm := startProgram(t, path)

	waitFor(t, tm, "Findings (6)")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	tm.Send(space)
	waitFor(t, tm, "DD005 on: ")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("wy")})
	waitFor(t, tm, "wrote 1 fix to ")
	tm.Send(keyRune('q'))

	finish(t, tm)
	assertFile(t, path, `FROM debian:12
MAINTAINER Dana <dana@example.org>
RUN apt-get update && apt-get install -y curl
USER 1000
CMD run --port 80
`)
}
