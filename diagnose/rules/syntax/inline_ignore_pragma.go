package syntax

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD068",
	Name:     "inline-ignore-pragma",
	Severity: diagnose.Style,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL1001"},
	Summary:  "an inline comment suppresses findings",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Off by default, as in hadolint: turn it on with `--rule DD068` or `enable: [DD068]` in .dockdoc.yaml. Flags every comment that silences findings for part of the file: `# hadolint ignore=...` and " +
			"`# dockdoc ignore=...` (the next instruction), `# hadolint stage ignore=...` (a stage), and a " +
			"`# check=skip=...` comment above an instruction. File-wide suppressions (`# dockdoc global ignore=`, " +
			"`# hadolint global ignore=`, the top `# check=` directive) and the configuration file are not flagged. " +
			"This is for teams that want every exception in one reviewed place. hadolint has its version of the rule " +
			"(DL1001, which only knows its own pragma) off by default; dockdoc reports it at the lowest level, style.",
		Why: "An inline suppression is easy to add and easy to forget: it stays when the instruction changes, " +
			"and it can hide a new, real problem of the same rule on that line. Keeping exceptions in " +
			"`.dockdoc.yaml` (or `.hadolint.yaml`) makes them visible in one place, where they get reviewed.",
		Bad:  "# hadolint ignore=DL3008\nRUN apt-get install -y curl",
		Good: "RUN apt-get install -y curl=8.5.0-2ubuntu10.6",
		Fix: "No automatic fix: either fix what the comment hides, or move the exception to the configuration " +
			"file (`ignored:` for a whole rule). To remove suppressions that no longer hide anything, run " +
			"`dockdoc check --report-unused` (DD094).",
		Refs: []string{
			"https://github.com/hadolint/hadolint#inline-ignores",
			"https://github.com/hadolint/hadolint/wiki/DL1001",
		},
	},
	Optional: true,
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, pr := range d.Pragmas() {
			if pr.Scope == "global" {
				continue
			}
			what := "the next instruction"
			if pr.Scope == "stage" {
				what = "a whole stage"
			}
			kind := pr.From + " ignore"
			switch {
			case pr.From == "check":
				kind = "check=skip"
			case pr.Scope == "stage":
				kind = pr.From + " stage ignore"
			}
			p.Report(pr.Span, "inline suppression (%s=%s) hides findings on %s; keep exceptions in the configuration file instead",
				kind, strings.Join(pr.Names, ","), what)
		}
	},
})
