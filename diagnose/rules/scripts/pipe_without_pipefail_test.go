package scripts

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// The SHELL line DD056 inserts uses the file's CRLF line ending and the
// indentation of the line it goes before; the findings of a stage share
// one edit, so fixing inserts a single SHELL.
func TestDD056CRLFAndIndent(t *testing.T) {
	src := "FROM debian:12\r\n" +
		"  # fetch\r\n" +
		"  RUN curl -fsSL https://example.com/a | tar -xz\r\n" +
		"RUN wget -qO- https://example.com/b | sh\r\n"
	want := "FROM debian:12\r\n" +
		"  SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\r\n" +
		"  # fetch\r\n" +
		"  RUN curl -fsSL https://example.com/a | tar -xz\r\n" +
		"RUN wget -qO- https://example.com/b | sh\r\n" +
		"SHELL [\"/bin/sh\", \"-c\"]\r\n" // the image keeps the default shell
	opts := diagnose.Options{Only: []string{"DD056"}}
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs := diagnose.Run(doc, opts)
	if len(fs) != 2 {
		t.Fatalf("got %d findings, want 2", len(fs))
	}
	if fs[0].Fixes[0].Edits[0] != fs[1].Fixes[0].Edits[0] {
		t.Errorf("the two findings of the stage should share one edit: %+v vs %+v", fs[0].Fixes[0].Edits, fs[1].Fixes[0].Edits)
	}
	res, err := diagnose.FixAll("Dockerfile", []byte(src), opts, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Out); got != want {
		t.Errorf("fixed output:\n%q\nwant:\n%q", got, want)
	}
}

// A file with the backtick escape (Windows) is never read as POSIX shell.
func TestDD056WindowsSilent(t *testing.T) {
	src := "# escape=`\nFROM example/windows:ltsc2022\nRUN dir | findstr x\n"
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD056", "DD055", "DD049"}}); len(fs) != 0 {
		t.Errorf("got %d findings on a Windows file, want none", len(fs))
	}
}

func TestB5ShellPipefail(t *testing.T) {
	for shell, want := range map[string]bool{
		"/bin/bash -o pipefail -c":              true,
		"/bin/bash -eo pipefail -c":             true,
		"/bin/ash -euxo pipefail -c":            true,
		"bash -o errexit -o pipefail -c":        true,
		"/bin/bash -o pipefail +o pipefail -c":  false,
		"/bin/bash -c":                          false,
		"/bin/sh -c":                            false,
		"/bin/bash -c -o pipefail":              false,
		"/bin/bash -o nounset -c":               false,
		"/usr/bin/env bash -o pipefail -c":      true,
		"/bin/bash --noprofile -o pipefail -ec": true,
	} {
		if got := shellPipefail(strings.Fields(shell)); got != want {
			t.Errorf("%s: got %v, want %v", shell, got, want)
		}
	}
}
