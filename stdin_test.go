package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/fixes"
)

// stdinCLI is a cli whose standard input holds src.
func stdinCLI(src string) *cli {
	return &cli{fsys: fixes.OS{}, stdin: strings.NewReader(src)}
}

func TestCheckStdin(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errs := runCLI(t, stdinCLI(dirty), "check", "-")
	if code != exitFindings || !strings.Contains(out, "-:2:23: DD005 warning") || !strings.Contains(out, "in 1 file") {
		t.Errorf("check -: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := runCLI(t, stdinCLI(clean), "check", "-"); code != exitClean {
		t.Errorf("check - on a clean file: exit %d\n%s%s", code, out, errs)
	}
	// Without --stdin-filename, the current directory is the context and
	// where the configuration is looked for.
	write(t, ".", ".dockdoc.yaml", "ignore: [DD005]\n")
	if _, out, _ := runCLI(t, stdinCLI(dirty), "check", "-"); strings.Contains(out, "DD005") || !strings.Contains(out, "DD007") {
		t.Errorf("check - ignores the current directory's .dockdoc.yaml:\n%s", out)
	}
	// The machine formats name it too.
	code, out, _ = runCLI(t, stdinCLI(dirty), "check", "--format", "json", "-")
	if code != exitFindings || !strings.Contains(out, `"file": "-"`) {
		t.Errorf("check --format json -: exit %d\n%s", code, out)
	}
}

func TestCheckStdinFilename(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write(t, dir, "svc/.python-version", "3.12\n")
	write(t, dir, ".dockdoc.yaml", "ignore: [DD031]\n") // found upward from svc/
	name := filepath.Join("svc", "Dockerfile")          // need not exist
	src := "FROM python:latest\nRUN apt-get update && apt-get install curl\nUSER 1000\nCMD [\"python\"]\n"
	code, out, errs := runCLI(t, stdinCLI(src), "check", "--verbose", "--stdin-filename", name, "-")
	if code != exitFindings {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(out, name+":2:23: DD005 warning") || strings.Contains(out, "-:") {
		t.Errorf("messages do not use --stdin-filename:\n%s", out)
	}
	if strings.Contains(out, "DD031") {
		t.Errorf("the configuration above --stdin-filename's directory was not read:\n%s", out)
	}
	if !strings.Contains(errs, "Python 3.12 (.python-version)") || !strings.Contains(out, "pins 3.12 (.python-version)") {
		t.Errorf("the build context of --stdin-filename's directory was not read:\n%s%s", out, errs)
	}
	// --stdin-filename alone reads standard input too.
	if code, out, _ := runCLI(t, stdinCLI(src), "check", "--stdin-filename", name); code != exitFindings || !strings.Contains(out, name+":2:23: DD005") {
		t.Errorf("--stdin-filename without PATH: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(name); err == nil {
		t.Error("check wrote the --stdin-filename file")
	}
}

func TestFixStdin(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	// --stdin-filename names a file on disk (an editor's buffer of it):
	// it is read for nothing and written never.
	onDisk := write(t, dir, "Dockerfile", "FROM alpine:3.20\n# the version on disk\n")
	code, out, errs := runCLI(t, stdinCLI(dirty), "fix", "--stdin-filename", onDisk, "-")
	want := "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nUSER 1000\nCMD [\"curl\"]\n"
	if out != want {
		t.Errorf("fix - wrote to stdout:\n%s\nwant:\n%s\nstderr: %s", out, want, errs)
	}
	if code != exitFindings || !strings.Contains(errs, onDisk+":2: DD005 fixed") || !strings.Contains(errs, "(remains)") || !strings.Contains(errs, "to standard output") {
		t.Errorf("fix -: exit %d, stderr:\n%s", code, errs)
	}
	if b, _ := os.ReadFile(onDisk); string(b) != "FROM alpine:3.20\n# the version on disk\n" {
		t.Errorf("fix - changed the file on disk:\n%s", b)
	}
	// Nothing to fix: the file comes back as it was.
	if code, out, _ := runCLI(t, stdinCLI(clean), "fix", "-"); code != exitClean || out != clean {
		t.Errorf("fix - on a clean file: exit %d\n%q", code, out)
	}
	// --diff: the diff, nothing else on stdout.
	code, out, errs = runCLI(t, stdinCLI(dirty), "fix", "--diff", "-")
	if code != exitFindings || !strings.HasPrefix(out, "--- a/-\n+++ b/-\n") || !strings.Contains(out, "+RUN apt-get update && apt-get install -y curl") {
		t.Errorf("fix --diff -: exit %d\n%s%s", code, out, errs)
	}
	// A fix that edits another file (.dockerignore) writes nothing there.
	write(t, dir, "py/.venv/x", "x")
	src := "FROM python:3.12\nWORKDIR /app\nCOPY . .\nUSER 1000\nCMD [\"python\", \"app.py\"]\n"
	code, out, errs = runCLI(t, stdinCLI(src), "fix", "--unsafe", "--stdin-filename", "py/Dockerfile", "-")
	if _, err := os.Stat("py/.dockerignore"); err == nil {
		t.Error("fix - wrote py/.dockerignore")
	}
	if out != src || code != exitFindings || !strings.Contains(errs, ".dockerignore: not written") {
		t.Errorf("fix - with a .dockerignore fix: exit %d\n%s\n%s", code, out, errs)
	}
	// A file that does not parse comes back unchanged, exit 2.
	bad := "FROM alpine\nRUN <<EOF\necho hi\n"
	if code, out, errs := runCLI(t, stdinCLI(bad), "fix", "-"); code != exitError || out != bad || !strings.Contains(errs, "-:") {
		t.Errorf("fix - on a file that does not parse: exit %d\n%q\n%s", code, out, errs)
	}
}

func TestStdinErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, tc := range []struct {
		args []string
		src  string
		want string
	}{
		{[]string{"check", "-", "Dockerfile"}, dirty, "cannot be combined"},
		{[]string{"fix", "-", "-"}, dirty, "cannot be combined"},
		{[]string{"check", "--stdin-filename", "x/Dockerfile", "Dockerfile"}, dirty, "give - (or no PATH)"},
		{[]string{"check", "-"}, "FROM a\x00", "-: binary file"},
		{[]string{"check", "--stdin-filename", "svc/Dockerfile", "-"}, "", "svc/Dockerfile: "},
		{[]string{"fix", "-"}, "FROM alpine\n" + strings.Repeat("# padding padding padding\n", 100000), "-: standard input is over 2 MB"},
	} {
		code, out, errs := runCLI(t, stdinCLI(tc.src), tc.args...)
		if code != exitError || !strings.Contains(errs, tc.want) || out != "" && tc.args[0] == "fix" {
			t.Errorf("%v: exit %d, want 2 and %q\nstdout: %.200s\nstderr: %s", tc.args, code, tc.want, out, errs)
		}
	}
}
