package main

// dockdoc fix: apply fixes and write the files (or print a diff).

import (
	"errors"
	"fmt"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/effects"
	"github.com/dockdoc/dockdoc/fixes"
)

func (c *cli) fix(args []string) int {
	var cf commonFlags
	fs := c.flags("fix", &cf)
	unsafe := fs.Bool("unsafe", false, "also apply unsafe fixes")
	diffOnly := fs.Bool("diff", false, "print a unified diff, write nothing")
	suppressRest := fs.Bool("suppress", false, "add a # dockdoc ignore= comment for every finding that remains")
	fs.BoolVar(&cf.effects, "effects", false, "with --diff: say what the fixes change in the image (BuildKit's conversion, offline)")
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
	files, ok, err := c.inputFiles(paths, &cf)
	if !ok {
		return exitError
	}
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
		wrote += w
		code = max(code, rc)
	}
	switch {
	case *diffOnly:
		fmt.Fprintf(c.stderr, "%s would be applied; nothing written.\n", plural(applied, "fix"))
	case c.in != nil && wrote > 0:
		fmt.Fprintf(c.stderr, "Applied %s; wrote the file to standard output.\n", plural(applied, "fix"))
	case c.in != nil:
		fmt.Fprintf(c.stderr, "Applied %s; wrote nothing.\n", plural(applied, "fix"))
	default:
		fmt.Fprintf(c.stderr, "Applied %s; wrote %s.\n", plural(applied, "fix"), plural(wrote, "file"))
	}
	if hidden > 0 {
		fmt.Fprintf(c.stderr, "%s not applied: they may change behaviour; use --unsafe to apply them.\n", plural(hidden, "unsafe fix"))
	}
	return code
}

// effectLine says in words what the fixed file changes in the image, as
// BuildKit's conversion sees it.
func effectLine(path string, before, after []byte) string {
	e, err := effects.Of(path, before, after)
	if err != nil {
		return "effect on the image unknown: " + err.Error()
	}
	return e.Summary()
}

// fixFile fixes one file; it returns the exit code for the file, the number
// of fixes applied, the number of unsafe fixes left aside and how many
// files it wrote (the Dockerfile when its bytes change, and the other files
// its fixes edit, such as a .dockerignore created beside it; 1 for
// standard output).
//
// The Dockerfile of standard input (fix -) is written to standard output,
// fixed, and what fix says about it goes to stderr; when it cannot be
// fixed (it does not parse, a configuration error), it is written back as
// it came, so that a pipe never loses it. With --diff, the diff is on
// standard output as for a file.
func (c *cli) fixFile(path string, cf commonFlags, min fixes.Applicability, diffOnly bool) (int, int, int, int) {
	doc, stamp, err := c.load(path)
	if err != nil {
		c.inputError(err)
		return exitError, 0, 0, 0
	}
	toStdout := c.in != nil && !diffOnly
	failed := func() (int, int, int, int) {
		if toStdout {
			c.stdout.Write(doc.Src)
			return exitError, 0, 0, 1
		}
		return exitError, 0, 0, 0
	}
	if doc.ParseErr != nil {
		fmt.Fprintf(c.stderr, "%s:%d: does not parse, nothing fixed: %s\n", path, doc.ParseErr.Line, doc.ParseErr.Msg)
		return failed()
	}
	cfg, err := configFor(path, cf.config)
	if err != nil {
		c.inputError(err)
		return failed()
	}
	opts := diagnose.Options{Only: cf.only, Ctx: buildctx.For(path, cf.context),
		Config: withDigestRule(cfg, cf.resolver != nil), Resolve: cf.resolver}
	if cf.verbose {
		fmt.Fprintf(c.stderr, "%s: %s\n", path, opts.Ctx.Summary())
	}
	res, err := diagnose.FixAll(path, doc.Src, opts, min)
	if err != nil {
		c.inputError(&diagnose.InputError{Path: path, Err: err})
		return failed()
	}
	if cf.suppress {
		if err := suppressRemaining(path, res, opts); err != nil {
			c.inputError(&diagnose.InputError{Path: path, Err: err})
			return failed()
		}
	}
	msgs := c.stdout
	if toStdout {
		msgs = c.stderr // standard output is the file
	}
	n := 0
	for _, r := range res.Rounds {
		for _, o := range r.Applied {
			n++
			if !diffOnly {
				fmt.Fprintf(msgs, "%s:%d: %s fixed: %s\n", path, o.Finding.Line, o.Finding.Rule.Code, o.Finding.Fixes[o.Alt].Title)
			}
		}
	}
	for _, o := range res.Skipped {
		fmt.Fprintf(msgs, "%s:%d: %s not fixed: %q %s\n", path, o.Finding.Line, o.Finding.Rule.Code, o.Finding.Fixes[o.Alt].Title, o.Reason)
	}
	if res.Unconverged {
		fmt.Fprintf(msgs, "%s: fixes still applying after %d rounds; stopped (re-run to continue, and please report this)\n", path, diagnose.MaxRounds)
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
			fmt.Fprintf(msgs, "%s:%d:%d: %s %s: %s (remains)\n", path, f.Line, f.Column, f.Rule.Code, f.Severity, f.Message)
		}
	}
	if diffOnly {
		fmt.Fprint(c.stdout, fixes.Unified(path, doc.Src, res.Out))
		for _, of := range res.Others {
			fmt.Fprint(c.stdout, fixes.Unified(of.Path, of.Before, of.After))
		}
		if cf.effects && n > 0 {
			fmt.Fprintf(c.stdout, "%s: %s\n", path, effectLine(path, doc.Src, res.Out))
		}
		return code, n, hidden, 0
	}
	if toStdout {
		return c.fixToStdout(path, doc.Src, res, code, n, hidden)
	}
	if n == 0 {
		return code, 0, hidden, 0
	}
	if err := diagnose.Verify(res.Out); err != nil {
		fmt.Fprintf(c.stderr, "%s: the fixed file would not parse (%v); nothing written — please report this\n", path, err)
		return exitError, 0, hidden, 0
	}
	// The Dockerfile and the other files its fixes edit are written
	// together: all of them or none.
	changes := []fixes.Change{{Stamp: stamp, Data: res.Out}}
	for _, of := range res.Others {
		ch, err := fixes.OtherChange(c.fsys, of.Path, of.Before, of.Create, of.After)
		if err != nil {
			return c.writeFailed(err), 0, hidden, 0
		}
		changes = append(changes, ch)
	}
	if err := fixes.WriteAll(c.fsys, changes); err != nil {
		return c.writeFailed(err), 0, hidden, 0
	}
	files := len(res.Others) // the files whose bytes change: .dockerignore too
	if string(res.Out) != string(doc.Src) {
		files++
	}
	for _, of := range res.Others {
		fmt.Fprintf(c.stdout, "%s: updated with the Dockerfile's fixes\n", of.Path)
	}
	return code, n, hidden, files
}

// fixToStdout writes the fixed Dockerfile of standard input to standard
// output (the input as it came when the fixed file would not parse). The
// other files its fixes edit (.dockerignore) are not written.
func (c *cli) fixToStdout(path string, src []byte, res *diagnose.FixResult, code, n, hidden int) (int, int, int, int) {
	if err := diagnose.Verify(res.Out); n > 0 && err != nil {
		fmt.Fprintf(c.stderr, "%s: the fixed file would not parse (%v); written unchanged — please report this\n", path, err)
		c.stdout.Write(src)
		return exitError, 0, hidden, 1
	}
	c.stdout.Write(res.Out)
	for _, of := range res.Others {
		// What the file needs is not done: count it as a finding left.
		fmt.Fprintf(c.stderr, "%s: %v\n", of.Path, errNoWrite)
		code = max(code, exitFindings)
	}
	return code, n, hidden, 1
}

// writeFailed reports a write that wrote nothing.
func (c *cli) writeFailed(err error) int {
	if errors.Is(err, fixes.ErrChanged) {
		fmt.Fprintf(c.stderr, "dockdoc: %v; nothing written (run dockdoc fix again to fix the new content)\n", err)
	} else {
		fmt.Fprintf(c.stderr, "dockdoc: %v\n", err)
	}
	return exitError
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
