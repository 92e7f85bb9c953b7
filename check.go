package main

// dockdoc check: find the Dockerfiles, diagnose them, report.

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/dockdoc/dockdoc/diagnose"
)

// contextCache reads each build context once per run: a monorepo's
// Dockerfiles often share a directory. A Dockerfile with its own
// <name>.dockerignore gets its own context.
type contextCache struct {
	mu sync.Mutex
	m  map[string]*diagnose.BuildContext
}

func newContextCache() *contextCache { return &contextCache{m: map[string]*diagnose.BuildContext{}} }

func (cc *contextCache) get(dockerfile, dir string) *diagnose.BuildContext {
	if dir == "" {
		dir = filepath.Dir(dockerfile)
	}
	key := dir
	if _, err := os.Stat(dockerfile + ".dockerignore"); err == nil {
		key = dir + "\x00" + dockerfile
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if c, ok := cc.m[key]; ok {
		return c
	}
	c := diagnose.LoadContext(dir, dockerfile)
	cc.m[key] = c
	return c
}

// fileReport is the diagnosis of one file.
type fileReport struct {
	path     string
	doc      *diagnose.Document
	cfg      *diagnose.Config
	findings []diagnose.Finding
	err      error // input error: the file could not be diagnosed
}

// diagnoseAll loads and diagnoses files concurrently (bounded by the
// number of CPUs) and returns the reports in the files' order.
// configFor finds the configuration for a Dockerfile: --config, or the
// nearest .dockdoc.yaml / .hadolint.yaml from its directory upward.
func configFor(path, explicit string) (*diagnose.Config, error) {
	if explicit != "" {
		return diagnose.LoadConfig(explicit)
	}
	return diagnose.FindConfig(path)
}

func (c *cli) diagnoseAll(paths []string, base diagnose.Options, ctxDir, config string) []fileReport {
	reports := make([]fileReport, len(paths))
	contexts := newContextCache()
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			r := fileReport{path: p}
			doc, _, err := diagnose.Load(c.fsys, p)
			if err != nil {
				r.err = err
			} else if cfg, cerr := configFor(p, config); cerr != nil {
				r.err = cerr
			} else {
				opts := base
				opts.Ctx = contexts.get(p, ctxDir)
				opts.Config = withDigestRule(cfg, opts.Resolve != nil)
				r.doc = doc
				r.cfg = cfg
				r.findings = diagnose.Run(doc, opts)
			}
			reports[i] = r
		}()
	}
	wg.Wait()
	return reports
}

func (c *cli) check(args []string) int {
	var cf commonFlags
	fs := c.flags("check", &cf)
	fs.StringVar(&cf.output, "output", "", "write the report to this file instead of stdout")
	fs.StringVar(&cf.output, "o", "", "short for --output")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	cf.failSet = flagSet(fs, "fail-level")
	if !c.validate(&cf) {
		return exitError
	}
	files, err := diagnose.Discover(paths)
	if err != nil {
		code := exitError
		if cf.format == "text" {
			c.inputError(err)
		} else {
			// Machine formats still write a report (a SARIF log for the
			// upload step) that carries the error.
			code = c.report(discoverReport(err), cf)
		}
		if len(paths) == 0 {
			fmt.Fprintln(c.stderr, "dockdoc: to see what dockdoc does, try: dockdoc demo")
		}
		return code
	}
	reports := c.diagnoseAll(files, diagnose.Options{Only: cf.only, ReportUnused: cf.unused, Resolve: cf.resolver}, cf.context, cf.config)
	if cf.verbose {
		for _, r := range reports {
			if r.doc != nil {
				fmt.Fprintf(c.stderr, "%s: %s\n", r.path, r.doc.Ctx.Summary())
			}
		}
	}
	return c.report(reports, cf)
}

func (c *cli) inputError(err error) {
	fmt.Fprintf(c.stderr, "dockdoc: %v\n", err)
}

func countOK(reports []fileReport) int {
	n := 0
	for _, r := range reports {
		if r.err == nil {
			n++
		}
	}
	return n
}
