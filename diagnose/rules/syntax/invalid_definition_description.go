package syntax

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD080",
	Name:     "invalid-definition-description",
	Severity: diagnose.Style,
	Category: diagnose.Maintainability,
	Aliases:  []string{"InvalidDefinitionDescription"},
	Summary:  "comment above FROM or ARG does not start with its name",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Off by default, as the check is experimental in BuildKit: turn it on with `--rule DD080` or `enable: [DD080]` in .dockdoc.yaml. Looks at the comment written directly above a named stage (`FROM ... AS name`) or an `ARG`, and flags " +
			"it when its last line does not start with the stage or argument name (`# VERSION of the tool`). Stage " +
			"names are compared in lower case, the way Docker uses them. A " +
			"line holding only `#`, a blank line, or a checker pragma (`# check=`, `# hadolint ...`, `# dockdoc ...`) " +
			"is not part of the comment. This mirrors BuildKit's InvalidDefinitionDescription check, which is " +
			"experimental there and off unless enabled with `# check=experimental=InvalidDefinitionDescription`. " +
			"BuildKit's parser, unlike its documentation, keeps a comment attached across blank lines; dockdoc " +
			"follows the documentation and treats a blank line as a separator.",
		Why: "`docker buildx build --call=outline` and `--call=targets` list the stages and build arguments of a " +
			"Dockerfile with a description taken from the comment right above them, but only when that comment " +
			"starts with the name. Following the convention turns these comments into help text for whoever " +
			"builds the image; a comment that is not meant as a description is better kept apart.",
		Bad:  "# Compile the server\nFROM golang:1.22 AS build\n# Which Go toolchain to use\nARG GO_VERSION=1.22",
		Good: "# build compiles the server\nFROM golang:1.22 AS build\n# GO_VERSION selects the Go toolchain\nARG GO_VERSION=1.22",
		Fix: "No automatic fix: rewording a comment is a writing decision. Start it with the name, or, if it is not " +
			"a description, put a line holding only `#` between it and the instruction (that separates the two " +
			"for BuildKit as well as for dockdoc).",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/invalid-definition-description/",
			"https://docs.docker.com/build/checks/#experimental-checks",
		},
	},
	Optional: true,
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			var keys []string
			what := ""
			switch in.Keyword {
			case "from":
				if in.Stage == nil || in.Stage.From != in || in.Stage.Name == "" {
					continue
				}
				// BuildKit compares with the stage name as it uses it: lower case.
				keys = []string{strings.ToLower(in.Stage.Name)}
				what = "stage " + in.Stage.Name
			case "arg":
				for _, a := range buildvars.Args(in.Node) {
					keys = append(keys, a.Key)
				}
				if len(keys) == 0 {
					continue
				}
				what = "ARG " + keys[0]
				if len(keys) > 1 {
					what = "ARG " + strings.Join(keys, ", ")
				}
			default:
				continue
			}
			texts, lines := buildvars.CommentBlock(d, in)
			if len(texts) == 0 {
				continue
			}
			last := texts[len(texts)-1]
			first, _, _ := strings.Cut(last, " ")
			ok := false
			for _, k := range keys {
				if first == k {
					ok = true
				}
			}
			if ok {
				continue
			}
			l := lines[len(lines)-1]
			span := diagnose.Span{Start: d.LineStart(l) + len(d.Indent(l)), End: d.LineEnd(l)}
			example := keys[0]
			if in.Keyword == "arg" && len(keys) > 1 {
				example = "<name>"
			}
			p.Report(span, "the comment above %s (line %d) does not start with the name, so build tools do not show it as a description (write \"# %s ...\" or separate it with a bare #)",
				what, in.StartLine, example)
		}
	},
})
