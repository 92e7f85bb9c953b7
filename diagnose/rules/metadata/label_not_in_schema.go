package metadata

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD085",
	Name:     "label-not-in-schema",
	Severity: diagnose.Info,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3050"},
	Summary:  "label outside the label schema (strict labels)",
	Fixable:  diagnose.FixNone,
	Changes:  []string{"Labels"},
	Doc: diagnose.Doc{
		What: "Only active when the configuration turns strict labels on (`strict-labels: true` in .dockdoc.yaml or " +
			".hadolint.yaml). Then every key a `LABEL` sets must be one of the label schema's names " +
			"(`label-schema:`); each other key is reported where it is written. With strict labels on and no schema, " +
			"every label is reported, as in hadolint. Keys built from a variable are not checked, nor are `ONBUILD " +
			"LABEL`s (they label the images built on this one, not this one). hadolint reports the LABEL " +
			"instruction once; dockdoc points at each extra key.",
		Why: "A strict schema keeps image metadata uniform across a team's images: only the agreed keys, each " +
			"with its agreed meaning. A stray label (a typo of a schema key such as `org.opencontainers.image.licence`, " +
			"or an ad-hoc key someone added) is either a mistake or something the schema should adopt.",
		Bad:     "FROM alpine:3.20\nLABEL org.opencontainers.image.licence=MIT",
		Good:    "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=MIT",
		Context: map[string]string{".dockdoc.yaml": "label-schema:\n  org.opencontainers.image.licenses: spdx\nstrict-labels: true\n"},
		Fix: "No automatic fix: the key may be a typo of a schema key, or a label the schema should list. Rename " +
			"it, remove it, or add it to the schema.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3050",
			"https://github.com/hadolint/hadolint#configure",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		if d.Config == nil || !d.Config.StrictLabels {
			return
		}
		schema := labels.Schema(d)
		for _, in := range d.Instructions {
			for _, lp := range labels.Pairs(d, in) {
				if lp.OnBuild || !lp.KeyKnown {
					continue
				}
				if _, ok := schema[lp.Key]; !ok {
					p.Report(lp.KeySpan, "label %q is not in the label schema, and strict labels are on", lp.Key)
				}
			}
		}
	},
})
