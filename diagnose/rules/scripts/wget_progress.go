package scripts

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD036",
	Name:     "wget-progress",
	Severity: diagnose.Info,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3047"},
	Summary:  "wget without a progress setting floods the build log",
	Fixable:  diagnose.FixAlways,
	Doc: diagnose.Doc{
		What: "Flags `wget` in a `RUN` or `ONBUILD RUN` that says nothing about its progress output: none of " +
			"`--progress=...`, `-q` / `--quiet`, `-nv` / `--no-verbose`, or a log file (`-o FILE`, `-a FILE`). " +
			"Short options may be grouped (`-qO-` counts as quiet). When an argument is a variable whose name " +
			"suggests options (`$WGET_ARGS`, `${WGET_OPTS}`, `\"$@\"`), the command is not flagged: the options " +
			"may well be in it (hadolint flags it, its issue #970).",
		Why: "When wget does not write to a terminal, as in a build, its default progress display prints a line of " +
			"dots for every 50 KB. Downloading a large archive puts thousands of lines into the build log, which " +
			"slows down CI viewers and pushes the lines that matter out of sight. `--progress=dot:giga` prints a " +
			"dot per 1 MB instead; `-nv` prints one line per file; `-q` prints nothing.",
		Bad:  "RUN wget https://example.com/big-archive.tar.gz",
		Good: "RUN wget --progress=dot:giga https://example.com/big-archive.tar.gz",
		Fix: "Inserts `--progress=dot:giga` right after `wget`. Safe: only the log output changes. Alpine and other " +
			"BusyBox-based images are the exception: BusyBox's own `wget` has no `--progress` option and would stop " +
			"with an error (its progress bar is also much less chatty: it redraws at most once a second). In a stage that looks BusyBox-based (an `alpine` or `busybox` base image, or `apk` in " +
			"use) and does not install GNU wget with `apk add wget`, the fix inserts `-q` instead, which both " +
			"wget implementations accept. That one is unsafe: with GNU wget, `-q` also hides error messages, so a " +
			"failed download would fail the build without saying why.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3047",
			"https://www.gnu.org/software/wget/manual/wget.html#Download-Options",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			for _, c := range runscript.InvokedCommands(d, in) {
				if c.Name() != "wget" {
					continue
				}
				if c.HasFlag("--progress", "-q", "--quiet", "-nv", "--no-verbose", "-o", "--output-file", "-a", "--append-output") {
					continue
				}
				if optionsInVariable(c) {
					continue
				}
				span, at := c.Script.Span(c.Call), c.ArgSpan(c.Prog).End
				if busyBoxWget(d, in, c) {
					f := p.Report(span, "wget without -q fills the build log with progress output")
					fx := f.AddFix("Add -q to wget", fixes.Unsafe, diagnose.Insert(at, " -q"))
					fx.Note = "This stage looks Alpine/BusyBox-based, and BusyBox wget has no --progress option. -q works " +
						"with both wget implementations; with GNU wget it also hides error messages."
					continue
				}
				f := p.Report(span, "wget without --progress=dot:giga, -nv or -q writes a line of progress dots for every 50 KB into the build log")
				f.AddFix("Add --progress=dot:giga to wget", fixes.Safe, diagnose.Insert(at, " --progress=dot:giga"))
			}
		}
	},
})

// optionsInVariable reports whether an argument of c is a variable
// that probably holds options ($WGET_OPTS, ${WGET_ARGS}, "$@").
func optionsInVariable(c *diagnose.Command) bool {
	for i := c.Prog + 1; i < len(c.Words); i++ {
		if c.Lit[i] {
			continue
		}
		src := strings.TrimPrefix(runscript.WordSource(c, i), `"`)
		if !strings.HasPrefix(src, "$") {
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(src, "$"), "{")
		end := 0
		for end < len(name) && (name[end] == '_' || name[end] >= 'A' && name[end] <= 'Z' ||
			name[end] >= 'a' && name[end] <= 'z' || name[end] >= '0' && name[end] <= '9') {
			end++
		}
		if end == 0 && name != "" && (name[0] == '@' || name[0] == '*') {
			return true
		}
		up := strings.ToUpper(name[:end])
		for _, hint := range []string{"OPT", "ARG", "FLAG", "PARAM"} {
			if strings.Contains(up, hint) {
				return true
			}
		}
	}
	return false
}

// busyBoxWget reports whether the wget of c is probably BusyBox's:
// the stage (or a stage it builds on) starts from an alpine or busybox
// image or runs apk, and GNU wget is not installed with apk add before c.
func busyBoxWget(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command) bool {
	if in.Stage == nil {
		return false
	}
	chain := in.Stage.Lineage()
	base := strings.ToLower(chain[0].Image)
	busybox := strings.Contains(base, "alpine") || strings.Contains(base, "busybox")
	cpos := c.Script.Span(c.Call).Start
	for _, s := range chain {
		for _, o := range s.Instrs {
			for _, oc := range runscript.InvokedCommands(d, o) {
				verb := pkgmgr.ApkVerb(oc)
				if verb < 0 {
					continue
				}
				busybox = true
				if oc.Script.Span(oc.Call).Start >= cpos || oc.Words[verb] != "add" {
					continue
				}
				for _, i := range pkgmgr.ApkPackageArgs(oc, verb) {
					w := oc.Words[i]
					if n := strings.IndexAny(w, "=~<>"); n >= 0 {
						w = w[:n]
					}
					if w == "wget" {
						return false // GNU wget
					}
				}
			}
		}
	}
	return busybox
}
