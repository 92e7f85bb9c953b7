// Command dockdoc is the Dockerfile doctor: it finds what is wrong in a
// Dockerfile, explains it, and fixes it, one toggleable fix at a time.
//
//	dockdoc check [PATH...]    report findings (text, JSON, SARIF, GitHub annotations, checkstyle, GNU)
//	dockdoc fix [PATH...]      apply safe fixes (--unsafe for more, --diff to preview)
//	dockdoc baseline [PATH...] record today's findings; check --baseline shows only new ones
//	dockdoc explain RULE       teach one rule
//	dockdoc rules              list every rule
//	dockdoc demo               run on an embedded sample project
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	_ "github.com/dockdoc/dockdoc/diagnose/rules" // every rule family registers itself
	"github.com/dockdoc/dockdoc/fixes"

	"golang.org/x/term"
)

// Exit codes, as hadolint and ruff users expect them.
const (
	exitClean    = 0 // nothing at or above the fail level
	exitFindings = 1 // findings at or above the fail level
	exitError    = 2 // usage, I/O or input error
)

const usage = `dockdoc — the Dockerfile doctor

Usage:
  dockdoc check [flags] [PATH...]     report what is wrong (no writes)
  dockdoc fix [flags] [PATH...]       apply fixes and write the files
  dockdoc baseline [flags] [PATH...]  record today's findings, for check --baseline
  dockdoc explain RULE                explain a rule (code, name, or hadolint/BuildKit alias)
  dockdoc rules [--format text|json]  list every rule
  dockdoc demo                        the interactive doctor on an embedded sample project
  dockdoc guide [PATH]                a guided lesson: one finding at a time, like git add -p
  dockdoc completion bash|zsh|fish    print a shell completion script
  dockdoc [PATH...]                   the interactive doctor (on a terminal; otherwise check)

PATH is a Dockerfile or a directory to search (Dockerfile, Containerfile,
Dockerfile.*, *.Dockerfile; .git, node_modules and vendor are skipped).
No PATH means the current directory. PATH - reads one Dockerfile from
standard input (check -, fix -: the fixed file goes to standard output).

check flags:
  -f, --format FORMAT    text|json|sarif|github|checkstyle|gnu (default text)
  -o, --output FILE      write the report to FILE instead of stdout
  --fail-level LEVEL     error|warning|info|style|none: exit 1 when a finding is at
                         or above it (default info)
  --rule CODE[,CODE]     only these rules (codes, names or aliases)
  --context DIR          build context (default: each Dockerfile's directory)
  --stdin-filename PATH  with PATH -: the path standard input stands for, in
                         messages and to find its build context and config
  --resolve              ask registries for base image digests (DD095); off by
                         default: without it dockdoc never uses the network
  --effects              with --format json: what each fix changes in the image
                         (BuildKit's conversion, offline), or why it is refused
  --baseline FILE        report only findings FILE (dockdoc baseline) does not hold

baseline flags:
  -o, --output FILE      the baseline to write (default .dockdoc-baseline.json);
                         its paths are relative to FILE's directory; check's
                         --rule, --context, --config apply as for check

interactive flags (dockdoc [PATH...], guide, demo):
  --no-color             no colours (NO_COLOR is honoured too)
  --rule CODE[,CODE]     only these rules

fix flags:
  --unsafe               also apply unsafe fixes (they may change behaviour)
  --diff                 print a unified diff and write nothing
  --effects              with --diff: what the fixes change in the image
  --rule CODE[,CODE]     only fix findings of these rules
  --suppress             add "# dockdoc ignore=CODE" above every finding that remains
  --fail-level LEVEL     as for check, applied to what remains after fixing
  --context DIR          build context
  --config FILE          configuration file
  --stdin-filename PATH  with PATH -: as for check
  --resolve              pin base images by digest (image:tag@sha256:...), asking
                         their registries with your Docker credentials (DD095)

Exit status: 0 clean, 1 findings at or above the fail level, 2 usage, I/O or
input error (missing, unreadable, binary, empty or unparsable file).
`

// cliGCPercent is the GC target dockdoc runs with (Go's default is 100).
const cliGCPercent = 400

func main() {
	// dockdoc is a short-lived batch process: trading memory for fewer
	// garbage collections makes check over a monorepo ~35% faster (see the
	// README's Performance section); check writes as it goes, so memory
	// stays flat in the number of files.
	debug.SetGCPercent(cliGCPercent)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type cli struct {
	stdout, stderr io.Writer
	stdin          io.Reader // read by check - and fix - (nil: empty)
	fsys           fixes.FS
	isTTY          bool
	in             *stdinFile // the Dockerfile read from stdin, when the run reads it
}

func run(args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr, stdin: os.Stdin, fsys: fixes.OS{}}
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) && term.IsTerminal(int(os.Stdin.Fd())) {
		c.isTTY = true
	}
	return c.dispatch(args)
}

func (c *cli) dispatch(args []string) int {
	stdout, stderr := c.stdout, c.stderr
	if len(args) == 0 || (!isCommand(args[0]) && (strings.HasPrefix(args[0], "-") || pathExists(args[0]))) {
		return c.interactive(args, false)
	}
	switch args[0] {
	case "check":
		return c.check(args[1:])
	case "fix":
		return c.fix(args[1:])
	case "baseline":
		return c.baseline(args[1:])
	case "explain":
		return c.explain(args[1:])
	case "rules":
		return c.rules(args[1:])
	case "demo":
		return c.demo(args[1:])
	case "guide":
		return c.interactive(args[1:], true)
	case "completion":
		return c.completion(args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitClean
	case "version", "--version":
		fmt.Fprintln(stdout, versionLine())
		return exitClean
	}
	fmt.Fprintf(stderr, "dockdoc: unknown command or path %q (try dockdoc help)\n", args[0])
	return exitError
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func pathExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func isCommand(s string) bool {
	switch s {
	case "check", "fix", "baseline", "explain", "rules", "demo", "guide", "completion", "help", "-h", "--help", "version", "--version":
		return true
	}
	return false
}
