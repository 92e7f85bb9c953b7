package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD048",
	Name:     "dnf-install-unpinned",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3041"},
	Summary:  "dnf or microdnf install without package versions",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags `dnf install` (also `dnf in`, `dnf5`, `microdnf`, `tdnf`) and `dnf module install` in a " +
			"`RUN` or `ONBUILD RUN` that names a package without a version. A package counts as pinned when it " +
			"ends in a version, `name-version` or `name-version-release` (`httpd-2.4.57`, " +
			"`openssl-1:3.0.7-27.el9`, an architecture suffix is fine) or uses a comparison (`'pkg >= 1.2'`); a " +
			"module when it names its stream (`nodejs:20`). Not flagged: local `.rpm` files, paths and URLs, " +
			"`@groups` and `@module:stream`, capabilities such as `perl(JSON)`, `group install`, and words " +
			"holding a variable (`python${PY_VERSION}`), whose value dockdoc cannot see. Options that take a " +
			"value (`--installroot /mnt/root`, `--releasever 9`) are read as options, not as packages, which " +
			"hadolint gets wrong. A trailing bare number is read as part of the name (`gcc-toolset-13`), as is " +
			"anything after the version that does not start with a digit (`java-17-openjdk`).",
		Why: "Without a version, dnf installs the newest package the repositories hold on the day of the " +
			"build, so the same Dockerfile builds different images over time and can break without any " +
			"change of yours. A pinned version changes only when you change the Dockerfile.",
		Bad:  "RUN dnf install -y httpd && dnf clean all",
		Good: "RUN dnf install -y httpd-2.4.57-5.el9 && dnf clean all",
		Fix: "None: dockdoc works offline and cannot know which versions your repositories offer. List them " +
			"with `dnf list --showduplicates httpd` (or read `rpm -q httpd` in the built image) and write the one " +
			"you tested into the install line.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3041",
			"https://dnf.readthedocs.io/en/latest/command_ref.html#specifying-packages-label",
		},
	},
	Check: func(p *diagnose.Pass) { pkgmgr.CheckRPMPins(p, "dnf", "microdnf", "tdnf") },
})
