package main

// dockdoc check: find the Dockerfiles, diagnose them, report.
//
// The files are diagnosed concurrently, and each file's report is written
// as soon as it and the files before it are done, so memory stays flat in
// the number of files: a run holds the Documents of a bounded window of
// files, not of all of them (see diagnoseEach).

import (
	"container/list"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
)

// runCache remembers what a run reads once per directory (a build
// context, a configuration): a monorepo's Dockerfiles often share a
// directory. It keeps the most recently used entries only, so that a run
// over thousands of directories does not hold all of them; discovery
// walks a directory's files together, so an entry is rarely read twice.
type runCache[V any] struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cacheEntry[V], most recently used first
	m     map[string]*list.Element
}

type cacheEntry[V any] struct {
	key string
	val V
}

// cachedDirs is how many directories a runCache remembers.
const cachedDirs = 256

func newRunCache[V any](max int) *runCache[V] {
	return &runCache[V]{max: max, order: list.New(), m: map[string]*list.Element{}}
}

// get returns the value for key, calling load (under the cache's lock, so
// that a key is loaded once however many files ask at the same time) when
// it is not remembered.
func (rc *runCache[V]) get(key string, load func() V) V {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if e, ok := rc.m[key]; ok {
		rc.order.MoveToFront(e)
		return e.Value.(*cacheEntry[V]).val
	}
	v := load()
	rc.m[key] = rc.order.PushFront(&cacheEntry[V]{key, v})
	if rc.order.Len() > rc.max {
		last := rc.order.Back()
		rc.order.Remove(last)
		delete(rc.m, last.Value.(*cacheEntry[V]).key)
	}
	return v
}

// contextCache reads each build context once per run. A Dockerfile with
// its own <name>.dockerignore gets its own context.
type contextCache struct {
	c *runCache[*buildctx.Context]
}

func newContextCache() *contextCache {
	return &contextCache{newRunCache[*buildctx.Context](cachedDirs)}
}

func (cc *contextCache) get(dockerfile, dir string) *buildctx.Context {
	if dir == "" {
		dir = filepath.Dir(dockerfile)
	}
	key := dir
	if _, err := os.Stat(dockerfile + ".dockerignore"); err == nil {
		key = dir + "\x00" + dockerfile
	}
	return cc.c.get(key, func() *buildctx.Context { return buildctx.Load(dir, dockerfile) })
}

// configCache finds each directory's configuration once per run: --config
// when given (read once), otherwise the nearest .dockdoc.yaml /
// .hadolint.yaml from the Dockerfile's directory upward. Files of one
// directory share the *diagnose.Config, which diagnosing never changes.
type configCache struct {
	explicit string
	c        *runCache[configResult]
}

type configResult struct {
	cfg *diagnose.Config
	err error
}

func newConfigCache(explicit string) *configCache {
	return &configCache{explicit: explicit, c: newRunCache[configResult](cachedDirs)}
}

func (cc *configCache) get(path string) (*diagnose.Config, error) {
	key := cc.explicit
	if key == "" {
		key = "dir:" + filepath.Dir(path)
	}
	r := cc.c.get(key, func() configResult {
		cfg, err := configFor(path, cc.explicit)
		return configResult{cfg, err}
	})
	return r.cfg, r.err
}

// fileReport is the diagnosis of one file.
type fileReport struct {
	path     string
	doc      *diagnose.Document
	cfg      *diagnose.Config
	findings []diagnose.Finding
	err      error // input error: the file could not be diagnosed
	// fingerprints, when not nil, are the findings' SARIF fingerprints
	// (check --baseline computes them before it drops known findings).
	fingerprints []string
}

// configFor finds the configuration for a Dockerfile: --config, or the
// nearest .dockdoc.yaml / .hadolint.yaml from its directory upward.
func configFor(path, explicit string) (*diagnose.Config, error) {
	if explicit != "" {
		return diagnose.LoadConfig(explicit)
	}
	return diagnose.FindConfig(path)
}

// windowPerCPU bounds how far diagnosis may run ahead of the report: at
// most this many files per CPU are diagnosed and not yet written (a slow
// file holds the ones after it until it is done).
const windowPerCPU = 4

// diagnoseEach loads and diagnoses files concurrently (as many at a time
// as there are CPUs) and calls emit with each report in the files' order,
// as soon as it and the reports before it are done. A report is dropped
// once emit returns.
func (c *cli) diagnoseEach(paths []string, base diagnose.Options, ctxDir, config string, emit func(fileReport)) {
	workers := runtime.GOMAXPROCS(0)
	// pending holds, in the files' order, one channel per file started and
	// not yet emitted; its capacity is the window.
	pending := make(chan chan fileReport, windowPerCPU*workers)
	cpu := make(chan struct{}, workers)
	contexts := newContextCache()
	configs := newConfigCache(config)
	go func() {
		defer close(pending)
		for _, p := range paths {
			done := make(chan fileReport, 1)
			pending <- done
			cpu <- struct{}{}
			go func() {
				defer func() { <-cpu }()
				done <- c.diagnoseFile(p, base, ctxDir, contexts, configs)
			}()
		}
	}()
	for done := range pending {
		emit(<-done)
	}
}

// diagnoseFile loads and diagnoses one file.
func (c *cli) diagnoseFile(p string, base diagnose.Options, ctxDir string, contexts *contextCache, configs *configCache) fileReport {
	r := fileReport{path: p}
	doc, _, err := c.load(p)
	if err != nil {
		r.err = err
	} else if cfg, cerr := configs.get(p); cerr != nil {
		r.err = cerr
	} else {
		opts := base
		opts.Ctx = contexts.get(p, ctxDir)
		opts.Config = withDigestRule(cfg, opts.Resolve != nil)
		r.doc = doc
		r.cfg = cfg
		r.findings = diagnose.Run(doc, opts)
	}
	return r
}

func (c *cli) check(args []string) int {
	var cf commonFlags
	fs := c.flags("check", &cf)
	fs.StringVar(&cf.output, "output", "", "write the report to this file instead of stdout")
	fs.StringVar(&cf.output, "o", "", "short for --output")
	fs.BoolVar(&cf.effects, "effects", false, "with --format json: say what each fix changes in the image (BuildKit's conversion, offline)")
	baseline := fs.String("baseline", "", "report only the findings this baseline file (dockdoc baseline) does not hold")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	cf.failSet = flagSet(fs, "fail-level")
	if !c.validate(&cf) {
		return exitError
	}
	var known *baselineFilter
	if *baseline != "" {
		if known, err = newBaselineFilter(*baseline, cf.format); err != nil {
			fmt.Fprintf(c.stderr, "dockdoc: --baseline %s: %v\n", *baseline, err)
			return exitError
		}
	}
	files, ok, err := c.inputFiles(paths, &cf)
	if !ok {
		return exitError
	}
	if in := outputIsInput(cf.output, slices.Concat(files, paths, []string{cf.config, *baseline})); in != "" {
		fmt.Fprintf(c.stderr, "dockdoc: --output %s is %s, which check reads; refusing to overwrite it (nothing written)\n", cf.output, in)
		return exitError
	}
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
	rs := c.newReportStream(cf)
	c.diagnoseEach(files, diagnose.Options{Only: cf.only, ReportUnused: cf.unused, Resolve: cf.resolver}, cf.context, cf.config, func(r fileReport) {
		if cf.verbose && r.doc != nil {
			fmt.Fprintf(c.stderr, "%s: %s\n", r.path, r.doc.Ctx.Summary())
		}
		if known != nil {
			known.filter(&r)
		}
		rs.add(r)
	})
	if known != nil && known.known > 0 {
		fmt.Fprintf(c.stderr, "dockdoc: %s in the baseline %s not shown.\n", plural(known.known, "finding"), *baseline)
	}
	return rs.close()
}

// outputIsInput returns the input that check --output would overwrite:
// the same file, by any path, symlink or hard link (os.SameFile), or "".
func outputIsInput(output string, inputs []string) string {
	if output == "" {
		return ""
	}
	out, err := os.Stat(output)
	if err != nil {
		return "" // a new file is no input
	}
	for _, p := range inputs {
		if p == "" {
			continue
		}
		if fi, err := os.Stat(p); err == nil && os.SameFile(out, fi) {
			return p
		}
	}
	return ""
}

func (c *cli) inputError(err error) {
	fmt.Fprintf(c.stderr, "dockdoc: %v\n", err)
}
