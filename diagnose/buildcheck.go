package diagnose

import (
	"crypto/sha256"
	"errors"
	"regexp"
	"sort"

	"github.com/dockdoc/dockdoc/fixes"
)

// A BuildCheck judges after, the file as a set of fixes would write it,
// against before, the file they were computed on: it returns an error
// naming what the composition breaks in the build (a command that would
// fail, an instruction that would see another working directory, an image
// config field that would change), or nil. declared holds the config
// fields the applied fixes say they change (fixes.Fix.Changes).
//
// The core knows no model of the build; the one dockdoc uses
// (diagnose/buildmodel) registers itself, as rules do.
type BuildCheck func(before, after *Document, declared map[string]bool) error

var buildCheck BuildCheck

// RegisterBuildCheck makes c the check every composition must pass.
func RegisterBuildCheck(c BuildCheck) { buildCheck = c }

// BuildBreak is the status error of a fix Compose refused because the
// model of the build found it would break the build.
type BuildBreak struct {
	Err      error
	Together bool // it breaks the build only with the other chosen fixes
}

func (b *BuildBreak) Error() string { return b.Err.Error() }

// Unwrap gives the model's own error (for instance its *buildmodel.Break).
func (b *BuildBreak) Unwrap() error { return b.Err }

// judgeBuild runs the build check on a composition and, while it finds a
// break, refuses one more fix: the one whose removal cures that break
// (see blame). It returns the composition that passes. Statuses of the
// result are those of cands; a refused fix is Broken with a *BuildBreak.
func judgeBuild(doc *Document, cands []fixes.Candidate, res fixes.Result) fixes.Result {
	if buildCheck == nil || doc.ParseErr != nil || !changesAnything(cands, res) {
		return res
	}
	refused := map[int]*BuildBreak{}
	live := make([]int, len(cands)) // position in the current composition -> index in cands
	for i := range live {
		live[i] = i
	}
	done := func(res fixes.Result) fixes.Result {
		st := make([]fixes.Status, len(cands))
		for j, i := range live {
			st[i] = res.Status[j]
		}
		for i, b := range refused {
			st[i] = fixes.Status{Kind: fixes.Broken, Err: b}
		}
		res.Status = st
		return res
	}
	for {
		var subset []fixes.Candidate
		for _, i := range live {
			subset = append(subset, cands[i])
		}
		berr := judgeOnce(doc, subset, res)
		if berr == nil {
			return done(res)
		}
		after, _ := Parse(doc.Path, res.Out)
		at := srcOffset(res.Edits, lineOffset(after, berr))
		pick := blame(doc, cands, live, res, at, berr)
		alone := fixes.Compose(doc.Src, []fixes.Candidate{cands[live[pick]]}, verifierFor(doc))
		// Said of the fix alone when it breaks the build alone, so the
		// reason is about this fix and not about the others.
		if aerr := judgeOnce(doc, []fixes.Candidate{cands[live[pick]]}, alone); aerr != nil {
			refused[live[pick]] = &BuildBreak{Err: aerr}
		} else {
			refused[live[pick]] = &BuildBreak{Err: berr, Together: true}
		}
		// Compose again without it.
		var next []fixes.Candidate
		var nextLive []int
		for i, c := range cands {
			if _, gone := refused[i]; !gone {
				next = append(next, c)
				nextLive = append(nextLive, i)
			}
		}
		live = nextLive
		res = fixes.Compose(doc.Src, next, verifierFor(doc))
	}
}

// blame finds the applied fix (its position in live) a break follows
// from: trying the fixes nearest above the place of the break first, then
// the ones below, it returns the first whose removal makes that break go
// away. When none does alone, it falls back to the nearest above.
func blame(doc *Document, cands []fixes.Candidate, live []int, res fixes.Result, at int, berr error) int {
	type cand struct{ j, start int }
	var above, below []cand
	var elsewhere []cand // fixes that change only other files (.dockerignore)
	for j, st := range res.Status {
		if st.Kind != fixes.Applied {
			continue
		}
		if len(cands[live[j]].Fix.Edits) == 0 {
			elsewhere = append(elsewhere, cand{j, 0})
			continue
		}
		start := cands[live[j]].Fix.Edits[0].Start
		if start <= at {
			above = append(above, cand{j, start})
		} else {
			below = append(below, cand{j, start})
		}
	}
	sort.SliceStable(above, func(a, b int) bool { return above[a].start > above[b].start })
	sort.SliceStable(below, func(a, b int) bool { return below[a].start < below[b].start })
	order := append(append(above, below...), elsewhere...)
	for _, c := range order {
		var next []fixes.Candidate
		for j, i := range live {
			if j != c.j {
				next = append(next, cands[i])
			}
		}
		trial := fixes.Compose(doc.Src, next, verifierFor(doc))
		if err := judgeOnce(doc, next, trial); err == nil || !sameBreak(err, berr) {
			return c.j
		}
	}
	if len(above) > 0 {
		return above[0].j
	}
	return order[0].j
}

// changesAnything reports whether an applied fix of res edits the
// Dockerfile or another file of the build context.
func changesAnything(cands []fixes.Candidate, res fixes.Result) bool {
	if len(res.Edits) > 0 {
		return true
	}
	for j, st := range res.Status {
		if st.Kind == fixes.Applied && j < len(cands) && len(cands[j].Fix.Files) > 0 {
			return true
		}
	}
	return false
}

var lineNumber = regexp.MustCompile(`line [0-9]+`)

// sameBreak reports whether two breaks say the same thing, line numbers
// aside (removing a fix that adds lines moves the break, it does not cure
// it).
func sameBreak(a, b error) bool {
	return lineNumber.ReplaceAllString(a.Error(), "line") == lineNumber.ReplaceAllString(b.Error(), "line")
}

// judgeOnce runs the build check on res, the composition of subset: nil
// when it passes or cannot be judged (the parse check has its say then).
func judgeOnce(doc *Document, subset []fixes.Candidate, res fixes.Result) error {
	if !changesAnything(subset, res) {
		return nil
	}
	declared := map[string]bool{}
	var names []string
	// The build sees the other files as the applied fixes leave them (a
	// new .dockerignore decides what the context holds).
	byPath := map[string][]fixes.Edit{}
	before := map[string][]byte{}
	var paths []string
	for j, st := range res.Status {
		if st.Kind != fixes.Applied {
			continue
		}
		for _, c := range subset[j].Fix.Changes {
			if !declared[c] {
				declared[c] = true
				names = append(names, c)
			}
		}
		for _, fe := range subset[j].Fix.Files {
			if _, ok := before[fe.Path]; !ok {
				before[fe.Path] = fe.Before
				paths = append(paths, fe.Path)
			}
			byPath[fe.Path] = append(byPath[fe.Path], fe.Edits...)
		}
	}
	others := map[string][]byte{}
	for _, p := range paths {
		edits := byPath[p]
		fixes.SortEdits(edits)
		if out, err := fixes.Apply(before[p], dedupe(edits)); err == nil {
			others[p] = out
		}
	}
	// The verdict depends only on these bytes: the doctor composes the same
	// selection again and again (a fix toggled off and on, undo, redo).
	sort.Strings(names)
	sort.Strings(paths)
	h := sha256.New()
	h.Write(res.Out)
	for _, n := range names {
		h.Write([]byte("\x00" + n))
	}
	for _, p := range paths {
		h.Write([]byte("\x01" + p + "\x00"))
		h.Write(others[p])
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	vs := doc.Memo(verdictsKey{}, func() any { return &verdicts{m: map[[sha256.Size]byte]error{}} }).(*verdicts)
	if v, ok := vs.m[key]; ok {
		return v
	}
	v := func() error {
		after, err := Parse(doc.Path, res.Out)
		if err != nil || after.ParseErr != nil {
			return nil
		}
		after.Ctx, after.Config = doc.Ctx, doc.Config
		for _, p := range paths {
			if out, ok := others[p]; ok {
				after.Ctx = after.Ctx.WithFile(p, out)
			}
		}
		return buildCheck(doc, after, declared)
	}()
	vs.put(key, v)
	return v
}

// verdicts remembers the build check's answers for one document, by the
// composed bytes; bounded, oldest out first.
type verdicts struct {
	m     map[[sha256.Size]byte]error
	order [][sha256.Size]byte
}

type verdictsKey struct{}

const maxVerdicts = 64

func (vs *verdicts) put(k [sha256.Size]byte, v error) {
	if len(vs.order) == maxVerdicts {
		delete(vs.m, vs.order[0])
		vs.order = vs.order[1:]
	}
	vs.m[k] = v
	vs.order = append(vs.order, k)
}

// lineOffset is the offset in after where a break's line starts (0 when
// the check gave no line).
func lineOffset(after *Document, err error) int {
	var l interface{ BreakLine() int }
	if after != nil && errors.As(err, &l) && l.BreakLine() > 0 {
		return after.LineStart(l.BreakLine())
	}
	return 0
}

// srcOffset maps an offset in the composed output back to the original:
// edits are sorted and do not overlap; an offset inside new text maps to
// the start of the edit that wrote it.
func srcOffset(edits []fixes.Edit, out int) int {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	shift := 0
	for _, e := range edits {
		outStart := e.Start + shift
		if out < outStart {
			break
		}
		if out < outStart+len(e.New) {
			return e.Start
		}
		shift += len(e.New) - (e.End - e.Start)
	}
	return out - shift
}
