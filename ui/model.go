package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// Options configure the doctor.
type Options struct {
	// Banner is shown under the header (the demo says where writes go).
	Banner string
	// Diag narrows the rules, as the CLI's --rule does.
	Diag diagnose.Options
	// FS is the file system; nil means the real one.
	FS fixes.FS
	// Guided starts in guided (lesson) mode.
	Guided bool
	// ContextDir is the build context (--context); "" means each
	// Dockerfile's directory.
	ContextDir string
	// ConfigPath is --config; "" means the nearest .dockdoc.yaml or
	// .hadolint.yaml.
	ConfigPath string
	// DiskPoll is how often the files are checked for changes on disk
	// (0: every 2 seconds; negative: never, for tests).
	DiskPoll time.Duration
}

type mode int

const (
	modeNormal mode = iota
	modeFilter
	modeConfirm
	modeExplain // the full-screen explanation
	modeHelp
	modeGuide
)

type pane int

const (
	paneList pane = iota
	paneDetail
)

type tab int

const (
	tabExplain tab = iota
	tabDiff
)

// fileView is the UI state of one file: cursor, scroll, filter, and which
// findings the user has decided on (for y / n).
type fileView struct {
	cursor, offset int
	filter         string
	visible        []int
	decided        map[int]bool
	gen            int // the session's Gen that visible was computed for
}

// Model is the root of the doctor: it routes messages, lays out the panes
// and renders into a cached frame. The behaviour lives in Session.
type Model struct {
	opts     Options
	paths    []string
	sessions []*Session
	views    []*fileView
	cur      int
	loaded   bool
	loadErrs []string

	mode    mode
	focus   pane
	tab     tab
	confirm *confirm
	guide   *guide

	keys   KeyMap
	route  KeyMap // the same keys, always enabled: what normal mode matches
	styles *Styles
	help   help.Model
	filter textinput.Model
	detail scroller
	full   viewport.Model
	// the ? screen, and the width it was rendered at
	helpView viewport.Model
	helpKey  string

	width, height int
	lay           layout
	status        string
	statusErr     bool
	busy          bool

	// effects of fixes on the image, by effectKey ("" while computing);
	// effectsIn counts those that have arrived, so the detail pane is
	// rebuilt when one does
	effects   map[string]string
	effectsIn int

	// caches, rebuilt in Update, pasted by View
	frame      string
	detailKey  string
	hunkStarts []int

	// Wrote records each write, for the summary printed after exit.
	Wrote []string

	pending []tea.KeyMsg // typed before the files were loaded
}

// New builds the doctor for the given Dockerfiles. Nothing is read until
// the program starts (Init loads the files in a command).
func New(paths []string, opts Options) *Model {
	if opts.FS == nil {
		opts.FS = fixes.OS{}
	}
	if opts.DiskPoll == 0 {
		opts.DiskPoll = 2 * time.Second
	}
	m := &Model{opts: opts, paths: paths, keys: DefaultKeyMap(), route: DefaultKeyMap(), styles: NewStyles(DefaultTheme())}
	m.help = help.New()
	m.filter = textinput.New()
	m.filter.Prompt = "/"
	m.filter.Placeholder = "text, code (DD005, DL3014) or severity"
	m.full = viewport.New(0, 0)
	m.frame = "Loading…"
	return m
}

// Session returns the current file's session (nil before loading).
func (m *Model) Session() *Session {
	if m.cur < len(m.sessions) {
		return m.sessions[m.cur]
	}
	return nil
}

func (m *Model) view() *fileView { return m.views[m.cur] }

// Update routes a message, then rebuilds the cached frame.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if e := m.effectCmd(); e != nil {
		cmd = tea.Batch(cmd, e)
	}
	m.refresh()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return nil
	case loadedMsg:
		m.loaded = true
		m.sessions = msg.sessions
		m.loadErrs = msg.errs
		m.views = make([]*fileView, len(m.sessions))
		for i := range m.views {
			m.views[i] = &fileView{decided: map[int]bool{}}
			m.refilter(i)
		}
		if len(m.sessions) == 0 {
			m.status = "nothing to diagnose: " + strings.Join(msg.errs, "; ")
			m.statusErr = true
			return tea.Quit
		}
		if len(msg.errs) > 0 {
			m.setError("skipped: " + strings.Join(msg.errs, "; "))
		}
		if m.opts.Guided {
			m.startGuide()
		}
		cmds := []tea.Cmd{m.pollCmd()}
		pending := m.pending
		m.pending = nil
		for _, k := range pending {
			m.refresh() // keys act on the layout the user saw
			cmds = append(cmds, m.update(k))
		}
		return tea.Batch(cmds...)
	case effectMsg:
		if m.effects != nil {
			m.effects[msg.key] = msg.text
			m.effectsIn++
		}
		return nil
	case pollMsg:
		return tea.Batch(m.checkDiskCmd(), m.pollCmd())
	case diskMsg:
		if msg.idx < len(m.sessions) && m.sessions[msg.idx].Stamp == msg.stamp {
			m.sessions[msg.idx].Changed = msg.changed
		}
		return nil
	case writeDoneMsg:
		m.busy = false
		return m.finishWrites(msg)
	case guideWrittenMsg:
		return m.guideWritten(msg)
	case pinnedMsg:
		return m.pinned(msg)
	case reloadMsg:
		m.busy = false
		s := m.sessions[msg.idx]
		if msg.err != nil {
			m.setError(fmt.Sprintf("reload failed: %v", msg.err))
			return nil
		}
		kept, lost := s.Install(msg.doc, msg.stamp, msg.keep)
		v := m.views[msg.idx]
		v.decided = map[int]bool{}
		m.refilter(msg.idx)
		switch {
		case msg.keep && lost > 0:
			m.setStatus(fmt.Sprintf("reloaded %s: kept %d %s, %d no longer %s", s.Path, kept, plural(kept, "choice", "choices"), lost, plural(lost, "applies", "apply")))
		case msg.keep:
			m.setStatus(fmt.Sprintf("reloaded %s: kept %d %s", s.Path, kept, plural(kept, "choice", "choices")))
		default:
			m.setStatus("reloaded " + s.Path)
		}
		return nil
	case tea.MouseMsg:
		return m.mouse(msg)
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && m.mode != modeFilter {
			// Bubble Tea delivers runes typed faster than a frame (jjj) in
			// one message: each is a key press of its own.
			return m.eachRune(msg)
		}
		if key.Matches(msg, m.keys.ForceQuit) {
			return tea.Quit
		}
		if !m.loaded {
			// Keys typed while the files load are kept and replayed, so a
			// fast typist (or a script) loses nothing.
			m.pending = append(m.pending, msg)
			return nil
		}
		switch m.mode {
		case modeFilter:
			return m.filterKey(msg)
		case modeConfirm:
			return m.confirmKey(msg)
		case modeExplain:
			return m.explainKey(msg)
		case modeHelp:
			return m.helpKeyMsg(msg)
		case modeGuide:
			return m.guideKey(msg)
		}
		return m.normalKey(msg)
	}
	return nil
}

// eachRune handles a message of several runes as that many key presses,
// each on the layout the one before left.
func (m *Model) eachRune(msg tea.KeyMsg) tea.Cmd {
	var cmds []tea.Cmd
	for k, r := range msg.Runes {
		if k > 0 && m.loaded {
			m.refresh()
		}
		cmds = append(cmds, m.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
	}
	return tea.Batch(cmds...)
}

func (m *Model) setStatus(s string) { m.status, m.statusErr = s, false }
func (m *Model) setError(s string)  { m.status, m.statusErr = s, true }

// refilter recomputes which findings of file i the list shows.
func (m *Model) refilter(i int) {
	v, s := m.views[i], m.sessions[i]
	v.gen = s.Gen
	v.visible = v.visible[:0]
	for j := range s.Findings {
		if v.filter == "" || s.Matches(j, v.filter) {
			v.visible = append(v.visible, j)
		}
	}
	if v.cursor >= len(v.visible) {
		v.cursor = max(0, len(v.visible)-1)
	}
}

// current is the index (in Findings) of the finding under the cursor, or -1.
func (m *Model) current() int {
	if m.view().gen != m.Session().Gen {
		m.refilter(m.cur) // the fixes of later rounds came or went
	}
	v := m.view()
	if len(v.visible) == 0 {
		return -1
	}
	return v.visible[v.cursor]
}

func (m *Model) move(delta int) {
	v := m.view()
	if len(v.visible) == 0 {
		return
	}
	v.cursor = min(max(v.cursor+delta, 0), len(v.visible)-1)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ExitNote explains an exit that was not the user's choice (nothing
// could be loaded), for the CLI to print after the screen is restored.
func (m *Model) ExitNote() string {
	if m.loaded && len(m.sessions) == 0 {
		return "dockdoc: " + m.status
	}
	return ""
}

// View pastes the frame built in Update; it computes nothing.
func (m *Model) View() string { return m.frame }
