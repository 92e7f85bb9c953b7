package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD039",
	Name:     "yum-install-yes",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3030"},
	Summary:  "yum install without -y",
	Fixable:  diagnose.FixAlways,
	Doc: diagnose.Doc{
		What: "Flags a `yum` command that changes packages without `-y` (or `--assumeyes`): `install`, " +
			"`groupinstall`, `localinstall`, `reinstall`, `update`/`upgrade`, `remove`/`erase`, `downgrade`, " +
			"`group install`, `module install`/`enable`/`reset` and the like, in a `RUN` or an `ONBUILD RUN`. " +
			"Not flagged: `--setopt=assumeyes=1`, `--assumeno`, and a stage where an earlier `RUN` writes " +
			"`assumeyes` into yum's configuration. hadolint only checks `install`, `groupinstall` and " +
			"`localinstall`; a `yum update` or `yum remove` stops at the same prompt, so dockdoc checks them too. " +
			"A command whose options come from a variable (`yum $YUM_OPTS install ...`) is left alone, since " +
			"the variable may hold `-y`.",
		Why: "Before it changes anything, yum lists the transaction and asks \"Is this ok [y/N]\". A build has " +
			"nobody to answer: yum reads end-of-file, prints \"Exiting on user command\" and fails, so the image " +
			"does not build as soon as there is something to install or update.",
		Bad:  "RUN yum install httpd && yum clean all",
		Good: "RUN yum install -y httpd && yum clean all",
		Fix: "Inserts `-y` right after the subcommand (`yum install -y`, `yum module install -y`). Safe: it " +
			"answers the one question the build could never answer.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3030",
			"https://man7.org/linux/man-pages/man8/yum.8.html",
		},
	},
	Check: func(p *diagnose.Pass) { pkgmgr.CheckRPMAssumeYes(p, "yum") },
})
