package metadata

import (
	"fmt"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD091",
	Name:     "label-semver-invalid",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3056"},
	Summary:  "schema label of type semver is not a semantic version",
	Fixable:  diagnose.FixSometimes,
	Changes:  []string{"Labels"},
	Doc: diagnose.Doc{
		What: "Only active for the labels the label schema gives type `semver`. Their value must be a semantic " +
			"version 2.0.0: three numbers without leading zeros (`1.4.0`), optionally a pre-release (`1.4.0-rc.1`) " +
			"and build metadata (`1.4.0+build.7`). A leading `v` (`v1.4.0`) is a tag name, not part of the version. " +
			"Values holding a variable and empty values (DD086) are not checked here.",
		Why: "Tools sort and compare versions from this label (which image is newer, does it satisfy `>=1.4`). " +
			"`1.4`, `v1.4.0` or `1.04.0` are not semantic versions, so those comparisons fail or go wrong.",
		Bad:     "FROM alpine:3.20\nLABEL org.opencontainers.image.version=v1.4",
		Good:    "FROM alpine:3.20\nLABEL org.opencontainers.image.version=1.4.0",
		Context: map[string]string{".dockdoc.yaml": "label-schema:\n  org.opencontainers.image.version: semver\n"},
		Fix: "When the only problem is a leading `v` (`v1.4.0`), an unsafe fix removes it; unsafe because a tool " +
			"may read the label expecting the tag form. Other values need a human: dockdoc cannot tell whether " +
			"`1.4` means `1.4.0`.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3056",
			"https://semver.org/spec/v2.0.0.html",
			"https://github.com/opencontainers/image-spec/blob/main/annotations.md",
		},
	},
	Check: func(p *diagnose.Pass) {
		src := p.Doc.Src
		labels.Typed(p, "semver", func(lp labels.Pair) {
			why := semverProblem(lp.Value)
			if why == "" {
				return
			}
			rest, hasV := strings.CutPrefix(lp.Value, "v")
			if !hasV || semverProblem(rest) != "" {
				p.Report(lp.ValueSpan, "label %q is not a semantic version: %s", lp.Key, why)
				return
			}
			f := p.Report(lp.ValueSpan, "label %q is not a semantic version: the leading v belongs to tag names, the version is %s", lp.Key, rest)
			// The v is the value's first character, or the first inside its quotes.
			at := lp.ValueSpan.Start
			if at < len(src) && (src[at] == '"' || src[at] == '\'') {
				at++
			}
			if lp.ValueSpan.End > lp.ValueSpan.Start && at < lp.ValueSpan.End && src[at] == 'v' {
				fx := f.AddFix("Remove the leading v", fixes.Unsafe, diagnose.Delete(diagnose.Span{Start: at, End: at + 1}))
				fx.Note = "Tools reading this label may expect the tag form with the v."
			}
		})
	},
})

// semverProblem says why v is not a semantic version 2.0.0 ("" when it
// is one).
func semverProblem(v string) string {
	core, build, hasBuild := strings.Cut(v, "+")
	core, pre, hasPre := strings.Cut(core, "-")
	nums := strings.Split(core, ".")
	if len(nums) != 3 {
		return fmt.Sprintf("it needs three numbers, MAJOR.MINOR.PATCH (such as 1.4.0); %q has %d", core, len(nums))
	}
	for _, n := range nums {
		if why := semverNumber(n); why != "" {
			return why
		}
	}
	ident := func(s string) bool {
		for _, r := range s {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-') {
				return false
			}
		}
		return s != ""
	}
	if hasPre {
		for _, id := range strings.Split(pre, ".") {
			if !ident(id) {
				return fmt.Sprintf("the pre-release %q must be dot-separated identifiers of letters, digits and -", pre)
			}
			if strings.Trim(id, "0123456789") == "" && len(id) > 1 && id[0] == '0' {
				return fmt.Sprintf("the numeric pre-release identifier %q has a leading zero", id)
			}
		}
	}
	if hasBuild {
		for _, id := range strings.Split(build, ".") {
			if !ident(id) {
				return fmt.Sprintf("the build metadata %q must be dot-separated identifiers of letters, digits and -", build)
			}
		}
	}
	return ""
}

func semverNumber(n string) string {
	if n == "" {
		return "a version number is empty"
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return fmt.Sprintf("%q is not a number", n)
		}
	}
	if len(n) > 1 && n[0] == '0' {
		return fmt.Sprintf("the number %q has a leading zero", n)
	}
	return ""
}
