package syntax

import (
	"github.com/dockdoc/dockdoc/diagnose"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD019",
	Name:     "duplicate-stage-name",
	Severity: diagnose.Error,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3024", "DuplicateStageName"},
	Summary:  "two stages have the same name",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags a `FROM ... AS name` whose name was already given to an earlier stage. Names are compared " +
			"without regard to case, as Docker does (`AS Build` and `AS build` are the same name). The later " +
			"stage is reported, with the line of the first one.",
		Why: "`COPY --from=name`, `FROM name` and `docker build --target name` pick a stage by its name. With two " +
			"stages of the same name it is unclear which one is meant: BuildKit warns, older builders reject " +
			"the file or silently take one of them, and a reader cannot tell which stage a reference reaches.",
		Bad:  "FROM node:22 AS build\nRUN npm ci && npm run build\n\nFROM golang:1.22 AS build\nRUN go build ./...",
		Good: "FROM node:22 AS web\nRUN npm ci && npm run build\n\nFROM golang:1.22 AS server\nRUN go build ./...",
		Fix: "No automatic fix: renaming a stage means deciding, for every `--from=`, `FROM` and `--target` that " +
			"uses the name, which of the two stages it was meant to reach. Give each stage its own name and " +
			"update the references.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/duplicate-stage-name/",
			"https://github.com/hadolint/hadolint/wiki/DL3024",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, s := range d.Stages {
			if s.Name == "" {
				continue
			}
			first := d.StageByName(s.Name, s.Index)
			if first == nil {
				continue
			}
			span := s.From.OrigSpan(s.NameSpan)
			if first.Name == s.Name {
				p.Report(span, "stage name %q is already used by the stage on line %d", s.Name, first.From.StartLine)
			} else {
				p.Report(span, "stage name %q is already used by the stage on line %d (as %q; names ignore case)",
					s.Name, first.From.StartLine, first.Name)
			}
		}
	},
})
