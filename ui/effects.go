package ui

// What the current finding's fixes change in the image, shown under each
// alternative in the explanation: computed off the UI thread, once per
// fix, by BuildKit's conversion of the file before and after the fix
// alone (diagnose/effects).

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/effects"
	"github.com/dockdoc/dockdoc/fixes"
)

// effectMsg brings one fix's effect back from its command.
type effectMsg struct {
	key, text string
}

// effectKey names a fix of a finding of a document (a reload or a write
// makes a new Document, whose effects are asked for again).
func effectKey(d *diagnose.Document, f *diagnose.Finding, alt int) string {
	return fmt.Sprintf("%p/%s/%d", d, f.ID(), alt)
}

// effectCmd starts the effects of the current finding's fixes not yet
// known. Composing the fix alone happens here, in Update (the document's
// caches are not safe to share with a goroutine); the conversion, the
// slow part, runs in the command on bytes alone.
func (m *Model) effectCmd() tea.Cmd {
	if !m.loaded || m.tab != tabExplain {
		return nil
	}
	i := m.current()
	if i < 0 {
		return nil
	}
	s := m.Session()
	f := &s.Findings[i]
	doc := s.DocFor(i) // a fix of a later round: the file that round saw
	var cmds []tea.Cmd
	for alt, fx := range f.Fixes {
		if fx.Manual || fx.Applicability == fixes.DisplayOnly {
			continue
		}
		key := effectKey(doc, f, alt)
		if _, asked := m.effects[key]; asked {
			continue
		}
		if m.effects == nil {
			m.effects = map[string]string{}
		}
		c := diagnose.Compose(doc, []diagnose.Choice{{Finding: f, Alt: alt}})
		if len(c.Outcomes) == 1 && c.Outcomes[0].Status.Kind != fixes.Applied {
			m.effects[key] = "refused: " + c.Outcomes[0].Reason
			m.effectsIn++
			continue
		}
		m.effects[key] = "" // asked; the text comes with effectMsg
		path, src, out := doc.Path, doc.Src, c.Out
		cmds = append(cmds, func() tea.Msg {
			e, err := effects.Of(path, src, out)
			if err != nil {
				return effectMsg{key, "effect on the image unknown: " + err.Error()}
			}
			return effectMsg{key, e.Summary()}
		})
	}
	return tea.Batch(cmds...)
}
