package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD042",
	Name:     "zypper-non-interactive",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3034"},
	Summary:  "zypper install without -n or -y",
	Fixable:  diagnose.FixAlways,
	Doc: diagnose.Doc{
		What: "Flags a `zypper` command that changes packages (`install`/`in`, `remove`/`rm`, `update`/`up`, " +
			"`patch`, `dist-upgrade`/`dup`, `source-install`/`si`, `install-new-recommends`/`inr`, `verify`) in a " +
			"`RUN` or `ONBUILD RUN` without a non-interactive switch: the global `-n` / `--non-interactive` " +
			"before the command, or `-y` / `--no-confirm` after it. `-n` written after the command is not " +
			"enough: for `install` and `remove` it is short for `--name` (select packages by plain name), so " +
			"`zypper install -n foo` still asks. hadolint accepts it, and only checks install, remove, " +
			"source-install and patch.",
		Why: "zypper shows the transaction and asks \"Continue? [y/n/v/...? shows all options] (y)\". In a build " +
			"nobody can answer; zypper reads end-of-file and aborts, so the build fails whenever there is " +
			"something to do.",
		Bad:  "RUN zypper install curl && zypper clean -a",
		Good: "RUN zypper -n install curl && zypper clean -a",
		Fix: "Inserts the global option `-n` right after `zypper` (`zypper -n install ...`). It goes before the " +
			"command because it is a global option there, and it answers every question with its default, " +
			"for any command. Safe: it only answers the prompt the build could never answer. Licences that " +
			"must be accepted still need `--auto-agree-with-licenses`.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3034",
			"https://en.opensuse.org/SDB:Zypper_usage",
			"https://manpages.opensuse.org/Tumbleweed/zypper/zypper.8.en.html",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, run := range pkgmgr.RPMRuns(p.Doc) {
			for _, c := range run.Commands() {
				r := pkgmgr.ParseRPM(c)
				if r == nil || r.Family != "zypper" || r.Opaque || !r.Prompts() {
					continue
				}
				ok, name := false, false
				for _, o := range r.Opts {
					switch o.Name {
					case "non-interactive", "no-confirm", "y", "help", "h":
						ok = true
					case "n":
						if o.Global {
							ok = true
						} else {
							name = true
						}
					}
				}
				if ok {
					continue
				}
				verb := r.VerbText()
				span := c.Script.Span(c.Call)
				var f *diagnose.Finding
				if name {
					f = p.Report(span, "zypper %s -n means --name here, not --non-interactive, so the command still stops at its "+
						"confirmation prompt during a build; -n must come before the command", verb)
				} else {
					f = p.Report(span, "zypper %s without -n (--non-interactive) stops at its confirmation prompt and fails the build", verb)
				}
				f.AddFix("Add -n to zypper", fixes.Safe, diagnose.Insert(c.ArgSpan(c.Prog).End, " -n"))
			}
		}
	},
})
