package ui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// -update rewrites the View goldens. teatest's golden package defines the
// same flag when it is linked in (its init runs first); then we share it.
var _ = func() bool {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the View golden files in testdata")
	}
	return true
}()

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func TestMain(m *testing.M) {
	// Goldens and assertions must not depend on where go test runs.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// start builds a model on the given files, loads them synchronously (the
// command Init returns) and sizes the window.
func start(t testing.TB, w, h int, paths ...string) *Model {
	t.Helper()
	m := New(paths, Options{DiskPoll: -1})
	m.Update(m.Init()())
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func press(m *Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		var msg tea.KeyMsg
		switch k {
		case "space":
			msg = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "tab":
			msg = tea.KeyMsg{Type: tea.KeyTab}
		case "ctrl+r":
			msg = tea.KeyMsg{Type: tea.KeyCtrlR}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		_, cmd = m.Update(msg)
	}
	return cmd
}

// run executes a command and feeds its message back, as the program would.
func run(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if msg := cmd(); msg != nil {
		if _, ok := msg.(tea.QuitMsg); ok {
			return
		}
		m.Update(msg)
	}
}

func copyFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func finding(m *Model, code string) int {
	for i, f := range m.Session().Findings {
		if f.Rule.Code == code {
			return i
		}
	}
	return -1
}

func cursorTo(t testing.TB, m *Model, code string) {
	t.Helper()
	want := finding(m, code)
	if want < 0 {
		t.Fatalf("no %s finding", code)
	}
	press(m, "g")
	for m.current() != want {
		before := m.current()
		press(m, "j")
		if m.current() == before {
			t.Fatalf("cursor never reached %s", code)
		}
	}
}

func TestKeysToggleUndoFilterWrite(t *testing.T) {
	p := copyFixture(t, "golden.Dockerfile")
	m := start(t, 120, 40, p)
	s := m.Session()
	cursorTo(t, m, "DD005")
	press(m, "space")
	if s.Selected(finding(m, "DD005")) != 0 || !s.Dirty() {
		t.Fatal("space did not turn the fix on")
	}
	if !strings.Contains(m.View(), "UNSAVED") || !strings.Contains(m.View(), "[x] W DD005") {
		t.Errorf("view does not show the selection:\n%s", m.View())
	}
	press(m, "d")
	if !strings.Contains(m.View(), "+RUN apt-get update && apt-get install -y curl") {
		t.Errorf("diff pane lacks the fix:\n%s", m.View())
	}
	press(m, "u")
	if s.Dirty() {
		t.Error("u did not undo")
	}
	press(m, "ctrl+r")
	if !s.Dirty() {
		t.Error("ctrl+r did not redo")
	}
	// Filter by code, then clear with esc.
	press(m, "/", "D", "D", "0", "0", "3", "enter")
	if len(m.view().visible) != 1 || m.Session().Findings[m.current()].Rule.Code != "DD003" {
		t.Fatalf("filter: %v", m.view().visible)
	}
	press(m, "esc")
	if len(m.view().visible) != len(s.Findings) {
		t.Error("esc did not clear the filter")
	}
	// y turns the current one on and moves to the next undecided finding.
	cursorTo(t, m, "DD003")
	press(m, "y")
	if s.Selected(finding(m, "DD003")) < 0 || m.current() == finding(m, "DD003") {
		t.Error("y did not select and move on")
	}
	// Write asks first and lists the changes; n cancels, w y writes.
	press(m, "w")
	if m.mode != modeConfirm || !strings.Contains(m.View(), "Write 2 changes to 1 file?") {
		t.Fatalf("no confirmation:\n%s", m.View())
	}
	press(m, "n")
	if m.mode != modeNormal {
		t.Fatal("n did not cancel")
	}
	before, _ := os.ReadFile(p)
	press(m, "w")
	run(m, press(m, "y"))
	after, _ := os.ReadFile(p)
	if string(before) == string(after) || !strings.Contains(string(after), "install -y curl") || !strings.Contains(string(after), "LABEL org.opencontainers.image.authors") {
		t.Fatalf("file after write:\n%s", after)
	}
	if s.Dirty() || !strings.Contains(m.View(), "saved") || finding(m, "DD005") >= 0 {
		t.Errorf("after write the list should show what remains:\n%s", m.View())
	}
}

func TestConflictRefusedInStatus(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Dockerfile")
	os.WriteFile(p, []byte("FROM alpine:3.20\nmaintainer Dana <d@x.org>\nUSER 1000\nCMD [\"x\"]\n"), 0o644)
	m := start(t, 120, 30, p)
	cursorTo(t, m, "DD003")
	press(m, "space")
	cursorTo(t, m, "DD015")
	if !strings.Contains(m.View(), "[~] S DD015") {
		t.Errorf("the clashing fix is not marked:\n%s", m.View())
	}
	press(m, "space")
	if !m.statusErr || !strings.Contains(m.status, "conflicts with DD003 at line 2") {
		t.Errorf("status = %q", m.status)
	}
}

func TestQuitAsksWhenUnsaved(t *testing.T) {
	m := start(t, 120, 30, copyFixture(t, "golden.Dockerfile"))
	if cmd := press(m, "q"); cmd == nil {
		t.Fatal("q with nothing selected should quit")
	}
	press(m, "a")
	if cmd := press(m, "q"); cmd != nil || m.mode != modeConfirm {
		t.Fatal("q with unsaved fixes should ask")
	}
	if cmd := press(m, "y"); cmd == nil {
		t.Fatal("y should quit")
	}
}

func TestAllFixesAsksFirst(t *testing.T) {
	m := start(t, 120, 30, copyFixture(t, "golden.Dockerfile"))
	press(m, "A")
	if m.mode != modeConfirm || !strings.Contains(m.View(), "unsafe") {
		t.Fatalf("A did not ask:\n%s", m.View())
	}
	press(m, "y")
	if _, u := m.Session().Counts(); u == 0 {
		t.Error("no unsafe fix turned on")
	}
}

func TestLayoutsAndResize(t *testing.T) {
	m := start(t, 140, 40, copyFixture(t, "golden.Dockerfile"))
	if !m.lay.wide {
		t.Error("140 columns should be side by side")
	}
	for _, sz := range [][2]int{{80, 24}, {99, 30}, {60, 15}, {200, 50}, {59, 20}, {100, 14}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		v := m.View()
		lines := strings.Split(v, "\n")
		if sz[0] < minWidth || sz[1] < minHeight {
			if !strings.Contains(v, "Terminal too small") {
				t.Errorf("%v: no too-small message", sz)
			}
			continue
		}
		if len(lines) > sz[1] {
			t.Errorf("%v: %d lines, more than the terminal", sz, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > sz[0] {
				t.Errorf("%v: line %d is %d wide", sz, i, w)
			}
		}
		if m.lay.wide != (sz[0] >= wideWidth) {
			t.Errorf("%v: wide = %v", sz, m.lay.wide)
		}
	}
}

// View goldens at 80×24 and 140×40, colour off. go test ./ui -update
// rewrites them.
func TestViewGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {140, 40}} {
		name := filepath.Join("testdata", fmt.Sprintf("view-%dx%d.golden", sz[0], sz[1]))
		m := start(t, sz[0], sz[1], "testdata/golden.Dockerfile")
		press(m, "j", "j", "space", "d")
		got := ansi.Strip(m.View()) + "\n"
		if updating() {
			os.WriteFile(name, []byte(got), 0o644)
			continue
		}
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("%v (run go test ./ui -update)", err)
		}
		if string(want) != got {
			t.Errorf("%s differs (go test ./ui -update to accept):\n--- want\n%s\n--- got\n%s", name, want, got)
		}
	}
}
