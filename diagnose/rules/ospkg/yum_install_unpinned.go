package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD041",
	Name:     "yum-install-unpinned",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3033"},
	Summary:  "yum install without package versions",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags `yum install` (and `yum module install`) in a `RUN` or `ONBUILD RUN` that names a package " +
			"without a version. A package counts as pinned when it ends in a version, `name-version` or " +
			"`name-version-release` (`httpd-2.4.6`, `openssl-1:1.0.2k-26.el7`, an architecture suffix is fine); " +
			"a module when it names its stream (`nodejs:18`). Not flagged: local `.rpm` files, paths and URLs, " +
			"`@groups`, capabilities such as `perl(JSON)`, and words holding a variable (`git-$GIT_VERSION`, " +
			"`$PACKAGES`), whose value dockdoc cannot see; hadolint flags variables unless an `ENV` or `ARG` " +
			"defines them in the same stage. A trailing bare number is read as part of the name " +
			"(`gcc-toolset-12`, `java-17` are package names, not pins), as is anything after the version that " +
			"does not start with a digit (`java-1.8.0-openjdk`), where hadolint takes both for pinned.",
		Why: "Without a version, yum installs whatever the repositories hold on the day of the build. Two " +
			"builds of the same Dockerfile a month apart contain different software, and a new package " +
			"version can break the image with no change on your side. With the version written down, a " +
			"change of version is a change of the Dockerfile that is reviewed and can be reverted.",
		Bad:  "RUN yum install -y httpd && yum clean all",
		Good: "RUN yum install -y httpd-2.4.6-99.el7.centos.1 && yum clean all",
		Fix: "None: dockdoc works offline and cannot know which versions your repositories offer. Run the " +
			"image and read the installed versions (`rpm -q httpd`), or list them with " +
			"`yum list --showduplicates httpd`, and write the one you tested into the install line. Pinned " +
			"versions need updating when the repository drops them, which is the point: you decide when.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3033",
			"https://man7.org/linux/man-pages/man8/yum.8.html",
		},
	},
	Check: func(p *diagnose.Pass) { pkgmgr.CheckRPMPins(p, "yum") },
})
