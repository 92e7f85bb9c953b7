package deps

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/deplayer"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD101",
	Name:     "go-module-edited",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Summary:  "go command that may edit go.mod and go.sum in a build",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags the go commands of a build that may edit the module's `go.mod` and `go.sum` instead of " +
			"building what they say:\n" +
			"- `go build`, `go install`, `go test`, `go run`, `go vet`, `go list` or `go generate` with `-mod=mod`, " +
			"or with `GOFLAGS` holding `-mod=mod` (ENV, ARG, `export`, or in front of the command);\n" +
			"- `go get` and `go mod tidy` when the module is in the image: `go.mod` was copied in before (by name, " +
			"by a glob such as `go.*`, or, when the build context has a `go.mod`, by a `COPY` of a directory " +
			"holding it) or bind-mounted into the `RUN`. `GO111MODULE=off` (GOPATH mode) is not flagged.\n" +
			"Also checked in `ONBUILD RUN`, also through the cross-compiling wrapper `xx-go`. Tool installs such " +
			"as `go install golang.org/x/tools/gopls@v0.16.2` build outside the module and are not flagged (DD053 " +
			"checks their versions).",
		Why: "`go.mod` lists the modules the code needs and `go.sum` their checksums; together they are the lock. " +
			"Since Go 1.16 a build uses them read-only (`-mod=readonly`): when an import is missing from `go.mod`, " +
			"or a checksum from `go.sum`, it stops with an error (\"missing go.sum entry\", \"no required module " +
			"provides package\") that says what to commit. `-mod=mod` turns that check off: the go command looks " +
			"the missing module up, adds the newest version to `go.mod`, downloads it and adds its checksum to " +
			"`go.sum`, all inside the image. The build passes with a dependency nobody chose or reviewed, whose " +
			"checksum only the public checksum database vouched for, and the image differs from what the " +
			"repository describes. Lines already in `go.sum` are still checked.\n" +
			"`go get` exists to change `go.mod`: it adds or upgrades requirements (`go get ./...` adds whatever the " +
			"code imports and `go.mod` lacks, `go get -u` upgrades everything), and `go mod tidy` rewrites both files " +
			"to fit the source. In a build they hide the drift the same way. `go mod download` fetches exactly what " +
			"`go.mod` and `go.sum` list and changes neither.",
		Bad: "FROM golang:1.24 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go get ./...\nCOPY . .\n" +
			"RUN CGO_ENABLED=0 go build -mod=mod -o /out/app .\n\n" +
			"FROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]",
		Good: "FROM golang:1.24 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n" +
			"RUN CGO_ENABLED=0 go build -o /out/app .\n\n" +
			"FROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]",
		Context: map[string]string{
			"go.mod":  "module example.com/app\n\ngo 1.24\n",
			"go.sum":  "",
			"main.go": "package main\n\nfunc main() {}\n",
		},
		Fix: "- `-mod=mod` becomes `-mod=readonly` (not removed: with a `vendor` directory the default would be " +
			"`-mod=vendor`, another change). Unsafe: with a tidy `go.mod` and `go.sum` the build is the same, but " +
			"when they lack something the code imports, the build now fails, and you have to run `go mod tidy` " +
			"and commit both files. A `-mod=mod` in `GOFLAGS` set by ENV gets no fix: that would change the image's " +
			"environment; remove it by hand.\n" +
			"- `go get` of the module's own packages (no arguments, `.`, `./...`) becomes `go mod download`, unsafe for " +
			"the same reason. `go get` of a named module, and `go mod tidy`, get no fix: run them on your machine " +
			"and commit the result.",
		Refs: []string{
			"https://go.dev/ref/mod#build-commands",
			"https://go.dev/ref/mod#go-get",
			"https://go.dev/ref/mod#go-mod-download",
			"https://go.dev/ref/mod#go-mod-tidy",
		},
	},
	Check: checkGoModuleEdited,
})

func checkGoModuleEdited(p *diagnose.Pass) {
	d := p.Doc
	for _, in := range d.Instructions {
		module := -1 // unknown; 0: no module in the image, 1: go.mod in the image
		inModule := func() bool {
			if module < 0 {
				module = 0
				if ctx := d.Ctx; ctx != nil && ctx.GoModule != nil && deplayer.ContextFileInImage(d, in, "go.mod") ||
					deplayer.NamedInImage(d, in, "go.mod") {
					module = 1
				}
			}
			return module == 1
		}
		for _, c := range runscript.RunOrOnbuildCommands(d, in) {
			at, verb := pkgmgr.GoVerb(c)
			if at < 0 {
				continue
			}
			if v, _ := pkgmgr.Env(d, in, c, "GO111MODULE"); v == "off" {
				continue
			}
			span := c.Script.Span(c.Call)
			switch {
			case pkgmgr.GoBuildVerbs[verb]:
				if i := pkgmgr.GoModMod(c, at); i >= 0 {
					f := p.Report(span, "go %s -mod=mod adds missing requirements to go.mod and go.sum inside the image instead of failing; "+
						"keep the default -mod=readonly and commit a tidy go.mod and go.sum", verb)
					edit := diagnose.Replace(c.ArgSpan(i), "-mod=readonly")
					if c.Words[i] == "mod" {
						edit = diagnose.Replace(c.ArgSpan(i), "readonly")
					}
					fx := f.AddFix("Use -mod=readonly", fixes.Unsafe, edit)
					fx.Note = "The build then fails when go.mod or go.sum lacks something the code imports: run go mod tidy and commit both files."
					continue
				}
				if v, ok := pkgmgr.Env(d, in, c, "GOFLAGS"); ok && pkgmgr.GoFlagsModMod(v) {
					p.Report(span, "GOFLAGS holds -mod=mod, so go %s adds missing requirements to go.mod and go.sum inside the image instead of failing; "+
						"drop -mod=mod from GOFLAGS and commit a tidy go.mod and go.sum", verb)
				}
			case verb == "get":
				if !inModule() {
					continue
				}
				f := p.Report(span, "go get edits go.mod and go.sum in the image, adding or upgrading requirements the repository does not have; "+
					"run it on your machine, commit both files, and use go mod download in the build")
				pos := pkgmgr.Positionals(c, at, pkgmgr.GoValueOpts)
				local := !pkgmgr.HasOpt(c, at, "-u", "-u=patch", "-t", "-tool")
				for _, i := range pos {
					local = local && c.Lit[i] && pkgmgr.GoLocalPattern(c.Words[i])
				}
				if local {
					end := c.ArgSpan(len(c.Call.Args) - 1).End
					fx := f.AddFix("Replace go get with go mod download", fixes.Unsafe, diagnose.Replace(diagnose.Span{Start: c.ArgSpan(at).Start, End: end}, "mod download"))
					fx.Note = "go mod download fetches what go.mod lists and changes nothing; a build that needs a requirement go.mod lacks then fails."
				}
			case verb == "mod tidy":
				if !inModule() || pkgmgr.HasOpt(c, at, "-diff") {
					continue
				}
				p.Report(span, "go mod tidy rewrites go.mod and go.sum in the image to fit the source, hiding a module the repository forgot to commit; "+
					"run it on your machine and commit both files (go mod tidy -diff checks them in CI)")
			}
		}
	}
}
