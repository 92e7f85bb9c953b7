package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD045",
	Name:     "zypper-install-unpinned",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3037"},
	Summary:  "zypper install without package versions",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags `zypper install` (`zypper in`) in a `RUN` or `ONBUILD RUN` that names a package without a " +
			"version. Pinned: `name=version`, a range (`'name>=1.2'`, `name\\<2`), and the `name-version-release` " +
			"form zypper also understands. Not flagged: local `.rpm` files, paths and URLs, patterns, patches " +
			"and products (`-t pattern`, `pattern:devel_basis`), capabilities such as `perl(JSON)`, and words " +
			"holding a variable, whose value dockdoc cannot see. Options that take a value (`--from repo`, " +
			"`-r repo`) are read as options, not packages.",
		Why: "Without a version zypper installs the newest package the repositories hold on the day of the " +
			"build, so the same Dockerfile builds different images over time and can break without any change " +
			"of yours. A written version changes only when you change it.",
		Bad:  "RUN zypper -n install curl && zypper clean -a",
		Good: "RUN zypper -n install curl=8.6.0-4.1 && zypper clean -a",
		Fix: "None: dockdoc works offline and cannot know which versions your repositories offer. List them with " +
			"`zypper search -s curl` (or read `rpm -q curl` in the built image) and write the one you tested into " +
			"the install line. Quote ranges (`'curl>=8'`) so the shell does not read `>` as a redirection.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3037",
			"https://manpages.opensuse.org/Tumbleweed/zypper/zypper.8.en.html",
		},
	},
	Check: func(p *diagnose.Pass) { pkgmgr.CheckRPMPins(p, "zypper") },
})
