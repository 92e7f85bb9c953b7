package main

// The interactive doctor, the guided lesson and the demo.

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dockdoc/dockdoc/demo"
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/dockdoc/dockdoc/ui"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

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
	dopts := diagnose.Options{Ctx: buildctx.For(path, "")}
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
