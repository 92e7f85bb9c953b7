package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// The ? screen: every key of the doctor, whatever applies now and however
// narrow the terminal, one per line in sections, scrolled like the
// explanation. (The help bar under the panes shows only what applies.)

// helpSections groups the bindings of the ? screen.
func (k KeyMap) helpSections() []struct {
	title string
	keys  []key.Binding
} {
	type section = struct {
		title string
		keys  []key.Binding
	}
	return []section{
		{"Move", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Focus}},
		{"Fixes", []key.Binding{k.Toggle, k.Cycle, k.Yes, k.No, k.AllSafe, k.All, k.Undo, k.Redo}},
		{"Read", []key.Binding{k.Explain, k.Back, k.ExplainTab, k.DiffTab, k.Filter, k.Guide}},
		{"Files", []key.Binding{k.Write, k.WriteAll, k.Reload, k.Pin, k.PrevFile, k.NextFile}},
		{"This screen and quitting", []key.Binding{k.Help, k.Quit, k.ForceQuit}},
	}
}

// helpText renders the ? screen at width w.
func (m *Model) helpText(w int) string {
	st := m.styles
	var b strings.Builder
	for n, sec := range m.route.helpSections() {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(st.Heading.Render(sec.title) + "\n")
		for _, kb := range sec.keys {
			h := kb.Help()
			line := fmt.Sprintf("  %-8s %s", h.Key, h.Desc)
			b.WriteString(ansi.Truncate(line, w, "…") + "\n")
		}
	}
	b.WriteString("\n" + st.Heading.Render("Guided lesson (t)") + "\n")
	for _, l := range []string{"y  apply the fix", "n  skip", "b  back", "e  the whole explanation", "w  write", "q  leave the lesson"} {
		b.WriteString(ansi.Truncate("  "+l, w, "…") + "\n")
	}
	b.WriteString("\n" + st.Faint.Render(ansi.Truncate("The mouse wheel scrolls the pane under the pointer.", w, "…")))
	return b.String()
}

// openHelp shows the ? screen from its top.
func (m *Model) openHelp() {
	m.mode = modeHelp
	m.helpView = viewport.New(0, 0)
	m.helpKey = ""
}

// refreshHelp sizes the ? screen and renders it when the width changed.
func (m *Model) refreshHelp(h int) string {
	m.helpView.Width, m.helpView.Height = m.width, max(1, h)
	if k := fmt.Sprint(m.width); k != m.helpKey {
		m.helpKey = k
		m.helpView.SetContent(m.helpText(m.width))
	}
	return m.helpView.View()
}

func (m *Model) helpKeyMsg(msg tea.KeyMsg) tea.Cmd {
	k := m.route
	vp := &m.helpView
	switch {
	case key.Matches(msg, k.Help, k.Back, k.Quit):
		m.mode = modeNormal
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.PageDown), key.Matches(msg, k.Toggle):
		vp.PageDown()
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	}
	return nil
}
