package ospkg

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD032",
	Name:     "apk-add-unpinned",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3018"},
	Summary:  "apk add without package versions",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags `apk add` in a `RUN` or `ONBUILD RUN` when a package is named without a version constraint " +
			"(`curl` rather than `curl=8.9.1-r0` or `curl~8.9`). Any of apk's constraint operators counts " +
			"(`=`, `~`, `<`, `>`), and so does a local `.apk` file. The values of options are not packages: the " +
			"name after `--virtual` / `-t`, the repository after `--repository` / `-X`, the directory after " +
			"`--root` / `-p`, and so on, whether they come before or after `add`. Packages held in a variable " +
			"(`$BUILD_DEPS`) are not flagged, since dockdoc cannot see what they hold.",
		Why: "Without a constraint, apk installs the newest package of the repository on the day of the build, so the " +
			"same Dockerfile gives different images over time and a rebuild can bring in a release that breaks " +
			"yours. A version in the file makes every package change a reviewed change. Alpine keeps only the " +
			"current version of each package in a branch, so an exact `=` pin breaks as soon as a fix is " +
			"published; the fuzzy `~` operator (`curl~8.9`) keeps the line you tested while accepting its " +
			"patch releases, and pinning the base image tag to a release branch (`alpine:3.20`) keeps the " +
			"repository itself still.",
		Bad:  "RUN apk add --no-cache curl",
		Good: "RUN apk add --no-cache curl~8.9",
		Fix: "None: the version depends on the Alpine branch and the day, and dockdoc works offline. Look it up with " +
			"`apk policy <package>` (or `apk info -v <package>`) inside the base image and write `package=version` " +
			"or `package~major.minor`.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3018",
			"https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, in := range p.Doc.Instructions {
			for _, c := range runscript.InvokedCommands(p.Doc, in) {
				verb := pkgmgr.ApkVerb(c)
				if verb < 0 || c.Words[verb] != "add" {
					continue
				}
				var unpinned []string
				for _, i := range pkgmgr.ApkPackageArgs(c, verb) {
					if !c.Lit[i] {
						continue // a variable: its value is unknown
					}
					if w := c.Words[i]; !apkPinned(w) {
						unpinned = append(unpinned, w)
					}
				}
				if len(unpinned) == 0 {
					continue
				}
				p.Report(c.Script.Span(c.Call), "apk add gives no version for %s, so a rebuild can install different releases",
					runscript.ListAtMost(unpinned, 4))
			}
		}
	},
})

// apkPinned reports whether an apk package argument carries a version
// constraint or is a package file.
func apkPinned(w string) bool {
	return strings.ContainsAny(w, "=~<>") || strings.HasSuffix(w, ".apk")
}
