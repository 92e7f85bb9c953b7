package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap declares every key of the doctor once. Bindings are enabled and
// disabled as the state changes, so bubbles/help shows only what applies.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom   key.Binding
	Toggle, Cycle, Yes, No, AllSafe, All      key.Binding
	Undo, Redo                                key.Binding
	Explain, Back, Focus, ExplainTab, DiffTab key.Binding
	Filter, Write, WriteAll, Reload           key.Binding
	NextFile, PrevFile, Guide, Pin            key.Binding
	Help, Quit, ForceQuit                     key.Binding
	// Confirm dialogs.
	Confirm, Cancel, ReloadKeep key.Binding
}

// DefaultKeyMap is the doctor's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:         key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:     key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Top:        key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:     key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
		Toggle:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "toggle fix")),
		Cycle:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "next alternative")),
		Yes:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "fix on, next")),
		No:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "fix off, next")),
		AllSafe:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "all safe fixes")),
		All:        key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "all fixes (unsafe too)")),
		Undo:       key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo")),
		Redo:       key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "redo")),
		Explain:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "full explanation")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Focus:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "switch pane")),
		ExplainTab: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "explain")),
		DiffTab:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "diff")),
		Filter:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Write:      key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write file")),
		WriteAll:   key.NewBinding(key.WithKeys("W"), key.WithHelp("W", "write all files")),
		Reload:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload from disk")),
		NextFile:   key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next file")),
		PrevFile:   key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous file")),
		Guide:      key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "guided lesson")),
		Pin:        key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pin base images to digests (asks the registries)")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:       key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit now, write nothing")),
		Confirm:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		Cancel:     key.NewBinding(key.WithKeys("n", "esc", "c"), key.WithHelp("n/esc", "cancel")),
		ReloadKeep: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload, keep choices")),
	}
}

// ShortHelp is the one-line help bar.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Toggle, k.Yes, k.No, k.AllSafe, k.Explain, k.DiffTab, k.ExplainTab, k.Write, k.Undo, k.Help, k.Quit}
}

// FullHelp is the `?` screen, grouped in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Focus, k.NextFile, k.PrevFile},
		{k.Toggle, k.Cycle, k.Yes, k.No, k.AllSafe, k.All, k.Undo, k.Redo},
		{k.Explain, k.ExplainTab, k.DiffTab, k.Filter, k.Guide, k.Back},
		{k.Write, k.WriteAll, k.Reload, k.Pin, k.Help, k.Quit, k.ForceQuit},
	}
}

// confirmHelp is the help of a confirmation dialog.
type confirmHelp struct{ keys []key.Binding }

func (c confirmHelp) ShortHelp() []key.Binding  { return c.keys }
func (c confirmHelp) FullHelp() [][]key.Binding { return [][]key.Binding{c.keys} }
