package files

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/moby/patternmatcher"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD077",
	Name:     "copy-ignored-file",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"CopyIgnoredFile"},
	Summary:  "COPY or ADD of a path .dockerignore excludes",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Checks each local source of `COPY` and `ADD` against the build context's `.dockerignore` (or " +
			"`<Dockerfile>.dockerignore`) and flags the ones it excludes. `COPY --from=`, URLs, git sources, heredocs " +
			"and sources with variables or wildcards are skipped; `COPY . .` is only flagged when a pattern such as " +
			"`*` or `**` excludes everything. BuildKit gives up as soon as the ignore file has an exception " +
			"(`!pattern`), because an exception can bring back files inside an excluded directory; dockdoc still " +
			"flags a source when no exception could match it or anything under it, which catches the common " +
			"allow-list style (`*` followed by `!src`, `!package.json`). Without a build context (a Dockerfile read " +
			"from standard input) the rule stays silent.",
		Why: "`.dockerignore` removes files from the build context before the build starts, so the builder never " +
			"sees them. A `COPY` of an excluded path fails with a \"not found\" error that does not mention the " +
			"ignore file, or, for a directory that is only partly excluded, quietly copies less than you expect. " +
			"Usually one of the two files is out of date: a pattern that is too broad, or a `COPY` of something " +
			"that should not go into the image (such as `.env`).",
		Bad:         "FROM nginx:1.27\nCOPY README.md /usr/share/nginx/html/",
		Good:        "FROM nginx:1.27\nCOPY README.md /usr/share/nginx/html/",
		Context:     map[string]string{".dockerignore": "*.md\n", "README.md": "# App\n"},
		GoodContext: map[string]string{".dockerignore": "*.md\n!README.md\n", "README.md": "# App\n"},
		Fix: "No automatic fix: either the pattern or the `COPY` is wrong, and only you know which. Add an exception " +
			"(`!path`) to `.dockerignore` if the file belongs in the image, or remove the source from the `COPY` if " +
			"it does not.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/copy-ignored-file/",
			"https://docs.docker.com/build/concepts/context/#dockerignore-files",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		if d.Ctx == nil || d.Ctx.DockerIgnore == nil || len(d.Ctx.DockerIgnore.Patterns) == 0 {
			return
		}
		di := d.Ctx.DockerIgnore
		var exceptions []string
		rootWide := false
		for _, pat := range di.Patterns {
			if e, ok := strings.CutPrefix(pat, "!"); ok {
				exceptions = append(exceptions, strings.TrimPrefix(path.Clean(strings.TrimSpace(e)), "/"))
				continue
			}
			switch pat {
			case "*", "**", "**/*":
				rootWide = true
			}
		}
		ignoreName := path.Base(strings.ReplaceAll(di.Path, "\\", "/"))
		for _, in := range d.Instructions {
			if in.Keyword != "copy" && in.Keyword != "add" {
				continue
			}
			if _, _, ok := buildvars.Flag(in, "from"); ok && in.Keyword == "copy" {
				continue
			}
			var vals []string
			for n := in.Node.Next; n != nil; n = n.Next {
				vals = append(vals, n.Value)
			}
			if len(vals) < 2 {
				continue
			}
			_, cursor := in.Args()
			for _, raw := range vals[:len(vals)-1] {
				span := in.KeywordSpan()
				if i := strings.Index(in.Logical[cursor:], raw); i >= 0 {
					span = in.OrigSpan(diagnose.Span{Start: cursor + i, End: cursor + i + len(raw)})
					cursor += i + len(raw)
				}
				if strings.HasPrefix(raw, "<<") || strings.ContainsAny(raw, "$*?[") {
					continue
				}
				if in.Keyword == "add" && (strings.Contains(raw, "://") || strings.HasPrefix(raw, "git@") || strings.HasPrefix(raw, "github.com/")) {
					continue
				}
				x, ok := buildvars.Expand(raw, buildvars.NewEnv(), d.Escape)
				if !ok || x.Result == "" {
					continue
				}
				src := strings.TrimPrefix(path.Clean(x.Result), "/")
				if src == "" {
					src = "."
				}
				if src == "." && !rootWide {
					continue
				}
				if !di.Ignores(src) || reincluded(src, exceptions) {
					continue
				}
				kw := strings.ToUpper(in.Keyword)
				if pat := pattern(di.Patterns, src); pat != "" {
					p.Report(span, "%s source %q is excluded by %s (pattern %q), so it is not in the build context", kw, x.Result, ignoreName, pat)
				} else {
					p.Report(span, "%s source %q is excluded by %s, so it is not in the build context", kw, x.Result, ignoreName)
				}
			}
		}
	},
})

// reincluded reports whether an exception pattern of the
// ignore file could bring back src or something under it (then the COPY
// may still find files, and the finding would be a guess).
func reincluded(src string, exceptions []string) bool {
	if src == "." {
		return len(exceptions) > 0
	}
	for _, e := range exceptions {
		lit := e
		if i := strings.IndexAny(e, "*?[\\"); i >= 0 {
			lit = e[:i]
		}
		if lit == "" || lit == "." || strings.HasPrefix(lit, src+"/") || strings.HasPrefix(src+"/", lit) {
			return true
		}
	}
	return false
}

// pattern returns the last plain (non-exception) pattern that
// excludes src or one of its parents, for the message.
func pattern(patterns []string, src string) string {
	found := ""
	for _, pat := range patterns {
		if strings.HasPrefix(pat, "!") {
			continue
		}
		pm, err := patternmatcher.New([]string{pat})
		if err != nil {
			continue
		}
		if ok, err := pm.MatchesOrParentMatches(src); err == nil && ok {
			found = pat
		}
	}
	return found
}
