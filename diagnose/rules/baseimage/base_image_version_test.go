package baseimage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/fixes"
)

// Without a build context the context rules say nothing, and DD001 still
// offers only its table-based (unsafe) pin.
func TestDD020NilContext(t *testing.T) {
	src := []byte("FROM python:3.12-slim\nFROM node:latest\nFROM golang:1.20\n")
	doc, err := diagnose.Parse("Dockerfile", src)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range diagnose.Run(doc, diagnose.Options{Only: []string{"DD020", "DD030"}}) {
		t.Errorf("unexpected finding without a context: %s %s", f.ID(), f.Message)
	}
	doc, _ = diagnose.Parse("Dockerfile", src)
	fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD001"}})
	if len(fs) != 1 || len(fs[0].Fixes) != 1 || fs[0].Fixes[0].Applicability != fixes.Unsafe {
		t.Fatalf("DD001 without context: %+v", fs)
	}
}

// DD001 and DD020 both flag python:latest when the project pins 3.10; their
// fixes are the same edit and coalesce, whatever is chosen.
func TestDD020CoalescesWithDD001(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".python-version"), []byte("3.10\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".nvmrc"), []byte("20\n"), 0o644)
	ctx := buildctx.Load(dir, "")
	src := []byte("FROM python:latest AS build\nFROM node:alpine\nFROM python\n")
	opts := diagnose.Options{Only: []string{"DD001", "DD020"}, Ctx: ctx}
	doc, err := diagnose.Parse("Dockerfile", src)
	if err != nil {
		t.Fatal(err)
	}
	findings := diagnose.Run(doc, opts)
	byLine := map[int][]diagnose.Finding{}
	for _, f := range findings {
		byLine[f.Line] = append(byLine[f.Line], f)
	}
	for _, l := range []int{1, 2, 3} {
		fs := byLine[l]
		if len(fs) != 2 {
			t.Fatalf("line %d: want DD001 and DD020, got %d findings", l, len(fs))
		}
		a, b := fs[0].Fixes[0], fs[1].Fixes[0]
		if a.Applicability != fixes.Safe || b.Applicability != fixes.Safe || len(a.Edits) != 1 || len(b.Edits) != 1 || a.Edits[0] != b.Edits[0] {
			t.Errorf("line %d: fixes differ: %+v vs %+v", l, a, b)
		}
	}
	c := diagnose.Compose(doc, diagnose.DefaultChoices(findings, fixes.Safe))
	if c.Applied() != len(findings) {
		for _, o := range c.Outcomes {
			t.Logf("%s: %s", o.Finding.ID(), o.Reason)
		}
		t.Fatalf("applied %d of %d", c.Applied(), len(findings))
	}
	want := "FROM python:3.10 AS build\nFROM node:20-alpine\nFROM python:3.10\n"
	if string(c.Out) != want {
		t.Errorf("got\n%s", c.Out)
	}
	res, err := diagnose.FixAll("Dockerfile", src, opts, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Out) != want || len(res.Remaining) != 0 {
		t.Errorf("FixAll: %q, remaining %d", res.Out, len(res.Remaining))
	}
}

// The acceptance scenario's base image: latest against .python-version 3.10.
func TestDD020UVScenario(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".python-version"), []byte("3.10\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte("[project]\nname = \"server\"\nrequires-python = \">=3.10\"\n"), 0o644)
	src := []byte("FROM python:latest\nWORKDIR /app\n")
	opts := diagnose.Options{Only: []string{"DD001", "DD020", "DD030"}, Ctx: buildctx.Load(dir, "")}
	doc, _ := diagnose.Parse("Dockerfile", src)
	var codes []string
	for _, f := range diagnose.Run(doc, opts) {
		codes = append(codes, f.Rule.Code)
	}
	if strings.Join(codes, " ") != "DD001 DD020" {
		t.Errorf("findings %v, want DD001 DD020", codes)
	}
	res, _ := diagnose.FixAll("Dockerfile", src, opts, fixes.Safe)
	if !strings.HasPrefix(string(res.Out), "FROM python:3.10\n") {
		t.Errorf("got %q", res.Out)
	}
}

// The pinning edit touches only the tag, so CRLF line ends and a
// continuation before the image survive.
func TestDD020CRLF(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".python-version"), []byte("3.10\r\n"), 0o644)
	src := []byte("FROM \\\r\n  python:3.12-slim AS build\r\nFROM python\r\n")
	opts := diagnose.Options{Only: []string{"DD001", "DD020"}, Ctx: buildctx.Load(dir, "")}
	res, err := diagnose.FixAll("Dockerfile", src, opts, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	want := "FROM \\\r\n  python:3.10-slim AS build\r\nFROM python:3.10\r\n"
	if string(res.Out) != want {
		t.Errorf("got %q", res.Out)
	}
}
