package main

// The flags the commands share, and how they are parsed and checked.

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// parseInterspersed parses flags that may come before, between or after
// the positional arguments (dockdoc check Dockerfile --format json).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

type commonFlags struct {
	format    string
	failLevel string
	rules     string
	context   string
	output    string // check --output: write the report to this file
	verbose   bool
	suppress  bool
	config    string
	stdinName string // --stdin-filename: the path standard input stands for
	unused    bool
	resolve   bool // --resolve: ask registries for digests (DD095)
	effects   bool // check --effects: each fix's effect on the image (JSON)
	failSet   bool
	fail      diagnose.Severity
	only      []string
	// resolver is set by validate when --resolve was given (one per run,
	// so each image is asked for once); nil keeps dockdoc offline.
	resolver func(image string) (string, error)
}

func (c *cli) flags(name string, cf *commonFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprint(c.stderr, usage) }
	fs.StringVar(&cf.format, "format", "text", formatList())
	fs.StringVar(&cf.format, "f", "text", "short for --format")
	fs.StringVar(&cf.failLevel, "fail-level", "info", "error|warning|info|style|none")
	fs.StringVar(&cf.rules, "rule", "", "comma-separated rule codes, names or aliases")
	fs.StringVar(&cf.context, "context", "", "build context directory")
	fs.BoolVar(&cf.verbose, "verbose", false, "say what was read from the build context")
	fs.StringVar(&cf.config, "config", "", "configuration file (default: the nearest .dockdoc.yaml, else .hadolint.yaml)")
	fs.StringVar(&cf.stdinName, "stdin-filename", "", "with PATH -: the path standard input stands for (messages, build context, configuration)")
	fs.BoolVar(&cf.unused, "report-unused", false, "report suppression comments that silence nothing (DD094)")
	fs.BoolVar(&cf.resolve, "resolve", false, "ask registries which digest each base image tag points to, and pin it (DD095; uses the network and your Docker credentials)")
	return fs
}

// failFor is the fail level for a file: --fail-level when given,
// otherwise the configuration's, otherwise info.
func (cf commonFlags) failFor(cfg *diagnose.Config) diagnose.Severity {
	if !cf.failSet && cfg != nil && cfg.FailLevel != "" {
		if s, err := diagnose.ParseSeverity(cfg.FailLevel); err == nil {
			return s
		}
	}
	return cf.fail
}

func (c *cli) validate(cf *commonFlags) bool {
	if !validFormat(cf.format) {
		fmt.Fprintf(c.stderr, "dockdoc: unknown format %q (want %s)\n", cf.format, formatList())
		return false
	}
	if cf.config != "" {
		if _, err := diagnose.LoadConfig(cf.config); err != nil {
			fmt.Fprintf(c.stderr, "dockdoc: %v\n", err)
			return false
		}
	}
	lvl, err := diagnose.ParseSeverity(cf.failLevel)
	if err != nil {
		fmt.Fprintf(c.stderr, "dockdoc: --fail-level: %v\n", err)
		return false
	}
	cf.fail = lvl
	if cf.rules != "" {
		for _, s := range strings.Split(cf.rules, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			if diagnose.Lookup(s) == nil {
				fmt.Fprintf(c.stderr, "dockdoc: --rule: no rule %q (see dockdoc rules)\n", s)
				return false
			}
			cf.only = append(cf.only, s)
		}
	}
	if cf.context != "" {
		if fi, err := os.Stat(cf.context); err != nil || !fi.IsDir() {
			fmt.Fprintf(c.stderr, "dockdoc: --context %s: not a directory\n", cf.context)
			return false
		}
	}
	c.setupResolve(cf) // --resolve (main_resolve.go)
	return true
}
