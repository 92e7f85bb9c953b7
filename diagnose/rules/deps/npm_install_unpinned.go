package deps

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD050",
	Name:     "npm-install-unpinned",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3016"},
	Summary:  "npm install names packages without versions",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags `npm install <package>` (also `npm i`, `npm add`), `yarn add <package>` and `pnpm add " +
			"<package>` that name a package without a version, or with a dist-tag such as `@latest` or `@next` " +
			"that moves with each release. A version or range (`express@4.19.2`, `express@^4`) counts as a choice " +
			"made on purpose, as does a version in a variable (`express@$EXPRESS_VERSION`). Local folders, " +
			"tarballs, URLs and git sources pinned to a commit or tag (`#v1.2.0`) are not flagged; a git " +
			"source or GitHub shorthand (`user/repo`) without `#` is. `npm install` with no package installs " +
			"what package.json and the lockfile list and is not flagged. Also checked in `ONBUILD RUN`. Global " +
			"installs (`npm install -g`) are left to DD025 (unpinned-tool). Unlike hadolint, option values " +
			"such as `--registry <url>` or `--loglevel verbose` are never mistaken for packages.",
		Why: "A package named without a version resolves to whatever release is newest on the day of the build. " +
			"Two builds of the same Dockerfile can then contain different code, a new major release can break " +
			"the build or the application, and `npm install <package>` also rewrites package.json and the " +
			"lockfile inside the image, so what runs differs from what you tested.",
		Bad:  "RUN npm install express",
		Good: "RUN npm install express@4.19.2\n# or, better: list it in package.json and use the lockfile\nRUN npm ci",
		Fix: "None: dockdoc works offline and cannot know which version you tested. Add the package to " +
			"package.json with the version you use, copy package.json and the lockfile into the image, and run " +
			"`npm ci` (or `yarn install --frozen-lockfile`, `pnpm install --frozen-lockfile`).",
		Refs: []string{
			"https://docs.npmjs.com/cli/commands/npm-install",
			"https://docs.npmjs.com/cli/commands/npm-ci",
			"https://github.com/hadolint/hadolint/wiki/DL3016",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			for _, c := range runscript.RunOrOnbuildCommands(d, in) {
				cmd, pkgs := nodeAddPackages(c)
				if cmd == "" {
					continue
				}
				var names []string
				for _, i := range pkgs {
					if name, unpinned := npmUnpinned(runscript.WordText(c.Call.Args[i])); unpinned {
						names = append(names, name)
					}
				}
				if len(names) == 0 {
					continue
				}
				p.Report(c.Script.Span(c.Call),
					"%s names %s without a fixed version, so each build gets whatever release is newest that day; pin <package>@<version> or list it in package.json with a lockfile",
					cmd, runscript.ListNames(names))
			}
		}
	},
})

// npmInstallVerbs are npm's spellings of install (with its abbreviations
// and typo aliases).
var npmInstallVerbs = map[string]bool{
	"install": true, "i": true, "add": true, "in": true, "ins": true, "inst": true, "insta": true,
	"instal": true, "isnt": true, "isnta": true, "isntal": true, "isntall": true,
}

// nodeAddPackages recognises a local (not global) npm install, yarn add
// or pnpm add that names packages, and returns the command as it reads in
// a message and the indexes of the package arguments.
func nodeAddPackages(c *diagnose.Command) (string, []int) {
	switch c.Name() {
	case "npm":
		sub := pkgmgr.Sub(c, pkgmgr.NpmValueOpts)
		if sub < 0 || !npmInstallVerbs[c.Words[sub]] {
			return "", nil
		}
		if c.HasFlag("-g", "--global") || pkgmgr.HasOpt(c, c.Prog, "--location=global") {
			return "", nil // DD025 covers global installs
		}
		for _, v := range pkgmgr.OptValues(c, c.Prog, "--location") {
			if v == "global" {
				return "", nil
			}
		}
		return "npm " + c.Words[sub], pkgmgr.Positionals(c, sub, pkgmgr.NpmValueOpts)
	case "yarn":
		sub := pkgmgr.Sub(c, pkgmgr.YarnValueOpts)
		if sub < 0 || c.Words[sub] != "add" {
			return "", nil
		}
		return "yarn add", pkgmgr.Positionals(c, sub, pkgmgr.YarnValueOpts)
	case "pnpm":
		sub := pkgmgr.Sub(c, pkgmgr.PnpmValueOpts)
		if sub < 0 || (c.Words[sub] != "add" && c.Words[sub] != "install" && c.Words[sub] != "i") || c.HasFlag("-g", "--global") {
			return "", nil
		}
		return "pnpm " + c.Words[sub], pkgmgr.Positionals(c, sub, pkgmgr.PnpmValueOpts)
	}
	return "", nil
}

// npmGitPrefixes are the package specs npm fetches from git.
var npmGitPrefixes = []string{"git:", "git+", "github:", "gitlab:", "bitbucket:", "gist:"}

// npmUnpinned reads one package argument (see runscript.WordText) and reports
// whether it names a registry package or git source without a version.
func npmUnpinned(w string) (name string, unpinned bool) {
	if w == "" {
		return "", false
	}
	lw := strings.ToLower(w)
	for _, g := range npmGitPrefixes {
		if strings.HasPrefix(lw, g) {
			return w, !strings.Contains(w, "#")
		}
	}
	switch {
	case strings.HasPrefix(w, "/") || strings.HasPrefix(w, ".") || strings.HasPrefix(w, "~"):
		return "", false // a folder or tarball on disk
	case strings.Contains(w, ":"):
		return "", false // a URL, file:, link:, npm: alias
	}
	for _, ext := range []string{".tgz", ".tar.gz", ".tar"} {
		if strings.HasSuffix(lw, ext) {
			return "", false
		}
	}
	name, ver := w, ""
	if at := strings.LastIndex(w, "@"); at > 0 {
		name, ver = w[:at], w[at+1:]
	}
	if strings.Contains(ver, "$") {
		return "", false // the version comes from a variable
	}
	if strings.Contains(name, "$") && ver == "" {
		return "", false // the whole spec may come from a variable
	}
	if !strings.HasPrefix(name, "@") && strings.Contains(name, "/") {
		// user/repo: a GitHub shorthand; #ref pins it.
		return w, !strings.Contains(w, "#")
	}
	if !pkgmgr.NpmFloating(ver) {
		return "", false
	}
	return w, true
}
