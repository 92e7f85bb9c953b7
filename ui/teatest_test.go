package ui_test

// These tests run the doctor as a real tea.Program (in-memory input and
// output) through teatest, from the first frame to the write on disk.
//
// Dependency: github.com/charmbracelet/x/exp/teatest at the pseudo-version
// v0.0.0-20251215102626-e0db08df7383, a copy written for bubbletea v1: its
// go.mod requires bubbletea v1.3.5, and it builds against our v1.3.10
// (teatest has no tagged release, hence the pseudo-version). It is a test-only
// dependency: nothing outside _test.go files imports it, so the dockdoc
// binary does not link it. Unit tests that call Update directly
// (model_test.go) cannot show that the keys reach the model through a
// program, that the write and reload commands really run, or that the
// final file on disk is right; these do.
//
// The colour profile is pinned to Ascii by the TestMain in model_test.go
// (package ui; it runs these external tests too), so the output holds no
// colour codes whatever terminal go test runs in.

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/dockdoc/dockdoc/ui"
)

// flowFixture is ui/testdata/flow.Dockerfile. Its findings, in list order:
// DD003 (line 2, MAINTAINER, safe), DD007 (line 3, apt lists, safe),
// DD005 (line 3, apt-get -y, safe), DD006 (line 3, unsafe), DD002 (line 5,
// shell-form CMD, safe).
const flowFixture = "testdata/flow.Dockerfile"

// waitTimeout bounds every wait; it only matters when something is wrong
// (or the machine is very slow), as the waits poll.
const waitTimeout = 10 * time.Second

// copyFixture copies testdata/flow.Dockerfile to a fresh temp dir and
// returns the copy's path and its content.
func copyFixture(t *testing.T) (string, string) {
	t.Helper()
	src, err := os.ReadFile(flowFixture)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, string(src)
}

func startProgram(t *testing.T, path string) *teatest.TestModel {
	t.Helper()
	m := ui.New([]string{path}, ui.Options{DiskPoll: -1})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 35))
	t.Cleanup(func() { _ = tm.Quit() }) // harmless once the program has ended
	return tm
}

// waitFor polls the program's output until it contains want. WaitFor
// drains what it reads, so each wait sees only output written after the
// previous one; every string waited for is therefore the effect of the key
// sent just before it.
func waitFor(t *testing.T, tm *teatest.TestModel, want string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte(want))
	}, teatest.WithDuration(waitTimeout), teatest.WithCheckInterval(20*time.Millisecond))
}

func keyRune(r rune) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}} }

// space is the space bar as bubbletea v1 reports it; its String() is " ",
// which is what the Toggle binding lists.
var space = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}

func finish(t *testing.T, tm *teatest.TestModel) *ui.Model {
	t.Helper()
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(waitTimeout))
	m, ok := fm.(*ui.Model)
	if !ok {
		t.Fatalf("final model is %T, want *ui.Model", fm)
	}
	return m
}

func assertFile(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s on disk:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestTeatestToggleWrite: move to DD005, toggle its fix, write, confirm,
// quit. Only that one fix reaches the disk.
func TestTeatestToggleWrite(t *testing.T) {
	t.Parallel()
	path, _ := copyFixture(t)
	tm := startProgram(t, path)

	waitFor(t, tm, "Findings (6)")
	tm.Send(keyRune('j'))
	tm.Send(keyRune('j'))
	tm.Send(space)
	waitFor(t, tm, "DD005 on: ")
	tm.Send(keyRune('w'))
	waitFor(t, tm, "Write 1 change to 1 file?")
	tm.Send(keyRune('y'))
	waitFor(t, tm, "wrote 1 fix to ")
	tm.Send(keyRune('q')) // nothing unsaved: quits at once

	m := finish(t, tm)
	if len(m.Wrote) != 1 || !strings.HasPrefix(m.Wrote[0], "wrote 1 fix to ") {
		t.Errorf("Wrote = %q, want one \"wrote 1 fix to …\" line", m.Wrote)
	}
	assertFile(t, path, `FROM debian:12
MAINTAINER Dana <dana@example.org>
RUN apt-get update && apt-get install -y curl
USER 1000
CMD run --port 80
`)
}

// TestTeatestChangedOnDisk: a fix is on, the file changes behind the
// doctor's back, the write is refused with the "changed on disk" dialog,
// r reloads keeping the choice, and the second write has both the
// external edit and the fix.
func TestTeatestChangedOnDisk(t *testing.T) {
	t.Parallel()
	path, orig := copyFixture(t)
	tm := startProgram(t, path)

	waitFor(t, tm, "Findings (6)")
	tm.Send(space) // the cursor starts on DD003 (MAINTAINER)
	waitFor(t, tm, "DD003 on: ")

	// Someone else edits the file meanwhile.
	if err := os.WriteFile(path, []byte(orig+"EXPOSE 8080\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	tm.Send(keyRune('w'))
	waitFor(t, tm, "Write 1 change to 1 file?")
	tm.Send(keyRune('y'))
	// The title names the path, so it may wrap; the answer lines do not.
	waitFor(t, tm, "r: reload it and keep the choices that still apply")
	tm.Send(keyRune('r'))
	waitFor(t, tm, ": kept 1 choice")
	tm.Send(keyRune('w'))
	waitFor(t, tm, "Write 1 change to 1 file?")
	tm.Send(keyRune('y'))
	waitFor(t, tm, "wrote 1 fix to ")
	tm.Send(keyRune('q'))

	m := finish(t, tm)
	if len(m.Wrote) != 1 {
		t.Errorf("Wrote = %q, want exactly the second (successful) write", m.Wrote)
	}
	assertFile(t, path, `FROM debian:12
LABEL org.opencontainers.image.authors="Dana <dana@example.org>"
RUN apt-get update && apt-get install curl
USER 1000
CMD run --port 80
EXPOSE 8080
`)
}
