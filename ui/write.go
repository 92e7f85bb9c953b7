package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// Writing: the confirmation that lists what will change, the write in a
// command, and the outcome once writeDoneMsg arrives.

// askWrite confirms a write of the given files, listing what will change.
func (m *Model) askWrite(idx []int) tea.Cmd {
	var lines []string
	total, files := 0, 0
	for _, j := range idx {
		s := m.sessions[j]
		if !s.Dirty() {
			continue
		}
		sum := s.Summary()
		total += len(sum)
		files += len(filesChanged(s.Path, s.Doc.Src, s.Composed.Out, s.Composed.Others))
		lines = append(lines, s.Path+":")
		for _, l := range sum {
			lines = append(lines, "  "+l)
		}
		for _, of := range s.Composed.Others {
			if of.Create {
				lines = append(lines, "  creates "+of.Path)
			} else {
				lines = append(lines, "  changes "+of.Path)
			}
		}
	}
	if total == 0 {
		if len(idx) > 1 || len(m.sessions) > 1 {
			m.setError("nothing to write: no file has a fix on (space toggles one, a turns on all safe fixes)")
		} else {
			m.setError("nothing to write: no fix is on (space toggles one, a turns on all safe fixes)")
		}
		return nil
	}
	m.ask(&confirm{
		title: fmt.Sprintf("Write %d %s to %d %s?", total, plural(total, "change", "changes"), files, plural(files, "file", "files")),
		lines: lines,
		keys:  []key.Binding{m.keys.Confirm, m.keys.Cancel},
		yes:   func(m *Model) tea.Cmd { return m.writeCmd(idx) },
	})
	return nil
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
		files := filesChanged(s.Path, s.Doc.Src, s.Composed.Out, s.Composed.Others)
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
		line := wroteLine(n, files, len(s.Findings))
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

// filesChanged lists the files a write changes: the Dockerfile when its
// bytes change, then the other files its fixes edit or create.
func filesChanged(path string, src, out []byte, others []diagnose.OtherFile) []string {
	var files []string
	if string(src) != string(out) {
		files = append(files, path)
	}
	for _, of := range others {
		files = append(files, of.Path)
	}
	return files
}

// wroteLine is the status (and exit summary) of one write: "wrote 7 fixes
// to Dockerfile and .dockerignore; 3 findings remain".
func wroteLine(fixesN int, files []string, remain int) string {
	return fmt.Sprintf("wrote %d %s to %s; %d %s %s", fixesN, plural(fixesN, "fix", "fixes"), joinNames(files),
		remain, plural(remain, "finding", "findings"), plural(remain, "remains", "remain"))
}

// joinNames is "a", "a and b", "a, b and c".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return "no file"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
