package fixes

import (
	"fmt"
	"sort"
)

// Candidate is a fix offered for composition, with an ID the caller chooses
// (dockdoc uses the finding ID) so statuses can name what they refer to.
type Candidate struct {
	ID  string
	Fix Fix
}

// StatusKind is what happened to one candidate during composition.
type StatusKind int

const (
	// Applied: every edit of the fix is in the output.
	Applied StatusKind = iota
	// Conflict: an edit overlaps an edit of an earlier candidate that was
	// applied; the fix was left out whole.
	Conflict
	// Invalid: the fix's own edits are malformed (a bug in its rule).
	Invalid
	// Broken: the output with this fix does not pass the verifier (does not
	// parse); the fix was left out and is a bug in its rule.
	Broken
)

func (k StatusKind) String() string {
	switch k {
	case Applied:
		return "applied"
	case Conflict:
		return "conflict"
	case Invalid:
		return "invalid"
	case Broken:
		return "broken"
	}
	return "unknown"
}

// Status reports the fate of one candidate.
type Status struct {
	Kind StatusKind
	// With is the ID of the applied candidate this one conflicts with.
	With string
	// At is the byte offset in the original where the conflict was found.
	At int
	// Err explains Invalid and Broken.
	Err error
}

// Result of Compose: the output bytes, the merged edits (sorted, on the
// original) and one status per candidate, in the candidates' order.
type Result struct {
	Out    []byte
	Edits  []Edit
	Status []Status
}

// AppliedCount is the number of candidates whose edits are in Out.
func (r *Result) AppliedCount() int {
	n := 0
	for _, s := range r.Status {
		if s.Kind == Applied {
			n++
		}
	}
	return n
}

type owned struct {
	Edit
	owner int // index of the candidate that first contributed the edit
	seq   int // tie-break so equal-position insertions keep candidate order
}

// overlaps reports whether two edits cannot both be applied. Identical
// edits are handled by the caller (they coalesce). Two insertions at the
// same point do not conflict: they are applied in candidate order. An
// insertion strictly inside a replaced range conflicts with it.
func overlaps(a, b Edit) bool {
	switch {
	case a.isInsert() && b.isInsert():
		return false
	case a.isInsert():
		return b.Start < a.Start && a.Start < b.End
	case b.isInsert():
		return a.Start < b.Start && b.Start < a.End
	default:
		return a.Start < b.End && b.Start < a.End
	}
}

// Compose merges the candidates, in the given order, each whole or not at
// all, into one output. The result depends only on (src, cands), so callers
// get the same bytes for the same selection every time.
//
// verify, when not nil, is run on the output, with the merged edits that
// made it from src (dockdoc passes the Dockerfile parser, which can then
// re-read only the instructions the edits touched). If it fails, Compose finds the fixes responsible, marks them
// Broken and composes again without them, so what it returns always passes
// verify when src itself did.
func Compose(src []byte, cands []Candidate, verify func(out []byte, edits []Edit) error) Result {
	cands = append([]Candidate(nil), cands...)
	excluded := make([]bool, len(cands))
	pre := make([]Status, len(cands))
	for i := range cands {
		f := cands[i].Fix
		f.Edits = append([]Edit(nil), f.Edits...)
		if err := Validate(&f, len(src)); err != nil {
			pre[i] = Status{Kind: Invalid, Err: err}
			excluded[i] = true
			continue
		}
		cands[i].Fix = f
	}
	res := merge(src, cands, excluded, pre)
	if verify == nil || res.AppliedCount() == 0 || verify(res.Out, res.Edits) == nil {
		return res
	}
	if verify(src, nil) != nil {
		// The input itself does not pass: nothing to blame on the fixes.
		return res
	}
	// Blame fixes that break the file on their own.
	blamed := false
	for i, s := range res.Status {
		if s.Kind != Applied {
			continue
		}
		one := merge(src, []Candidate{cands[i]}, []bool{false}, []Status{{}})
		if err := verify(one.Out, one.Edits); err != nil {
			pre[i] = Status{Kind: Broken, Err: err}
			excluded[i] = true
			blamed = true
		}
	}
	res = merge(src, cands, excluded, pre)
	if !blamed || verify(res.Out, res.Edits) != nil {
		// Broken only in combination: drop the latest applied fixes until the
		// output passes. Bounded by the number of candidates.
		for verify(res.Out, res.Edits) != nil {
			last := -1
			for i, s := range res.Status {
				if s.Kind == Applied {
					last = i
				}
			}
			if last < 0 {
				break
			}
			pre[last] = Status{Kind: Broken, Err: fmt.Errorf("the file does not parse when this fix is combined with the others: %v", verify(res.Out, res.Edits))}
			excluded[last] = true
			res = merge(src, cands, excluded, pre)
		}
	}
	return res
}

func merge(src []byte, cands []Candidate, excluded []bool, pre []Status) Result {
	status := make([]Status, len(cands))
	copy(status, pre)
	// acc holds the accepted edits sorted by (Start, End, seq); accepted
	// edits never overlap, so a new edit only needs to be compared with
	// the few around its position (binary search), not with all of them.
	var acc []owned
	seq := 0
	less := func(a owned, start, end, seq int) bool {
		if a.Start != start {
			return a.Start < start
		}
		if a.End != end {
			return a.End < end
		}
		return a.seq < seq
	}
	for i, c := range cands {
		if excluded[i] {
			continue
		}
		var add []owned
		conflict := -1
		at := 0
	edits:
		for _, e := range c.Fix.Edits {
			// Accepted edits never overlap, so sorted by start they are
			// sorted by end too: skip every edit that ends before e starts.
			k := sort.Search(len(acc), func(j int) bool { return acc[j].End >= e.Start })
			for j := k; j < len(acc) && acc[j].Start <= e.End; j++ {
				a := acc[j]
				if a.Edit == e {
					continue edits // identical edit: coalesce
				}
				if overlaps(a.Edit, e) {
					conflict, at = a.owner, max(a.Start, e.Start)
					break edits
				}
			}
			add = append(add, owned{Edit: e, owner: i, seq: seq})
			seq++
		}
		if conflict >= 0 {
			status[i] = Status{Kind: Conflict, With: cands[conflict].ID, At: at}
			continue
		}
		for _, o := range add {
			k := sort.Search(len(acc), func(j int) bool { return !less(acc[j], o.Start, o.End, o.seq) })
			acc = append(acc, owned{})
			copy(acc[k+1:], acc[k:])
			acc[k] = o
		}
		status[i] = Status{Kind: Applied}
	}
	edits := make([]Edit, len(acc))
	for i, a := range acc {
		edits[i] = a.Edit
	}
	out, err := Apply(src, edits)
	if err != nil {
		// Cannot happen for validated, non-overlapping edits; keep the input
		// rather than emitting garbage, and say so on every applied fix.
		for i := range status {
			if status[i].Kind == Applied {
				status[i] = Status{Kind: Invalid, Err: err}
			}
		}
		return Result{Out: append([]byte(nil), src...), Status: status}
	}
	return Result{Out: out, Edits: edits, Status: status}
}

// FirstConflict reports the first edit of f that cannot be applied
// together with merged, the sorted edits of a Result (identical edits
// coalesce and do not conflict). The UI uses it to mark a fix as
// conflicting before the user turns it on.
func FirstConflict(merged []Edit, f Fix) (Edit, bool) {
	for _, e := range f.Edits {
		k := sort.Search(len(merged), func(j int) bool { return merged[j].End >= e.Start })
		for j := k; j < len(merged) && merged[j].Start <= e.End; j++ {
			if a := merged[j]; a != e && overlaps(a, e) {
				return a, true
			}
		}
	}
	return Edit{}, false
}
