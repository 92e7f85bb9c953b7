package ospkg

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD044",
	Name:     "zypper-cache-not-cleaned",
	Severity: diagnose.Warning,
	Category: diagnose.Size,
	Aliases:  []string{"DL3036"},
	Summary:  "zypper cache left in the image",
	Fixable:  diagnose.FixSometimes,
	Scope:    diagnose.ShippedStages,
	Doc: diagnose.Doc{
		What: "Flags a `RUN` (or `ONBUILD RUN`) where `zypper` installs, updates or refreshes (`install`, " +
			"`update`, `dup`, `patch`, `refresh`, ...) and no `zypper clean -a` (`zypper cc --all`, or " +
			"`-m` with `-M`) follows in the same `RUN`. Removing `/var/cache/zypp` counts too. " +
			"A plain `zypper clean` after the install is flagged on its own: without `-a` it only deletes " +
			"downloaded packages, which zypper does not keep by default anyway, and leaves the repository " +
			"metadata (`-m` alone leaves the raw metadata); hadolint accepts any `zypper clean`. Checked in " +
			"stages the image is made of: the last stage and the stages it is built `FROM`, directly or through " +
			"others; a builder stage that later stages only read with `COPY --from` is not checked (its files " +
			"ship, its cache does not). A `RUN` that mounts a cache or tmpfs on `/var/cache/zypp` is not flagged.",
		Why: "zypper keeps the metadata of every repository, raw and pre-parsed, in `/var/cache/zypp`: tens " +
			"of megabytes the running container never uses. A layer keeps every file that exists when its " +
			"`RUN` ends, and deleting files in a later `RUN` only hides them, so the cache must be cleaned in " +
			"the same `RUN` that filled it.",
		Bad:  "RUN zypper -n install curl",
		Good: "RUN zypper -n install curl && zypper clean -a",
		Fix: "Appends `&& zypper clean -a` to the end of the `RUN` (in a here-document that runs with `set -e`, " +
			"a new last line), or adds `-a` to a `zypper clean` that lacks it. Safe in general: a later zypper " +
			"command downloads fresh metadata. Unsafe when a later `RUN` relies on the cache (`zypper " +
			"--no-refresh`, or names `/var/cache/zypp`), when the install only downloads (`--download-only`), " +
			"or when zypper only runs under a condition (the added clean always runs). No fix when the script " +
			"ends in `exit`, `exec` or a background job, or when zypper works on another root (`--root`). A " +
			"cache mount (`RUN --mount=type=cache,target=/var/cache/zypp ...`) is an alternative that also " +
			"speeds up rebuilds.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3036",
			"https://manpages.opensuse.org/Tumbleweed/zypper/zypper.8.en.html",
			"https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		runs := pkgmgr.RPMRuns(d)
		for _, run := range runs {
			if pkgmgr.RPMCacheMounted(run, "zypper") {
				continue
			}
			var left []*pkgmgr.RPMCall
			var plain *pkgmgr.RPMCall // a zypper clean without -a after the fills
			for _, c := range run.Commands() {
				if pkgmgr.RemovesRPMCache(c, "zypper") {
					left, plain = nil, nil
					continue
				}
				if clean, all := pkgmgr.ZypperClean(c); clean {
					if all {
						left, plain = nil, nil
					} else if len(left) > 0 {
						plain = pkgmgr.ParseRPM(c)
					}
					continue
				}
				if r := pkgmgr.ParseRPM(c); r != nil && r.Family == "zypper" && r.FillsCache() {
					left = append(left, r)
					plain = nil
				}
			}
			if len(left) == 0 {
				continue
			}
			if plain != nil {
				f := p.Report(plain.Script.Span(plain.Call),
					"zypper %s without -a only deletes downloaded packages; the repository metadata that zypper %s "+
						"fetched stays in this layer", plain.Words[plain.Verb], left[0].VerbText())
				pkgmgr.AddRPMFixChecked(p, f, runs, run, "zypper", left, "Add -a to zypper "+plain.Words[plain.Verb],
					diagnose.Insert(plain.ArgSpan(plain.Verb).End, " -a"))
				continue
			}
			first := left[0]
			f := p.Report(first.Script.Span(first.Call),
				"zypper %s downloads repository metadata into /var/cache/zypp and no zypper clean -a follows in the same RUN, "+
					"so the cache stays in this layer", first.VerbText())
			pkgmgr.AddRPMCleanFix(p, f, runs, run, "zypper", left, pkgmgr.SudoPrefix(first.Command)+"zypper clean -a")
		}
	},
})
