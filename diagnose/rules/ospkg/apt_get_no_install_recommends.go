package ospkg

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD006",
	Name:     "apt-get-no-install-recommends",
	Severity: diagnose.Info,
	Category: diagnose.Size,
	Aliases:  []string{"DL3015"},
	Summary:  "apt-get install without --no-install-recommends",
	Fixable:  diagnose.FixAlways,
	Scope:    diagnose.ShippedStages,
	Doc: diagnose.Doc{
		What: "Flags `apt-get install` in a `RUN` (or an `ONBUILD RUN` trigger) without `--no-install-recommends`. Turning recommendations off with " +
			"`-o APT::Install-Recommends=false` (or `=0`) on the same command counts as well. Checked in stages " +
			"the image is made of: the last stage and the stages it is built `FROM`, directly or through others. A " +
			"builder stage that later stages only read with `COPY --from` is not checked (hadolint checks it): the " +
			"files copied out of it ship, the packages installed there do not.",
		Why: "Debian and Ubuntu packages list other packages they \"recommend\": nice to have, not needed to run. " +
			"By default apt-get installs them too, so asking for one small tool can pull in documentation, " +
			"desktop libraries or a whole compiler. In an image they only add megabytes, build time and " +
			"software that needs security updates. Naming exactly what the image needs keeps it small and " +
			"makes it clear what is in it.",
		Bad:  "RUN apt-get update && apt-get install -y curl",
		Good: "RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates",
		Fix: "Inserts `--no-install-recommends` right after `install`. Unsafe: a program can depend on a package " +
			"that is only recommended (a classic is `curl` or `wget` failing on HTTPS because `ca-certificates` " +
			"was a recommendation). Build the image and run it; add any package that turns out to be missing " +
			"to the install line by name.",
		Refs: []string{
			"https://docs.docker.com/build/building/best-practices/#apt-get",
			"https://manpages.debian.org/apt-get.8",
			"https://www.debian.org/doc/debian-policy/ch-relationships.html#binary-dependencies-depends-recommends-suggests-enhances-pre-depends",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, in := range p.Doc.Instructions {
			// RUN and ONBUILD RUN (which runs in the child's build); CMD and
			// ENTRYPOINT run in the container, not in the image build.
			for _, c := range runscript.RunOrOnbuildCommands(p.Doc, in) {
				if c.Name() != "apt-get" {
					continue
				}
				verb := pkgmgr.VerbIndex(c)
				if verb < 0 || c.Words[verb] != "install" {
					continue
				}
				if c.HasFlag("--no-install-recommends") || recommendsOff(c) {
					continue
				}
				f := p.Report(c.Script.Span(c.Call),
					"apt-get install without --no-install-recommends also installs every recommended package, which the image rarely needs")
				fx := f.AddFix("Add --no-install-recommends to apt-get install", fixes.Unsafe,
					diagnose.Insert(c.ArgSpan(verb).End, " --no-install-recommends"))
				fx.Note = "Recommended packages will no longer be installed. Build and run the image; if something " +
					"is missing (often ca-certificates), add it to the install line by name."
			}
		}
	},
})

// recommendsOff reports whether the command turns recommendations off
// with -o APT::Install-Recommends=false (or 0, no, off), in any of the
// spellings apt-get accepts: `-o X`, `-oX`, `--option X`, `--option=X`.
func recommendsOff(c *diagnose.Command) bool {
	for _, v := range pkgmgr.OptionValues(c) {
		key, val, ok := strings.Cut(v, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(key), "APT::Install-Recommends") {
			continue
		}
		switch strings.ToLower(strings.Trim(strings.TrimSpace(val), `"'`)) {
		case "false", "0", "no", "off", "disable", "without":
			return true
		}
	}
	return false
}
