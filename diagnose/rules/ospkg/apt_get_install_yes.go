package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD005",
	Name:     "apt-get-install-yes",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3014"},
	Summary:  "apt-get install without -y",
	Fixable:  diagnose.FixAlways,
	Doc: diagnose.Doc{
		What: "Flags `apt-get install` in a RUN (or an `ONBUILD RUN` trigger) without `-y`. `--yes`, `--assume-yes` and `-o APT::Get::Assume-Yes=true` " +
			"count too, and so does a quiet level of 2 (`-qq`, `-q -q`, `-q=2`, `--quiet=2`), which apt-get(8) says implies " +
			"`-y`; one `-q` does not. A simulated install (`-s`, `--dry-run`) never prompts and is not flagged.",
		Why: "A build has no one to answer apt's \"Do you want to continue? [Y/n]\" prompt. apt-get reads end-of-file, " +
			"takes it as \"no\" and aborts, so the build fails as soon as the package list needs confirmation.",
		Bad:  "RUN apt-get update && apt-get install curl",
		Good: "RUN apt-get update && apt-get install -y curl",
		Fix:  "Inserts `-y` right after `install`. Safe: it answers the prompt the build could never answer.",
		Refs: []string{"https://github.com/hadolint/hadolint/wiki/DL3014", "https://manpages.debian.org/apt-get.8"},
	},
	Check: func(p *diagnose.Pass) {
		for _, in := range p.Doc.Instructions {
			// ONBUILD RUN triggers run in the child's build, which cannot
			// answer a prompt either.
			for _, c := range runscript.RunOrOnbuildCommands(p.Doc, in) {
				if c.Name() != "apt-get" {
					continue
				}
				sub := pkgmgr.VerbIndex(c)
				if sub < 0 || c.Words[sub] != "install" {
					continue
				}
				if pkgmgr.AptAssumesYes(c) {
					continue // -y, --yes, or a quiet level of 2 that implies it
				}
				if c.HasFlag("-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act") {
					continue // a simulation never prompts
				}
				span := c.Script.Span(c.Call)
				f := p.Report(span, "apt-get install without -y fails at its confirmation prompt during a build")
				f.AddFix("Add -y to apt-get install", fixes.Safe, diagnose.Insert(c.ArgSpan(sub).End, " -y"))
			}
		}
	},
})
