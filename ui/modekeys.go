package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Keys in the filter and full-screen explanation modes.

func (m *Model) filterKey(msg tea.KeyMsg) tea.Cmd {
	v := m.view()
	switch msg.Type {
	case tea.KeyEsc:
		m.mode = modeNormal
		m.filter.Blur()
		v.filter = ""
		m.refilter(m.cur)
		return nil
	case tea.KeyEnter:
		m.mode = modeNormal
		m.filter.Blur()
		m.setStatus(fmt.Sprintf("filter %q: %d of %d findings (esc clears)", v.filter, len(v.visible), len(m.Session().Findings)))
		return nil
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	v.filter = m.filter.Value()
	m.refilter(m.cur)
	return cmd
}

func (m *Model) explainKey(msg tea.KeyMsg) tea.Cmd {
	k := m.route // always enabled: space pages down here, though it toggles nothing
	switch {
	case key.Matches(msg, k.Back), key.Matches(msg, k.Explain), key.Matches(msg, k.Quit):
		m.mode = modeNormal
	case key.Matches(msg, k.Up):
		m.full.ScrollUp(1)
	case key.Matches(msg, k.Down):
		m.full.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		m.full.PageUp()
	case key.Matches(msg, k.PageDown), key.Matches(msg, k.Toggle):
		m.full.PageDown()
	case key.Matches(msg, k.Top):
		m.full.GotoTop()
	case key.Matches(msg, k.Bottom):
		m.full.GotoBottom()
	}
	return nil
}
