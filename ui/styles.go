package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Theme holds the doctor's colours, each an adaptive pair for light and
// dark terminals. Colour never carries meaning alone: every state also has
// a glyph, a letter or a word.
type Theme struct {
	Error, Warning, Info, Style    lipgloss.AdaptiveColor
	Safe, Unsafe, Conflict         lipgloss.AdaptiveColor
	Added, Removed, HunkHeader     lipgloss.AdaptiveColor
	Faint, Accent, Border, Inverse lipgloss.AdaptiveColor
}

// DefaultTheme is the one theme.
func DefaultTheme() Theme {
	return Theme{
		Error:      lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF6B6B"},
		Warning:    lipgloss.AdaptiveColor{Light: "#8A5300", Dark: "#FFC857"},
		Info:       lipgloss.AdaptiveColor{Light: "#005A9C", Dark: "#6CB6FF"},
		Style:      lipgloss.AdaptiveColor{Light: "#5A5A5A", Dark: "#A0A0A0"},
		Safe:       lipgloss.AdaptiveColor{Light: "#1B7F3B", Dark: "#7BD88F"},
		Unsafe:     lipgloss.AdaptiveColor{Light: "#A04000", Dark: "#FF9E64"},
		Conflict:   lipgloss.AdaptiveColor{Light: "#8E24AA", Dark: "#D7A1F9"},
		Added:      lipgloss.AdaptiveColor{Light: "#1B7F3B", Dark: "#7BD88F"},
		Removed:    lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF6B6B"},
		HunkHeader: lipgloss.AdaptiveColor{Light: "#005A9C", Dark: "#6CB6FF"},
		Faint:      lipgloss.AdaptiveColor{Light: "#6E6E6E", Dark: "#8A8A8A"},
		Accent:     lipgloss.AdaptiveColor{Light: "#3D2B99", Dark: "#B4A7FF"},
		Border:     lipgloss.AdaptiveColor{Light: "#C0C0C0", Dark: "#4A4A4A"},
		Inverse:    lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#1E1E1E"},
	}
}

// Styles are every style the UI renders with; no component builds its own.
type Styles struct {
	Title, Faint, Bold, Accent lipgloss.Style
	Severity                   map[string]lipgloss.Style // by severity name
	Mark                       map[Mark]lipgloss.Style
	Cursor                     lipgloss.Style // the selected row
	TabActive, TabInactive     lipgloss.Style
	Added, Removed, Hunk       lipgloss.Style
	Status, StatusError        lipgloss.Style
	Badge                      map[string]lipgloss.Style // UNSAVED, saved, changed
	Dialog                     lipgloss.Style
	Separator                  lipgloss.Style
	Heading                    lipgloss.Style
	Code                       lipgloss.Style
	Plain                      lipgloss.Style // no decoration: layout boxes, context lines
}

// NewStyles derives the styles from a theme.
func NewStyles(t Theme) *Styles {
	n := lipgloss.NewStyle
	return &Styles{
		Title:  n().Bold(true).Foreground(t.Accent),
		Faint:  n().Foreground(t.Faint),
		Bold:   n().Bold(true),
		Accent: n().Foreground(t.Accent),
		Severity: map[string]lipgloss.Style{
			"error": n().Foreground(t.Error).Bold(true), "warning": n().Foreground(t.Warning),
			"info": n().Foreground(t.Info), "style": n().Foreground(t.Style),
		},
		Mark: map[Mark]lipgloss.Style{
			MarkNoFix: n(), MarkAdvice: n().Foreground(t.Faint), MarkOff: n(),
			MarkOn: n().Foreground(t.Safe).Bold(true), MarkUnsafeOn: n().Foreground(t.Unsafe).Bold(true),
			MarkConflict: n().Foreground(t.Conflict),
		},
		Cursor:      n().Reverse(true),
		TabActive:   n().Bold(true).Underline(true).Foreground(t.Accent),
		TabInactive: n().Foreground(t.Faint),
		Added:       n().Foreground(t.Added),
		Removed:     n().Foreground(t.Removed),
		Hunk:        n().Foreground(t.HunkHeader),
		Status:      n().Foreground(t.Faint),
		StatusError: n().Foreground(t.Error).Bold(true),
		Badge: map[string]lipgloss.Style{
			"UNSAVED": n().Bold(true).Foreground(t.Unsafe), "saved": n().Foreground(t.Safe),
			"CHANGED ON DISK": n().Bold(true).Foreground(t.Error),
		},
		Dialog:    n().Border(lipgloss.RoundedBorder()).BorderForeground(t.Accent).Padding(0, 1),
		Separator: n().Foreground(t.Border),
		Heading:   n().Bold(true).Foreground(t.Accent),
		Code:      n().Foreground(t.Info),
		Plain:     n(),
	}
}

// Painter applies a style's colours to single-line text quickly: the
// escape codes are worked out once, so painting a line is a concatenation.
// The diff pane paints thousands of lines per toggle; lipgloss.Render per
// line was most of the cost.
type Painter struct{ pre, post string }

// NewPainter captures the codes a style wraps around a line.
func NewPainter(st lipgloss.Style) Painter {
	const mark = "\x00"
	out := st.Render(mark)
	i := strings.Index(out, mark)
	if i < 0 {
		return Painter{}
	}
	return Painter{pre: out[:i], post: out[i+len(mark):]}
}

// Paint wraps text in the style's codes.
func (p Painter) Paint(text string) string {
	if p.pre == "" && p.post == "" {
		return text
	}
	return p.pre + text + p.post
}
