package diagnose

import (
	"fmt"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
)

// Severity of a rule. Ordered: Style < Info < Warning < Error, so a fail
// level is one comparison.
type Severity int

const (
	Style Severity = iota
	Info
	Warning
	Error
)

var severityNames = [...]string{"style", "info", "warning", "error"}

func (s Severity) String() string { return severityNames[s] }

// ParseSeverity reads a severity name; "none" gives a level above Error,
// so nothing reaches it.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	if strings.EqualFold(s, "none") {
		return Error + 1, nil
	}
	return 0, fmt.Errorf("unknown level %q (want error, warning, info, style or none)", s)
}

// Category groups rules by the kind of harm they prevent.
type Category string

const (
	Security        Category = "security"
	Reproducibility Category = "reproducibility"
	Size            Category = "size"
	Cache           Category = "cache"
	Correctness     Category = "correctness"
	Maintainability Category = "maintainability"
)

// FixAvailability says whether a rule's findings come with fixes.
type FixAvailability int

const (
	FixNone FixAvailability = iota
	FixSometimes
	FixAlways
)

func (f FixAvailability) String() string {
	return [...]string{"none", "sometimes", "always"}[f]
}

// Scope says which stages of a file a rule's findings are about.
type Scope int

const (
	// AllStages: the rule's findings hold in every stage (most rules: a
	// wrong flag breaks a builder's build as much as the last stage's).
	AllStages Scope = iota
	// ShippedStages: the rule is about the image the file builds, its
	// size or its contents (a package cache left behind, layers that could
	// be one). The runner drops the rule's findings located in a stage that
	// does not ship (see Stage.Ships): a builder whose files later stages
	// only take with COPY --from never reaches the image with its layers,
	// so its caches and layer count cost nothing there. The rule's Doc says
	// so in its What text: "Checked in stages the image is made of".
	ShippedStages
)

// Doc is a rule's teaching text. Every field is required (the registry
// test enforces it): dockdoc explain and the TUI print it as is.
type Doc struct {
	What string // what the rule checks
	Why  string // why it matters
	Bad  string // a Dockerfile snippet that triggers the rule
	Good string // the same snippet written well
	Fix  string // what the fix changes and how safe it is (or why there is none)
	Refs []string
	// Context holds the project files the examples need, by path in the
	// build context ("package.json": "{...}"): Bad and Good are each
	// checked in a directory holding them (explain shows them, explain
	// --write DIR writes them so a class can try the examples).
	Context map[string]string
	// GoodContext, when set, replaces Context for the Good example: the
	// project files written well (a lockfile added, a pin declared).
	GoodContext map[string]string
}

// Rule is one check. Rules are plain values registered by their own file's
// init; Check is a pure function of the Pass's Document.
type Rule struct {
	Code     string // stable: DD001
	Name     string // kebab-case: base-image-latest
	Severity Severity
	Category Category
	Aliases  []string // hadolint DL codes and BuildKit check names for the same concern
	Summary  string   // one line, lower case, no final period
	Fixable  FixAvailability
	Doc      Doc
	Check    func(*Pass)
	// Optional rules are off unless asked for (--rule, or enable: in the
	// configuration), like hadolint's rules whose default level is ignore.
	Optional bool
	// Changes names the image config fields the rule's fixes mean to
	// change (see fixes.Fix.Changes), for fixes that do not say it
	// themselves. A fix that changes a field nobody declared is refused.
	Changes []string
	// TextOnly rules' fixes change only how the file is written (casing,
	// the legacy ENV form, blank continuation lines): BuildKit builds the
	// same steps and the same image config from the fixed file. A test
	// over the corpus holds them to it with BuildKit's own conversion.
	TextOnly bool
	// Scope is where the rule's findings count (AllStages unless set);
	// the runner applies it, so a rule need not check it itself.
	Scope Scope
}

// Finding is one problem at one place, with alternative fixes (at most one
// of which may be applied).
type Finding struct {
	Rule *Rule
	// Severity is the rule's, or what the configuration overrides it to.
	Severity Severity
	Span     Span // byte range in Document.Src
	Line     int
	Column   int
	EndLine  int
	EndCol   int
	Message  string
	// Aliases are more hadolint or BuildKit names for this finding alone,
	// when it covers a case another tool files under its own code (DD025's
	// global npm install is hadolint's DL3016): a suppression naming one
	// silences it.
	Aliases []string
	Fixes   []fixes.Fix
	// Problems lists fixes the rule built wrong and the engine dropped
	// (a bug in the rule; shown so nothing disappears silently).
	Problems []string
	// ord tells apart findings of one rule at one position.
	ord int
	// ownSeverity is set when the rule chose this finding's severity.
	ownSeverity bool
}

// SetSeverity gives one finding a severity other than its rule's (a rule
// whose cases differ in weight).
func (f *Finding) SetSeverity(s Severity) {
	f.Severity, f.ownSeverity = s, true
}

// ID identifies a finding within one run: code and position, plus an
// ordinal when one rule reports twice at the same place. It is stable
// across runs on the same input.
func (f *Finding) ID() string {
	if f.ord > 0 {
		return fmt.Sprintf("%s@%d:%d#%d", f.Rule.Code, f.Line, f.Column, f.ord)
	}
	return fmt.Sprintf("%s@%d:%d", f.Rule.Code, f.Line, f.Column)
}

// Pass connects a rule to the document it checks and collects what it reports.
type Pass struct {
	Doc      *Document
	Rule     *Rule
	findings []*Finding
}

// Report records a finding at span. The returned pointer stays valid for
// the rest of the run, so the rule can add fixes at any time: f.AddFix(...).
func (p *Pass) Report(span Span, format string, args ...any) *Finding {
	f := &Finding{Rule: p.Rule, Span: span, Message: fmt.Sprintf(format, args...)}
	p.findings = append(p.findings, f)
	return f
}

// AddFix appends an alternative fix.
func (f *Finding) AddFix(title string, app fixes.Applicability, edits ...fixes.Edit) *fixes.Fix {
	f.Fixes = append(f.Fixes, fixes.Fix{Title: title, Applicability: app, Edits: edits})
	return &f.Fixes[len(f.Fixes)-1]
}

// Replace is an edit replacing a Src span.
func Replace(s Span, text string) fixes.Edit {
	return fixes.Edit{Start: s.Start, End: s.End, New: text}
}

// Insert is an edit inserting text at a Src offset.
func Insert(off int, text string) fixes.Edit { return fixes.Edit{Start: off, End: off, New: text} }

// Delete is an edit removing a Src span.
func Delete(s Span) fixes.Edit { return fixes.Edit{Start: s.Start, End: s.End} }

// Matches reports whether s is the rule's code, name or one of its aliases.
func (r *Rule) Matches(s string) bool {
	if strings.EqualFold(s, r.Code) || strings.EqualFold(s, r.Name) {
		return true
	}
	for _, a := range r.Aliases {
		if strings.EqualFold(s, a) {
			return true
		}
	}
	return false
}

// BuildKitName returns the rule's BuildKit check name, if it has one (an
// alias that is not a hadolint DL code).
func (r *Rule) BuildKitName() string {
	for _, a := range r.Aliases {
		if !strings.HasPrefix(a, "DL") {
			return a
		}
	}
	return ""
}
