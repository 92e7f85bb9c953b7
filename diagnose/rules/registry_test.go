package rules

import (
	"regexp"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

var (
	codeRe = regexp.MustCompile(`^DD\d{3}$`)
	nameRe = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	dlRe   = regexp.MustCompile(`^DL\d{4}$`)
	bkRe   = regexp.MustCompile(`^[A-Z][A-Za-z]+$`)
)

// Every rule is complete: stable code, kebab-case name, a summary in the
// house style, aliases that look like hadolint or BuildKit names, and a
// teaching doc with every section filled in.
func TestRegistry(t *testing.T) {
	rules := diagnose.All()
	if len(rules) < 3 {
		t.Fatalf("only %d rules registered", len(rules))
	}
	aliases := map[string]string{}
	for _, r := range rules {
		if !codeRe.MatchString(r.Code) {
			t.Errorf("%s: code does not look like DD000", r.Code)
		}
		if !nameRe.MatchString(r.Name) {
			t.Errorf("%s: name %q is not kebab-case", r.Code, r.Name)
		}
		first, _, _ := strings.Cut(r.Summary, " ")
		keyword := first == strings.ToUpper(first) // an instruction name such as CMD may lead
		if r.Summary == "" || len(r.Summary) > 60 || strings.HasSuffix(r.Summary, ".") || (!keyword && strings.ToLower(r.Summary[:1]) != r.Summary[:1]) {
			t.Errorf("%s: summary %q must start lower case (or with an instruction keyword), have no final period, and be at most 60 characters", r.Code, r.Summary)
		}
		switch r.Category {
		case diagnose.Security, diagnose.Reproducibility, diagnose.Size, diagnose.Cache, diagnose.Correctness, diagnose.Maintainability:
		default:
			t.Errorf("%s: unknown category %q", r.Code, r.Category)
		}
		for _, a := range r.Aliases {
			if !dlRe.MatchString(a) && !bkRe.MatchString(a) {
				t.Errorf("%s: alias %q is neither a hadolint DL code nor a BuildKit check name", r.Code, a)
			}
			if o, ok := aliases[a]; ok {
				t.Errorf("alias %s is on both %s and %s", a, o, r.Code)
			}
			aliases[a] = r.Code
		}
		d := r.Doc
		for name, v := range map[string]string{"What": d.What, "Why": d.Why, "Bad": d.Bad, "Good": d.Good, "Fix": d.Fix} {
			if len(strings.TrimSpace(v)) < 10 {
				t.Errorf("%s: doc section %s is missing or too short", r.Code, name)
			}
		}
		if len(d.Refs) == 0 {
			t.Errorf("%s: doc has no references", r.Code)
		}
		if r.Scope == diagnose.ShippedStages && !strings.Contains(d.What, "Checked in stages the image is made of") {
			t.Errorf("%s: the rule only counts in stages that ship; its What text must say \"Checked in stages the image is made of\"", r.Code)
		}
		for _, u := range d.Refs {
			if !strings.HasPrefix(u, "https://") {
				t.Errorf("%s: reference %q is not an https URL", r.Code, u)
			}
		}
		if r.Check == nil {
			t.Errorf("%s: no Check", r.Code)
		}
		if diagnose.Lookup(r.Code) != r || diagnose.Lookup(strings.ToLower(r.Code)) != r || diagnose.Lookup(r.Name) != r {
			t.Errorf("%s: Lookup by code or name does not find it", r.Code)
		}
		for _, a := range r.Aliases {
			if diagnose.Lookup(a) != r {
				t.Errorf("%s: Lookup(%q) does not find it", r.Code, a)
			}
		}
		text := diagnose.ExplainText(r)
		for _, h := range []string{"What it checks", "Why it matters", "Bad", "Good", "The fix", "References"} {
			if !strings.Contains(text, "\n"+h+"\n") {
				t.Errorf("%s: explain text lacks section %q", r.Code, h)
			}
		}
	}
}
