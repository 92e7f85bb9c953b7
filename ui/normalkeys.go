package ui

import (
	"errors"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// Keys in normal mode, the list and detail panes: moving, turning fixes
// on and off, and starting the other modes and commands.

func (m *Model) normalKey(msg tea.KeyMsg) tea.Cmd {
	// Routed on bindings that are always enabled: m.keys's enabled state
	// only decides what the help bar shows, and a key with nothing to do
	// says so instead of doing nothing silently.
	k := m.route
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
	if i >= 0 && realFixes(s.Findings[i]) == 0 && (key.Matches(msg, k.Toggle) || key.Matches(msg, k.Yes)) {
		f := s.Findings[i]
		if s.Selected(i) >= 0 && key.Matches(msg, k.Toggle) {
			// The suppression comment c turned on: space turns it off.
			v.decided[i] = true
			m.report(s.Set(i, false), i)
			return nil
		}
		if len(f.Fixes) == 0 {
			m.setError(fmt.Sprintf("%s has no automatic fix; enter explains what to do by hand", f.Rule.Code))
		} else {
			m.setError("no fix for this finding; c adds a suppression comment")
		}
		return nil
	}
	if lf, ok := s.LaterAt(i); ok && (key.Matches(msg, k.Toggle) || key.Matches(msg, k.Yes) || key.Matches(msg, k.No)) {
		code := lf.Finding.Rule.Code
		if key.Matches(msg, k.Yes) {
			m.setStatus(fmt.Sprintf("%s is on: a fix of round %d; space turns it off", code, lf.Round))
			return nil
		}
		// Turned off, it leaves the list: the later rounds run without it.
		if err := s.Set(i, false); err != nil {
			m.setError(err.Error())
		} else {
			m.setStatus(fmt.Sprintf("%s off: %s (a fix of round %d; the later rounds now run without it; u undoes)", code, lf.Title(), lf.Round))
		}
		return nil
	}
	if i < 0 && (key.Matches(msg, k.Toggle) || key.Matches(msg, k.Yes) || key.Matches(msg, k.No) || key.Matches(msg, k.Cycle) || key.Matches(msg, k.Explain)) {
		if len(s.Findings) == 0 {
			m.setStatus("no findings: the file is clean")
		} else {
			m.setStatus("no finding matches the filter (esc clears it)")
		}
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
			if err == nil || errors.Is(err, ErrAlreadyOff) {
				m.nextUndecided()
			}
		}
	case key.Matches(msg, k.Cycle):
		if i >= 0 {
			f := s.Findings[i]
			if err := s.Cycle(i); err != nil {
				m.setError(err.Error())
			} else if realFixes(f) == 0 {
				v.decided[i] = true
				m.report(nil, i)
			} else {
				m.setStatus(fmt.Sprintf("alternative %d of %d: %s", s.Alt(i)+1, len(f.Fixes), f.Fixes[s.Alt(i)].Title))
			}
		}
	case key.Matches(msg, k.AllSafe):
		idx := s.Fixable(fixes.Safe)
		if len(idx) == 0 {
			m.setStatus("no finding has a safe fix to turn on")
			return nil
		}
		on := !s.AllOn(idx)
		changed, skipped, err := s.SetMany(idx, on, fixes.Safe)
		if err == nil && on && changed == 0 {
			// Every safe fix that can be on is on (the rest conflict with
			// fixes already on, e.g. after A): a toggles them off.
			if c, _, err2 := s.SetMany(idx, false, fixes.Safe); err2 == nil && c > 0 {
				changed, on = c, false
			}
		}
		switch {
		case err != nil:
			m.setError(err.Error())
		case on && changed == 0:
			m.setStatus(fmt.Sprintf("no safe fix left to turn on: %d %s with fixes already on", skipped, plural(skipped, "conflicts", "conflict")))
		case !on:
			m.setStatus(fmt.Sprintf("turned %d safe %s off", changed, plural(changed, "fix", "fixes")))
		case skipped > 0:
			m.setStatus(fmt.Sprintf("turned on %d safe %s; %d left off because %s with fixes already on", changed, plural(changed, "fix", "fixes"),
				skipped, plural(skipped, "it conflicts", "they conflict")))
		default:
			m.setStatus(fmt.Sprintf("turned on %d safe %s", changed, plural(changed, "fix", "fixes")))
		}
	case key.Matches(msg, k.All):
		if len(s.Fixable(fixes.Unsafe)) == 0 {
			m.setStatus("no finding has a fix to turn on")
			return nil
		}
		plan := s.PlanAll()
		if plan.Same(s) {
			m.setStatus("every fix dockdoc fix --unsafe would apply is already on; w writes")
			return nil
		}
		m.ask(&confirm{
			title: fmt.Sprintf("Turn on every fix, as dockdoc fix --unsafe does (%d more, %d unsafe)? Unsafe fixes may change what the build does.",
				len(plan.New), plan.NewUnsafe),
			lines: plan.New,
			keys:  []key.Binding{k.Confirm, k.Cancel},
			yes: func(m *Model) tea.Cmd {
				s := m.Session()
				on := s.ApplyAll(plan)
				rounds := 1
				for _, l := range s.Later {
					rounds = max(rounds, l.Round)
				}
				m.setStatus(fmt.Sprintf("%d %s on, in %d %s of fixing as dockdoc fix --unsafe does", on, plural(on, "fix", "fixes"), rounds, plural(rounds, "round", "rounds")))
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
	case key.Matches(msg, k.NextFile), key.Matches(msg, k.PrevFile):
		if len(m.sessions) < 2 {
			m.setStatus("only one Dockerfile is open; [ and ] move between files when there are several")
			return nil
		}
		step := 1
		if key.Matches(msg, k.PrevFile) {
			step = len(m.sessions) - 1
		}
		m.cur = (m.cur + step) % len(m.sessions)
	case key.Matches(msg, k.Guide):
		if len(s.Findings) == 0 {
			m.setStatus("nothing to teach: " + s.Path + " has no findings")
			return nil
		}
		m.startGuide()
	case key.Matches(msg, k.Pin):
		return m.askPin()
	case key.Matches(msg, k.Help):
		m.openHelp()
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
	if errors.Is(err, ErrAlreadyOff) {
		m.setStatus(fmt.Sprintf("%s: its fix is already off", s.Findings[i].Rule.Code))
		return
	}
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
