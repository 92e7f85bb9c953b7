package deps

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD049",
	Name:     "pip-install-unpinned",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3013"},
	Summary:  "pip install names packages without versions",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags `pip install` (also `pip3`, `python -m pip`) that names a package without a version " +
			"specifier, such as `pip install flask`. Any specifier counts as a choice made on purpose " +
			"(`flask==3.0.3`, `flask~=3.0`, `flask>=3,<4`), as do version variables (`flask==$FLASK_VERSION`), " +
			"VCS URLs with a ref (`git+https://...@v1.2`), local paths, wheels, archives and URLs. A command " +
			"that reads a requirements or constraints file (`-r`, `-c`, `PIP_CONSTRAINT`) is not flagged: the " +
			"file may pin what the command line names. Also checked in `ONBUILD RUN`. uv, Poetry, Pipenv and pip " +
			"itself are left to DD025 (unpinned-tool), which says more about them, and so are `pipx` " +
			"installs (every application pipx installs is a tool). Words whose package name is a variable are not flagged.",
		Why: "Without a version pip installs whatever release is newest on the day the image is built. The same " +
			"Dockerfile then gives different images on different days, a new major release can break the build " +
			"or the application without any change of yours, and a layer rebuilt without cache quietly picks up " +
			"versions nobody tested. Pinned versions change only when you change them, in a commit you can " +
			"review and revert.",
		Bad:  "RUN pip install --no-cache-dir flask gunicorn",
		Good: "RUN pip install --no-cache-dir flask==3.0.3 gunicorn==22.0.0\n# or, better, a requirements file\nRUN pip install --no-cache-dir -r requirements.txt",
		Fix: "None: dockdoc works offline and cannot know which version you tested. Pin the versions you run " +
			"in development (`pip freeze` lists them), ideally in a requirements or lock file copied into the " +
			"image.",
		Refs: []string{
			"https://pip.pypa.io/en/stable/topics/repeatable-installs/",
			"https://pip.pypa.io/en/stable/reference/requirement-specifiers/",
			"https://github.com/hadolint/hadolint/wiki/DL3013",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			for _, c := range runscript.RunOrOnbuildCommands(d, in) {
				verb := pkgmgr.PipInstallIndex(c)
				if verb < 0 {
					continue
				}
				if c.HasFlag("-r", "--requirement", "-c", "--constraint") {
					continue
				}
				if v, set := pkgmgr.Env(d, in, c, "PIP_CONSTRAINT"); set && v != "" {
					continue
				}
				var names []string
				for _, i := range pkgmgr.Positionals(c, verb, pipInstallValueOpts) {
					if name, unpinned := pipUnpinned(runscript.WordText(c.Call.Args[i])); unpinned {
						names = append(names, name)
					}
				}
				if len(names) == 0 {
					continue
				}
				p.Report(c.Script.Span(c.Call),
					"pip install names %s without a version, so each build gets whatever release is newest that day; pin with ==<version> or use a requirements file",
					runscript.ListNames(names))
			}
		}
	},
})

// pipInstallValueOpts are pip install options (and pip's general options) whose
// value is the next word.
var pipInstallValueOpts = func() map[string]bool {
	m := map[string]bool{"--root-user-action": true, "-b": true, "--build": true}
	for k := range pkgmgr.PipValueOpts {
		m[k] = true
	}
	return m
}()

// pipVersionOps are the version operators of a requirement specifier.
var pipVersionOps = []string{"==", "~=", "!=", ">=", "<=", ">", "<"}

// pipVCS are the URL schemes pip installs from version control.
var pipVCS = []string{"git+", "git://", "hg+", "svn+", "svn://", "bzr+"}

// pipUnpinned reads one pip install argument (see runscript.WordText) and reports
// whether it names a package from an index without a version. name is the
// requirement as written, for the message.
func pipUnpinned(w string) (name string, unpinned bool) {
	if w == "" {
		return "", false
	}
	for _, op := range pipVersionOps {
		if strings.Contains(w, op) {
			return "", false
		}
	}
	lw := strings.ToLower(w)
	for _, v := range pipVCS {
		if strings.HasPrefix(lw, v) {
			// A VCS URL pins a ref with @ after its path:
			// git+https://host/org/repo.git@v1.2#egg=repo.
			u, _, _ := strings.Cut(w, "#")
			if _, rest, ok := strings.Cut(u, "://"); ok {
				if slash := strings.Index(rest, "/"); slash >= 0 && strings.Contains(rest[slash:], "@") {
					return "", false
				}
			}
			return w, true
		}
	}
	switch {
	case strings.Contains(w, "$"):
		return "", false // the package or its version comes from a variable
	case strings.ContainsAny(w, "/\\") || strings.HasPrefix(w, "."):
		return "", false // a path or URL
	case strings.Contains(w, "@"):
		return "", false // name @ URL
	}
	for _, ext := range []string{".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz"} {
		if strings.HasSuffix(lw, ext) {
			return "", false
		}
	}
	base, _, _ := strings.Cut(w, "[") // extras: name[extra]
	base, _, _ = strings.Cut(base, ";")
	if pkgmgr.PipTools[pkgmgr.NormalizeName(strings.TrimSpace(base))] {
		return "", false // DD025 (unpinned-tool) covers uv, Poetry, Pipenv and pip
	}
	return w, true
}
