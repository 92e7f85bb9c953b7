package metadata

import (
	"fmt"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD090",
	Name:     "label-hash-invalid",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3055"},
	Summary:  "schema label of type hash is not a git commit hash",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Only active for the labels the label schema gives type `hash`. Their value must be a git commit " +
			"hash in lower-case hexadecimal, as git prints it: 40 digits (SHA-1), 64 (a SHA-256 repository), or an " +
			"abbreviation of 7 to 39 digits. hadolint accepts exactly 7 or 40 digits; dockdoc also accepts the " +
			"longer abbreviations git prints for large repositories (`git rev-parse --short` gives 12 digits for " +
			"the Linux kernel) and SHA-256 hashes. Values holding a variable (`$VCS_REF`) and empty values (DD086) " +
			"are not checked here.",
		Why: "A revision label ties the image to the exact source it was built from; scanners and incident " +
			"responders follow it back to the commit. A branch name, a tag or a truncated hash does not identify " +
			"one commit, so the trail ends there.",
		Bad:     "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=main",
		Good:    "FROM alpine:3.20\nARG VCS_REF\nLABEL org.opencontainers.image.revision=$VCS_REF",
		Context: map[string]string{".dockdoc.yaml": "label-schema:\n  org.opencontainers.image.revision: hash\n"},
		Fix: "No automatic fix: the commit is only known where the image is built. Pass it as a build argument " +
			"(`--build-arg VCS_REF=$(git rev-parse HEAD)`).",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3055",
			"https://git-scm.com/docs/git-rev-parse",
			"https://github.com/opencontainers/image-spec/blob/main/annotations.md",
		},
	},
	Check: func(p *diagnose.Pass) {
		labels.Typed(p, "hash", func(lp labels.Pair) {
			if why := hashProblem(lp.Value); why != "" {
				p.Report(lp.ValueSpan, "label %q is not a git commit hash: %s", lp.Key, why)
			}
		})
	},
})

// hashProblem says why v is not a git commit hash ("" when it is one).
func hashProblem(v string) string {
	upper := false
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9' || r >= 'a' && r <= 'f':
		case r >= 'A' && r <= 'F':
			upper = true
		default:
			return fmt.Sprintf("it contains %q, which is not a hexadecimal digit", r)
		}
	}
	switch n := len(v); {
	case n < 7:
		return fmt.Sprintf("%d digits is too short; an abbreviated hash has at least 7", n)
	case n > 40 && n != 64:
		return fmt.Sprintf("it has %d digits; a full hash has 40 (SHA-1) or 64 (SHA-256)", n)
	case upper:
		return "git writes hashes in lower case"
	}
	return ""
}
