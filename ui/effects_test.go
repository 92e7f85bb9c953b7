package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// runAll executes a command and what it batches, feeding every message
// back into the model (as the program would), except the disk poll.
func runAll(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			runAll(m, c)
		}
	case nil, pollMsg:
	default:
		_, next := m.Update(msg)
		runAll(m, next)
	}
}

// The explanation shows under each fix what it changes in the image,
// computed by a command, not in Update or View.
func TestExplanationShowsEffects(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(p, []byte("FROM debian:12\nrun echo hi\nCMD ./start\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m := start(t, 140, 40, p)
	// The test's key presses drop the commands Update returns; forget what
	// was asked and ask again with a message that changes nothing.
	again := func() {
		m.effects = nil
		_, cmd := m.Update(tea.WindowSizeMsg{Width: 140, Height: 40})
		runAll(m, cmd)
	}
	cursorTo(t, m, "DD015")
	if strings.Contains(m.explainText(m.current(), 120), "effect on the image") || strings.Contains(m.explainText(m.current(), 120), "built the same way") {
		t.Fatal("an effect is shown before its command ran")
	}
	again()
	if got := m.explainText(m.current(), 120); !strings.Contains(got, "the image is built the same way (only the text changes)") {
		t.Errorf("no effect under the casing fix:\n%s", got)
	}
	cursorTo(t, m, "DD002")
	again()
	if got := m.explainText(m.current(), 120); !strings.Contains(got, "the image config changes (Cmd)") {
		t.Errorf("no effect under the exec-form fix:\n%s", got)
	}
}
