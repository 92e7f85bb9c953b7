package metadata

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD087",
	Name:     "label-url-invalid",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3052"},
	Summary:  "schema label of type url is not a valid URL",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Only active for the labels the label schema gives type `url`. Their value must be an absolute URL " +
			"(RFC 3986): a scheme such as `https:`, then only the characters a URL may hold, with anything else " +
			"(spaces, non-ASCII letters, `<>`, `{}`) percent-encoded. An `http` or `https` URL must also name a " +
			"host (hadolint accepts `https:repo`). Values holding a variable and empty values (DD086) are not " +
			"checked here.",
		Why: "Tools turn a url label into a link: a registry's \"source\" button, a scanner's report pointing at the " +
			"repository, `docker inspect` output someone pastes into a browser. `github.com/org/app` without a " +
			"scheme is taken as a relative path and leads nowhere, and a space breaks the link wherever it is shown.",
		Bad:     "FROM alpine:3.20\nLABEL org.opencontainers.image.source=git.example.com/team/app",
		Good:    "FROM alpine:3.20\nLABEL org.opencontainers.image.source=https://git.example.com/team/app",
		Context: map[string]string{".dockdoc.yaml": "label-schema:\n  org.opencontainers.image.source: url\n"},
		Fix: "No automatic fix: adding `https://` is usually right, but the scheme (or the host, or the encoding of " +
			"an odd character) is yours to choose.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3052",
			"https://www.rfc-editor.org/rfc/rfc3986",
			"https://github.com/opencontainers/image-spec/blob/main/annotations.md",
		},
	},
	Check: func(p *diagnose.Pass) {
		labels.Typed(p, "url", func(lp labels.Pair) {
			if why := urlProblem(lp.Value); why != "" {
				p.Report(lp.ValueSpan, "label %q is not a valid URL: %s", lp.Key, why)
			}
		})
	},
})

// urlProblem says why v is not an absolute URL ("" when it is one).
func urlProblem(v string) string {
	hex := func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '%':
			if i+2 >= len(v) || !hex(v[i+1]) || !hex(v[i+2]) {
				return "a % must be followed by two hexadecimal digits"
			}
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0:
		default:
			r := []rune(v[i:])[0]
			return fmt.Sprintf("it contains %q, which must be percent-encoded", r)
		}
	}
	u, err := url.Parse(v)
	if err != nil {
		msg := err.Error()
		if ue, ok := err.(*url.Error); ok {
			msg = ue.Err.Error()
		}
		return msg
	}
	if u.Scheme == "" {
		return "it has no scheme (such as https://)"
	}
	if s := strings.ToLower(u.Scheme); (s == "http" || s == "https") && u.Host == "" {
		return "it names no host (write " + s + "://host/...)"
	}
	return ""
}
