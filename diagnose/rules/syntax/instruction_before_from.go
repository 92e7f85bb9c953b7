package syntax

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD064",
	Name:     "instruction-before-from",
	Severity: diagnose.Error,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3061"},
	Summary:  "an instruction other than ARG comes before the first FROM",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags every instruction before the first `FROM` that is not an `ARG`. Comments, blank lines and " +
			"parser directives (`# syntax=`, `# escape=`, `# check=`) may come first; so may `ARG`, which then " +
			"declares a variable the `FROM` lines can use. A file with no `FROM` at all has all its instructions " +
			"flagged. Lines that are no Dockerfile instruction at all (template code such as `{{ if }}`) are left " +
			"out: that file is not a Dockerfile yet.",
		Why: "Every instruction except `ARG` works on a build stage, and a stage only starts at `FROM`. BuildKit " +
			"stops with \"no build stage in current context\" when it meets, say, a `RUN` or `ENV` before the first " +
			"`FROM`, so nothing gets built. This usually comes from a `LABEL` or `ENV` moved to the top, or from " +
			"two Dockerfiles pasted together.",
		Bad:  "ENV NODE_ENV=production\nFROM node:22-alpine",
		Good: "ARG NODE_VERSION=22\nFROM node:${NODE_VERSION}-alpine\nENV NODE_ENV=production",
		Fix: "No automatic fix: dockdoc cannot tell which stage the instruction belongs to. Move it below the " +
			"`FROM` of the stage that needs it (for several stages, put it in a shared base stage), or make it an " +
			"`ARG` if it only feeds a `FROM` line.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#format",
			"https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact",
			"https://github.com/hadolint/hadolint/wiki/DL3061",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Stage != nil {
				break
			}
			if in.Keyword == "arg" || !knownInstructions[in.Keyword] {
				continue // an unknown keyword (a template, a typo) is another problem
			}
			kw := strings.ToUpper(in.Keyword)
			if len(d.Stages) == 0 {
				p.Report(buildvars.FirstLine(d, in), "%s outside any build stage: the file has no FROM, so there is nothing for it to work on", kw)
				continue
			}
			p.Report(buildvars.FirstLine(d, in), "%s comes before the first FROM (line %d); only ARG may, and BuildKit stops with "+
				"\"no build stage in current context\"", kw, d.Stages[0].From.StartLine)
		}
	},
})

// knownInstructions are the Dockerfile instruction keywords.
var knownInstructions = map[string]bool{
	"from": true, "run": true, "cmd": true, "label": true, "maintainer": true, "expose": true, "env": true,
	"add": true, "copy": true, "entrypoint": true, "volume": true, "user": true, "workdir": true, "arg": true,
	"onbuild": true, "stopsignal": true, "healthcheck": true, "shell": true,
}
