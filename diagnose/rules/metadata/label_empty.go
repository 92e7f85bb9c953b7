package metadata

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD086",
	Name:     "label-empty",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3051"},
	Summary:  "label of the label schema set to an empty value",
	Fixable:  diagnose.FixNone,
	Changes:  []string{"Labels"},
	Doc: diagnose.Doc{
		What: "Only active when the configuration has a label schema (`label-schema:`). Flags a `LABEL` (or " +
			"`ONBUILD LABEL`) that sets one of the schema's labels to an empty value: `key=`, `key=\"\"`, or (unlike " +
			"hadolint) a value of blanks only. A value holding a variable (`key=$VERSION`) is not checked: it is " +
			"only known at build time. An empty value is reported here only, not also as a bad URL, date or version " +
			"by the type rules (DD087–DD092) as hadolint does.",
		Why: "The schema says the label matters; an empty value satisfies the letter of the schema (the label is " +
			"there) but not its purpose. It usually means a build argument was expected and never passed, or a " +
			"placeholder was left behind.",
		Bad:     "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=\"\"",
		Good:    "FROM alpine:3.20\nARG VCS_REF\nLABEL org.opencontainers.image.revision=$VCS_REF",
		Context: map[string]string{".dockdoc.yaml": "label-schema:\n  org.opencontainers.image.revision: hash\n"},
		Fix: "No automatic fix: only you know the value. Fill it in, or set it from a build argument your CI passes " +
			"(`ARG VCS_REF` and `--build-arg VCS_REF=$(git rev-parse HEAD)`).",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3051",
			"https://github.com/hadolint/hadolint#configure",
			"https://docs.docker.com/reference/dockerfile/#label",
		},
	},
	Check: func(p *diagnose.Pass) {
		schema := labels.Schema(p.Doc)
		if schema == nil {
			return
		}
		for _, in := range p.Doc.Instructions {
			for _, lp := range labels.Pairs(p.Doc, in) {
				if !lp.KeyKnown || !lp.ValueKnown || strings.TrimSpace(lp.Value) != "" {
					continue
				}
				typ, ok := schema[lp.Key]
				if !ok {
					continue
				}
				what := "a value"
				if typ != "" && typ != "text" {
					what = "a value of type " + typ
				}
				p.Report(lp.PairSpan, "label %q is empty; the label schema expects %s", lp.Key, what)
			}
		}
	},
})
