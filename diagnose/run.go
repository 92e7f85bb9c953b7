package diagnose

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// Options narrows a run.
type Options struct {
	// Only, when not empty, limits the run to rules matching these codes,
	// names or aliases.
	Only []string
	// Ctx is the build context to give the document (buildctx.Load).
	Ctx *buildctx.Context
	// Config is the project's configuration (.dockdoc.yaml or
	// .hadolint.yaml); nil means defaults.
	Config *Config
	// ReportUnused adds DD094 findings for suppressions that silenced
	// nothing.
	ReportUnused bool
	// SuppressFix adds a manual "suppress here" alternative to every
	// finding (the doctor and fix --suppress ask for it).
	SuppressFix bool
	// Resolve, when not nil, returns the digest an image tag points to
	// now (sha256:...), asking its registry; DD095 (base-image-digest)
	// uses it to pin base images. nil means offline: DD095 stays silent
	// and dockdoc makes no network request. dockdoc --resolve sets it to
	// a caching resolve.Resolver; diagnose itself never imports the
	// network code.
	Resolve func(image string) (digest string, err error)
}

func (o Options) wants(r *Rule) bool {
	if r == ruleParseError {
		return true // a file that does not parse is always reported
	}
	if len(o.Only) == 0 {
		return !r.Optional || o.Config.IsEnabled(r)
	}
	for _, s := range o.Only {
		if r.Matches(s) {
			return true
		}
	}
	return false
}

// Run diagnoses a document with every registered rule and returns the
// findings sorted by position, then code. It never panics: a rule that
// panics yields an internal-error finding naming the rule.
func Run(doc *Document, opts Options) []Finding {
	var out []Finding
	if doc.Ctx == nil {
		doc.Ctx = opts.Ctx
	}
	if doc.Config == nil {
		doc.Config = opts.Config
	}
	if opts.Resolve != nil {
		doc.Resolve = opts.Resolve
	}
	skip := doc.checkSkips()
	for _, r := range registry {
		if !opts.wants(r) || skip(r) || doc.Config.IsIgnored(r) {
			continue
		}
		if doc.ParseErr != nil && r != ruleParseError {
			continue
		}
		out = append(out, runRule(doc, r)...)
	}
	out, prags := suppress(doc, out)
	out = withholdRejected(doc, out)
	if opts.ReportUnused && opts.wants(ruleUnusedSuppression) {
		ran := func(r *Rule) bool {
			return opts.wants(r) && !skip(r) && !doc.Config.IsIgnored(r) && (doc.ParseErr == nil || r == ruleParseError)
		}
		out = append(out, unusedSuppressions(doc, prags, ran)...)
	}
	if opts.SuppressFix && doc.ParseErr == nil {
		for i := range out {
			if out[i].Rule == ruleUnusedSuppression {
				continue
			}
			if fx, ok := suppressFix(doc, &out[i]); ok {
				out[i].Fixes = append(out[i].Fixes, fx)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Span.Start != out[j].Span.Start {
			return out[i].Span.Start < out[j].Span.Start
		}
		return out[i].Rule.Code < out[j].Rule.Code
	})
	seen := map[string]int{}
	for i := range out {
		id := out[i].ID()
		out[i].ord = seen[id]
		seen[id]++
	}
	return out
}

func runRule(doc *Document, r *Rule) (fs []Finding) {
	p := &Pass{Doc: doc, Rule: r}
	defer func() {
		if e := recover(); e != nil {
			fs = []Finding{{
				Rule: r, Span: Span{}, Line: 1, Column: 1, EndLine: 1, EndCol: 1,
				Message: fmt.Sprintf("internal error in rule %s (%s), please report it: %v", r.Code, r.Name, e),
			}}
		}
	}()
	r.Check(p)
	for _, f := range p.findings {
		if r.Scope == ShippedStages && !inShippedStage(doc, f.Span) {
			continue
		}
		if !f.ownSeverity {
			f.Severity = r.Severity
		}
		if doc.Config != nil {
			if s, ok := doc.Config.SeverityFor(r); ok {
				f.Severity = s
			}
		}
		f.Line, f.Column = doc.Position(f.Span.Start)
		f.EndLine, f.EndCol = doc.Position(f.Span.End)
		valid := f.Fixes[:0]
		seen := map[string]bool{}
		for _, fx := range f.Fixes {
			fx.Edits = doc.escapeForQuotes(fx.Edits)
			err := fixes.Validate(&fx, len(doc.Src))
			if err == nil && seen[fx.Title] {
				err = fmt.Errorf("two alternatives titled %q", fx.Title)
			}
			if err != nil {
				f.Problems = append(f.Problems, fmt.Sprintf("bug in rule %s: %v", r.Code, err))
				continue
			}
			seen[fx.Title] = true
			if fx.Applicability == fixes.Safe && doc.deletesComment(fx) {
				// A safe fix never deletes a comment: the engine enforces it
				// for every rule rather than trusting each one.
				fx.Applicability = fixes.Unsafe
				if fx.Note == "" {
					fx.Note = "unsafe because it deletes a comment"
				}
			}
			valid = append(valid, fx)
		}
		f.Fixes = valid
		fs = append(fs, *f)
	}
	return fs
}

// inShippedStage reports whether a finding at s is about the image the
// file builds: it lies in a stage that ships, or before the first FROM
// (where no stage can leave it out).
func inShippedStage(doc *Document, s Span) bool {
	st := doc.StageAt(s.Start)
	return st == nil || st.Ships()
}

// checkSkips reads BuildKit's `# check=skip=...` directive. Listed names
// may be BuildKit check names, dockdoc codes or names, or hadolint codes.
// `skip=all` silences the rules that mirror a BuildKit check (what the
// directive means to BuildKit); dockdoc's other rules stay on.
func (d *Document) checkSkips() func(*Rule) bool {
	v, ok := d.Directive("check")
	if !ok {
		return func(*Rule) bool { return false }
	}
	cfg, err := linter.ParseLintOptions(v)
	if err != nil {
		return func(*Rule) bool { return false }
	}
	return func(r *Rule) bool {
		if cfg.SkipAll && r.BuildKitName() != "" {
			return true
		}
		for _, s := range cfg.SkipRules {
			if s != "" && r.Matches(strings.TrimSpace(s)) {
				return true
			}
		}
		return false
	}
}

// deletesComment reports whether a fix removes a comment line (a line
// whose first non-blank character is #) without putting its text back.
func (d *Document) deletesComment(fx fixes.Fix) bool {
	for _, e := range fx.Edits {
		if e.End == e.Start {
			continue
		}
		l, _ := d.Position(e.Start)
		for ; l <= d.LineCount() && d.LineStart(l) < e.End; l++ {
			ls, le := d.LineStart(l), d.LineEnd(l)
			if le <= e.Start {
				continue
			}
			text := strings.TrimSpace(string(d.Src[ls:le]))
			if strings.HasPrefix(text, "#") && !strings.Contains(e.New, text) {
				return true
			}
		}
	}
	return false
}
