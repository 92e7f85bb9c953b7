package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD043",
	Name:     "zypper-dist-upgrade",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3035"},
	Summary:  "zypper dist-upgrade in a build",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags `zypper dist-upgrade` (`zypper dup`) in a `RUN` or `ONBUILD RUN`. A dry run (`-D`, " +
			"`--dry-run`) is not flagged.",
		Why: "A distribution upgrade moves every package of the base image to whatever the repositories hold " +
			"at build time, and may change vendors, replace or remove packages to get there. The same " +
			"Dockerfile then builds a different system each time, and a change nobody made can break the " +
			"image; the upgraded packages are also stored a second time in the new layer. The base image is " +
			"rebuilt by its maintainers when updates land: moving to a newer tag or digest brings the same " +
			"updates, visibly, in a reviewed change.",
		Bad:  "RUN zypper -n dup && zypper -n install curl && zypper clean -a",
		Good: "FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean -a",
		Fix: "Removes the `zypper dup` command from its `&&` chain or `;` list, with the operator that joined " +
			"it. Unsafe: the image keeps the package versions of its base image, so updates the upgrade " +
			"pulled in are gone until you move to a newer base image; a comment inside the removed text goes " +
			"too. No fix when the upgrade is the only command of the `RUN` (delete the instruction yourself) " +
			"or sits inside `if`, a pipe or an `||` list. On a rolling release such as Tumbleweed, `zypper dup` " +
			"is the only supported update; there too, prefer a newer base image.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3035",
			"https://en.opensuse.org/SDB:Zypper_usage#Distribution_upgrade",
			"https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, run := range pkgmgr.RPMRuns(d) {
			for _, c := range run.Commands() {
				r := pkgmgr.ParseRPM(c)
				if r == nil || r.Family != "zypper" || r.Verb < 0 {
					continue
				}
				if v := r.Words[r.Verb]; v != "dist-upgrade" && v != "dup" {
					continue
				}
				dry := false
				for _, o := range r.Opts {
					if (!o.Global && (o.Name == "D" || o.Name == "dry-run")) || o.Name == "help" || o.Name == "h" {
						dry = true
					}
				}
				if dry {
					continue
				}
				f := p.Report(c.Script.Span(c.Call),
					"zypper %s moves every package to whatever the repositories hold at build time, so rebuilds differ; "+
						"get updates from a newer base image instead", r.Words[r.Verb])
				if edit, ok := pkgmgr.UpgradeRemovalEdit(d, c); ok {
					fx := f.AddFix("Remove zypper "+r.Words[r.Verb], fixes.Unsafe, edit)
					fx.Note = "The image keeps the package versions of its base image. To pick up updates, " +
						"rebuild on a newer tag or digest of the base image."
				}
			}
		}
	},
})
