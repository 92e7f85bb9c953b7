package ospkg

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD031",
	Name:     "apt-get-install-unpinned",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3008"},
	Summary:  "apt-get install without package versions",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags `apt-get install` (and `apt install`) in a `RUN` or `ONBUILD RUN` when a package is named " +
			"without a version (`curl` rather than `curl=8.5.0-2`). A package counts as pinned when it carries " +
			"`=version`, names a release (`curl/bookworm-backports`, which also covers paths such as `./tool.deb`) " +
			"or is a `.deb` file. The values of options such as `-t bookworm-backports` and `-o Key=Value` are not " +
			"packages. Packages held in a variable (`$BUILD_DEPS`, `$(cat packages.txt)`) are not flagged, since " +
			"dockdoc cannot see what they hold; hadolint flags them (its issue #928). A simulated install (`-s`) " +
			"is not flagged.",
		Why: "Without a version, apt-get installs whatever the mirror offers on the day of the build. Two builds of " +
			"the same Dockerfile can then contain different software, and a rebuild for an unrelated change can " +
			"pull in a new release that breaks the image. A version in the Dockerfile makes every change of package " +
			"a change of the file, visible in review. The price is upkeep: Debian and Ubuntu mirrors drop old " +
			"versions when a security update replaces them, so exact pins must be bumped when the build starts " +
			"failing. Pinning the base image by digest is a complementary way to keep the package set still.",
		Bad:  "RUN apt-get update && apt-get install -y --no-install-recommends curl",
		Good: "RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8",
		Fix: "None: the right version depends on the distribution release and the day, and dockdoc works offline. " +
			"Find the version the image installs today with `apt-cache policy <package>` inside the base image " +
			"(or `apt-cache madison <package>`) and write it as `package=version`.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3008",
			"https://docs.docker.com/build/building/best-practices/#apt-get",
			"https://manpages.debian.org/apt-get.8",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, in := range p.Doc.Instructions {
			for _, c := range runscript.InvokedCommands(p.Doc, in) {
				if n := c.Name(); n != "apt-get" && n != "apt" {
					continue
				}
				verb := pkgmgr.VerbIndex(c)
				if verb < 0 || c.Words[verb] != "install" {
					continue
				}
				if c.HasFlag("-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act") {
					continue
				}
				var unpinned []string
				for _, i := range aptPackageArgs(c, verb) {
					if !c.Lit[i] {
						continue // a variable: its value is unknown
					}
					if w := c.Words[i]; !aptPinned(w) {
						unpinned = append(unpinned, w)
					}
				}
				if len(unpinned) == 0 {
					continue
				}
				p.Report(c.Script.Span(c.Call), "%s install gives no version for %s, so a rebuild can install different releases",
					c.Name(), runscript.ListAtMost(unpinned, 4))
			}
		}
	},
})

// aptPackageArgs returns the indexes of the package arguments of an
// apt-get / apt install whose subcommand is at verb: every argument after
// it that is neither an option nor an option's value. A word holding a
// variable that contains "=" (pkg=$VERSION) counts as pinned and is left out.
func aptPackageArgs(c *diagnose.Command, verb int) []int {
	return pkgmgr.PackageArgs(c, verb, pkgmgr.ArgOptions, "=")
}

// aptPinned reports whether an apt package argument names a version,
// a release, or a file.
func aptPinned(w string) bool {
	return strings.Contains(w, "=") || strings.Contains(w, "/") || strings.HasSuffix(w, ".deb")
}
