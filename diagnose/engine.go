package diagnose

import (
	"bytes"
	"fmt"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/dockdoc/dockdoc/fixes"
)

// Verify is the check every composed output must pass before anyone sees
// or writes it: BuildKit's parser accepts it.
func Verify(src []byte) error {
	if _, err := parser.Parse(bytes.NewReader(src)); err != nil {
		return toParseError(err)
	}
	return nil
}

// Choice is the selected alternative of one finding.
type Choice struct {
	Finding *Finding
	Alt     int // index into Finding.Fixes
}

// Outcome is what happened to one chosen fix.
type Outcome struct {
	Choice
	Status fixes.Status
	Reason string // human text for a status other than Applied
}

// Composed is the result of applying a selection to a document.
type Composed struct {
	Out      []byte
	Edits    []fixes.Edit // the merged edits of the applied fixes, on the original
	Outcomes []Outcome
}

// Applied counts the chosen fixes whose edits are in Out.
func (c *Composed) Applied() int {
	n := 0
	for _, o := range c.Outcomes {
		if o.Status.Kind == fixes.Applied {
			n++
		}
	}
	return n
}

// DefaultChoices picks, for each finding, its first alternative at least
// as safe as min (never a display-only one). Findings without such an
// alternative are left out.
func DefaultChoices(findings []Finding, min fixes.Applicability) []Choice {
	if min < fixes.Unsafe {
		min = fixes.Unsafe
	}
	var cs []Choice
	for i := range findings {
		f := &findings[i]
		for j, fx := range f.Fixes {
			if fx.Applicability >= min {
				cs = append(cs, Choice{Finding: f, Alt: j})
				break
			}
		}
	}
	return cs
}

// Compose applies the chosen fixes to the document. Choices are composed
// in document order, then rule code (the order findings come in), so the
// result depends only on which fixes are chosen.
func Compose(doc *Document, choices []Choice) Composed {
	cands := make([]fixes.Candidate, 0, len(choices))
	for _, c := range choices {
		if c.Alt < 0 || c.Alt >= len(c.Finding.Fixes) {
			continue
		}
		cands = append(cands, fixes.Candidate{ID: c.Finding.ID(), Fix: c.Finding.Fixes[c.Alt]})
	}
	res := fixes.Compose(doc.Src, cands, Verify)
	out := Composed{Out: res.Out, Edits: res.Edits}
	k := 0
	for _, c := range choices {
		if c.Alt < 0 || c.Alt >= len(c.Finding.Fixes) {
			continue
		}
		st := res.Status[k]
		k++
		o := Outcome{Choice: c, Status: st}
		switch st.Kind {
		case fixes.Conflict:
			l, _ := doc.Position(st.At)
			code := st.With
			for _, c2 := range choices {
				if c2.Finding.ID() == st.With {
					code = c2.Finding.Rule.Code
				}
			}
			o.Reason = fmt.Sprintf("conflicts with %s at line %d", code, l)
		case fixes.Invalid:
			o.Reason = fmt.Sprintf("bug in rule %s: %v", c.Finding.Rule.Code, st.Err)
		case fixes.Broken:
			o.Reason = fmt.Sprintf("bug in rule %s: the result would not parse (%v)", c.Finding.Rule.Code, st.Err)
		}
		out.Outcomes = append(out.Outcomes, o)
	}
	return out
}

// Round is one pass of FixAll.
type Round struct {
	Applied []Outcome
	Skipped []Outcome
}

// FixResult is what FixAll did.
type FixResult struct {
	Out       []byte
	Rounds    []Round
	Remaining []Finding // findings in Out after the last round
	// Unconverged is true when the iteration bound was hit while fixes
	// were still applying.
	Unconverged bool
	// Skipped are the chosen fixes of the last round that were not applied
	// (conflicts never resolved, broken fixes), with reasons.
	Skipped []Outcome
}

// MaxRounds bounds FixAll.
const MaxRounds = 10

// FixAll applies every fix at least as safe as min, re-diagnoses and
// repeats until a round applies nothing or MaxRounds is reached. It works
// in memory; the caller writes Out.
func FixAll(path string, src []byte, opts Options, min fixes.Applicability) (*FixResult, error) {
	res := &FixResult{Out: src}
	for round := 0; ; round++ {
		doc, err := Parse(path, res.Out)
		if err != nil {
			return nil, err
		}
		findings := Run(doc, opts)
		if round == MaxRounds {
			res.Remaining = findings
			res.Unconverged = len(DefaultChoices(findings, min)) > 0
			return res, nil
		}
		c := Compose(doc, DefaultChoices(findings, min))
		var r Round
		for _, o := range c.Outcomes {
			if o.Status.Kind == fixes.Applied {
				r.Applied = append(r.Applied, o)
			} else {
				r.Skipped = append(r.Skipped, o)
			}
		}
		if len(r.Applied) == 0 {
			res.Remaining = findings
			res.Skipped = r.Skipped
			return res, nil
		}
		res.Rounds = append(res.Rounds, r)
		res.Out = c.Out
	}
}
