// Package fixes is dockdoc's edit algebra. It knows nothing about
// Dockerfiles: it sees bytes, byte offsets and fixes made of edits, and it
// composes any subset of fixes into one deterministic result with a status
// for every fix. Keeping it free of Dockerfile knowledge lets composition,
// conflict detection and the writer be tested on plain strings.
package fixes

import (
	"fmt"
	"sort"
)

// Applicability says how far a fix can be trusted. The order matters:
// DisplayOnly < Unsafe < Safe, so "apply everything at least this safe" is a
// single comparison.
type Applicability int

const (
	// DisplayOnly fixes are advice: shown to the user, never applied.
	DisplayOnly Applicability = iota
	// Unsafe fixes give a valid file but may change what the build does
	// (behaviour, installed packages, signal handling) or drop a comment.
	// They are applied only when the user asks for them.
	Unsafe
	// Safe fixes keep the meaning of the file (or are exactly what the
	// user meant) and never delete a comment. `dockdoc fix` applies them.
	Safe
)

func (a Applicability) String() string {
	switch a {
	case Safe:
		return "safe"
	case Unsafe:
		return "unsafe"
	default:
		return "display-only"
	}
}

// ParseApplicability is the inverse of String.
func ParseApplicability(s string) (Applicability, error) {
	switch s {
	case "safe":
		return Safe, nil
	case "unsafe":
		return Unsafe, nil
	case "display-only", "display":
		return DisplayOnly, nil
	}
	return 0, fmt.Errorf("unknown applicability %q (want safe, unsafe or display-only)", s)
}

// Edit replaces src[Start:End] with New. Start == End is an insertion.
// Offsets always refer to the ORIGINAL bytes the diagnosis ran on.
type Edit struct {
	Start, End int
	New        string
}

func (e Edit) isInsert() bool { return e.Start == e.End }

// Fix is one way to resolve a finding: a verb-phrase title and the edits
// that carry it out. The edits of one fix never overlap each other.
type Fix struct {
	Title         string
	Applicability Applicability
	Edits         []Edit
	// Note is optional extra text for the user (why the fix is unsafe,
	// what to check after applying it).
	Note string
	// Manual fixes (a "suppress here" pragma) are applied only when the
	// user picks them by hand, never by fix --unsafe or "all fixes".
	Manual bool
	// Files are edits to other files of the build context (a fix may
	// create or extend .dockerignore). Edits and Files apply together or
	// not at all.
	Files []FileEdit
	// Changes names what the fix means to change in the image it builds,
	// as the fields of the OCI image config (Cmd, Entrypoint, User,
	// WorkingDir, Shell, Env, Labels, ...), or "*" when the whole image may
	// change (a new base image, a new stage layout). The model of the
	// build holds everything else to what it was: a composition that
	// changes something no chosen fix declared is refused.
	Changes []string
}

// FileEdit is a change to a file other than the one diagnosed.
type FileEdit struct {
	Path   string // the file's path (as the build context names it, joined to its directory)
	Before []byte // the content the edits apply to (nil when Create)
	Create bool   // the file does not exist yet
	Edits  []Edit
}

// SortEdits orders edits by (Start, End). Insertions at a point come before
// a replacement starting at the same point; ties keep their given order.
func SortEdits(edits []Edit) {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].Start != edits[j].Start {
			return edits[i].Start < edits[j].Start
		}
		return edits[i].End < edits[j].End
	})
}

// Validate checks a fix against a source of size n: edits inside bounds,
// sorted and not overlapping, and something to do. An error means a bug in
// the rule that built the fix. Validate sorts f.Edits in place.
func Validate(f *Fix, n int) error {
	if f.Title == "" {
		return fmt.Errorf("fix has no title")
	}
	if len(f.Edits) == 0 && len(f.Files) == 0 {
		return fmt.Errorf("fix %q has no edits", f.Title)
	}
	for _, fe := range f.Files {
		if err := validateEdits(f.Title, fe.Edits, len(fe.Before)); err != nil {
			return fmt.Errorf("%s: %w", fe.Path, err)
		}
	}
	return validateEdits(f.Title, f.Edits, n)
}

func validateEdits(title string, edits []Edit, n int) error {
	SortEdits(edits)
	prevEnd := -1
	for i, e := range edits {
		if e.Start < 0 || e.End < e.Start || e.End > n {
			return fmt.Errorf("fix %q: edit %d [%d,%d) outside the file (%d bytes)", title, i, e.Start, e.End, n)
		}
		if e.Start < prevEnd {
			return fmt.Errorf("fix %q: edit %d [%d,%d) overlaps the previous edit", title, i, e.Start, e.End)
		}
		if e.isInsert() && e.New == "" {
			return fmt.Errorf("fix %q: edit %d is empty", title, i)
		}
		prevEnd = e.End
	}
	return nil
}

// Apply applies sorted, non-overlapping edits to src and returns new bytes.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	size := len(src)
	for _, e := range edits {
		size += len(e.New) - (e.End - e.Start)
	}
	out := make([]byte, 0, max(size, 0))
	last := 0
	for i, e := range edits {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("edit %d [%d,%d) is out of order or out of range", i, e.Start, e.End)
		}
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	out = append(out, src[last:]...)
	return out, nil
}
