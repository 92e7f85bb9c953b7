package diagnose

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
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
	// Others are the changes to other files of the build context.
	Others []OtherFile
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
			if fx.Applicability >= min && !fx.Manual {
				cs = append(cs, Choice{Finding: f, Alt: j})
				break
			}
		}
	}
	return cs
}

// OtherFile is the composed change to a build-context file other than the
// Dockerfile (such as .dockerignore).
type OtherFile struct {
	Path          string
	Before, After []byte
	Create        bool
}

// Compose applies the chosen fixes to the document. Choices are composed
// in document order, then rule code (the order findings come in), so the
// result depends only on which fixes are chosen. A fix that also edits
// another file applies there too, or not at all.
func Compose(doc *Document, choices []Choice) Composed {
	valid := choices[:0:0]
	for _, c := range choices {
		if c.Alt >= 0 && c.Alt < len(c.Finding.Fixes) {
			valid = append(valid, c)
		}
	}
	choices = valid
	// Other files first: a fix whose other-file edits clash with an
	// earlier one is left out whole.
	blocked := map[int]string{}
	merged := map[string][]fixes.Edit{}
	for k, c := range choices {
		fx := c.Finding.Fixes[c.Alt]
		for _, fe := range fx.Files {
			if _, clash := fixes.FirstConflict(merged[fe.Path], fixes.Fix{Edits: fe.Edits}); clash {
				blocked[k] = fmt.Sprintf("conflicts with another fix's change to %s", fe.Path)
				break
			}
		}
		if _, ok := blocked[k]; ok {
			continue
		}
		for _, fe := range fx.Files {
			merged[fe.Path] = append(merged[fe.Path], fe.Edits...)
			fixes.SortEdits(merged[fe.Path])
		}
	}
	var cands []fixes.Candidate
	var idx []int
	for k, c := range choices {
		if _, ok := blocked[k]; ok {
			continue
		}
		fx := c.Finding.Fixes[c.Alt]
		if fx.Changes == nil {
			fx.Changes = c.Finding.Rule.Changes
		}
		cands = append(cands, fixes.Candidate{ID: c.Finding.ID(), Fix: fx})
		idx = append(idx, k)
	}
	res := fixes.Compose(doc.Src, cands, verifierFor(doc))
	res = judgeBuild(doc, cands, res)
	out := Composed{Out: res.Out, Edits: res.Edits}
	status := make([]*fixes.Status, len(choices))
	for j, k := range idx {
		st := res.Status[j]
		status[k] = &st
	}
	others := map[string]*OtherFile{}
	var order []string
	for k, c := range choices {
		o := Outcome{Choice: c}
		if reason, ok := blocked[k]; ok {
			o.Status = fixes.Status{Kind: fixes.Conflict}
			o.Reason = reason
			out.Outcomes = append(out.Outcomes, o)
			continue
		}
		st := *status[k]
		o.Status = st
		switch st.Kind {
		case fixes.Applied:
			for _, fe := range c.Finding.Fixes[c.Alt].Files {
				of := others[fe.Path]
				if of == nil {
					of = &OtherFile{Path: fe.Path, Before: fe.Before, Create: fe.Create}
					others[fe.Path] = of
					order = append(order, fe.Path)
				}
			}
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
			var bb *BuildBreak
			switch {
			case errors.As(st.Err, &bb) && bb.Together:
				o.Reason = "would break the build together with the other chosen fixes: " + bb.Error()
			case errors.As(st.Err, &bb):
				o.Reason = "would break the build: " + bb.Error()
			default:
				o.Reason = fmt.Sprintf("bug in rule %s: the result would not parse (%v)", c.Finding.Rule.Code, st.Err)
			}
		}
		out.Outcomes = append(out.Outcomes, o)
	}
	// The other files get the edits of the fixes that were applied.
	for _, p := range order {
		var edits []fixes.Edit
		for _, o := range out.Outcomes {
			if o.Status.Kind != fixes.Applied {
				continue
			}
			for _, fe := range o.Finding.Fixes[o.Alt].Files {
				if fe.Path == p {
					edits = append(edits, fe.Edits...)
				}
			}
		}
		fixes.SortEdits(edits)
		of := others[p]
		after, err := fixes.Apply(of.Before, dedupe(edits))
		if err != nil {
			continue
		}
		of.After = after
		out.Others = append(out.Others, *of)
	}
	return out
}

func dedupe(edits []fixes.Edit) []fixes.Edit {
	var out []fixes.Edit
	for i, e := range edits {
		if i > 0 && e == edits[i-1] {
			continue
		}
		out = append(out, e)
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
	// Others are the other build-context files the fixes change, from
	// their content before the first round to after the last.
	Others []OtherFile
}

// MaxRounds bounds FixAll.
const MaxRounds = 10

// FixAll applies every fix at least as safe as min, re-diagnoses and
// repeats until a round applies nothing or MaxRounds is reached. It works
// in memory; the caller writes Out.
func FixAll(path string, src []byte, opts Options, min fixes.Applicability) (*FixResult, error) {
	res := &FixResult{Out: src}
	others := map[string]*OtherFile{}
	var order []string
	defer func() {
		for _, p := range order {
			res.Others = append(res.Others, *others[p])
		}
	}()
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
		for _, of := range c.Others {
			if prev, ok := others[of.Path]; ok {
				prev.After = of.After
			} else {
				cp := of
				others[of.Path] = &cp
				order = append(order, of.Path)
			}
			// The next round sees the changed file.
			opts.Ctx = opts.Ctx.WithFile(of.Path, of.After)
		}
	}
}
