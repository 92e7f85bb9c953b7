package ui

import (
	"fmt"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// Later rounds: what A does. dockdoc fix --unsafe applies every fix,
// re-diagnoses the result and applies what has become available (a fix
// that conflicted with one applied before, a fix of a finding the first
// fixes created), up to diagnose.MaxRounds rounds. A turns on the same
// first round in the session's selection and then runs the same later
// rounds on the composed file, so the doctor writes byte for byte what
// fix --unsafe writes. While the session is in this mode, every change to
// the selection runs the later rounds again on the new result; the fixes
// the user turned off stay off in every round.

// LaterFix is a fix applied in a round after the first, on the file as
// the earlier rounds left it.
type LaterFix struct {
	Round   int // 2 for the first re-diagnosis
	Finding diagnose.Finding
	Alt     int
	Doc     *diagnose.Document // the file as the earlier rounds left it
}

// Title is the fix's title.
func (l LaterFix) Title() string { return l.Finding.Fixes[l.Alt].Title }

// Unsafe reports whether the fix is unsafe.
func (l LaterFix) Unsafe() bool { return l.Finding.Fixes[l.Alt].Applicability != fixes.Safe }

// snapshot is one entry of the undo and redo stacks.
type snapshot struct {
	sel    []int
	rounds bool
	off    map[string]bool
}

func (s *Session) snap() snapshot {
	off := make(map[string]bool, len(s.off))
	for k, v := range s.off {
		off[k] = v
	}
	return snapshot{sel: s.sel, rounds: s.rounds, off: off}
}

func (s *Session) restore(sn snapshot) {
	s.sel, s.rounds, s.off = sn.sel, sn.rounds, sn.off
	s.compose()
	s.Written = false
}

// Rounds reports whether the session runs later rounds (after A).
func (s *Session) Rounds() bool { return s.rounds }

// roundKey names a finding across rounds, where its position may move.
func roundKey(f diagnose.Finding) string { return f.Rule.Code + "\x00" + f.Message }

// placeKey identifies a finding by its rule and where it is in the
// structure of the file (the stage, and which instruction of its keyword
// in that stage), which the later rounds' fixes keep even when they change
// the finding's message or line (DD029's message names the base image).
func placeKey(f diagnose.Finding, doc *diagnose.Document) string {
	if doc == nil {
		return ""
	}
	in := doc.InstructionAt(f.Span.Start)
	if in == nil || in.Stage == nil {
		return ""
	}
	n := 0
	for _, o := range in.Stage.Instrs {
		if o == in {
			break
		}
		if o.Keyword == in.Keyword {
			n++
		}
	}
	return fmt.Sprintf("%s\x00place %d %s %d", f.Rule.Code, in.Stage.Index, in.Keyword, n)
}

// withRounds runs the later rounds on a first-round composition, as
// diagnose.FixAll does: c.Out and c.Others become the final result (c.Edits
// and c.Outcomes stay the first round's, on the original), and the fixes
// applied after the first round are returned.
func (s *Session) withRounds(c diagnose.Composed) (diagnose.Composed, []LaterFix) {
	if !s.rounds || c.Applied() == 0 {
		return c, nil
	}
	var later []LaterFix
	opts := s.opts
	others := map[string]*diagnose.OtherFile{}
	var order []string
	merge := func(ofs []diagnose.OtherFile) {
		for _, of := range ofs {
			if prev, ok := others[of.Path]; ok {
				prev.After = of.After
			} else {
				cp := of
				others[of.Path] = &cp
				order = append(order, of.Path)
			}
			opts.Ctx = opts.Ctx.WithFile(of.Path, of.After)
		}
	}
	merge(c.Others)
	out := c.Out
	for round := 1; round < diagnose.MaxRounds; round++ {
		doc, err := diagnose.Parse(s.Path, out)
		if err != nil || doc.ParseErr != nil {
			break
		}
		findings := diagnose.Run(doc, opts)
		var choices []diagnose.Choice
		for _, ch := range diagnose.DefaultChoices(findings, fixes.Unsafe) {
			if !s.off[roundKey(*ch.Finding)] && !s.off[placeKey(*ch.Finding, doc)] {
				choices = append(choices, ch)
			}
		}
		rc := diagnose.Compose(doc, choices)
		n := 0
		for _, o := range rc.Outcomes {
			if o.Status.Kind == fixes.Applied {
				later = append(later, LaterFix{Round: round + 1, Finding: *o.Finding, Alt: o.Alt, Doc: doc})
				n++
			}
		}
		if n == 0 {
			break
		}
		out = rc.Out
		merge(rc.Others)
	}
	c.Out = out
	c.Others = nil
	for _, p := range order {
		c.Others = append(c.Others, *others[p])
	}
	return c, later
}

// laterOn reports whether finding i (of the first round) had its fix
// applied in a later round.
func (s *Session) laterOn(i int) (LaterFix, bool) {
	if i >= s.base {
		return LaterFix{}, false
	}
	for _, l := range s.Later {
		if s.laterOwner(l) == i {
			return l, true
		}
	}
	return LaterFix{}, false
}

// laterOwner is the file's finding a later fix belongs to, or -1: the one
// with the same rule and message, or else the only finding of its rule
// whose fix is off (its message may name what is left to fix).
func (s *Session) laterOwner(l LaterFix) int {
	k := roundKey(l.Finding)
	for i, f := range s.Findings[:s.base] {
		if roundKey(f) == k {
			return i
		}
	}
	owner := -1
	for i, f := range s.Findings[:s.base] {
		if f.Rule.Code == l.Finding.Rule.Code && s.sel[i] < 0 {
			if owner >= 0 {
				return -1
			}
			owner = i
		}
	}
	return owner
}

// AllPlan is what A would do: the selection of fix --unsafe's first round
// and, with the later rounds, the result.
type AllPlan struct {
	sel      []int
	composed diagnose.Composed
	later    []LaterFix
	// New lists the fixes the plan turns on that are not on now, as lines
	// "line N  CODE  title"; NewUnsafe counts the unsafe ones.
	New       []string
	NewUnsafe int
}

// PlanAll computes what A would do, without changing the session. The
// selection becomes fix --unsafe's: each finding's first applicable
// alternative (an alternative cycled to with c is replaced).
func (s *Session) PlanAll() AllPlan {
	all := diagnose.DefaultChoices(s.Findings[:s.base], fixes.Unsafe)
	first := diagnose.Compose(s.Doc, all)
	next := make([]int, s.base)
	for i := range next {
		next[i] = -1
	}
	for _, o := range first.Outcomes {
		if o.Status.Kind == fixes.Applied {
			next[s.indexOf(o.Finding)] = o.Alt
		}
	}
	// The selection holds only what applied; composing it alone must give
	// the first round's file (it does: a skipped fix contributes nothing).
	c := diagnose.Compose(s.Doc, s.choices(next))
	saved := s.rounds
	s.rounds = true
	offSaved := s.off
	s.off = nil
	c, later := s.withRounds(c)
	s.rounds, s.off = saved, offSaved
	p := AllPlan{sel: next, composed: c, later: later}
	for i, a := range next {
		if a >= 0 && s.sel[i] != a && !s.laterIs(i, a) {
			f := s.Findings[i]
			p.New = append(p.New, fmt.Sprintf("line %-4d %s  %s (%s)", f.Line, f.Rule.Code, f.Fixes[a].Title, f.Fixes[a].Applicability))
			if f.Fixes[a].Applicability != fixes.Safe {
				p.NewUnsafe++
			}
		}
	}
	for _, l := range later {
		if _, was := s.laterFixOn(l); was {
			continue
		}
		p.New = append(p.New, fmt.Sprintf("line %-4d %s  %s (%s, round %d)", l.Finding.Line, l.Finding.Rule.Code, l.Title(), l.Finding.Fixes[l.Alt].Applicability, l.Round))
		if l.Unsafe() {
			p.NewUnsafe++
		}
	}
	return p
}

// laterFixOn reports whether the same later fix is on now.
func (s *Session) laterFixOn(l LaterFix) (LaterFix, bool) {
	for _, o := range s.Later {
		if o.Round == l.Round && roundKey(o.Finding) == roundKey(l.Finding) && o.Title() == l.Title() {
			return o, true
		}
	}
	return LaterFix{}, false
}

// Same reports whether the plan changes nothing.
func (p AllPlan) Same(s *Session) bool {
	return len(p.New) == 0 && string(p.composed.Out) == string(s.Composed.Out)
}

// ApplyAll installs a plan from PlanAll (undoable).
func (s *Session) ApplyAll(p AllPlan) (on int) {
	s.undo = append(s.undo, s.snap())
	s.redo = nil
	s.sel, s.rounds, s.off = p.sel, true, map[string]bool{}
	s.Composed, s.Later = p.composed, p.later
	s.Hunks = fixes.Hunks(s.Doc.Src, s.Composed.Out, 3)
	s.syncLater()
	s.Written = false
	on, _ = s.Counts()
	return on
}

// laterIs reports whether finding i's alternative a is on in a later round.
func (s *Session) laterIs(i, a int) bool {
	l, ok := s.laterOn(i)
	return ok && l.Title() == s.Findings[i].Fixes[a].Title
}

// syncLater lists the fixes of later rounds after the file's findings, so
// they appear (on) as they become available and space turns one off. A
// later fix of one of the file's findings (one that conflicted in the
// first round) is shown on that finding instead.
func (s *Session) syncLater() {
	s.Gen++
	s.Findings = s.Findings[:s.base:s.base]
	s.sel = s.sel[:s.base:s.base]
	s.alt = s.alt[:s.base:s.base]
	s.tail = nil
	for k, l := range s.Later {
		if s.laterOwner(l) >= 0 {
			continue
		}
		s.Findings = append(s.Findings, l.Finding)
		s.sel = append(s.sel, l.Alt)
		s.alt = append(s.alt, l.Alt)
		s.tail = append(s.tail, k)
	}
}

// Base is how many findings are the file's own; the ones after it are
// fixes of later rounds.
func (s *Session) Base() int { return s.base }

// LaterAt reports, for a finding after Base, the later-round fix it is.
func (s *Session) LaterAt(i int) (LaterFix, bool) {
	if i < s.base || i-s.base >= len(s.tail) {
		return LaterFix{}, false
	}
	return s.Later[s.tail[i-s.base]], true
}

// DocFor is the document finding i was found in: the file, or for a fix
// of a later round the file as the earlier rounds left it.
func (s *Session) DocFor(i int) *diagnose.Document {
	if l, ok := s.LaterAt(i); ok {
		return l.Doc
	}
	return s.Doc
}

func (s *Session) indexOf(f *diagnose.Finding) int {
	for i := range s.Findings {
		if &s.Findings[i] == f {
			return i
		}
	}
	return -1
}
