package ui

import (
	"errors"
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
}

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
	styles *Styles
	help   help.Model
	filter textinput.Model
	detail scroller
	full   viewport.Model

	width, height int
	lay           layout
	status        string
	statusErr     bool
	busy          bool

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
	m := &Model{opts: opts, paths: paths, keys: DefaultKeyMap(), styles: NewStyles(DefaultTheme())}
	m.help = help.New()
	m.filter = textinput.New()
	m.filter.Prompt = "/"
	m.filter.Placeholder = "text, code (DD005, DL3014) or severity"
	m.full = viewport.New(0, 0)
	m.frame = "Loading…"
	return m
}

// Messages.
type (
	loadedMsg struct {
		sessions []*Session
		errs     []string
	}
	writeDoneMsg struct {
		idx []int
		res []WriteResult
	}
	reloadMsg struct {
		idx   int
		doc   *diagnose.Document
		stamp fixes.Stamp
		err   error
		keep  bool
	}
	diskMsg struct {
		idx     int
		stamp   fixes.Stamp
		changed bool
	}
	pollMsg struct{}
)

// Init loads every file in a command, off the UI's path.
func (m *Model) Init() tea.Cmd {
	paths, opts := m.paths, m.opts
	return func() tea.Msg {
		var msg loadedMsg
		for _, p := range paths {
			d := opts.Diag
			d.Ctx = diagnose.ContextFor(p, opts.ContextDir)
			d.SuppressFix = true // "suppress here" is one of the alternatives c cycles through
			var cfg *diagnose.Config
			var err error
			if opts.ConfigPath != "" {
				cfg, err = diagnose.LoadConfig(opts.ConfigPath)
			} else {
				cfg, err = diagnose.FindConfig(p)
			}
			if err != nil {
				msg.errs = append(msg.errs, err.Error())
				continue
			}
			d.Config = cfg
			s, err := Load(opts.FS, p, d)
			if err != nil {
				msg.errs = append(msg.errs, err.Error())
				continue
			}
			msg.sessions = append(msg.sessions, s)
		}
		return msg
	}
}

func (m *Model) pollCmd() tea.Cmd {
	if m.opts.DiskPoll < 0 {
		return nil
	}
	return tea.Tick(m.opts.DiskPoll, func(time.Time) tea.Msg { return pollMsg{} })
}

// checkDiskCmd compares each file with its stamp, in a command.
func (m *Model) checkDiskCmd() tea.Cmd {
	var cmds []tea.Cmd
	fsys := m.opts.FS
	for i, s := range m.sessions {
		i, st := i, s.Stamp
		cmds = append(cmds, func() tea.Msg {
			return diskMsg{idx: i, stamp: st, changed: errors.Is(fixes.Check(fsys, st), fixes.ErrChanged)}
		})
	}
	return tea.Batch(cmds...)
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
			if key.Matches(msg, m.keys.Help, m.keys.Back, m.keys.Quit) {
				m.mode = modeNormal
			}
			return nil
		case modeGuide:
			return m.guideKey(msg)
		}
		return m.normalKey(msg)
	}
	return nil
}

func (m *Model) setStatus(s string) { m.status, m.statusErr = s, false }
func (m *Model) setError(s string)  { m.status, m.statusErr = s, true }

// refilter recomputes which findings of file i the list shows.
func (m *Model) refilter(i int) {
	v, s := m.views[i], m.sessions[i]
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

func (m *Model) normalKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	s := m.Session()
	v := m.view()
	if m.busy && !key.Matches(msg, k.Quit, k.Help) {
		m.setStatus("writing… one moment")
		return nil
	}
	// Keys that scroll the detail pane when it has the focus.
	if m.focus == paneDetail {
		switch {
		case key.Matches(msg, k.Up):
			m.detail.ScrollUp(1)
			return nil
		case key.Matches(msg, k.Down):
			m.detail.ScrollDown(1)
			return nil
		case key.Matches(msg, k.PageUp):
			m.detail.PageUp()
			return nil
		case key.Matches(msg, k.PageDown):
			m.detail.PageDown()
			return nil
		case key.Matches(msg, k.Top):
			m.detail.GotoTop()
			return nil
		case key.Matches(msg, k.Bottom):
			m.detail.GotoBottom()
			return nil
		}
	}
	i := m.current()
	if i >= 0 && !k.Toggle.Enabled() && (msg.String() == " " || msg.String() == "y") {
		m.setError(fmt.Sprintf("%s has no automatic fix; enter explains what to do by hand", s.Findings[i].Rule.Code))
		return nil
	}
	switch {
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-max(1, m.lay.listRows-1))
	case key.Matches(msg, k.PageDown):
		m.move(max(1, m.lay.listRows-1))
	case key.Matches(msg, k.Top):
		v.cursor = 0
	case key.Matches(msg, k.Bottom):
		v.cursor = max(0, len(v.visible)-1)
	case key.Matches(msg, k.Toggle):
		if i >= 0 {
			v.decided[i] = true
			m.report(s.Toggle(i), i)
		}
	case key.Matches(msg, k.Yes), key.Matches(msg, k.No):
		if i >= 0 {
			on := key.Matches(msg, k.Yes)
			err := s.Set(i, on)
			if err == nil || errors.Is(err, ErrNoFix) || !on {
				v.decided[i] = true
			}
			m.report(err, i)
			if err == nil {
				m.nextUndecided()
			}
		}
	case key.Matches(msg, k.Cycle):
		if i >= 0 {
			if err := s.Cycle(i); err != nil {
				m.setError(err.Error())
			} else {
				f := s.Findings[i]
				m.setStatus(fmt.Sprintf("alternative %d of %d: %s", s.Alt(i)+1, len(f.Fixes), f.Fixes[s.Alt(i)].Title))
			}
		}
	case key.Matches(msg, k.AllSafe):
		idx := s.Fixable(fixes.Safe)
		on := !s.AllOn(idx)
		changed, skipped, err := s.SetMany(idx, on, fixes.Safe)
		switch {
		case err != nil:
			m.setError(err.Error())
		case !on:
			m.setStatus(fmt.Sprintf("turned %d safe fixes off", changed))
		case skipped > 0:
			m.setStatus(fmt.Sprintf("turned on %d safe fixes; %d left off because they conflict with fixes already on", changed, skipped))
		default:
			m.setStatus(fmt.Sprintf("turned on %d safe fixes", changed))
		}
	case key.Matches(msg, k.All):
		idx := s.Fixable(fixes.Unsafe)
		var unsafe []string
		for _, j := range idx {
			if s.Selected(j) < 0 && best(s.Findings[j]) == fixes.Unsafe {
				f := s.Findings[j]
				unsafe = append(unsafe, fmt.Sprintf("line %-4d %s  %s", f.Line, f.Rule.Code, f.Fixes[firstApplicable(f)].Title))
			}
		}
		m.ask(&confirm{
			title: fmt.Sprintf("Turn on every fix, including %d unsafe ones? Unsafe fixes may change what the build does.", len(unsafe)),
			lines: unsafe,
			keys:  []key.Binding{k.Confirm, k.Cancel},
			yes: func(m *Model) tea.Cmd {
				changed, skipped, err := m.Session().SetMany(idx, true, fixes.Unsafe)
				if err != nil {
					m.setError(err.Error())
				} else {
					m.setStatus(fmt.Sprintf("turned on %d fixes (%d skipped: conflicts)", changed, skipped))
				}
				return nil
			},
		})
	case key.Matches(msg, k.Undo):
		if s.Undo() {
			m.setStatus("undone")
		} else {
			m.setStatus("nothing to undo")
		}
	case key.Matches(msg, k.Redo):
		if s.Redo() {
			m.setStatus("redone")
		} else {
			m.setStatus("nothing to redo")
		}
	case key.Matches(msg, k.Explain):
		if i >= 0 {
			m.mode = modeExplain
			m.full.GotoTop()
		}
	case key.Matches(msg, k.Back):
		if v.filter != "" {
			v.filter = ""
			m.refilter(m.cur)
			m.setStatus("filter cleared")
		}
	case key.Matches(msg, k.Focus):
		m.focus = 1 - m.focus
	case key.Matches(msg, k.ExplainTab):
		m.tab = tabExplain
	case key.Matches(msg, k.DiffTab):
		m.tab = tabDiff
	case key.Matches(msg, k.Filter):
		m.mode = modeFilter
		m.filter.SetValue(v.filter)
		m.filter.CursorEnd()
		return m.filter.Focus()
	case key.Matches(msg, k.Write):
		return m.askWrite([]int{m.cur})
	case key.Matches(msg, k.WriteAll):
		var idx []int
		for j, s2 := range m.sessions {
			if s2.Dirty() {
				idx = append(idx, j)
			}
		}
		return m.askWrite(idx)
	case key.Matches(msg, k.Reload):
		return m.reloadCmd(m.cur, s.Dirty())
	case key.Matches(msg, k.NextFile):
		if len(m.sessions) > 1 {
			m.cur = (m.cur + 1) % len(m.sessions)
		}
	case key.Matches(msg, k.PrevFile):
		if len(m.sessions) > 1 {
			m.cur = (m.cur + len(m.sessions) - 1) % len(m.sessions)
		}
	case key.Matches(msg, k.Guide):
		m.startGuide()
	case key.Matches(msg, k.Pin):
		return m.askPin()
	case key.Matches(msg, k.Help):
		m.mode = modeHelp
	case key.Matches(msg, k.Quit):
		var dirty []string
		for _, s2 := range m.sessions {
			if s2.Dirty() {
				on, _ := s2.Counts()
				dirty = append(dirty, fmt.Sprintf("%s: %d %s on, not written", s2.Path, on, plural(on, "fix", "fixes")))
			}
		}
		if len(dirty) == 0 {
			return tea.Quit
		}
		m.ask(&confirm{
			title: "Quit without writing? The fixes you turned on will be lost.",
			lines: dirty,
			keys:  []key.Binding{k.Confirm, k.Cancel},
			yes:   func(*Model) tea.Cmd { return tea.Quit },
		})
	}
	return nil
}

// best is the safest applicable fix a finding offers.
func best(f diagnose.Finding) fixes.Applicability {
	b := fixes.DisplayOnly
	for _, fx := range f.Fixes {
		if !fx.Manual {
			b = max(b, fx.Applicability)
		}
	}
	return b
}

// report shows the result of a selection change in the status line.
func (m *Model) report(err error, i int) {
	s := m.Session()
	if err != nil {
		m.setError(err.Error())
		return
	}
	f := s.Findings[i]
	if a := s.Selected(i); a >= 0 {
		m.setStatus(fmt.Sprintf("%s on: %s (%s)", f.Rule.Code, f.Fixes[a].Title, f.Fixes[a].Applicability))
	} else {
		m.setStatus(fmt.Sprintf("%s off", f.Rule.Code))
	}
}

// nextUndecided moves the cursor to the next finding with a fix that the
// user has not turned on or off yet (wrapping around).
func (m *Model) nextUndecided() {
	v, s := m.view(), m.Session()
	n := len(v.visible)
	for step := 1; step <= n; step++ {
		c := (v.cursor + step) % n
		j := v.visible[c]
		if !v.decided[j] && best(s.Findings[j]) > fixes.DisplayOnly {
			v.cursor = c
			return
		}
	}
	m.setStatus(m.status + " · every finding with a fix is decided; w writes")
}

func (m *Model) ask(c *confirm) {
	m.confirm = c
	m.mode = modeConfirm
}

// askWrite confirms a write of the given files, listing what will change.
func (m *Model) askWrite(idx []int) tea.Cmd {
	var lines []string
	total := 0
	for _, j := range idx {
		s := m.sessions[j]
		if !s.Dirty() {
			continue
		}
		sum := s.Summary()
		total += len(sum)
		lines = append(lines, s.Path+":")
		for _, l := range sum {
			lines = append(lines, "  "+l)
		}
	}
	if total == 0 {
		m.setError("nothing to write: no fix is on (space toggles one, a turns on all safe fixes)")
		return nil
	}
	files := 0
	for _, j := range idx {
		if m.sessions[j].Dirty() {
			files++
		}
	}
	m.ask(&confirm{
		title: fmt.Sprintf("Write %d %s to %d %s?", total, plural(total, "change", "changes"), files, plural(files, "file", "files")),
		lines: lines,
		keys:  []key.Binding{m.keys.Confirm, m.keys.Cancel},
		yes:   func(m *Model) tea.Cmd { return m.writeCmd(idx) },
	})
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// writeCmd writes the files in a command; the sessions are only touched
// again in Update when writeDoneMsg arrives.
func (m *Model) writeCmd(idx []int) tea.Cmd {
	type job struct {
		path   string
		stamp  fixes.Stamp
		out    []byte
		others []diagnose.OtherFile
		dirty  bool
	}
	var jobs []job
	var which []int
	for _, j := range idx {
		s := m.sessions[j]
		if !s.Dirty() {
			continue
		}
		jobs = append(jobs, job{s.Path, s.Stamp, s.Composed.Out, s.Composed.Others, true})
		which = append(which, j)
	}
	m.busy = true
	m.setStatus("writing…")
	fsys := m.opts.FS
	var optsList []diagnose.Options
	for _, j := range which {
		optsList = append(optsList, m.sessions[j].opts)
	}
	return func() tea.Msg {
		msg := writeDoneMsg{idx: which}
		for k, jb := range jobs {
			msg.res = append(msg.res, WriteFile(fsys, jb.path, jb.stamp, jb.out, jb.others, jb.dirty, optsList[k]))
		}
		return msg
	}
}

func (m *Model) finishWrites(msg writeDoneMsg) tea.Cmd {
	var done, failed []string
	var changed []int
	for k, j := range msg.idx {
		s := m.sessions[j]
		n, err := s.Finish(msg.res[k])
		m.views[j].decided = map[int]bool{}
		m.refilter(j)
		if err != nil {
			if errors.Is(err, fixes.ErrChanged) {
				changed = append(changed, j)
			}
			failed = append(failed, err.Error())
			continue
		}
		line := fmt.Sprintf("wrote %d %s to %s; %d %s remain", n, plural(n, "fix", "fixes"), s.Path, len(s.Findings), plural(len(s.Findings), "finding", "findings"))
		done = append(done, line)
		m.Wrote = append(m.Wrote, line)
	}
	if len(changed) > 0 {
		j := changed[0]
		m.cur = j
		m.ask(&confirm{
			title: m.sessions[j].Path + " changed on disk since dockdoc read it. Nothing was written.",
			lines: []string{"r: reload it and keep the choices that still apply", "esc: cancel and keep working on what dockdoc read"},
			keys:  []key.Binding{m.keys.ReloadKeep, m.keys.Cancel},
			reload: func(m *Model) tea.Cmd {
				return m.reloadCmd(j, true)
			},
		})
		return nil
	}
	if len(failed) > 0 {
		m.setError(strings.Join(append(done, failed...), " · "))
		return nil
	}
	m.setStatus(strings.Join(done, " · "))
	return nil
}

// reloadCmd re-reads file j in a command.
func (m *Model) reloadCmd(j int, keep bool) tea.Cmd {
	m.busy = true
	path, fsys := m.sessions[j].Path, m.opts.FS
	return func() tea.Msg {
		doc, st, err := diagnose.Load(fsys, path)
		return reloadMsg{idx: j, doc: doc, stamp: st, err: err, keep: keep}
	}
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
	k := m.keys
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
