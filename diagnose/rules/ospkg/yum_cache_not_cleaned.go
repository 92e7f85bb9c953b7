package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD040",
	Name:     "yum-cache-not-cleaned",
	Severity: diagnose.Warning,
	Category: diagnose.Size,
	Aliases:  []string{"DL3032"},
	Summary:  "yum cache left in the image",
	Fixable:  diagnose.FixSometimes,
	Scope:    diagnose.ShippedStages,
	Doc: diagnose.Doc{
		What: "Flags a `RUN` (or `ONBUILD RUN`) where `yum` installs, updates or refreshes packages (`install`, " +
			"`update`, `groupinstall`, `makecache`, ...) and no `yum clean all` runs after it in the same " +
			"`RUN`. Removing the cache directory (`rm -rf /var/cache/yum`) counts as cleaning, and so does " +
			"`dnf clean all`, which empties the same cache where yum is dnf (RHEL 8 and later). Checked in " +
			"stages the image is made of: the last stage and the stages it is built `FROM`, directly or through " +
			"others; a builder stage that later stages only read with `COPY --from` is not checked (its files " +
			"ship, its cache does not), while hadolint also flags it. A `RUN` that mounts a cache or tmpfs " +
			"on `/var/cache/yum` (or `/var/cache/dnf`) is not flagged. hadolint compares the first install with " +
			"the first clean, so it passes `yum install a && yum clean all && yum install b`; dockdoc looks at " +
			"what runs last.",
		Why: "yum downloads the metadata of every enabled repository, often tens of megabytes, into " +
			"`/var/cache/yum` (`/var/cache/dnf` on newer systems). The running container never needs it. A layer " +
			"keeps every file that exists when its `RUN` ends, and deleting files in a later `RUN` only hides " +
			"them, so the cache must be cleaned in the same `RUN` that filled it.",
		Bad:  "RUN yum install -y httpd",
		Good: "RUN yum install -y httpd && yum clean all",
		Fix: "Appends `&& yum clean all` to the end of the `RUN` (in a here-document that runs with `set -e`, " +
			"a new last line). Safe in general: a later yum command simply downloads fresh metadata. Unsafe " +
			"when a later `RUN` reads the cache (`yum -C`, `--cacheonly`, or names the cache directory), when " +
			"the command only downloads packages into the cache (`--downloadonly`), or when yum only runs under " +
			"a condition (the added clean always runs). No fix when the script ends in `exit`, `exec` or a " +
			"background job, or when yum works on another root (`--installroot`). A cache mount " +
			"(`RUN --mount=type=cache,target=/var/cache/yum ...`) is an alternative that also speeds up " +
			"rebuilds.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3032",
			"https://docs.docker.com/build/building/best-practices/#run",
			"https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
		},
	},
	Check: func(p *diagnose.Pass) { pkgmgr.CheckRPMCache(p, "yum") },
})
