package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD046",
	Name:     "dnf-install-yes",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3038"},
	Summary:  "dnf or microdnf install without -y",
	Fixable:  diagnose.FixAlways,
	Doc: diagnose.Doc{
		What: "Flags a `dnf` (also `dnf5`), `microdnf` or `tdnf` command that changes packages without `-y` " +
			"(or `--assumeyes`): `install`, `reinstall`, `upgrade`/`update`, `remove`, `downgrade`, " +
			"`distro-sync`, `group install`, `module install`/`enable`/`reset` and their short forms (`in`, " +
			"`up`, `rm`, ...), in a `RUN` or an `ONBUILD RUN`. Not flagged: `--setopt=assumeyes=True`, " +
			"`--assumeno`, and a stage where an earlier `RUN` writes `assumeyes` into dnf's configuration. " +
			"hadolint only checks `install`, `groupinstall` and `localinstall` of dnf and microdnf; the other " +
			"subcommands stop at the same prompt, so dockdoc checks them too. A command whose options come from " +
			"a variable (`dnf $DNF_OPTS install ...`) is left alone, since the variable may hold `-y`. Findings on " +
			"`microdnf` are `info`, not `warning` (see below).",
		Why: "dnf shows what it is about to change and asks \"Is this ok [y/N]\". During a build nobody can " +
			"answer: dnf reads end-of-file, takes it as no and fails with \"Operation aborted\", so the build " +
			"breaks as soon as there is something to do. Base images that set `assumeyes` in their own " +
			"configuration hide the problem until the base changes.\n\n" +
			"microdnf is another matter, and its findings are only `info`. Older versions never asked (they " +
			"accepted `-y` and went ahead all the same), and images built today use it without `-y`: " +
			"docker-library's openjdk images on `oraclelinux:10-slim` run `microdnf install` that way. Newer " +
			"versions do ask for confirmation before changing packages, and in recent Fedora microdnf is " +
			"replaced by dnf5, which asks like dnf; a build has no terminal to answer, so there the command may " +
			"fail or take the missing answer as no. `-y` works with every version, so the build does not depend " +
			"on which one the base image ships.",
		Bad:  "RUN dnf install httpd && dnf clean all",
		Good: "RUN dnf install -y httpd && dnf clean all",
		Fix: "Inserts `-y` right after the subcommand (`dnf install -y`, `microdnf install -y`). Safe: it " +
			"answers the question the build could never answer.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3038",
			"https://dnf.readthedocs.io/en/latest/command_ref.html",
			"https://github.com/rpm-software-management/microdnf",
		},
	},
	Check: func(p *diagnose.Pass) { pkgmgr.CheckRPMAssumeYes(p, "dnf", "microdnf", "tdnf") },
})
