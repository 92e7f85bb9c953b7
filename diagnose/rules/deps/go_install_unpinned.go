package deps

import (
	"path"
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD053",
	Name:     "go-install-unpinned",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3062"},
	Summary:  "go install of a remote package without a fixed version",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags `go install`, `go get` and `go run` (also through the cross-compiling wrapper `xx-go`) of a remote package (its path starts with a domain, " +
			"such as `golang.org/x/tools/gopls`) whose version is a moving query: `@latest`, `@upgrade`, " +
			"`@patch`, a branch such as `@main`, or a version prefix such as `@v1`. `go get` without any " +
			"`@version` is flagged too, since it means `@upgrade`. `go install` or `go run` without `@version` " +
			"is flagged only when no go.mod was copied into the stage before it: inside a module Go builds the " +
			"version go.mod requires, which is pinned. Local packages (`.`, `./...`, `./cmd/app`), standard " +
			"library packages and versions in variables (`@$VERSION`) are not flagged. Also checked in " +
			"`ONBUILD RUN`. Unlike hadolint, `@latest` and branch names count as unpinned and packages pinned " +
			"by the module's go.mod are not flagged.",
		Why: "`@latest` is whatever was tagged most recently on the day of the build, and a branch name is " +
			"whatever was committed last. The same Dockerfile then builds a different tool each time, a new " +
			"release can break the build, and nothing records which version the image contains. Outside a " +
			"module, `go install pkg` without a version does not work at all with Go 1.16 and later, and in " +
			"GOPATH mode it builds the newest commit.",
		Bad:  "RUN go install golang.org/x/tools/gopls@latest",
		Good: "RUN go install golang.org/x/tools/gopls@v0.16.2",
		Fix: "None: dockdoc works offline and cannot know which version you use. Pin the release you run " +
			"locally (`go version -m $(which gopls)` shows it), or declare the tool in go.mod (`go get -tool`) " +
			"and build it from the module.",
		Refs: []string{
			"https://go.dev/ref/mod#go-install",
			"https://go.dev/ref/mod#version-queries",
			"https://github.com/hadolint/hadolint/wiki/DL3062",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			cmds := runscript.RunOrOnbuildCommands(d, in)
			if len(cmds) == 0 {
				continue
			}
			module := -1 // 0: no go.mod in the stage, 1: a go.mod was copied in
			for _, c := range cmds {
				if n := c.Name(); n != "go" && n != "xx-go" {
					continue // xx-go is the cross-compiling wrapper of tonistiigi/xx
				}
				sub := pkgmgr.Sub(c, nil)
				if sub < 0 || !c.Lit[sub] {
					continue
				}
				verb := c.Words[sub]
				if verb != "install" && verb != "get" && verb != "run" {
					continue
				}
				pkgs := pkgmgr.Positionals(c, sub, goValueOpts)
				if verb == "run" && len(pkgs) > 1 {
					pkgs = pkgs[:1] // the rest are the program's arguments
				}
				for _, i := range pkgs {
					w := runscript.WordText(c.Call.Args[i])
					pkg, ver, hasVer := strings.Cut(w, "@")
					if !goRemote(pkg) {
						continue
					}
					var why string
					switch {
					case !hasVer && verb == "get":
						why = "go get without @version fetches the newest release (the newest commit in GOPATH mode)"
					case !hasVer:
						if module < 0 {
							module = 0
							if goModuleCopied(d, in) {
								module = 1
							}
						}
						if module == 1 {
							continue // go.mod decides the version
						}
						why = "without @version, Go 1.16 and later refuse it outside a module and GOPATH mode builds the newest commit"
					case strings.Contains(ver, "$"):
						continue
					case goFloating(ver):
						why = "@" + ver + " moves to a new version whenever one is released"
						switch l := strings.ToLower(ver); {
						case l == "latest" || l == "upgrade" || l == "patch":
						case goPrefix.MatchString(ver):
							why = "@" + ver + " picks the newest release that starts with " + ver
						default:
							why = "@" + ver + " follows whatever was committed there last"
						}
					default:
						continue
					}
					p.Report(c.ArgSpan(i), "go %s of %s: %s; pin an exact version such as @v1.2.3", verb, pkg, why)
				}
			}
		}
	},
})

// goValueOpts are go build flags that take the next word as their value
// (they may also be written -flag=value).
var goValueOpts = map[string]bool{
	"-C": true, "-p": true, "-asmflags": true, "-buildmode": true, "-compiler": true, "-gccgoflags": true,
	"-gcflags": true, "-installsuffix": true, "-ldflags": true, "-mod": true, "-modfile": true, "-overlay": true,
	"-pgo": true, "-pkgdir": true, "-tags": true, "-toolexec": true, "-o": true, "-covermode": true,
	"-coverpkg": true, "-exec": true,
}

// goRemote reports whether a package path names a package fetched from
// the network: its first element holds a dot (a domain), unlike local
// paths and standard library packages.
func goRemote(pkg string) bool {
	if pkg == "" || strings.HasPrefix(pkg, ".") || strings.HasPrefix(pkg, "/") || strings.Contains(pkg, "$") ||
		strings.HasSuffix(pkg, ".go") {
		return false
	}
	first, _, _ := strings.Cut(pkg, "/")
	return strings.Contains(first, ".")
}

var (
	goSemver   = regexp.MustCompile(`^v\d+\.\d+\.\d+([-+].*)?$`)
	goPrefix   = regexp.MustCompile(`^v\d+(\.\d+)?$`)
	goBranches = map[string]bool{
		"latest": true, "upgrade": true, "patch": true, "main": true, "master": true, "head": true,
		"trunk": true, "develop": true, "dev": true,
	}
)

// goFloating reports whether a version query moves: latest, upgrade,
// patch, a well-known branch name, a version prefix (v1, v1.2) or a
// comparison (<v2). Full versions, pseudo-versions, commit hashes and
// other tags count as fixed.
func goFloating(v string) bool {
	switch {
	case v == "" || goBranches[strings.ToLower(v)] || goPrefix.MatchString(v):
		return true
	case strings.HasPrefix(v, "<") || strings.HasPrefix(v, ">"):
		return true
	case goSemver.MatchString(v):
		return false
	}
	return false
}

// goModuleCopied reports whether a go.mod reaches the build before in:
// a COPY or ADD earlier in the stage (or a stage it builds on) whose
// sources include go.mod or a whole directory (`.`), or a bind mount of
// one on the RUN itself.
func goModuleCopied(d *diagnose.Document, in *diagnose.Instruction) bool {
	for _, m := range pkgmgr.Mounts(in) {
		if m.Type == "bind" && (path.Base(m.Source) == "go.mod" || m.Source == "" || m.Source == "." || m.Source == "/") {
			return true
		}
	}
	for _, s := range in.Stage.Lineage() {
		for _, o := range s.Instrs {
			if s == in.Stage && o.Index >= in.Index {
				break
			}
			if o.Keyword != "copy" && o.Keyword != "add" {
				continue
			}
			words := o.Words()[1:]
			for len(words) > 0 && strings.HasPrefix(words[0].Text, "--") {
				words = words[1:]
			}
			if len(words) < 2 {
				continue
			}
			for _, w := range words[:len(words)-1] {
				src := strings.Trim(w.Text, `"',[]`)
				switch {
				case path.Base(src) == "go.mod", strings.HasPrefix(path.Base(src), "go.") && strings.ContainsAny(src, "*?["):
					return true
				case src == "." || src == "*" || strings.HasSuffix(src, "/") || strings.HasSuffix(src, "/."):
					// a whole directory, which may hold go.mod
					return true
				}
			}
		}
	}
	return false
}
