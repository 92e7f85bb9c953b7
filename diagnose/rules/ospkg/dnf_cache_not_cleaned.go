package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD047",
	Name:     "dnf-cache-not-cleaned",
	Severity: diagnose.Warning,
	Category: diagnose.Size,
	Aliases:  []string{"DL3040"},
	Summary:  "dnf or microdnf cache left in the image",
	Fixable:  diagnose.FixSometimes,
	Scope:    diagnose.ShippedStages,
	Doc: diagnose.Doc{
		What: "Flags a `RUN` (or `ONBUILD RUN`) where `dnf` (also `dnf5`), `microdnf` or `tdnf` installs, " +
			"upgrades or refreshes packages (`install`, `upgrade`, `reinstall`, `makecache`, `module install`, " +
			"...) and no clean of the same tool follows in the same `RUN`: `dnf clean all` (or `yum clean all`) " +
			"after dnf, `microdnf clean all` after microdnf, `tdnf clean all` after tdnf. Removing the cache " +
			"directory (`rm -rf /var/cache/dnf`, `/var/cache/yum`, `/var/cache/libdnf5`) counts too. Checked in " +
			"stages the image is made of: the last stage and the stages it is built `FROM`, directly or through " +
			"others; a builder stage that later stages only read with `COPY --from` is not checked (its files " +
			"ship, its cache does not). " +
			"A `RUN` with a cache or tmpfs mount on the cache directory is not flagged. hadolint counts any " +
			"`rm -rf` as a clean and compares the first install with the first clean, so it flags " +
			"`microdnf clean all && microdnf install -y jq && microdnf clean all` and passes an install that " +
			"follows the last clean; dockdoc looks at what actually runs last.",
		Why: "dnf stores the metadata of every enabled repository in its cache (`/var/cache/dnf`, " +
			"`/var/cache/libdnf5` with dnf5, `/var/cache/yum` with microdnf), commonly tens or hundreds of " +
			"megabytes that the running container never uses. A layer keeps every file that exists when its " +
			"`RUN` ends, and deleting in a later `RUN` only hides the files, so the clean has to happen in the " +
			"same `RUN`.",
		Bad:  "RUN dnf install -y httpd\nRUN microdnf install -y jq",
		Good: "RUN dnf install -y httpd && dnf clean all\nRUN microdnf install -y jq && microdnf clean all",
		Fix: "Appends `&& dnf clean all` (or `microdnf clean all`, `tdnf clean all`, matching the tool used) to " +
			"the end of the `RUN`; in a here-document that runs with `set -e`, a new last line. Safe in " +
			"general: a later dnf command downloads fresh metadata. Unsafe when a later `RUN` reads the cache " +
			"(`dnf -C`, `--cacheonly`, or names the cache directory), when the command only downloads packages " +
			"(`--downloadonly`), or when dnf only runs under a condition (the added clean always runs). No fix " +
			"when the script ends in `exit`, `exec` or a background job, or when dnf works on another root " +
			"(`--installroot`). A cache mount (`RUN --mount=type=cache,target=/var/cache/dnf ...`) is an " +
			"alternative that also speeds up rebuilds.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3040",
			"https://dnf.readthedocs.io/en/latest/command_ref.html#clean-command",
			"https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
		},
	},
	Check: func(p *diagnose.Pass) { pkgmgr.CheckRPMCache(p, "dnf", "microdnf", "tdnf") },
})
