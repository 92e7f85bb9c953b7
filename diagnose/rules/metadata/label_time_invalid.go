package metadata

import (
	"strings"
	"time"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD088",
	Name:     "label-time-invalid",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3053"},
	Summary:  "schema label of type rfc3339 is not an RFC 3339 time",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Only active for the labels the label schema gives type `rfc3339`. Their value must be an RFC 3339 " +
			"timestamp: date, `T`, time and a UTC offset, such as `2024-05-01T12:30:00Z` or " +
			"`2024-05-01T14:30:00.5+02:00`. The message says what is missing when the value is a plain date or has " +
			"no offset. Values holding a variable (`$BUILD_DATE`, the usual way to stamp the build time) and empty " +
			"values (DD086) are not checked here.",
		Why: "A timestamp without an offset means a different instant in every time zone, and a plain date or a " +
			"local format (`05/01/2024`) cannot be compared or sorted reliably. Tools reading " +
			"`org.opencontainers.image.created` expect RFC 3339 and may reject or misread anything else.",
		Bad:     "FROM alpine:3.20\nLABEL org.opencontainers.image.created=\"2024-05-01 12:30\"",
		Good:    "FROM alpine:3.20\nARG BUILD_DATE\nLABEL org.opencontainers.image.created=$BUILD_DATE",
		Context: map[string]string{".dockdoc.yaml": "label-schema:\n  org.opencontainers.image.created: rfc3339\n"},
		Fix: "No automatic fix: the time zone the value was meant in is unknown. Write the full timestamp, or pass " +
			"it at build time (`--build-arg BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)`).",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3053",
			"https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
			"https://github.com/opencontainers/image-spec/blob/main/annotations.md",
		},
	},
	Check: func(p *diagnose.Pass) {
		labels.Typed(p, "rfc3339", func(lp labels.Pair) {
			if why := timeProblem(lp.Value); why != "" {
				p.Report(lp.ValueSpan, "label %q is not an RFC 3339 timestamp: %s", lp.Key, why)
			}
		})
	},
})

// timeProblem says why v is not an RFC 3339 timestamp ("" when it is
// one). RFC 3339 allows a lower-case t and z.
func timeProblem(v string) string {
	s := strings.ToUpper(v)
	var t time.Time
	if t.UnmarshalText([]byte(s)) == nil {
		return ""
	}
	ok := func(layout string) bool { _, err := time.Parse(layout, s); return err == nil }
	switch {
	case ok("2006-01-02"):
		return "it is a date without a time; write it as " + s + "T00:00:00Z (or with your UTC offset)"
	case ok("2006-01-02T15:04:05") || ok("2006-01-02T15:04"):
		return "it has no UTC offset; add Z for UTC, or an offset such as +02:00"
	case ok("2006-01-02 15:04:05Z07:00") || ok("2006-01-02 15:04:05") || ok("2006-01-02 15:04"):
		return "the date and the time must be joined by T, with seconds and a UTC offset, as in 2024-05-01T12:30:00Z"
	}
	return "expected a valid date and time such as 2024-05-01T12:30:00Z"
}
