package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dockdoc/dockdoc/fixes"
)

// bigDockerfile is about 2,000 lines with hundreds of findings and fixes.
func bigDockerfile(tb testing.TB) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString("FROM debian:12 AS base\n")
	for i := 0; b.Len() == 0 || strings.Count(b.String(), "\n") < 2000; i++ {
		fmt.Fprintf(&b, "# step %d\n", i)
		fmt.Fprintf(&b, "ENV VAR_%d value%d\n", i, i)
		fmt.Fprintf(&b, "RUN apt-get update && apt-get install pkg%d \\\n    && pip install tool%d\n", i, i)
		fmt.Fprintf(&b, "ADD file%d.txt /opt/file%d.txt\n", i, i)
		fmt.Fprintf(&b, "WORKDIR dir%d\n", i)
		b.WriteString("\n")
	}
	b.WriteString("CMD ./server --port 8080\n")
	p := filepath.Join(tb.TempDir(), "Dockerfile")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// BenchmarkToggleSession measures one toggle: compose every selected fix,
// re-verify the result parses, recompute the diff hunks.
func BenchmarkToggleSession(b *testing.B) {
	p := bigDockerfile(b)
	m := start(b, 140, 40, p)
	s := m.Session()
	s.SetMany(s.Fixable(fixes.Safe), true, fixes.Safe) // all safe fixes on: the worst case to recompose
	safe := s.Fixable(fixes.Safe)
	i := safe[len(safe)/2]
	b.ReportMetric(float64(len(s.Findings)), "findings")
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if err := s.Toggle(i); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkToggleNewSelection is BenchmarkToggleSession where every
// toggle makes a selection not seen before (fixes turned off one after
// another, then on again), so nothing the engine remembers of an earlier
// composition helps: the cost of a first look at a selection.
func BenchmarkToggleNewSelection(b *testing.B) {
	p := bigDockerfile(b)
	m := start(b, 140, 40, p)
	s := m.Session()
	s.SetMany(s.Fixable(fixes.Safe), true, fixes.Safe)
	safe := s.Fixable(fixes.Safe)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if err := s.Toggle(safe[n%len(safe)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTogglePreview measures a space key press through the whole
// model: the session work plus re-rendering the diff pane and the frame.
func BenchmarkTogglePreview(b *testing.B) {
	p := bigDockerfile(b)
	m := start(b, 140, 40, p)
	m.Session().SetMany(m.Session().Fixable(fixes.Safe), true, fixes.Safe)
	cursorTo(b, m, "DD009") // a pip install: its safe fix toggles on and off
	press(m, "d")
	space := tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		m.Update(space)
	}
}

// BenchmarkFirstFrame measures start-up to the first full frame: loading
// and diagnosing the file and rendering.
func BenchmarkFirstFrame(b *testing.B) {
	p := bigDockerfile(b)
	for n := 0; n < b.N; n++ {
		m := New([]string{p}, Options{DiskPoll: -1})
		m.Update(m.Init()())
		m.Update(tea.WindowSizeMsg{Width: 140, Height: 40})
		if !strings.Contains(m.View(), "Findings") {
			b.Fatal("no frame")
		}
	}
}
