package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/fixes"
)

// Guide is guided mode, for teaching and step-by-step migration: the
// findings one at a time in lesson order, each with its explanation and
// the diff of just its fix, accepted or skipped like `git add -p`. An
// accepted fix is applied to a working copy at once, and the copy is
// diagnosed again, so later lessons see the earlier changes. It has no
// terminal dependencies; the tea side only routes keys and renders.
type Guide struct {
	Path    string
	Stamp   fixes.Stamp // of the file on disk, for the write
	Buffer  *diagnose.Document
	opts    diagnose.Options
	skipped map[string]bool // lessons skipped, by rule + message
	history []guideStep
	// Current is the finding being taught (nil when the lesson is over).
	Current  *diagnose.Finding
	Step     int // 1-based number of the current lesson
	Accepted []string
	Skipped  []string
	// Left is how many findings are still to be taught.
	Left int
	// Others are the other context files the accepted fixes change.
	Others []diagnose.OtherFile
}

type guideStep struct {
	buffer   *diagnose.Document
	skipped  map[string]bool
	accepted int
	skippedN int
	step     int
	others   []diagnose.OtherFile
	ctx      *buildctx.Context
}

// NewGuide starts a lesson on src (the file as it would be written with
// the fixes already on in the main view).
func NewGuide(path string, src []byte, st fixes.Stamp, opts diagnose.Options) (*Guide, error) {
	doc, err := diagnose.Parse(path, src)
	if err != nil {
		return nil, err
	}
	g := &Guide{Path: path, Stamp: st, Buffer: doc, opts: opts, skipped: map[string]bool{}, Step: 1}
	g.next()
	return g, nil
}

func lessonKey(f diagnose.Finding) string { return f.Rule.Code + "\x00" + f.Message }

// next picks the first finding, in lesson order, not yet skipped.
func (g *Guide) next() {
	fs := diagnose.Run(g.Buffer, g.opts)
	g.Current = nil
	g.Left = 0
	for _, i := range LessonOrder(fs) {
		if !g.skipped[lessonKey(fs[i])] {
			g.Left++
			if g.Current == nil {
				f := fs[i]
				g.Current = &f
			}
		}
	}
}

// Fix is the fix the lesson offers for the current finding (the first
// that can be applied), or nil.
func (g *Guide) Fix() *fixes.Fix {
	if g.Current == nil {
		return nil
	}
	for i, fx := range g.Current.Fixes {
		if fx.Applicability > fixes.DisplayOnly && !fx.Manual {
			return &g.Current.Fixes[i]
		}
	}
	return nil
}

// Preview is the file with just the current fix applied.
func (g *Guide) Preview() []byte { return g.preview().Out }

func (g *Guide) preview() diagnose.Composed {
	fx := g.Fix()
	if fx == nil {
		return diagnose.Composed{Out: g.Buffer.Src}
	}
	alt := 0
	for i := range g.Current.Fixes {
		if &g.Current.Fixes[i] == fx {
			alt = i
		}
	}
	return diagnose.Compose(g.Buffer, []diagnose.Choice{{Finding: g.Current, Alt: alt}})
}

func (g *Guide) push() {
	sk := make(map[string]bool, len(g.skipped))
	for k, v := range g.skipped {
		sk[k] = v
	}
	g.history = append(g.history, guideStep{g.Buffer, sk, len(g.Accepted), len(g.Skipped), g.Step, append([]diagnose.OtherFile(nil), g.Others...), g.opts.Ctx})
}

// Accept applies the current fix to the working copy and moves on.
func (g *Guide) Accept() error {
	fx := g.Fix()
	if fx == nil {
		return fmt.Errorf("this finding has no fix to apply; n moves on")
	}
	c := g.preview()
	doc, err := diagnose.Parse(g.Path, c.Out)
	if err != nil || doc.ParseErr != nil {
		return fmt.Errorf("the fix would break the file; skipped (a bug in rule %s)", g.Current.Rule.Code)
	}
	g.push()
	for _, of := range c.Others {
		g.addOther(of)
		g.opts.Ctx = g.opts.Ctx.WithFile(of.Path, of.After)
	}
	g.Accepted = append(g.Accepted, fmt.Sprintf("%s line %d: %s", g.Current.Rule.Code, g.Current.Line, fx.Title))
	g.Buffer = doc
	g.Step++
	g.next()
	return nil
}

// Skip leaves the current finding as it is and moves on.
func (g *Guide) Skip() {
	if g.Current == nil {
		return
	}
	g.push()
	g.skipped[lessonKey(*g.Current)] = true
	g.Skipped = append(g.Skipped, fmt.Sprintf("%s line %d: %s", g.Current.Rule.Code, g.Current.Line, g.Current.Message))
	g.Step++
	g.next()
}

// Back returns to the previous lesson, undoing what was decided there.
func (g *Guide) Back() bool {
	if len(g.history) == 0 {
		return false
	}
	h := g.history[len(g.history)-1]
	g.history = g.history[:len(g.history)-1]
	g.Buffer, g.skipped, g.Step = h.buffer, h.skipped, h.step
	g.Others, g.opts.Ctx = h.others, h.ctx
	g.Accepted, g.Skipped = g.Accepted[:h.accepted], g.Skipped[:h.skippedN]
	g.next()
	return true
}

// addOther records an accepted change to another file, keeping the first
// Before so the write checks the file on disk.
func (g *Guide) addOther(of diagnose.OtherFile) {
	for i := range g.Others {
		if g.Others[i].Path == of.Path {
			g.Others[i].After = of.After
			return
		}
	}
	g.Others = append(g.Others, of)
}

// Changed reports whether the working copy differs from the file on disk.
func (g *Guide) Changed(disk []byte) bool {
	return string(g.Buffer.Src) != string(disk) || len(g.Others) > 0
}

// guide is the tea-side state of guided mode.
type guide struct {
	g       *Guide
	origSrc []byte // what the file was when the lesson started
	view    viewport.Model
	explain bool // show the full explanation instead of the short one
	key     string
}

func (m *Model) startGuide() {
	s := m.Session()
	g, err := NewGuide(s.Path, s.Composed.Out, s.Stamp, s.opts)
	if err != nil {
		m.setError(err.Error())
		return
	}
	m.guide = &guide{g: g, origSrc: s.Doc.Src, view: viewport.New(0, 0)}
	m.mode = modeGuide
	m.setStatus("guided lesson: y apply · n skip · b back · e explain more · w write · q leave")
}

func (m *Model) guideKey(msg tea.KeyMsg) tea.Cmd {
	gd := m.guide
	g := gd.g
	k := m.keys
	switch {
	case key.Matches(msg, k.Yes):
		if err := g.Accept(); err != nil {
			m.setError(err.Error())
		} else {
			m.setStatus("applied; next lesson")
		}
	case key.Matches(msg, k.No):
		g.Skip()
		m.setStatus("skipped")
	case msg.String() == "b":
		if !g.Back() {
			m.setStatus("this is the first lesson")
		} else {
			m.setStatus("back one lesson")
		}
	case key.Matches(msg, k.ExplainTab), key.Matches(msg, k.Explain):
		gd.explain = !gd.explain
	case key.Matches(msg, k.Up):
		gd.view.ScrollUp(1)
	case key.Matches(msg, k.Down):
		gd.view.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		gd.view.PageUp()
	case key.Matches(msg, k.PageDown), key.Matches(msg, k.Toggle):
		gd.view.PageDown()
	case key.Matches(msg, k.Write):
		if !g.Changed(gd.origSrc) {
			m.setError("nothing to write: no fix accepted yet")
			return nil
		}
		m.ask(&confirm{
			title: fmt.Sprintf("Write the %d accepted %s to %s?", len(g.Accepted), plural(len(g.Accepted), "fix", "fixes"), g.Path),
			lines: g.Accepted,
			keys:  []key.Binding{k.Confirm, k.Cancel},
			yes:   func(m *Model) tea.Cmd { return m.guideWriteCmd() },
		})
		m.confirm.back = modeGuide
	case key.Matches(msg, k.Quit), key.Matches(msg, k.Back):
		if g.Changed(gd.origSrc) {
			m.ask(&confirm{
				title: fmt.Sprintf("Leave the lesson without writing the %d accepted %s?", len(g.Accepted), plural(len(g.Accepted), "fix", "fixes")),
				lines: g.Accepted,
				keys:  []key.Binding{k.Confirm, k.Cancel},
				yes:   func(m *Model) tea.Cmd { return m.leaveGuide() },
			})
			m.confirm.back = modeGuide
			return nil
		}
		return m.leaveGuide()
	}
	return nil
}

func (m *Model) leaveGuide() tea.Cmd {
	m.guide = nil
	m.mode = modeNormal
	if m.opts.Guided {
		return tea.Quit
	}
	m.setStatus("left the guided lesson")
	return nil
}

type guideWrittenMsg struct{ res WriteResult }

func (m *Model) guideWriteCmd() tea.Cmd {
	g := m.guide.g
	fsys, opts := m.opts.FS, m.Session().opts
	path, st, out, others := g.Path, m.Session().Stamp, g.Buffer.Src, g.Others
	m.busy = true
	return func() tea.Msg { return guideWrittenMsg{WriteFile(fsys, path, st, out, others, true, opts)} }
}

func (m *Model) guideWritten(msg guideWrittenMsg) tea.Cmd {
	m.busy = false
	s := m.Session()
	accepted := len(m.guide.g.Accepted)
	files := filesChanged(s.Path, s.Doc.Src, m.guide.g.Buffer.Src, m.guide.g.Others)
	if _, err := s.Finish(msg.res); err != nil {
		m.setError(err.Error())
		return nil
	}
	m.refilter(m.cur)
	line := wroteLine(accepted, files, len(s.Findings))
	m.Wrote = append(m.Wrote, line)
	m.setStatus(line)
	// Carry on from the written file, keeping what was skipped.
	g := m.guide.g
	ng, err := NewGuide(s.Path, s.Doc.Src, s.Stamp, s.opts)
	if err != nil {
		m.setError(err.Error())
		return nil
	}
	ng.skipped, ng.Skipped, ng.Step = g.skipped, g.Skipped, g.Step
	ng.next()
	m.guide.g, m.guide.origSrc = ng, s.Doc.Src
	return nil
}

// renderGuide draws guided mode: progress, the lesson, the diff of its fix.
func (m *Model) renderGuide() string {
	gd, st := m.guide, m.styles
	g := gd.g
	w := m.width
	header := fmt.Sprintf("%s %s · lesson %d · %d to go · %d applied, %d skipped",
		st.Title.Render("dockdoc guide"), st.Bold.Render(g.Path), g.Step, g.Left, len(g.Accepted), len(g.Skipped))
	bodyH := m.height - 2
	gd.view.Width, gd.view.Height = w, bodyH
	key := fmt.Sprintf("%d/%d/%p/%v", g.Step, w, g.Buffer, gd.explain)
	if key != gd.key {
		gd.key = key
		gd.view.SetContent(m.guideContent(w))
		gd.view.GotoTop()
	}
	return ansi.Truncate(header, w, "…") + "\n" + gd.view.View() + "\n" + m.renderStatus()
}

// guideContent renders the current lesson (or the summary) at width w.
func (m *Model) guideContent(w int) string {
	gd, st := m.guide, m.styles
	g := gd.g
	var b strings.Builder
	if g.Current == nil {
		b.WriteString(st.Heading.Render("The lesson is over.") + "\n\n")
		fmt.Fprintf(&b, "Applied %d %s, skipped %d.\n", len(g.Accepted), plural(len(g.Accepted), "fix", "fixes"), len(g.Skipped))
		for _, a := range g.Accepted {
			b.WriteString("  ✓ " + a + "\n")
		}
		for _, s := range g.Skipped {
			b.WriteString("  – " + s + "\n")
		}
		if g.Changed(gd.origSrc) {
			b.WriteString("\nw writes the applied fixes · b goes back · q leaves without writing\n")
		} else {
			b.WriteString("\nNothing to write. b goes back · q leaves\n")
		}
	} else {
		f := *g.Current
		r := f.Rule
		sev := f.Severity.String() // the finding's, as the list shows it
		fmt.Fprintf(&b, "%s %s · %s · %s\n", st.Heading.Render(r.Code+" "+r.Name), st.Severity[sev].Render(sev), r.Category, r.Summary)
		b.WriteString(wrapText(fmt.Sprintf("Line %d: %s", f.Line, f.Message), w-2) + "\n\n")
		b.WriteString(st.Bold.Render("Why it matters") + "\n" + wrapText(r.Doc.Why, w-2) + "\n")
		if gd.explain {
			b.WriteString("\n" + st.Bold.Render("What it checks") + "\n" + wrapText(r.Doc.What, w-2) + "\n")
			b.WriteString("\n" + st.Bold.Render("Bad") + "\n" + indent(r.Doc.Bad, "  ") + "\n")
			b.WriteString("\n" + st.Bold.Render("Good") + "\n" + indent(r.Doc.Good, "  ") + "\n")
			b.WriteString("\n" + st.Bold.Render("The fix") + "\n" + wrapText(r.Doc.Fix, w-2) + "\n")
		}
		b.WriteString("\n")
		if fx := g.Fix(); fx != nil {
			fmt.Fprintf(&b, "%s %s [%s]\n", st.Bold.Render("Fix:"), fx.Title, fx.Applicability)
			if fx.Note != "" {
				b.WriteString(st.Faint.Render(wrapText(fx.Note, w-2)) + "\n")
			}
			for _, h := range fixes.Hunks(g.Buffer.Src, g.Preview(), 2) {
				b.WriteString(st.Hunk.Render(fmt.Sprintf("@@ line %d @@", h.FromLine)) + "\n")
				for _, l := range h.Lines {
					text := ansi.Truncate(expandTabs(string(l.Kind)+strings.TrimRight(l.Content, "\r\n")), w, "…")
					switch l.Kind {
					case '+':
						b.WriteString(st.Added.Render(text) + "\n")
					case '-':
						b.WriteString(st.Removed.Render(text) + "\n")
					default:
						b.WriteString(text + "\n")
					}
				}
			}
			b.WriteString("\n" + st.Faint.Render("y apply · n skip · b back · e explain more · w write · q leave") + "\n")
		} else {
			b.WriteString(st.Faint.Render("No automatic fix for this one: "+wrapText(r.Doc.Fix, w-2)) + "\n")
			b.WriteString("\n" + st.Faint.Render("n next · b back · e explain more · w write · q leave") + "\n")
		}
	}
	return b.String()
}
