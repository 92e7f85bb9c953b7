package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/resolve/registrytest"
)

// p asks first, looks the digests up in a command (on a registry on
// loopback, never the internet), then offers the pins as DD095 fixes.
func TestPinDigestsFromTheDoctor(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", t.TempDir()) // no credentials from the machine
	reg := registrytest.Start(t, nil)
	ref := reg.Host + "/test/app:1.0"
	digest := registrytest.PushIndex(t, ref)
	p := filepath.Join(t.TempDir(), "Dockerfile")
	os.WriteFile(p, []byte("FROM "+ref+"\nUSER 1000\nCMD [\"/app\"]\n"), 0o644)
	m := start(t, 120, 30, p)
	before := reg.Requests()
	press(m, "p")
	if m.mode != modeConfirm || !strings.Contains(m.View(), ref) {
		t.Fatalf("p should ask first, naming the image:\n%s", m.View())
	}
	if reg.Requests() != before {
		t.Fatal("the registry was asked before the user confirmed")
	}
	run(m, press(m, "y"))
	i := finding(m, "DD095")
	if i < 0 {
		t.Fatalf("no DD095 finding after pinning; status %q", m.status)
	}
	cursorTo(t, m, "DD095")
	press(m, "space")
	if got := string(m.Session().Composed.Out); !strings.Contains(got, "FROM "+ref+"@"+digest+"\n") {
		t.Errorf("pinned file:\n%s", got)
	}
}

// p does not offer to look up an image with no version (no tag or
// latest): DD095 skips it, as the README says, so asking the registry
// would be for nothing.
func TestPinSkipsLatest(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Dockerfile")
	os.WriteFile(p, []byte("FROM python:latest\nUSER 1000\nCMD [\"python\"]\n"), 0o644)
	m := start(t, 120, 30, p)
	press(m, "p")
	if m.mode == modeConfirm {
		t.Fatalf("p offers to look up python:latest: %q %q", m.confirm.title, m.confirm.lines)
	}
	if !strings.Contains(m.status, "python:latest names no version") {
		t.Errorf("status: %q", m.status)
	}

	os.WriteFile(p, []byte("FROM python:latest AS a\nFROM debian:12\nUSER 1000\nCMD [\"true\"]\n"), 0o644)
	m = start(t, 120, 30, p)
	press(m, "p")
	if m.mode != modeConfirm || !strings.Contains(m.confirm.title, "1 base image?") {
		t.Fatalf("p with debian:12 and python:latest: mode %d, status %q", m.mode, m.status)
	}
	if got := strings.Join(m.confirm.lines, "\n"); !strings.Contains(got, "debian:12") || !strings.Contains(got, "python:latest (skipped") {
		t.Errorf("lines: %q", got)
	}
}
