package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The confirmation dialog (modeConfirm): asking a question and routing
// its answer.

// confirm is a question waiting for an answer.
type confirm struct {
	title string
	lines []string
	keys  []key.Binding
	yes   func(m *Model) tea.Cmd
	// reload, when set, is run for the "reload, keep choices" answer.
	reload func(m *Model) tea.Cmd
	// back is the mode to return to once answered.
	back mode
}

func (m *Model) ask(c *confirm) {
	m.confirm = c
	m.mode = modeConfirm
}

func (m *Model) confirmKey(msg tea.KeyMsg) tea.Cmd {
	c := m.confirm
	switch {
	case c.reload != nil && key.Matches(msg, m.keys.ReloadKeep):
		m.mode, m.confirm = c.back, nil
		return c.reload(m)
	case c.yes != nil && key.Matches(msg, m.keys.Confirm):
		m.mode, m.confirm = c.back, nil
		return c.yes(m)
	case key.Matches(msg, m.keys.Cancel), key.Matches(msg, m.keys.Quit):
		m.mode, m.confirm = c.back, nil
		m.setStatus("cancelled")
	}
	return nil
}
