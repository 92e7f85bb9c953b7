package syntax

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD070",
	Name:     "reserved-stage-name",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3063", "ReservedStageName"},
	Summary:  "stage is named scratch or context",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags a stage named `scratch` or `context` (in any case: Docker lower-cases stage names first).",
		Why: "Both words already mean something to Docker. `scratch` is the empty image that `FROM scratch` " +
			"starts from; once a stage takes that name, a later `FROM scratch` or `COPY --from=scratch` reaches " +
			"your stage instead of the empty image, which silently changes what those lines build. `context` is the " +
			"name BuildKit keeps for the build context itself, and BuildKit refuses to look up a named build context " +
			"(`docker build --build-context`) for either word. Using them as stage names confuses readers and tools " +
			"for no gain.",
		Bad:  "FROM alpine:3.20 AS scratch\nRUN apk add --no-cache curl\n\nFROM scratch\nCOPY --from=scratch /usr/bin/curl /curl",
		Good: "FROM alpine:3.20 AS tools\nRUN apk add --no-cache curl\n\nFROM scratch\nCOPY --from=tools /usr/bin/curl /curl",
		Fix: "No automatic fix: after renaming, each `FROM scratch` and `--from=scratch` in the file could have meant " +
			"either the empty image or the stage, and only you know which. Pick a descriptive name and update the " +
			"references that meant the stage.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/reserved-stage-name/",
			"https://github.com/hadolint/hadolint/wiki/DL3063",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, s := range p.Doc.Stages {
			switch strings.ToLower(s.Name) {
			case "scratch":
				p.Report(s.From.OrigSpan(s.NameSpan), "stage name %q is reserved: later FROM scratch and --from=scratch would reach this stage, not the empty image", s.Name)
			case "context":
				p.Report(s.From.OrigSpan(s.NameSpan), "stage name %q is reserved for the build context", s.Name)
			}
		}
	},
})
