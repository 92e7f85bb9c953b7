package ui

import "strings"

// scroller is the detail pane's vertical scroll over pre-rendered lines.
// bubbles' viewport measures the width of every line on SetContent, which
// on a 2,000-line diff cost more than composing the fixes; the pane never
// scrolls sideways (lines are cut to the pane when rendered), so it needs
// only this.
type scroller struct {
	Width, Height int
	lines         []string
	y             int
}

func (s *scroller) SetContent(text string) {
	s.lines = strings.Split(text, "\n")
	s.clamp()
}

func (s *scroller) maxY() int { return max(0, len(s.lines)-max(1, s.Height)) }

func (s *scroller) clamp() { s.y = min(max(s.y, 0), s.maxY()) }

func (s *scroller) SetYOffset(y int) { s.y = y; s.clamp() }
func (s *scroller) ScrollDown(n int) { s.SetYOffset(s.y + n) }
func (s *scroller) ScrollUp(n int)   { s.SetYOffset(s.y - n) }
func (s *scroller) PageDown()        { s.ScrollDown(max(1, s.Height)) }
func (s *scroller) PageUp()          { s.ScrollUp(max(1, s.Height)) }
func (s *scroller) GotoTop()         { s.y = 0 }
func (s *scroller) GotoBottom()      { s.y = s.maxY() }

// View is the visible window.
func (s *scroller) View() string {
	end := min(len(s.lines), s.y+max(1, s.Height))
	if s.y >= end {
		return ""
	}
	return strings.Join(s.lines[s.y:end], "\n")
}
