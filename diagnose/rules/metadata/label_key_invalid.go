package metadata

import (
	"fmt"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD083",
	Name:     "label-key-invalid",
	Severity: diagnose.Style,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3048"},
	Summary:  "LABEL key not in the recommended key format",
	Fixable:  diagnose.FixNone,
	Changes:  []string{"Labels"},
	Doc: diagnose.Doc{
		What: "Checks every key a `LABEL` (or `ONBUILD LABEL`) sets against Docker's key format recommendations, " +
			"the way hadolint does: a key starts with a lower-case letter, ends with a lower-case letter or a digit, " +
			"uses only lower-case letters, digits, `.`, `-`, `_` and `/`, has no `..` or `--`, and does not use the " +
			"namespaces Docker reserves for itself (`com.docker.`, `io.docker.`, `org.dockerproject.`). Quotes " +
			"around a key are removed first, as BuildKit does. Keys built from a variable are not checked, and " +
			"neither are keys your label schema names: when you declared a key in the configuration, that is the " +
			"name you want (hadolint reports them anyway, hadolint issue #1100).",
		Why: "Labels are read by tools: registries, scanners, `docker inspect --format`, Kubernetes tooling. Keys " +
			"in one predictable format (reverse-DNS prefixes such as `org.opencontainers.image.version`, lower " +
			"case, single separators) are easy to query and do not collide with other teams' keys. Keys differing " +
			"only in case (`Version` and `version`) are different labels, which is a common source of confusion, " +
			"and Docker's reserved namespaces may get a meaning of their own.",
		Bad:  "LABEL Maintainer=\"Ops Team\" com.docker.visibility=internal build..id=42",
		Good: "LABEL org.opencontainers.image.authors=\"Ops Team\" com.example.visibility=internal com.example.build-id=42",
		Fix: "No automatic fix: renaming a label changes what tools reading it see, so choose the new key " +
			"yourself (and update whatever queries the old one). Style severity, as in hadolint.",
		Refs: []string{
			"https://docs.docker.com/engine/manage-resources/labels/#key-format-recommendations",
			"https://github.com/opencontainers/image-spec/blob/main/annotations.md",
			"https://github.com/hadolint/hadolint/wiki/DL3048",
		},
	},
	Check: func(p *diagnose.Pass) {
		schema := labels.Schema(p.Doc)
		for _, in := range p.Doc.Instructions {
			for _, lp := range labels.Pairs(p.Doc, in) {
				if !lp.KeyKnown {
					continue
				}
				if _, declared := schema[lp.Key]; declared {
					continue
				}
				if why := keyProblem(lp.Key); why != "" {
					p.Report(lp.KeySpan, "label key %q %s", lp.Key, why)
				}
			}
		}
	},
})

// keyProblem says what is wrong with a label key ("" when nothing).
func keyProblem(k string) string {
	lowerLetter := func(c byte) bool { return c >= 'a' && c <= 'z' }
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	if k == "" {
		return "is empty"
	}
	for _, ns := range []string{"com.docker.", "io.docker.", "org.dockerproject."} {
		if strings.HasPrefix(k, ns) {
			return fmt.Sprintf("uses the namespace %s, which Docker reserves for its own labels", ns)
		}
	}
	if k != strings.ToLower(k) {
		return "has upper-case letters; label keys are written in lower case"
	}
	if !lowerLetter(k[0]) {
		return "must start with a lower-case letter"
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !lowerLetter(c) && !digit(c) && !strings.ContainsRune(".-_/", rune(c)) {
			r := []rune(k[i:])[0]
			return fmt.Sprintf("contains %q; use only lower-case letters, digits, '.', '-', '_' and '/'", r)
		}
	}
	if last := k[len(k)-1]; !lowerLetter(last) && !digit(last) {
		return "must end with a lower-case letter or a digit"
	}
	for _, sep := range []string{"..", "--"} {
		if strings.Contains(k, sep) {
			return fmt.Sprintf("has the consecutive separators %q", sep)
		}
	}
	return ""
}
