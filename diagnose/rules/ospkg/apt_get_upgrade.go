package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD008",
	Name:     "apt-get-upgrade",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Summary:  "apt-get upgrade or dist-upgrade in a build",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags `apt-get upgrade`, `apt-get dist-upgrade` and `apt-get full-upgrade` (and the same " +
			"subcommands of `apt`) in a `RUN`. A simulated run (`-s`, `--dry-run`) and `apt-get install " +
			"--only-upgrade <package>` are not flagged.",
		Why: "An upgrade replaces the packages of the base image with whatever the mirror serves on the day " +
			"of the build. Two builds of the same Dockerfile, a week apart, then contain different software, " +
			"and a change nobody made can break the image. It also duplicates every upgraded package in a new " +
			"layer, making the image bigger. The base image's maintainers already publish rebuilt images when " +
			"security fixes land; getting those fixes by moving to a newer base tag (or digest) keeps every " +
			"change visible in the Dockerfile and in review.",
		Bad:  "RUN apt-get update && apt-get upgrade -y && apt-get install -y --no-install-recommends curl",
		Good: "FROM debian:12.7-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
		Fix: "Removes the upgrade command from its `&&` chain or `;` list, with the operator that joined it. " +
			"Unsafe: the image keeps the package versions of its base image, so a security fix that the " +
			"upgrade used to pull in is gone until you rebuild on a newer base image; a comment inside the " +
			"removed text goes too. No fix is offered when the upgrade is the only command of the `RUN` (delete " +
			"the instruction yourself) or sits inside `if`, a pipe or an `||` list.",
		Refs: []string{
			"https://docs.docker.com/build/building/best-practices/#apt-get",
			"https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
			"https://manpages.debian.org/apt-get.8",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Keyword != "run" {
				continue // CMD and ENTRYPOINT run in the container, not in the image build
			}
			for _, c := range in.Commands(d) {
				name := c.Name()
				if name != "apt-get" && name != "apt" {
					continue
				}
				v := pkgmgr.VerbIndex(c)
				if v < 0 {
					continue
				}
				verb := c.Words[v]
				if verb != "upgrade" && verb != "dist-upgrade" && verb != "full-upgrade" {
					continue
				}
				if c.HasFlag("-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act") {
					continue
				}
				f := p.Report(c.Script.Span(c.Call),
					"%s %s installs whatever package versions the mirror has at build time, so rebuilds differ; "+
						"get updates from a newer base image instead", name, verb)
				if edit, ok := pkgmgr.UpgradeRemovalEdit(d, c); ok {
					fx := f.AddFix("Remove "+name+" "+verb, fixes.Unsafe, edit)
					fx.Note = "The image keeps the package versions of its base image. To pick up security " +
						"fixes, rebuild on a newer tag or digest of the base image."
				}
			}
		}
	},
})
