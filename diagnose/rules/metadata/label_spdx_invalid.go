package metadata

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD089",
	Name:     "label-spdx-invalid",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3054"},
	Summary:  "schema label of type spdx is not an SPDX license expression",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Only active for the labels the label schema gives type `spdx`. Their value must be an SPDX license " +
			"expression: a license identifier from the SPDX License List (`MIT`, `Apache-2.0`, `GPL-3.0-or-later`; " +
			"a trailing `+` means \"or later\"), or your own `LicenseRef-...`, combined with `AND`, `OR`, `WITH " +
			"<exception>` and parentheses (`Apache-2.0 OR MIT`, `GPL-2.0-only WITH Classpath-exception-2.0`). " +
			"Identifiers compare without regard to case, as the SPDX specification says. hadolint accepts only a " +
			"single identifier and reports every expression (hadolint issue #992); dockdoc reads the expression. " +
			"Limits: dockdoc knows the identifiers of SPDX License List " + labels.ListVersion + " (February 2026), so " +
			"an identifier added later is reported until dockdoc's copy is updated; the exception after `WITH` is " +
			"checked for its form only. Values holding a variable and empty values (DD086) are not checked here.",
		Why: "License scanners and SBOM tools read `org.opencontainers.image.licenses` to decide whether an image " +
			"may be used or shipped. A free-form value such as `Apache 2.0` or `GPLv3` is not machine-readable: " +
			"the tool reports the image as unlicensed or sends it to a human for review.",
		Bad:     "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=\"Apache 2.0\"",
		Good:    "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=\"Apache-2.0\"",
		Context: map[string]string{".dockdoc.yaml": "label-schema:\n  org.opencontainers.image.licenses: spdx\n"},
		Fix: "No automatic fix: a license is a legal statement, so dockdoc only suggests the identifier it thinks " +
			"you meant (`Apache 2.0` → `Apache-2.0`) and leaves the change to you.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3054",
			"https://spdx.org/licenses/",
			"https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/",
			"https://github.com/hadolint/hadolint/issues/992",
		},
	},
	Check: func(p *diagnose.Pass) {
		labels.Typed(p, "spdx", func(lp labels.Pair) {
			if why := problem(lp.Value); why != "" {
				p.Report(lp.ValueSpan, "label %q is not a valid SPDX license expression: %s", lp.Key, why)
			}
		})
	},
})

// ids maps the lower-case form of every known license identifier to
// its canonical spelling.
var ids = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, id := range strings.Fields(labels.LicenseIDList) {
		m[strings.ToLower(id)] = id
	}
	return m
})

// problem says why v is not an SPDX license expression ("" when it
// is one).
func problem(v string) string {
	p := &licenseParser{toks: tokens(v)}
	if len(p.toks) == 0 {
		return "it is empty"
	}
	if p.expr() && p.i < len(p.toks) {
		p.err = fmt.Sprintf("unexpected %q; join licenses with AND or OR", p.toks[p.i])
		if p.toks[p.i] == ")" {
			p.err = "a ) closes no ("
		}
	}
	if p.err == "" {
		return ""
	}
	if s := suggest(v); s != "" {
		return p.err + fmt.Sprintf(" (did you mean %s?)", s)
	}
	return p.err
}

// suggest guesses the identifier a free-form license name means:
// "Apache 2.0" and "Apache License 2.0" are Apache-2.0, "MIT License" is
// MIT.
func suggest(v string) string {
	words := strings.Fields(v)
	if len(words) < 2 {
		return ""
	}
	cands := []string{strings.Join(words, "-")}
	var kept []string // without the word "license"
	for _, w := range words {
		if !strings.EqualFold(w, "license") {
			kept = append(kept, w)
		}
	}
	if len(kept) > 0 && len(kept) < len(words) {
		cands = append(cands, strings.Join(kept, "-"))
	}
	for _, c := range cands {
		if id, ok := ids()[strings.ToLower(c)]; ok {
			return id
		}
	}
	return ""
}

// tokens splits an expression into words and parentheses.
func tokens(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '(' || r == ')':
			flush()
			out = append(out, string(r))
		case unicode.IsSpace(r):
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}

// licenseParser reads the license expression grammar of the SPDX
// specification (annex D): OR binds looser than AND, WITH binds tightest.
type licenseParser struct {
	toks []string
	i    int
	err  string
}

func (p *licenseParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

// isOp reports whether t is the operator op, written all upper or all
// lower case as the specification allows.
func isOp(t, op string) bool { return t == op || t == strings.ToLower(op) }

func (p *licenseParser) expr() bool {
	if !p.and() {
		return false
	}
	for isOp(p.peek(), "OR") {
		p.i++
		if !p.and() {
			return false
		}
	}
	return true
}

func (p *licenseParser) and() bool {
	if !p.term() {
		return false
	}
	for isOp(p.peek(), "AND") {
		p.i++
		if !p.term() {
			return false
		}
	}
	return true
}

func (p *licenseParser) term() bool {
	t := p.peek()
	switch {
	case t == "":
		p.err = "it ends where a license identifier should follow"
		if p.i > 0 {
			p.err = fmt.Sprintf("a license identifier must follow %q", p.toks[p.i-1])
		}
		return false
	case t == "(":
		p.i++
		if !p.expr() {
			return false
		}
		if p.peek() != ")" {
			p.err = "a ( is never closed"
			return false
		}
		p.i++
		return true
	case t == ")":
		p.err = "a ) comes where a license identifier should be"
		return false
	case isOp(t, "AND") || isOp(t, "OR") || isOp(t, "WITH"):
		p.err = fmt.Sprintf("%q comes where a license identifier should be", t)
		return false
	}
	if why := simple(t); why != "" {
		p.err = why
		return false
	}
	p.i++
	if isOp(p.peek(), "WITH") {
		p.i++
		e := p.peek()
		if e == "" || e == "(" || e == ")" || !idString(strings.Replace(e, ":", "", 1)) {
			p.err = "WITH must be followed by a license exception identifier (such as Classpath-exception-2.0)"
			return false
		}
		p.i++
	}
	return true
}

// simple checks one license: a known identifier, optionally with +,
// or a LicenseRef (optionally prefixed by a DocumentRef).
func simple(t string) string {
	ref := t
	if strings.HasPrefix(strings.ToLower(ref), "documentref-") {
		doc, rest, ok := strings.Cut(ref[len("DocumentRef-"):], ":")
		if !ok || !idString(doc) {
			return fmt.Sprintf("%q is not a valid DocumentRef-...:LicenseRef-... reference", t)
		}
		ref = rest
		if !strings.HasPrefix(strings.ToLower(ref), "licenseref-") {
			return fmt.Sprintf("%q must continue with :LicenseRef-...", t)
		}
	}
	if strings.HasPrefix(strings.ToLower(ref), "licenseref-") {
		if !idString(ref[len("LicenseRef-"):]) {
			return fmt.Sprintf("%q is not a valid LicenseRef (letters, digits, - and . after LicenseRef-)", t)
		}
		return ""
	}
	id := strings.TrimSuffix(t, "+")
	if _, ok := ids()[strings.ToLower(id)]; ok {
		return ""
	}
	return fmt.Sprintf("%q is not a license identifier of the SPDX License List %s (use LicenseRef-... for your own license)", id, labels.ListVersion)
}

// idString reports whether s is a non-empty run of letters, digits,
// "-" and ".".
func idString(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}
