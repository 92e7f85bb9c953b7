package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// Minimum terminal size; below it the doctor asks for a bigger window.
const (
	minWidth  = 60
	minHeight = 15
	// wideWidth is where the detail pane moves beside the list.
	wideWidth = 100
)

// layout is a pure function of the terminal size and the chrome.
type layout struct {
	tooSmall         bool
	wide             bool
	headerH          int
	listW, listH     int
	listRows         int // finding rows (the list has a title line)
	detailX, detailY int
	detailW, detailH int
	listTop          int // first screen row of the list
	viewportH        int // detail rows under its tab bar
}

func computeLayout(w, h, headerH int) layout {
	l := layout{headerH: headerH}
	if w < minWidth || h < minHeight {
		l.tooSmall = true
		return l
	}
	body := h - headerH - 2 // status line + help bar
	l.listTop = headerH
	if w >= wideWidth {
		l.wide = true
		l.listW = min(max(w*2/5, 40), 72)
		l.listH = body
		l.detailX, l.detailY = l.listW+1, headerH
		l.detailW, l.detailH = w-l.listW-1, body
	} else {
		l.listW = w
		l.listH = max(5, body*2/5)
		l.detailX, l.detailY = 0, headerH+l.listH+1
		l.detailW, l.detailH = w, body-l.listH-1
	}
	l.listRows = l.listH - 1
	l.viewportH = max(1, l.detailH-1)
	return l
}

func (l layout) inList(x, y int) bool {
	return x < l.listW && y >= l.listTop && y < l.listTop+l.listH
}

// refresh recomputes everything View shows: layout, key states, the
// detail content (only when its inputs changed) and the frame.
func (m *Model) refresh() {
	if !m.loaded || m.width == 0 {
		if m.loaded && len(m.sessions) == 0 {
			m.frame = m.status + "\n"
		}
		return
	}
	if len(m.sessions) == 0 {
		m.frame = m.status + "\n"
		return
	}
	headerH := 1
	if len(m.sessions) > 1 {
		headerH++
	}
	if m.opts.Banner != "" {
		headerH++
	}
	for j, v := range m.views {
		if v.gen != m.sessions[j].Gen {
			m.refilter(j) // the fixes of later rounds came or went
		}
	}
	m.lay = computeLayout(m.width, m.height, headerH)
	m.help.Width = m.width
	m.updateKeys()
	if m.lay.tooSmall {
		m.frame = fmt.Sprintf("Terminal too small.\nNeed %d×%d, have %d×%d.\nEnlarge it, or q quits.", minWidth, minHeight, m.width, m.height)
		return
	}
	if m.mode == modeGuide && m.guide != nil {
		m.frame = m.renderGuide()
		return
	}
	m.keepCursorVisible()
	m.refreshDetail()
	var body string
	switch m.mode {
	case modeExplain:
		body = m.full.View()
	case modeHelp:
		body = m.refreshHelp(m.height - headerH - 2)
	case modeConfirm:
		body = m.renderConfirm(m.height - headerH - 2)
	default:
		body = m.renderBody()
	}
	m.frame = lipgloss.JoinVertical(lipgloss.Left, m.renderHeader(), body, m.renderStatus(), m.renderHelp())
}

// updateKeys enables only the keys that apply now, so help shows them.
func (m *Model) updateKeys() {
	k := &m.keys
	if m.mode == modeGuide {
		for _, b := range []*key.Binding{&k.Yes, &k.No, &k.ExplainTab, &k.Explain, &k.Write, &k.Back, &k.Toggle} {
			b.SetEnabled(true)
		}
		return
	}
	s := m.Session()
	i := m.current()
	has := i >= 0
	var f diagnose.Finding
	if has {
		f = s.Findings[i]
	}
	normal := m.mode == modeNormal || m.mode == modeHelp // help lists what normal mode offers
	k.Toggle.SetEnabled(normal && has && len(f.Fixes) > 0)
	k.Yes.SetEnabled(normal && has && best(f) > fixes.DisplayOnly)
	k.No.SetEnabled(normal && has && s.Selected(i) >= 0)
	k.Cycle.SetEnabled(normal && has && len(f.Fixes) > 1)
	k.AllSafe.SetEnabled(normal && len(s.Fixable(fixes.Safe)) > 0)
	k.All.SetEnabled(normal && len(s.Fixable(fixes.Unsafe)) > 0)
	k.Undo.SetEnabled(normal && len(s.undo) > 0)
	k.Redo.SetEnabled(normal && len(s.redo) > 0)
	k.Explain.SetEnabled((normal || m.mode == modeExplain) && has)
	k.Write.SetEnabled(normal && s.Dirty())
	dirtyFiles := 0
	for _, s2 := range m.sessions {
		if s2.Dirty() {
			dirtyFiles++
		}
	}
	k.WriteAll.SetEnabled(normal && len(m.sessions) > 1 && dirtyFiles > 0)
	k.NextFile.SetEnabled(normal && len(m.sessions) > 1)
	k.PrevFile.SetEnabled(normal && len(m.sessions) > 1)
	k.Back.SetEnabled(m.mode != modeNormal || m.view().filter != "")
	k.ExplainTab.SetEnabled(normal && m.tab != tabExplain)
	k.DiffTab.SetEnabled(normal && m.tab != tabDiff)
	k.Guide.SetEnabled(normal && len(s.Findings) > 0)
}

func (m *Model) keepCursorVisible() {
	v := m.view()
	rows := max(1, m.lay.listRows)
	if v.cursor < v.offset {
		v.offset = v.cursor
	}
	if v.cursor >= v.offset+rows {
		v.offset = v.cursor - rows + 1
	}
	v.offset = min(v.offset, max(0, len(v.visible)-rows))
}

func (m *Model) renderHeader() string {
	st := m.styles
	s := m.Session()
	counts := map[diagnose.Severity]int{}
	for _, f := range s.Findings[:s.Base()] {
		counts[f.Severity]++
	}
	var parts []string
	for sev := diagnose.Error; sev >= diagnose.Style; sev-- {
		if counts[sev] > 0 {
			parts = append(parts, st.Severity[sev.String()].Render(sevCount(counts[sev], sev)))
		}
	}
	findings := "no findings"
	if n := s.Base(); n > 0 {
		findings = fmt.Sprintf("%d %s: %s", n, plural(n, "finding", "findings"), strings.Join(parts, ", "))
	}
	on, unsafe := s.Counts()
	state := "saved" // the file on disk is what the list shows
	switch {
	case s.Changed:
		state = "CHANGED ON DISK"
	case s.Dirty():
		state = "UNSAVED"
	case s.Written:
		state = "saved"
	}
	line := fmt.Sprintf("%s %s · fixes on: %d (%d unsafe) · %s · %s",
		st.Title.Render("dockdoc"), st.Badge[state].Render(state), on, unsafe, st.Bold.Render(s.Path), findings)
	lines := []string{ansi.Truncate(line, m.width, "…")}
	if m.opts.Banner != "" {
		lines = append(lines, st.Accent.Render(ansi.Truncate(m.opts.Banner, m.width, "…")))
	}
	if len(m.sessions) > 1 {
		var tabs []string
		for j, s2 := range m.sessions {
			name := fmt.Sprintf("%d %s", j+1, s2.Path)
			if s2.Dirty() {
				name += "*"
			}
			if j == m.cur {
				tabs = append(tabs, st.TabActive.Render("["+name+"]"))
			} else {
				tabs = append(tabs, st.TabInactive.Render(" "+name+" "))
			}
		}
		lines = append(lines, ansi.Truncate(strings.Join(tabs, " ")+st.Faint.Render("  ([ ] switch files)"), m.width, "…"))
	}
	return strings.Join(lines, "\n")
}

func (m *Model) renderBody() string {
	l := m.lay
	list := m.renderList()
	detail := m.renderDetail()
	if l.wide {
		sep := m.styles.Separator.Render(strings.TrimSuffix(strings.Repeat("│\n", l.listH), "\n"))
		return lipgloss.JoinHorizontal(lipgloss.Top, list, sep, detail)
	}
	sep := m.styles.Separator.Render(strings.Repeat("─", l.listW))
	return lipgloss.JoinVertical(lipgloss.Left, list, sep, detail)
}

var severityLetter = map[diagnose.Severity]string{diagnose.Error: "E", diagnose.Warning: "W", diagnose.Info: "I", diagnose.Style: "S"}

func (m *Model) renderList() string {
	st, l, v, s := m.styles, m.lay, m.view(), m.Session()
	title := fmt.Sprintf("Findings (%d)", len(s.Findings))
	if more := len(s.Findings) - s.Base(); more > 0 {
		title = fmt.Sprintf("Findings (%d, and %d from later rounds)", s.Base(), more)
	}
	if v.filter != "" {
		title = fmt.Sprintf("Findings (%d of %d, filter %q)", len(v.visible), len(s.Findings), v.filter)
	}
	if m.focus == paneList {
		title = st.Heading.Render("▸ " + title)
	} else {
		title = st.Faint.Render("  " + title)
	}
	if m.mode == modeFilter {
		title = m.filter.View()
	}
	rows := []string{ansi.Truncate(title, l.listW, "…")}
	if len(v.visible) == 0 {
		msg := "  Nothing wrong found. Nice Dockerfile!"
		if v.filter != "" {
			msg = "  No finding matches the filter (esc clears it)."
		}
		rows = append(rows, st.Faint.Render(msg))
	}
	for r := 0; r < l.listRows && v.offset+r < len(v.visible); r++ {
		c := v.offset + r
		i := v.visible[c]
		f := s.Findings[i]
		mark := s.Mark(i)
		cursor := "  "
		if c == v.cursor {
			cursor = "› "
		}
		sev := severityLetter[f.Severity]
		plain := fmt.Sprintf("%s%s %s %s L%-3d %s", cursor, mark.Glyph(), sev, f.Rule.Code, f.Line, f.Message)
		plain = ansi.Truncate(plain, l.listW, "…")
		var row string
		if c == v.cursor {
			row = st.Cursor.Render(padRight(plain, l.listW))
		} else {
			// colour the mark and severity; the text stays readable without it
			prefix := cursor + st.Mark[mark].Render(mark.Glyph()) + " " + st.Severity[f.Severity.String()].Render(sev) + " "
			rest := strings.TrimPrefix(plain, cursor+mark.Glyph()+" "+sev+" ")
			row = prefix + rest
		}
		rows = append(rows, row)
	}
	return m.styles.Plain.Width(l.listW).Height(l.listH).MaxHeight(l.listH).Render(strings.Join(rows, "\n"))
}

func padRight(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func (m *Model) renderDetail() string {
	st, l := m.styles, m.lay
	explain, diff := " Explain (e) ", " Diff (d) "
	if m.tab == tabExplain {
		explain = st.TabActive.Render("[Explain]")
		diff = st.TabInactive.Render(diff)
	} else {
		explain = st.TabInactive.Render(explain)
		diff = st.TabActive.Render("[Diff]")
	}
	focus := "  "
	if m.focus == paneDetail {
		focus = st.Heading.Render("▸ ")
	}
	bar := ansi.Truncate(focus+explain+" "+diff, l.detailW, "…")
	return m.styles.Plain.Width(l.detailW).Height(l.detailH).MaxHeight(l.detailH).Render(bar + "\n" + m.detail.View())
}

func (m *Model) renderStatus() string {
	text := m.status
	if text == "" {
		text = m.hint()
	}
	style := m.styles.Status
	if m.statusErr {
		style = m.styles.StatusError
		text = "! " + text
	}
	return style.Render(ansi.Truncate(text, m.width, "…"))
}

// hint is the status line when nothing happened yet.
func (m *Model) hint() string {
	s := m.Session()
	if len(s.Findings) == 0 {
		return "No findings. q quits."
	}
	switch n := len(s.Fixable(fixes.Safe)); n {
	case 0:
		return "no safe fix here · space toggles a fix · A turns on every fix · enter explains · d shows the diff"
	case 1:
		return "space toggles a fix · a turns on the 1 safe fix · enter explains · d shows the diff · w writes"
	default:
		return fmt.Sprintf("space toggles a fix · a turns on all %d safe fixes · enter explains · d shows the diff · w writes", n)
	}
}

// sevCount is "1 error", "11 warnings", "3 info", "2 style".
func sevCount(n int, sev diagnose.Severity) string {
	w := sev.String()
	if n != 1 && (sev == diagnose.Error || sev == diagnose.Warning) {
		w += "s"
	}
	return fmt.Sprintf("%d %s", n, w)
}

func (m *Model) renderHelp() string {
	var text string
	switch m.mode {
	case modeConfirm:
		text = m.help.View(confirmHelp{m.confirm.keys})
	case modeFilter:
		text = m.styles.Faint.Render("type to filter · enter keeps the filter · esc clears it")
	case modeHelp:
		text = m.styles.Faint.Render("↑/↓ pgup/pgdn g/G scroll · ? or esc closes")
	default:
		text = m.help.View(m.keys)
	}
	// bubbles/help v1.0.0 can overflow its Width when the ellipsis does not
	// fit either; cut the line ourselves.
	return ansi.Truncate(text, m.width, "…")
}

func (m *Model) renderConfirm(h int) string {
	c := m.confirm
	w := min(m.width-4, 100)
	lines := []string{m.styles.Bold.Render(wrapText(c.title, w-4))}
	if len(c.lines) > 0 {
		lines = append(lines, "")
		max := h - 6
		for k, l := range c.lines {
			if k == max && len(c.lines) > max+1 {
				lines = append(lines, fmt.Sprintf("… and %d more", len(c.lines)-k))
				break
			}
			lines = append(lines, ansi.Truncate(l, w-4, "…"))
		}
	}
	box := m.styles.Dialog.Width(w).Render(strings.Join(lines, "\n"))
	return lipgloss.Place(m.width, h, lipgloss.Center, lipgloss.Center, box)
}

// refreshDetail rebuilds the detail pane's content when what it shows
// changed: file, finding, tab, width or the composed result.
func (m *Model) refreshDetail() {
	s := m.Session()
	i := m.current()
	l := m.lay
	m.detail.Width, m.detail.Height = l.detailW, l.viewportH
	m.full.Width, m.full.Height = m.width, m.height-l.headerH-2
	key := fmt.Sprintf("%d/%d/%d/%d/%d/%p/%d/%d", m.cur, i, m.tab, l.detailW, m.width, s.Composed.Out, len(s.Findings), m.effectsIn)
	if i >= 0 {
		key += fmt.Sprintf("/%d/%d", s.Selected(i), s.Alt(i))
	}
	if key == m.detailKey {
		return
	}
	prevKey := m.detailKey
	m.detailKey = key
	if i < 0 {
		m.detail.SetContent(m.styles.Faint.Render("Nothing to explain."))
		return
	}
	m.full.SetContent(m.explainText(i, m.width-2))
	if m.tab == tabExplain {
		m.detail.SetContent(m.explainText(i, l.detailW-1))
		if !strings.HasPrefix(prevKey, fmt.Sprintf("%d/%d/%d/", m.cur, i, m.tab)) {
			m.detail.GotoTop()
		}
		return
	}
	m.detail.SetContent(m.diffText(l.detailW))
	// Scroll to the hunk that holds the current finding's line.
	f := s.Findings[i]
	if h := s.HunkFor(f.Line); h >= 0 && h < len(m.hunkStarts) {
		m.detail.SetYOffset(max(0, m.hunkStarts[h]-1))
	} else {
		m.detail.GotoTop()
	}
}

// explainText renders finding i's explanation: its message and source, its
// fixes with their safety, then the rule's teaching doc.
func (m *Model) explainText(i, w int) string {
	st, s := m.styles, m.Session()
	f := s.Findings[i]
	r := f.Rule
	w = max(w, 20)
	var b strings.Builder
	// The finding's own severity (a rule may lower it for one finding, the
	// configuration may override it), as the list shows it.
	sev := f.Severity.String()
	fmt.Fprintf(&b, "%s %s\n", st.Heading.Render(r.Code+" "+r.Name), st.Severity[sev].Render("("+sev+")"))
	meta := fmt.Sprintf("%s · fix %s", r.Category, r.Fixable)
	if len(r.Aliases) > 0 {
		meta += " · also " + strings.Join(r.Aliases, ", ")
	}
	b.WriteString(st.Faint.Render(wrapText(meta, w)) + "\n\n")
	b.WriteString(wrapText(fmt.Sprintf("Line %d: %s", f.Line, f.Message), w) + "\n\n")
	// The source lines of the finding, numbered.
	last := min(f.EndLine, f.Line+5)
	if last < f.Line {
		last = f.Line
	}
	doc := s.DocFor(i)
	if lf, ok := s.LaterAt(i); ok {
		b.WriteString(st.Faint.Render(wrapText(fmt.Sprintf("Found in round %d of fixing, in the file as the fixes before it left it (lines numbered there); A turned its fix on as dockdoc fix --unsafe does, space turns it off.", lf.Round), w)) + "\n\n")
	}
	for l := f.Line; l <= last && l <= doc.LineCount(); l++ {
		b.WriteString(st.Code.Render(ansi.Truncate(fmt.Sprintf("%4d │ %s", l, expandTabs(doc.Line(l))), w, "…")) + "\n")
	}
	if f.EndLine > last {
		b.WriteString(st.Faint.Render(fmt.Sprintf("     │ … %d more lines", f.EndLine-last)) + "\n")
	}
	b.WriteString("\n")
	if len(f.Fixes) == 0 {
		b.WriteString(st.Faint.Render("No automatic fix: see \"The fix\" below.") + "\n")
	}
	for a, fx := range f.Fixes {
		mark := "( )"
		if s.Selected(i) == a {
			mark = "(•)"
		}
		pointer := "  "
		if s.Alt(i) == a && len(f.Fixes) > 1 {
			pointer = "› "
		}
		label := fx.Applicability.String()
		line := fmt.Sprintf("%s%s %s [%s]", pointer, mark, fx.Title, label)
		b.WriteString(wrapText(line, w) + "\n")
		if fx.Note != "" {
			b.WriteString(st.Faint.Render(indent(wrapText(fx.Note, w-6), "      ")) + "\n")
		}
		if e := m.effects[effectKey(doc, &s.Findings[i], a)]; e != "" {
			b.WriteString(st.Faint.Render(indent(wrapText(e, w-6), "      ")) + "\n")
		}
	}
	if len(f.Fixes) > 1 {
		b.WriteString(st.Faint.Render("c cycles the alternatives; at most one is applied.") + "\n")
	}
	section := func(title, text string) {
		b.WriteString("\n" + st.Heading.Render(title) + "\n" + wrapText(text, w) + "\n")
	}
	example := func(title, text string) {
		b.WriteString("\n" + st.Heading.Render(title) + "\n")
		for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			b.WriteString(st.Code.Render(ansi.Truncate("  "+l, w, "…")) + "\n")
		}
	}
	section("What it checks", r.Doc.What)
	section("Why it matters", r.Doc.Why)
	example("Bad", r.Doc.Bad)
	example("Good", r.Doc.Good)
	section("The fix", r.Doc.Fix)
	if len(r.Doc.Refs) > 0 {
		b.WriteString("\n" + st.Heading.Render("References") + "\n")
		for _, u := range r.Doc.Refs {
			b.WriteString(ansi.Truncate("  "+u, w, "…") + "\n")
		}
	}
	if ctx := s.Doc.Ctx; ctx != nil {
		// What dockdoc read decides its context-aware fixes; show it.
		b.WriteString("\n" + st.Heading.Render("Build context") + "\n" + st.Faint.Render(wrapText(ctx.Summary(), w)) + "\n")
	}
	return b.String()
}

// diffText renders the whole-file diff with every selected fix, and
// records where each hunk starts so the pane can scroll to it.
func (m *Model) diffText(w int) string {
	st, s := m.styles, m.Session()
	m.hunkStarts = m.hunkStarts[:0]
	if len(s.Hunks) == 0 && len(s.Composed.Others) == 0 {
		return st.Faint.Render(wrapText("No fix is on, so the file is unchanged. Press space to turn on this finding's fix, or a for all safe fixes.", max(w, 20)))
	}
	var b strings.Builder
	row := 0
	faint, hunk := NewPainter(st.Faint), NewPainter(st.Hunk)
	added, removed, plain := NewPainter(st.Added), NewPainter(st.Removed), NewPainter(st.Plain)
	put := func(p Painter, text string) {
		text = expandTabs(text)
		if len(text) > w { // a line's width never exceeds its length in bytes
			text = ansi.Truncate(text, w, "…")
		}
		b.WriteString(p.Paint(text))
		b.WriteByte('\n')
		row++
	}
	on, _ := s.Counts()
	put(faint, "--- "+s.Path+" (on disk)")
	put(faint, fmt.Sprintf("+++ %s (with the %d %s)", s.Path, on, plural(on, "fix that is on", "fixes that are on")))
	for _, h := range s.Hunks {
		m.hunkStarts = append(m.hunkStarts, row)
		del, add := 0, 0
		for _, l := range h.Lines {
			if l.Kind != '+' {
				del++
			}
			if l.Kind != '-' {
				add++
			}
		}
		put(hunk, fmt.Sprintf("@@ -%d,%d +%d,%d @@", h.FromLine, del, h.ToLine, add))
		for _, l := range h.Lines {
			text := string(l.Kind) + strings.TrimRight(l.Content, "\r\n")
			switch l.Kind {
			case '+':
				put(added, text)
			case '-':
				put(removed, text)
			default:
				put(plain, text)
			}
		}
	}
	for _, of := range s.Composed.Others {
		label := of.Path
		if of.Create {
			label += " (new file)"
		}
		put(faint, "")
		put(hunk, "also changes "+label+":")
		for _, l := range strings.Split(strings.TrimRight(fixes.Unified(of.Path, of.Before, of.After), "\n"), "\n") {
			switch {
			case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
				put(faint, l)
			case strings.HasPrefix(l, "+"):
				put(added, l)
			case strings.HasPrefix(l, "-"):
				put(removed, l)
			case strings.HasPrefix(l, "@@"):
				put(hunk, l)
			default:
				put(plain, l)
			}
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// wrapText wraps plain text at width (diagnose.Wrap, shared with the CLI).
func wrapText(text string, width int) string { return diagnose.Wrap(text, width) }
