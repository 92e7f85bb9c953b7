package deps

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD051",
	Name:     "gem-install-unpinned",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3028"},
	Summary:  "gem install names gems without versions",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags `gem install` (also `gem i`) that names a gem without a version: neither `name:version` " +
			"(`bundler:2.5.11`) nor a `-v`/`--version` option on the command. Local `.gem` files and paths are " +
			"not flagged, nor is `gem install -g` (which installs what a Gemfile lists), nor a gem whose name " +
			"comes from a variable. Words after `--` are build options for the gem, not gems. Also checked in " +
			"`ONBUILD RUN`. Unlike hadolint, options that take no value (`--no-document`, `-N`) do not make " +
			"dockdoc skip the gem name after them.",
		Why: "Without a version RubyGems installs the newest release on the day of the build, so two builds of " +
			"the same Dockerfile can install different code, and a new major release (Bundler is a classic " +
			"example) can break the build or the application without any change of yours.",
		Bad:  "RUN gem install bundler",
		Good: "RUN gem install bundler:2.5.11\n# or\nRUN gem install bundler --version 2.5.11",
		Fix: "None: dockdoc works offline and cannot know which version you tested. For Bundler, use the " +
			"version in the `BUNDLED WITH` section of Gemfile.lock; for application gems, list them in the " +
			"Gemfile and run `bundle install` with the lockfile.",
		Refs: []string{
			"https://guides.rubygems.org/command-reference/#gem-install",
			"https://bundler.io/guides/bundler_2_upgrade.html",
			"https://github.com/hadolint/hadolint/wiki/DL3028",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			for _, c := range runscript.RunOrOnbuildCommands(d, in) {
				if c.Name() != "gem" {
					continue
				}
				sub := pkgmgr.Sub(c, gemGlobalValueOpts)
				if sub < 0 || (c.Words[sub] != "install" && c.Words[sub] != "i") {
					continue
				}
				if c.HasFlag("-v", "--version", "-g", "--file") {
					continue
				}
				var names []string
				for i := sub + 1; i < len(c.Words); i++ {
					w := runscript.WordText(c.Call.Args[i])
					if c.Lit[i] && w == "--" {
						break // the rest are build options for the gem
					}
					if c.Lit[i] && strings.HasPrefix(w, "-") {
						if gemValueOpts[w] {
							i++
						}
						continue
					}
					if gemUnpinned(w) {
						names = append(names, w)
					}
				}
				if len(names) == 0 {
					continue
				}
				p.Report(c.Script.Span(c.Call),
					"gem install names %s without a version, so each build gets whatever release is newest that day; pin it as <gem>:<version> or with --version",
					runscript.ListNames(names))
			}
		}
	},
})

// gemGlobalValueOpts are gem's options before the subcommand that take
// the next word as their value.
var gemGlobalValueOpts = map[string]bool{"--config-file": true}

// gemValueOpts are gem install options that take the next word as their
// value.
var gemValueOpts = map[string]bool{
	"-i": true, "--install-dir": true, "-n": true, "--bindir": true, "--build-root": true,
	"-P": true, "--trust-policy": true, "-s": true, "--source": true, "-p": true, "--http-proxy": true,
	"--platform": true, "--config-file": true, "--target-rbconfig": true,
}

// gemUnpinned reports whether a gem install argument (see runscript.WordText)
// names a gem from a repository without a version.
func gemUnpinned(w string) bool {
	switch {
	case w == "" || strings.Contains(w, ":"):
		return false // name:version (or a URL)
	case strings.Contains(w, "$"):
		return false // from a variable
	case strings.HasSuffix(strings.ToLower(w), ".gem") || strings.ContainsAny(w, "/\\") || strings.HasPrefix(w, "."):
		return false // a local .gem file
	}
	return true
}
