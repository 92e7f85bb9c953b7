package ui

import tea "github.com/charmbracelet/bubbletea"

// mouse scrolls the pane under the pointer with the wheel.
func (m *Model) mouse(msg tea.MouseMsg) tea.Cmd {
	if !m.loaded || msg.Action != tea.MouseActionPress {
		return nil
	}
	delta := 0
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		delta = -3
	case tea.MouseButtonWheelDown:
		delta = 3
	default:
		return nil
	}
	switch m.mode {
	case modeExplain:
		if delta > 0 {
			m.full.ScrollDown(delta)
		} else {
			m.full.ScrollUp(-delta)
		}
		return nil
	case modeNormal:
	default:
		return nil
	}
	if m.lay.inList(msg.X, msg.Y) {
		m.move(delta / 3)
		return nil
	}
	if delta > 0 {
		m.detail.ScrollDown(delta)
	} else {
		m.detail.ScrollUp(-delta)
	}
	return nil
}
