package metadata

import (
	"net/mail"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD092",
	Name:     "label-email-invalid",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3058"},
	Summary:  "schema label of type email is not an email address",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Only active for the labels the label schema gives type `email`. Their value must be one email " +
			"address as RFC 5322 defines it: `team@example.com`, or with a display name, " +
			"`Platform Team <team@example.com>`. hadolint accepts only the bare address and reports the second " +
			"form, which RFC 5322 allows and which is common in author labels. Lists of addresses are reported. " +
			"Values holding a variable and empty values (DD086) are not checked here.",
		Why: "A contact label is how someone who finds a problem in the image reaches its owners. An address " +
			"that cannot be parsed (`team at example.com`, a missing domain, a stray comma) cannot be mailed or " +
			"routed automatically.",
		Bad:     "FROM alpine:3.20\nLABEL com.example.contact=\"platform team\"",
		Good:    "FROM alpine:3.20\nLABEL com.example.contact=\"Platform Team <platform@example.com>\"",
		Context: map[string]string{".dockdoc.yaml": "label-schema:\n  com.example.contact: email\n"},
		Fix:     "No automatic fix: only you know the address.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3058",
			"https://www.rfc-editor.org/rfc/rfc5322#section-3.4",
		},
	},
	Check: func(p *diagnose.Pass) {
		labels.Typed(p, "email", func(lp labels.Pair) {
			if why := emailProblem(lp.Value); why != "" {
				p.Report(lp.ValueSpan, "label %q is not an email address: %s", lp.Key, why)
			}
		})
	},
})

// emailProblem says why v is not one RFC 5322 address ("" when it is
// one).
func emailProblem(v string) string {
	_, err := mail.ParseAddress(v)
	switch {
	case err == nil:
		return ""
	case !strings.Contains(v, "@"):
		return "it has no @; an address looks like name@example.com or Name <name@example.com>"
	}
	return "it does not read as name@domain or Name <name@domain> (" + strings.TrimPrefix(err.Error(), "mail: ") + ")"
}
