package files

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/diagnose/sources"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD004",
	Name:     "add-instead-of-copy",
	Severity: diagnose.Error,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3020"},
	Summary:  "ADD used where COPY does the job",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags an `ADD` whose sources are all files or directories of the build context. It is not flagged " +
			"when a source is a URL or a Git repository (`http://`, `https://`, `git@...`, `....git`), when a source " +
			"has an archive extension that `ADD` would unpack (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`, " +
			"`.tar.zst`, `.gz`, `.xz`, ...), when it uses options only `ADD` has (`--checksum`, `--keep-git-dir`, " +
			"`--unpack`), or when its source is a heredoc. A source with variables is judged by what BuildKit " +
			"expands it to with the defaults of the file's `ARG`s and the values of its `ENV`s, so a URL or an " +
			"archive named that way (`ARG URL=https://...` then `ADD $URL /tmp/`) is not flagged either.",
		Why: "`ADD` does more than copy: it downloads URLs, clones Git repositories and unpacks local tar archives. " +
			"When you only mean to copy files, that extra behaviour is a trap: a file that happens to be a tar " +
			"archive gets unpacked instead of copied, and a reader has to check every source to know which of the " +
			"three things the line does. `COPY` only copies, so the line says what it does. Keep `ADD` for the cases " +
			"where you want its extra powers.",
		Bad:  "FROM python:3.12-slim\nADD requirements.txt /app/\nADD src/ /app/src/",
		Good: "FROM python:3.12-slim\nCOPY requirements.txt /app/\nCOPY src/ /app/src/",
		Fix: "Changes the keyword `ADD` to `COPY` (same letter case); options both share (`--chown`, `--chmod`, " +
			"`--link`, `--exclude`) stay as they are. Safe when every source is written literally: for local files " +
			"without an archive extension both instructions copy the same thing. (`ADD` actually recognises an " +
			"archive by its content, so a tar file under a misleading name such as `data.bin` would be unpacked by " +
			"`ADD` and copied as is by `COPY`; name archives after what they are.) Unsafe when a source holds a " +
			"variable (`$SRC`) or a wildcard (`*`, `?`, `[...]`): what it names at build time could be a URL or an " +
			"archive that `ADD` unpacks, so check that before applying.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#add",
			"https://docs.docker.com/build/building/best-practices/#add-or-copy",
			"https://github.com/hadolint/hadolint/wiki/DL3020",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Keyword != "add" || len(in.Heredocs) > 0 {
				continue
			}
			if !flagsShared(in.Node.Flags) {
				continue
			}
			var args []string
			for n := in.Node.Next; n != nil; n = n.Next {
				args = append(args, n.Value)
			}
			if len(args) < 2 {
				continue
			}
			srcs := args[:len(args)-1]
			literal, skip := true, false
			var env *buildvars.Env
			for _, s := range srcs {
				v := s
				if !in.IsExecForm() {
					v = strings.NewReplacer(`"`, "", `'`, "").Replace(s)
				}
				if strings.HasPrefix(v, "<<") || sources.IsRemote(v) || sources.IsArchive(v) {
					skip = true
					break
				}
				if strings.Contains(v, "$") {
					// What the ARG and ENV values make of it, as BuildKit
					// expands it: ARG URL=https://... then ADD $URL.
					if env == nil {
						env = buildvars.EnvAt(d, in)
					}
					if x, ok := buildvars.Expand(s, env, d.Escape); ok && (sources.IsRemote(x.Result) || sources.IsArchive(x.Result)) {
						skip = true
						break
					}
				}
				if strings.ContainsAny(v, "$*?[") {
					literal = false
				}
			}
			if skip {
				continue
			}
			span := diagnose.Span{Start: in.Span.Start, End: in.TextEnd}
			kw := in.KeywordSpan()
			repl := keyword(string(d.Src[kw.Start:kw.End]))
			if literal {
				f := p.Report(span, "ADD only copies local files here; use COPY, which cannot download URLs or unpack archives by surprise")
				f.AddFix("Replace ADD with COPY", fixes.Safe, diagnose.Replace(kw, repl))
				continue
			}
			f := p.Report(span, "ADD seems to copy only local files here; if the variable or wildcard names no archive or URL, use COPY")
			f.AddFix("Replace ADD with COPY, assuming the sources are plain local files", fixes.Unsafe, diagnose.Replace(kw, repl))
		}
	},
})

// flagsShared reports whether every flag of an ADD is one COPY
// accepts with the same meaning.
func flagsShared(flags []string) bool {
	for _, fl := range flags {
		name, _, _ := strings.Cut(strings.TrimPrefix(fl, "--"), "=")
		switch name {
		case "chown", "chmod", "link", "exclude":
		default:
			return false
		}
	}
	return true
}

// keyword spells COPY in the case style of the original ADD.
func keyword(kw string) string {
	switch kw {
	case "add":
		return "copy"
	case "Add":
		return "Copy"
	}
	return "COPY"
}
