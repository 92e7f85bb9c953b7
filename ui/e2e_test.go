package ui_test

// End-to-end tests of the real dockdoc binary: built with go build, then
// driven in tmux on a private server socket (so the user's own tmux is
// never touched), as the team's UX conventions (§2.9) describe. They
// cover what only a real terminal shows: TTY detection, the alt screen,
// resizing (SIGWINCH) and the write to disk; and, without a terminal, the
// fall back to check.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// buildDockdoc builds the binary into a temp dir of t.
func buildDockdoc(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dockdoc")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/dockdoc/dockdoc")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// fixtureDir copies testdata/flow.Dockerfile to DIR/Dockerfile.
func fixtureDir(t *testing.T) (dir, orig string) {
	t.Helper()
	src, err := os.ReadFile(flowFixture)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, string(src)
}

func TestE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the end-to-end tests in -short mode: they build the dockdoc binary")
	}
	t.Parallel()
	bin := buildDockdoc(t)
	t.Run("tmux", func(t *testing.T) { t.Parallel(); e2eTmux(t, bin) })
	t.Run("not a terminal", func(t *testing.T) { t.Parallel(); e2eNotATerminal(t, bin) })
}

// tmuxServer is one private tmux server (tmux -L) with one session.
type tmuxServer struct {
	t       *testing.T
	socket  string
	session string
}

func (s *tmuxServer) run(args ...string) (string, error) {
	// -f /dev/null: the user's ~/.tmux.conf must not change key handling or
	// sizes. TMUX is dropped so tmux never thinks it is nested.
	cmd := exec.Command("tmux", append([]string{"-f", "/dev/null", "-L", s.socket}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMUX=") && !strings.HasPrefix(kv, "TMUX_PANE=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (s *tmuxServer) must(args ...string) string {
	s.t.Helper()
	out, err := s.run(args...)
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

func (s *tmuxServer) capture() string {
	s.t.Helper()
	return s.must("capture-pane", "-p", "-t", s.session)
}

// key sends ONE key: several keys in one send-keys call reach bubbletea as
// a single KeyRunes message ("jk "), which matches no binding. The short
// pause lets the program read it before the next one.
func (s *tmuxServer) key(k string) {
	s.t.Helper()
	s.must("send-keys", "-t", s.session, k)
	time.Sleep(80 * time.Millisecond)
}

// waitFor polls the pane until cond holds; on timeout it fails and prints
// the pane.
func (s *tmuxServer) waitFor(what string, cond func(pane string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pane := s.capture()
		if cond(pane) {
			return pane
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out after 10s waiting for %s; the pane shows:\n%s", what, pane)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *tmuxServer) waitText(text string) string {
	s.t.Helper()
	return s.waitFor(fmt.Sprintf("%q", text), func(p string) bool { return strings.Contains(p, text) })
}

// shellQuote quotes s for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func e2eTmux(t *testing.T, bin string) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed; the end-to-end terminal test needs it (apt-get install tmux)")
	}
	dir, _ := fixtureDir(t)
	s := &tmuxServer{t: t, socket: fmt.Sprintf("dockdoc-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), session: "dd"}
	var sock string // the server's socket file, once known
	t.Cleanup(func() {
		_, _ = s.run("kill-server")
		// tmux 3.3a leaves its socket file behind after kill-server.
		if sock != "" && filepath.Base(sock) == s.socket {
			_ = os.Remove(sock)
		}
	})

	// The shell stays for 30 s after dockdoc exits so the exit status can
	// be read from the pane; kill-server ends it sooner.
	inner := fmt.Sprintf("cd %s && NO_COLOR=1 %s Dockerfile; echo EXIT=$?; sleep 30", shellQuote(dir), shellQuote(bin))
	s.must("new-session", "-d", "-s", s.session, "-x", "120", "-y", "35", "sh -c "+shellQuote(inner))
	sock = strings.TrimSpace(s.must("display-message", "-p", "-t", s.session, "#{socket_path}"))

	s.waitText("Findings (6)")
	// The cursor starts on DD003 (MAINTAINER): turn its safe fix on.
	s.key("Space")
	s.waitText("DD003 on: ")
	s.key("d")
	s.waitText(`+LABEL org.opencontainers.image.authors="Dana <dana@example.org>"`)

	// Narrow layout: the list sits above the detail pane, under a full-width
	// rule. (tmux re-wraps the old screen to 80 columns too, so "Findings"
	// alone would not prove that dockdoc redrew.)
	s.must("resize-window", "-t", s.session, "-x", "80", "-y", "24")
	rule := strings.Repeat("─", 80)
	s.waitFor("the narrow layout at 80x24", func(p string) bool {
		return strings.Contains(p, "Findings (6)") && strings.Contains(p, rule) && strings.Contains(p, "[Diff]")
	})

	s.key("w")
	s.waitText("Write 1 change to 1 file?")
	s.key("y")
	s.waitText("wrote 1 fix to Dockerfile")
	s.key("q")
	pane := s.waitFor("the shell to print EXIT=", func(p string) bool { return strings.Contains(p, "EXIT=") })
	if !strings.Contains(pane, "EXIT=0") {
		t.Fatalf("dockdoc did not exit 0; the pane shows:\n%s", pane)
	}
	// After the alt screen is left, the summary is printed to stdout.
	if !strings.Contains(pane, "wrote 1 fix to Dockerfile") {
		t.Errorf("no write summary after exit; the pane shows:\n%s", pane)
	}

	got, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	want := `FROM debian:12
LABEL org.opencontainers.image.authors="Dana <dana@example.org>"
RUN apt-get update && apt-get install curl
USER 1000
CMD run --port 80
`
	if string(got) != want {
		t.Errorf("Dockerfile on disk:\n%s\nwant:\n%s", got, want)
	}
}

// e2eNotATerminal: with stdout not a terminal, `dockdoc Dockerfile` says
// why on stderr and runs check instead; no tea.Program, no escape codes.
func e2eNotATerminal(t *testing.T, bin string) {
	dir, orig := fixtureDir(t)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "Dockerfile")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("exit: %v, want exit status 1 (findings at the default fail level)", err)
	}
	if !strings.Contains(stderr.String(), "not a terminal") {
		t.Errorf("stderr does not say why the doctor did not open:\n%s", stderr.String())
	}
	if !strings.Contains(stdout.String(), "Dockerfile:2:1: DD003 warning:") {
		t.Errorf("stdout is not check's report:\n%s", stdout.String())
	}
	if strings.Contains(stdout.String()+stderr.String(), "\x1b[") {
		t.Errorf("escape sequences in the output of a non-terminal run:\nstdout: %q\nstderr: %q", stdout.String(), stderr.String())
	}
	if b, err := os.ReadFile(filepath.Join(dir, "Dockerfile")); err != nil || string(b) != orig {
		t.Errorf("check changed the file (err %v):\n%s", err, b)
	}
}
