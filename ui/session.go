// Package ui is dockdoc's interactive doctor, a Bubble Tea (v1) program.
// All selection behaviour lives in Session, which has no terminal
// dependencies and is unit-tested on its own; the tea models only route
// keys, lay out panes and render cached strings.
package ui

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/fixes"
)

// Mark is what the findings list shows in front of a finding.
type Mark int

const (
	MarkNoFix    Mark = iota // no fix at all
	MarkAdvice               // only display-only advice
	MarkOff                  // a fix is available and off
	MarkOn                   // a safe fix is on
	MarkUnsafeOn             // an unsafe fix is on
	MarkConflict             // off, and its fix would clash with one that is on
)

// Glyph is the mark as text, so state never depends on colour alone.
func (m Mark) Glyph() string {
	return [...]string{"   ", "[i]", "[ ]", "[x]", "[!]", "[~]"}[m]
}

// Word is the mark as a word for status lines and help.
func (m Mark) Word() string {
	return [...]string{"no fix", "advice only", "fix off", "fix on", "unsafe fix on", "conflict"}[m]
}

// Session is one Dockerfile being doctored: its findings, which fix of
// each is selected, and the composed result. It never does terminal I/O;
// Load, Write and CheckDisk touch the file system and are run by the UI
// in commands, never in Update or View.
type Session struct {
	Path     string
	Doc      *diagnose.Document
	Stamp    fixes.Stamp
	Findings []diagnose.Finding

	sel  []int // per finding: index of the selected fix, or -1
	alt  []int // per finding: the alternative shown (cycled with c)
	undo []snapshot
	redo []snapshot

	// rounds is on after A: the later rounds of fix --unsafe run on the
	// composed file; off holds the findings (by roundKey) the user turned
	// off since, which no round turns on again.
	rounds bool
	off    map[string]bool
	// Later are the fixes applied after the first round (rounds only).
	Later []LaterFix
	// base is how many of Findings are the file's; the rest are the fixes
	// of later rounds that are no finding of the file (see syncLater).
	base int
	tail []int // per finding after base: its index in Later
	// Gen changes whenever Findings does, so the UI refilters its list.
	Gen int

	Composed diagnose.Composed
	Hunks    []fixes.Hunk
	// Written is true right after a successful write (until the next change).
	Written bool
	// Changed is true when the file on disk no longer matches what was loaded.
	Changed bool

	opts diagnose.Options
	fsys fixes.FS
}

// Load reads and diagnoses a file.
func Load(fsys fixes.FS, path string, opts diagnose.Options) (*Session, error) {
	doc, st, err := diagnose.Load(fsys, path)
	if err != nil {
		return nil, err
	}
	s := &Session{Path: path, fsys: fsys, opts: opts}
	s.reset(doc, st)
	return s, nil
}

// FromDocument builds a session on a document already in memory (tests,
// guided mode working on a buffer).
func FromDocument(doc *diagnose.Document, st fixes.Stamp, fsys fixes.FS, opts diagnose.Options) *Session {
	s := &Session{Path: doc.Path, fsys: fsys, opts: opts}
	s.reset(doc, st)
	return s
}

func (s *Session) reset(doc *diagnose.Document, st fixes.Stamp) {
	s.Doc, s.Stamp = doc, st
	doc.Ctx = s.opts.Ctx
	s.Findings = diagnose.Run(doc, s.opts)
	s.base, s.tail = len(s.Findings), nil
	s.sel = make([]int, len(s.Findings))
	s.alt = make([]int, len(s.Findings))
	for i := range s.sel {
		s.sel[i] = -1
		s.alt[i] = firstApplicable(s.Findings[i])
	}
	s.undo, s.redo = nil, nil
	s.rounds, s.off = false, nil
	s.Changed = false
	s.compose()
}

// firstApplicable is the index of the first fix that can be applied
// (not display-only), or 0.
func firstApplicable(f diagnose.Finding) int {
	for i, fx := range f.Fixes {
		if fx.Applicability > fixes.DisplayOnly && !fx.Manual {
			return i
		}
	}
	return 0
}

// realFixes counts the fixes that are not the manual "suppress here".
func realFixes(f diagnose.Finding) int {
	n := 0
	for _, fx := range f.Fixes {
		if !fx.Manual {
			n++
		}
	}
	return n
}

func (s *Session) choices(sel []int) []diagnose.Choice {
	var cs []diagnose.Choice
	for i, a := range sel {
		if i >= s.base {
			break // the fixes of later rounds are composed by withRounds
		}
		if a >= 0 {
			cs = append(cs, diagnose.Choice{Finding: &s.Findings[i], Alt: a})
		}
	}
	return cs
}

func (s *Session) compose() {
	s.Composed, s.Later = s.withRounds(diagnose.Compose(s.Doc, s.choices(s.sel)))
	s.Hunks = fixes.Hunks(s.Doc.Src, s.Composed.Out, 3)
	s.syncLater()
}

// Selected returns the index of finding i's selected fix, or -1.
func (s *Session) Selected(i int) int { return s.sel[i] }

// Alt returns the alternative of finding i currently shown.
func (s *Session) Alt(i int) int { return s.alt[i] }

// Mark says how finding i should be marked.
func (s *Session) Mark(i int) Mark {
	f := s.Findings[i]
	if a := s.sel[i]; a >= 0 {
		if f.Fixes[a].Applicability == fixes.Safe {
			return MarkOn
		}
		return MarkUnsafeOn
	}
	if realFixes(f) == 0 {
		return MarkNoFix
	}
	if l, ok := s.laterOn(i); ok {
		if l.Unsafe() {
			return MarkUnsafeOn
		}
		return MarkOn
	}
	fx := f.Fixes[s.alt[i]]
	if fx.Applicability == fixes.DisplayOnly || fx.Manual {
		if best(f) == fixes.DisplayOnly {
			return MarkAdvice
		}
	}
	if _, clash := fixes.FirstConflict(s.Composed.Edits, fx); clash {
		return MarkConflict
	}
	return MarkOff
}

// Counts summarises the selection: fixes on, of which unsafe (the fixes
// of later rounds included).
func (s *Session) Counts() (on, unsafe int) {
	for i, a := range s.sel[:s.base] {
		if a >= 0 {
			on++
			if s.Findings[i].Fixes[a].Applicability != fixes.Safe {
				unsafe++
			}
		}
	}
	for _, l := range s.Later {
		on++
		if l.Unsafe() {
			unsafe++
		}
	}
	return on, unsafe
}

// Dirty reports whether the composed result differs from the file.
func (s *Session) Dirty() bool {
	return string(s.Composed.Out) != string(s.Doc.Src) || len(s.Composed.Others) > 0
}

// apply tries a new selection. Fixes the user asked for are never dropped
// silently: if any selected fix would not apply, nothing changes and the
// reason comes back as an error.
func (s *Session) apply(next []int) error {
	return s.applyOff(next, nil)
}

// applyOff is apply that also records, in rounds mode, the findings turned
// off (off[key] true) or on again (false), so later rounds respect them.
func (s *Session) applyOff(next []int, off map[string]bool) error {
	c := diagnose.Compose(s.Doc, s.choices(next))
	for _, o := range c.Outcomes {
		if o.Status.Kind != fixes.Applied {
			l := o.Finding.Line
			return fmt.Errorf("%s on line %d %s; turn that one off first", o.Finding.Rule.Code, l, o.Reason)
		}
	}
	s.undo = append(s.undo, s.snap())
	s.redo = nil
	s.sel = next
	if s.rounds {
		s.off = s.snap().off
		for k, v := range off {
			if v {
				s.off[k] = true
			} else {
				delete(s.off, k)
			}
		}
	}
	s.Composed, s.Later = s.withRounds(c)
	s.Hunks = fixes.Hunks(s.Doc.Src, s.Composed.Out, 3)
	s.syncLater()
	s.Written = false
	return nil
}

func (s *Session) cloneSel() []int { return append([]int(nil), s.sel...) }

// ErrNoFix is returned when toggling a finding that has nothing to apply.
var ErrNoFix = errors.New("this finding has no fix to apply")

// ErrAlreadyOff is returned when turning off a fix that is not on.
var ErrAlreadyOff = errors.New("its fix is already off")

// Toggle turns finding i's shown fix on, or its selected fix off.
func (s *Session) Toggle(i int) error {
	if _, ok := s.laterOn(i); s.sel[i] >= 0 || ok {
		return s.Set(i, false)
	}
	return s.Set(i, true)
}

// Set turns finding i's fix on (the alternative shown) or off.
func (s *Session) Set(i int, on bool) error {
	f := s.Findings[i]
	next := s.cloneSel()
	k := roundKey(f)
	if !on {
		l, later := s.laterOn(i)
		if next[i] < 0 && !later {
			return ErrAlreadyOff
		}
		next[i] = -1
		off := map[string]bool{k: true}
		if pk := placeKey(f, s.Doc); pk != "" {
			off[pk] = true
		}
		if later {
			off[roundKey(l.Finding)] = true // its message may differ there
		}
		return s.applyOff(next, off)
	}
	if len(f.Fixes) == 0 {
		return ErrNoFix
	}
	a := s.alt[i]
	if f.Fixes[a].Applicability == fixes.DisplayOnly {
		return fmt.Errorf("%q is advice only: dockdoc cannot apply it safely (press c for other alternatives)", f.Fixes[a].Title)
	}
	if next[i] == a || i >= s.base {
		return nil
	}
	next[i] = a
	back := map[string]bool{k: false}
	for key := range s.off {
		if strings.HasPrefix(key, f.Rule.Code+"\x00") {
			back[key] = false // the same finding as a later round words it
		}
	}
	err := s.applyOff(next, back)
	if err != nil && s.rounds {
		// It clashes with the first round: as fix --unsafe does, let a
		// later round apply it instead.
		if s.applyOff(s.cloneSel(), back) == nil {
			if _, ok := s.laterOn(i); ok {
				return nil
			}
			s.Undo()
			s.redo = s.redo[:len(s.redo)-1]
		}
	}
	return err
}

// Cycle shows finding i's next alternative; if a fix was on, the new
// alternative is selected in its place (refused on conflict).
func (s *Session) Cycle(i int) error {
	f := s.Findings[i]
	if i >= s.base {
		return errors.New("a fix of a later round: A chose it as dockdoc fix --unsafe does; space turns it off")
	}
	if realFixes(f) == 0 && len(f.Fixes) == 1 {
		// No fix but the suppression comment: c is the key that adds it
		// (space will not), and takes it out again.
		return s.Set(i, s.sel[i] < 0)
	}
	if len(f.Fixes) < 2 {
		if len(f.Fixes) == 0 {
			return ErrNoFix
		}
		return errors.New("this finding has only one fix")
	}
	nextAlt := (s.alt[i] + 1) % len(f.Fixes)
	if s.sel[i] >= 0 {
		if f.Fixes[nextAlt].Applicability == fixes.DisplayOnly {
			// An advice alternative cannot be selected: show it, fix off.
			next := s.cloneSel()
			next[i] = -1
			if err := s.apply(next); err != nil {
				return err
			}
			s.alt[i] = nextAlt
			return nil
		}
		next := s.cloneSel()
		next[i] = nextAlt
		if err := s.apply(next); err != nil {
			return err
		}
	}
	s.alt[i] = nextAlt
	return nil
}

// SetMany turns on (the shown or first applicable alternative of) every
// finding in idx whose fix is at least min, or turns them all off. Fixes
// that would conflict are left off and counted in the returned skipped.
func (s *Session) SetMany(idx []int, on bool, min fixes.Applicability) (changed, skipped int, err error) {
	next := s.cloneSel()
	off := map[string]bool{}
	for _, i := range idx {
		f := s.Findings[i]
		_, later := s.laterOn(i)
		if !on {
			if next[i] >= 0 || later {
				next[i] = -1
				changed++
				off[roundKey(f)] = true
				if l, ok := s.laterOn(i); ok {
					off[roundKey(l.Finding)] = true
				}
			}
			continue
		}
		if next[i] >= 0 || later || len(f.Fixes) == 0 {
			continue
		}
		a := s.alt[i]
		if f.Fixes[a].Applicability < min || f.Fixes[a].Applicability == fixes.DisplayOnly || f.Fixes[a].Manual {
			a = -1
			for j, fx := range f.Fixes {
				if fx.Applicability >= min && fx.Applicability > fixes.DisplayOnly && !fx.Manual {
					a = j
					break
				}
			}
		}
		if a >= 0 {
			next[i] = a
			changed++
		}
	}
	if changed == 0 {
		return 0, 0, nil
	}
	// Drop the fixes that conflict with earlier ones, then apply the rest.
	c := diagnose.Compose(s.Doc, s.choices(next))
	for _, o := range c.Outcomes {
		if o.Status.Kind != fixes.Applied {
			for i := range s.Findings {
				if &s.Findings[i] == o.Finding && s.sel[i] < 0 {
					next[i] = -1
					skipped++
					changed--
				}
			}
		}
	}
	if changed == 0 {
		return 0, skipped, nil
	}
	// In rounds (after A), what a turns off stays off in the later rounds
	// too, and what it turns on is theirs again.
	if on {
		for _, i := range idx {
			if next[i] >= 0 && s.sel[i] < 0 {
				off[roundKey(s.Findings[i])] = false
				if pk := placeKey(s.Findings[i], s.Doc); pk != "" {
					off[pk] = false
				}
			}
		}
	}
	return changed, skipped, s.applyOff(next, off)
}

// Fixable lists the findings with a fix at least min.
func (s *Session) Fixable(min fixes.Applicability) []int {
	var idx []int
	for i, f := range s.Findings[:s.base] {
		for _, fx := range f.Fixes {
			if fx.Applicability >= min && fx.Applicability > fixes.DisplayOnly && !fx.Manual {
				idx = append(idx, i)
				break
			}
		}
	}
	return idx
}

// AllOn reports whether every finding in idx has a fix on.
func (s *Session) AllOn(idx []int) bool {
	for _, i := range idx {
		if _, later := s.laterOn(i); s.sel[i] < 0 && !later {
			return false
		}
	}
	return len(idx) > 0
}

// Undo restores the selection before the last change.
func (s *Session) Undo() bool {
	if len(s.undo) == 0 {
		return false
	}
	prev := s.undo[len(s.undo)-1]
	s.undo = s.undo[:len(s.undo)-1]
	s.redo = append(s.redo, s.snap())
	s.restore(prev)
	return true
}

// Redo re-applies the last undone change.
func (s *Session) Redo() bool {
	if len(s.redo) == 0 {
		return false
	}
	next := s.redo[len(s.redo)-1]
	s.redo = s.redo[:len(s.redo)-1]
	s.undo = append(s.undo, s.snap())
	s.restore(next)
	return true
}

// choiceKey identifies a choice across reloads, where lines may move.
func choiceKey(f diagnose.Finding, alt int) string {
	return f.Rule.Code + "\x00" + f.Message + "\x00" + f.Fixes[alt].Title
}

// Reload re-reads the file from disk. With keep, the choices whose finding
// and fix still exist (same rule, message and fix title) are selected
// again; it returns how many were kept and how many no longer apply.
func (s *Session) Reload(keep bool) (kept, lost int, err error) {
	doc, st, err := diagnose.Load(s.fsys, s.Path)
	if err != nil {
		return 0, 0, err
	}
	kept, lost = s.Install(doc, st, keep)
	return kept, lost, nil
}

// Install replaces the session's document with a freshly loaded one (the
// UI loads in a command, then installs in Update). With keep, choices that
// still exist are selected again.
func (s *Session) Install(doc *diagnose.Document, st fixes.Stamp, keep bool) (kept, lost int) {
	want := map[string]int{}
	if keep {
		for i, a := range s.sel[:s.base] {
			if a >= 0 {
				want[choiceKey(s.Findings[i], a)]++
			}
		}
	}
	rounds, off := s.rounds, s.off
	s.reset(doc, st)
	if keep && rounds {
		s.rounds, s.off = true, off
	}
	if len(want) == 0 {
		if s.rounds {
			s.compose()
		}
		return 0, 0
	}
	next := s.cloneSel()
	for i, f := range s.Findings {
		for a := range f.Fixes {
			if k := choiceKey(f, a); want[k] > 0 {
				want[k]--
				next[i] = a
				s.alt[i] = a
				kept++
				break
			}
		}
	}
	for _, n := range want {
		lost += n
	}
	if kept > 0 {
		if err := s.apply(next); err != nil {
			return 0, lost + kept
		}
		s.undo = nil
	}
	return kept, lost
}

// Write writes the composed result through the atomic writer, then
// re-reads and re-diagnoses the file. It refuses when the result does not
// parse or the file changed on disk (fixes.ErrChanged).
func (s *Session) Write() (applied int, err error) {
	res := WriteFile(s.fsys, s.Path, s.Stamp, s.Composed.Out, s.Composed.Others, s.Dirty(), s.opts)
	return s.Finish(res)
}

// WriteResult is the outcome of WriteFile, installed by Finish.
type WriteResult struct {
	Doc   *diagnose.Document
	Stamp fixes.Stamp
	Ctx   *buildctx.Context // read again: a fix may have changed it
	Err   error
}

// WriteFile does a write's I/O without touching any session (the UI runs
// it in a command): verify, write atomically, read back and re-diagnose.
func WriteFile(fsys fixes.FS, path string, st fixes.Stamp, out []byte, others []diagnose.OtherFile, dirty bool, opts diagnose.Options) WriteResult {
	if !dirty {
		return WriteResult{Err: errors.New("nothing to write: no fix is on")}
	}
	if err := diagnose.Verify(out); err != nil {
		return WriteResult{Err: fmt.Errorf("the result would not parse (%v); nothing written", err)}
	}
	// The Dockerfile and the other files its fixes edit: all or none.
	changes := []fixes.Change{{Stamp: st, Data: out}}
	for _, of := range others {
		ch, err := fixes.OtherChange(fsys, of.Path, of.Before, of.Create, of.After)
		if err != nil {
			return WriteResult{Err: err}
		}
		changes = append(changes, ch)
	}
	if err := fixes.WriteAll(fsys, changes); err != nil {
		return WriteResult{Err: err}
	}
	var ctx *buildctx.Context
	if opts.Ctx != nil {
		ctx = buildctx.Load(opts.Ctx.Dir, path)
	}
	doc, st2, err := diagnose.Load(fsys, path)
	return WriteResult{Doc: doc, Stamp: st2, Ctx: ctx, Err: err}
}

// Finish installs a write's result: the re-diagnosed file, or the error
// (marking the file changed on disk when that was the reason).
func (s *Session) Finish(res WriteResult) (applied int, err error) {
	if res.Err != nil {
		if errors.Is(res.Err, fixes.ErrChanged) {
			s.Changed = true
		}
		return 0, res.Err
	}
	applied = s.Composed.Applied() + len(s.Later)
	if res.Ctx != nil {
		s.opts.Ctx = res.Ctx
	}
	s.Install(res.Doc, res.Stamp, false)
	s.Written = true
	return applied, nil
}

// Summary lists the selected fixes as lines "line N  CODE  title".
func (s *Session) Summary() []string {
	var out []string
	for i, a := range s.sel[:s.base] {
		if a >= 0 {
			f := s.Findings[i]
			out = append(out, fmt.Sprintf("line %-4d %s  %s (%s)", f.Line, f.Rule.Code, f.Fixes[a].Title, f.Fixes[a].Applicability))
		}
	}
	for _, l := range s.Later {
		out = append(out, fmt.Sprintf("line %-4d %s  %s (%s, round %d)", l.Finding.Line, l.Finding.Rule.Code, l.Title(), l.Finding.Fixes[l.Alt].Applicability, l.Round))
	}
	return out
}

// HunkFor returns the index of the diff hunk that covers the given line of
// the original file, or -1.
func (s *Session) HunkFor(line int) int {
	best := -1
	for i, h := range s.Hunks {
		end := h.FromLine
		for _, l := range h.Lines {
			if l.Kind != '+' {
				end++
			}
		}
		if line >= h.FromLine && line < max(end, h.FromLine+1) {
			return i
		}
		if h.FromLine <= line {
			best = i
		}
	}
	return best
}

// categoryOrder is the lesson order of guided mode: what breaks builds
// first, then what endangers users, then what makes builds drift, then
// size and speed, then style.
var categoryOrder = map[diagnose.Category]int{
	diagnose.Correctness:     0,
	diagnose.Security:        1,
	diagnose.Reproducibility: 2,
	diagnose.Size:            3,
	diagnose.Cache:           3,
	diagnose.Maintainability: 4,
}

// LessonOrder returns the findings' indexes in guided-mode order: by
// category (correctness, security, reproducibility, size and cache,
// style), then severity, then position.
func LessonOrder(fs []diagnose.Finding) []int {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		fa, fb := fs[idx[a]], fs[idx[b]]
		if ca, cb := categoryOrder[fa.Rule.Category], categoryOrder[fb.Rule.Category]; ca != cb {
			return ca < cb
		}
		if fa.Severity != fb.Severity {
			return fa.Severity > fb.Severity
		}
		return fa.Span.Start < fb.Span.Start
	})
	return idx
}

// Matches reports whether finding i matches a filter: words that must all
// appear in its code, name, aliases, severity, message or line number.
func (s *Session) Matches(i int, filter string) bool {
	f := s.Findings[i]
	hay := strings.ToLower(strings.Join(append([]string{f.Rule.Code, f.Rule.Name, f.Severity.String(), string(f.Rule.Category), f.Message, fmt.Sprint(f.Line)}, f.Rule.Aliases...), " "))
	for _, w := range strings.Fields(strings.ToLower(filter)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}
