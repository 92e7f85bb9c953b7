// Command dockdoc is the Dockerfile doctor: it finds what is wrong in a
// Dockerfile, explains it, and fixes it, one toggleable fix at a time.
//
//	dockdoc check [PATH...]    report findings (text, JSON, SARIF, GitHub annotations, checkstyle, GNU)
//	dockdoc fix [PATH...]      apply safe fixes (--unsafe for more, --diff to preview)
//	dockdoc explain RULE       teach one rule
//	dockdoc rules              list every rule
//	dockdoc demo               run on an embedded sample project
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/dockdoc/dockdoc/demo"
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/dockdoc/dockdoc/ui"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
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
  dockdoc explain RULE                explain a rule (code, name, or hadolint/BuildKit alias)
  dockdoc rules [--format text|json]  list every rule
  dockdoc demo                        the interactive doctor on an embedded sample project
  dockdoc guide [PATH]                a guided lesson: one finding at a time, like git add -p
  dockdoc completion bash|zsh|fish    print a shell completion script
  dockdoc [PATH...]                   the interactive doctor (on a terminal; otherwise check)

PATH is a Dockerfile or a directory to search (Dockerfile, Containerfile,
Dockerfile.*, *.Dockerfile; .git, node_modules and vendor are skipped).
No PATH means the current directory.

check flags:
  -f, --format FORMAT    text|json|sarif|github|checkstyle|gnu (default text)
  -o, --output FILE      write the report to FILE instead of stdout
  --fail-level LEVEL     error|warning|info|style|none: exit 1 when a finding is at
                         or above it (default info)
  --rule CODE[,CODE]     only these rules (codes, names or aliases)
  --context DIR          build context (default: each Dockerfile's directory)
  --resolve              ask registries for base image digests (DD095); off by
                         default: without it dockdoc never uses the network

interactive flags (dockdoc [PATH...], guide, demo):
  --no-color             no colours (NO_COLOR is honoured too)
  --rule CODE[,CODE]     only these rules

fix flags:
  --unsafe               also apply unsafe fixes (they may change behaviour)
  --diff                 print a unified diff and write nothing
  --rule CODE[,CODE]     only fix findings of these rules
  --suppress             add "# dockdoc ignore=CODE" above every finding that remains
  --fail-level LEVEL     as for check, applied to what remains after fixing
  --context DIR          build context
  --config FILE          configuration file
  --resolve              pin base images by digest (image:tag@sha256:...), asking
                         their registries with your Docker credentials (DD095)

Exit status: 0 clean, 1 findings at or above the fail level, 2 usage, I/O or
input error (missing, unreadable, binary, empty or unparsable file).
`

func main() {
	// dockdoc is a short-lived batch process: trading memory for fewer
	// garbage collections makes check over a monorepo ~35% faster (see the
	// README's Performance section); peak memory stays near 100 MB.
	debug.SetGCPercent(400)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type cli struct {
	stdout, stderr io.Writer
	fsys           fixes.FS
	isTTY          bool
}

func run(args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr, fsys: fixes.OS{}}
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
		fmt.Fprintln(stdout, "dockdoc", version())
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
	case "check", "fix", "explain", "rules", "demo", "guide", "completion", "help", "-h", "--help", "version", "--version":
		return true
	}
	return false
}

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
	unused    bool
	resolve   bool // --resolve: ask registries for digests (DD095)
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

// best is the safest applicable fix a finding offers, or DisplayOnly.
func best(f diagnose.Finding) fixes.Applicability {
	b := fixes.DisplayOnly
	for _, fx := range f.Fixes {
		if fx.Applicability > b && !fx.Manual {
			b = fx.Applicability
		}
	}
	return b
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	if strings.HasSuffix(word, "s") || strings.HasSuffix(word, "x") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func (c *cli) fix(args []string) int {
	var cf commonFlags
	fs := c.flags("fix", &cf)
	unsafe := fs.Bool("unsafe", false, "also apply unsafe fixes")
	diffOnly := fs.Bool("diff", false, "print a unified diff, write nothing")
	suppressRest := fs.Bool("suppress", false, "add a # dockdoc ignore= comment for every finding that remains")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	cf.failSet = flagSet(fs, "fail-level")
	cf.suppress = *suppressRest
	if !c.validate(&cf) {
		return exitError
	}
	if cf.format != "text" {
		fmt.Fprintln(c.stderr, "dockdoc: fix prints text; use check --format json for machine output")
		return exitError
	}
	files, err := diagnose.Discover(paths)
	if err != nil {
		c.inputError(err)
		return exitError
	}
	min := fixes.Safe
	if *unsafe {
		min = fixes.Unsafe
	}
	code := exitClean
	var wrote, applied, hidden int
	for _, p := range files {
		rc, n, h, w := c.fixFile(p, cf, min, *diffOnly)
		applied += n
		hidden += h
		if w {
			wrote++
		}
		code = max(code, rc)
	}
	switch {
	case *diffOnly:
		fmt.Fprintf(c.stderr, "%s would be applied; nothing written.\n", plural(applied, "fix"))
	default:
		fmt.Fprintf(c.stderr, "Applied %s; wrote %s.\n", plural(applied, "fix"), plural(wrote, "file"))
	}
	if hidden > 0 {
		fmt.Fprintf(c.stderr, "%s not applied: they may change behaviour; use --unsafe to apply them.\n", plural(hidden, "unsafe fix"))
	}
	return code
}

// fixFile fixes one file; it returns the exit code for the file, the number
// of fixes applied, the number of unsafe fixes left aside and whether it
// wrote the file.
func (c *cli) fixFile(path string, cf commonFlags, min fixes.Applicability, diffOnly bool) (int, int, int, bool) {
	doc, stamp, err := diagnose.Load(c.fsys, path)
	if err != nil {
		c.inputError(err)
		return exitError, 0, 0, false
	}
	if doc.ParseErr != nil {
		fmt.Fprintf(c.stderr, "%s:%d: does not parse, nothing fixed: %s\n", path, doc.ParseErr.Line, doc.ParseErr.Msg)
		return exitError, 0, 0, false
	}
	cfg, err := configFor(path, cf.config)
	if err != nil {
		c.inputError(err)
		return exitError, 0, 0, false
	}
	opts := diagnose.Options{Only: cf.only, Ctx: diagnose.ContextFor(path, cf.context),
		Config: withDigestRule(cfg, cf.resolver != nil), Resolve: cf.resolver}
	if cf.verbose {
		fmt.Fprintf(c.stderr, "%s: %s\n", path, opts.Ctx.Summary())
	}
	res, err := diagnose.FixAll(path, doc.Src, opts, min)
	if err != nil {
		c.inputError(&diagnose.InputError{Path: path, Err: err})
		return exitError, 0, 0, false
	}
	if cf.suppress {
		if err := suppressRemaining(path, res, opts); err != nil {
			c.inputError(&diagnose.InputError{Path: path, Err: err})
			return exitError, 0, 0, false
		}
	}
	n := 0
	for _, r := range res.Rounds {
		for _, o := range r.Applied {
			n++
			if !diffOnly {
				fmt.Fprintf(c.stdout, "%s:%d: %s fixed: %s\n", path, o.Finding.Line, o.Finding.Rule.Code, o.Finding.Fixes[o.Alt].Title)
			}
		}
	}
	for _, o := range res.Skipped {
		fmt.Fprintf(c.stdout, "%s:%d: %s not fixed: %q %s\n", path, o.Finding.Line, o.Finding.Rule.Code, o.Finding.Fixes[o.Alt].Title, o.Reason)
	}
	if res.Unconverged {
		fmt.Fprintf(c.stdout, "%s: fixes still applying after %d rounds; stopped (re-run to continue, and please report this)\n", path, diagnose.MaxRounds)
	}
	hidden := 0
	code := exitClean
	fail := cf.failFor(cfg)
	for _, f := range res.Remaining {
		if f.Severity >= fail {
			code = exitFindings
		}
		if min == fixes.Safe && best(f) == fixes.Unsafe {
			hidden++
		}
		if !diffOnly {
			fmt.Fprintf(c.stdout, "%s:%d:%d: %s %s: %s (remains)\n", path, f.Line, f.Column, f.Rule.Code, f.Severity, f.Message)
		}
	}
	if diffOnly {
		fmt.Fprint(c.stdout, fixes.Unified(path, doc.Src, res.Out))
		for _, of := range res.Others {
			fmt.Fprint(c.stdout, fixes.Unified(of.Path, of.Before, of.After))
		}
		return code, n, hidden, false
	}
	if n == 0 {
		return code, 0, hidden, false
	}
	if err := diagnose.Verify(res.Out); err != nil {
		fmt.Fprintf(c.stderr, "%s: the fixed file would not parse (%v); nothing written — please report this\n", path, err)
		return exitError, 0, hidden, false
	}
	if err := fixes.WriteAtomic(c.fsys, stamp, res.Out); err != nil {
		if errors.Is(err, fixes.ErrChanged) {
			fmt.Fprintf(c.stderr, "dockdoc: %v; nothing written (run dockdoc fix again to fix the new content)\n", err)
		} else {
			fmt.Fprintf(c.stderr, "dockdoc: %v\n", err)
		}
		return exitError, 0, hidden, false
	}
	for _, of := range res.Others {
		if err := fixes.WriteOther(c.fsys, of.Path, of.Before, of.Create, of.After); err != nil {
			fmt.Fprintf(c.stderr, "dockdoc: %v; %s was written, this file was not\n", err, path)
			return exitError, n, hidden, true
		}
		fmt.Fprintf(c.stdout, "%s: updated with the Dockerfile's fixes\n", of.Path)
	}
	return code, n, hidden, true
}

// suppressRemaining adds the "suppress here" pragma for every finding left
// after fixing (like ruff's --add-noqa), as one more fix round.
func suppressRemaining(path string, res *diagnose.FixResult, opts diagnose.Options) error {
	doc, err := diagnose.Parse(path, res.Out)
	if err != nil {
		return err
	}
	opts.SuppressFix = true
	findings := diagnose.Run(doc, opts)
	var cs []diagnose.Choice
	for i := range findings {
		f := &findings[i]
		if n := len(f.Fixes); n > 0 && f.Fixes[n-1].Manual {
			cs = append(cs, diagnose.Choice{Finding: f, Alt: n - 1})
		}
	}
	c := diagnose.Compose(doc, cs)
	var r diagnose.Round
	for _, o := range c.Outcomes {
		if o.Status.Kind == fixes.Applied {
			r.Applied = append(r.Applied, o)
		}
	}
	res.Rounds = append(res.Rounds, r)
	res.Out = c.Out
	again, err := diagnose.Parse(path, res.Out)
	if err != nil {
		return err
	}
	res.Remaining = diagnose.Run(again, opts)
	return nil
}

func (c *cli) explain(args []string) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	format := fs.String("format", "text", "text or json")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	if len(pos) == 0 {
		fmt.Fprintln(c.stderr, "dockdoc explain: name a rule (a code like DD001, a name, or a hadolint/BuildKit alias); dockdoc rules lists them")
		return exitError
	}
	var rules []*diagnose.Rule
	for _, name := range pos {
		r := diagnose.Lookup(name)
		if r == nil {
			fmt.Fprintf(c.stderr, "dockdoc explain: no rule %q (dockdoc rules lists them)\n", name)
			return exitError
		}
		rules = append(rules, r)
	}
	switch *format {
	case "json":
		var out []map[string]any
		for _, r := range rules {
			m := ruleJSON(r)
			m["doc"] = map[string]any{"what": r.Doc.What, "why": r.Doc.Why, "bad": r.Doc.Bad, "good": r.Doc.Good, "fix": r.Doc.Fix, "references": r.Doc.Refs}
			out = append(out, m)
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	case "text":
		for i, r := range rules {
			if i > 0 {
				fmt.Fprintln(c.stdout)
			}
			fmt.Fprint(c.stdout, diagnose.ExplainText(r))
		}
	default:
		fmt.Fprintf(c.stderr, "dockdoc explain: unknown format %q (want text or json)\n", *format)
		return exitError
	}
	return exitClean
}

func ruleJSON(r *diagnose.Rule) map[string]any {
	return map[string]any{
		"code": r.Code, "name": r.Name, "aliases": append([]string{}, r.Aliases...),
		"severity": r.Severity.String(), "category": string(r.Category), "summary": r.Summary,
		"fixable": r.Fixable.String(),
	}
}

func (c *cli) rules(args []string) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	format := fs.String("format", "text", "text or json")
	if _, err := parseInterspersed(fs, args); err != nil {
		return exitError
	}
	switch *format {
	case "json":
		out := []map[string]any{}
		for _, r := range diagnose.All() {
			out = append(out, ruleJSON(r))
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	case "text":
		fmt.Fprint(c.stdout, diagnose.RulesTable(false))
	default:
		fmt.Fprintf(c.stderr, "dockdoc rules: unknown format %q (want text or json)\n", *format)
		return exitError
	}
	return exitClean
}

func (c *cli) demo(args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	noColor := fs.Bool("no-color", false, "no colours")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	if len(rest) > 0 {
		fmt.Fprintln(c.stderr, "dockdoc demo takes no paths: it runs on its own sample project")
		return exitError
	}
	dir, err := os.MkdirTemp("", "dockdoc-demo-")
	if err != nil {
		fmt.Fprintf(c.stderr, "dockdoc demo: %v\n", err)
		return exitError
	}
	path, err := demo.Extract(dir)
	if err != nil {
		fmt.Fprintf(c.stderr, "dockdoc demo: %v\n", err)
		return exitError
	}
	banner := fmt.Sprintf("Demo: a sample project was copied to %s; writes go there, never to your files.", dir)
	if c.isTTY {
		return c.runTUI([]string{path}, ui.Options{Banner: banner}, *noColor)
	}
	fmt.Fprintln(c.stdout, banner)
	fmt.Fprintln(c.stdout, "(Not a terminal, so here is the report and the diff; run dockdoc demo in a terminal for the interactive doctor.)")
	fmt.Fprintln(c.stdout, "\n== dockdoc check ==")
	c.check([]string{path})
	doc, _, err := diagnose.Load(c.fsys, path)
	if err != nil {
		c.inputError(err)
		return exitError
	}
	fmt.Fprintln(c.stdout, "\n== dockdoc fix --diff (safe fixes) ==")
	dopts := diagnose.Options{Ctx: diagnose.ContextFor(path, "")}
	safe, err := diagnose.FixAll(path, doc.Src, dopts, fixes.Safe)
	if err != nil {
		c.inputError(err)
		return exitError
	}
	fmt.Fprint(c.stdout, fixes.Unified("Dockerfile", doc.Src, safe.Out))
	printOthers(c.stdout, dir, safe.Others)
	all, err := diagnose.FixAll(path, doc.Src, dopts, fixes.Unsafe)
	if err != nil {
		c.inputError(err)
		return exitError
	}
	if string(all.Out) != string(safe.Out) {
		fmt.Fprintln(c.stdout, "\n== dockdoc fix --diff --unsafe (all fixes, including those that change behaviour) ==")
		fmt.Fprint(c.stdout, fixes.Unified("Dockerfile", doc.Src, all.Out))
		printOthers(c.stdout, dir, all.Others)
	}
	fmt.Fprintf(c.stdout, "\nLearn why each finding matters: dockdoc explain <CODE>. Apply the fixes: dockdoc fix %s\n", path)
	return exitClean
}

// printOthers prints the diffs of the other files fixes change, named
// relative to dir.
func printOthers(w io.Writer, dir string, others []diagnose.OtherFile) {
	for _, of := range others {
		name := of.Path
		if rel, err := filepath.Rel(dir, of.Path); err == nil {
			name = rel
		}
		fmt.Fprint(w, fixes.Unified(name, of.Before, of.After))
	}
}

// interactive opens the doctor (or the guided lesson) on a terminal; with
// no terminal it says why and runs check instead (guide cannot).
func (c *cli) interactive(args []string, guided bool) int {
	fs := flag.NewFlagSet("dockdoc", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprint(c.stderr, usage) }
	noColor := fs.Bool("no-color", false, "no colours")
	rules := fs.String("rule", "", "comma-separated rule codes")
	context := fs.String("context", "", "build context directory")
	config := fs.String("config", "", "configuration file")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	if !c.isTTY {
		if guided {
			fmt.Fprintln(c.stderr, "dockdoc guide: the guided lesson needs a terminal (stdin and stdout); use dockdoc check or dockdoc fix --diff")
			return exitError
		}
		fmt.Fprintln(c.stderr, "dockdoc: not a terminal, so running check (dockdoc check does the same; the interactive doctor needs stdin and stdout on a terminal)")
		checkArgs := append([]string{}, paths...)
		if *rules != "" {
			checkArgs = append(checkArgs, "--rule", *rules)
		}
		if *context != "" {
			checkArgs = append(checkArgs, "--context", *context)
		}
		return c.check(checkArgs)
	}
	cf := commonFlags{format: "text", failLevel: "info", rules: *rules, context: *context, config: *config}
	if !c.validate(&cf) {
		return exitError
	}
	files, err := diagnose.Discover(paths)
	if err != nil {
		c.inputError(err)
		fmt.Fprintln(c.stderr, "dockdoc: to see what dockdoc does on a sample project, run: dockdoc demo")
		return exitError
	}
	if guided && len(files) > 1 {
		fmt.Fprintf(c.stderr, "dockdoc guide: found %d Dockerfiles; name one (dockdoc guide path/to/Dockerfile)\n", len(files))
		return exitError
	}
	return c.runTUI(files, ui.Options{Guided: guided, Diag: diagnose.Options{Only: cf.only}, ContextDir: cf.context, ConfigPath: cf.config}, *noColor)
}

func (c *cli) runTUI(files []string, opts ui.Options, noColor bool) int {
	if noColor {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	opts.FS = c.fsys
	m := ui.New(files, opts)
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion())
	if _, err := p.Run(); err != nil {
		fmt.Fprintf(c.stderr, "dockdoc: %v\n", err)
		return exitError
	}
	for _, w := range m.Wrote {
		fmt.Fprintln(c.stdout, w)
	}
	if msg := m.ExitNote(); msg != "" {
		fmt.Fprintln(c.stderr, msg)
		return exitError
	}
	return exitClean
}
