package ui

import (
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/fixes"
)

// The commands that read the files off the UI's path (the first load, the
// periodic check for changes on disk, a reload) and the messages they
// send back to Update.

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
			d.Ctx = buildctx.For(p, opts.ContextDir)
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

// reloadCmd re-reads file j in a command.
func (m *Model) reloadCmd(j int, keep bool) tea.Cmd {
	m.busy = true
	path, fsys := m.sessions[j].Path, m.opts.FS
	return func() tea.Msg {
		doc, st, err := diagnose.Load(fsys, path)
		return reloadMsg{idx: j, doc: doc, stamp: st, err: err, keep: keep}
	}
}
