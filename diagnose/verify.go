package diagnose

import (
	"bytes"
	"hash/fnv"
	"sync"

	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// verifierFor returns the check Compose runs on every composed output of
// doc. Re-parsing a 2,000-line file costs milliseconds and the doctor
// re-composes on every key press, so the output is checked instruction by
// instruction: each stretch of the output that an edit touched is parsed
// alone, and the answer is remembered by its content, so toggling one fix
// re-parses one instruction. This is exact for BuildKit's line-oriented
// parser: between two top-level instructions it carries no state but the
// escape character (which each stretch is given) and a pending line
// continuation (checked at each stretch's end). Edits above the first
// instruction (the directives) get the full parse.
func verifierFor(doc *Document) func([]byte, []fixes.Edit) error {
	return func(out []byte, edits []fixes.Edit) error {
		if edits == nil || doc.ParseErr != nil || len(doc.Instructions) == 0 {
			return Verify(out)
		}
		if len(edits) == 0 {
			return nil // nothing changed in a file that parses (other files only)
		}
		return doc.verifyTouched(out, edits)
	}
}

// chunkCache remembers which instruction texts parse, per document.
type chunkCache struct {
	mu sync.Mutex
	ok map[uint64]bool
}

func (d *Document) verifyTouched(out []byte, edits []fixes.Edit) error {
	n := len(d.Instructions)
	starts := make([]int, n+1)
	for k, in := range d.Instructions {
		starts[k] = d.LineStart(in.StartLine)
	}
	starts[n] = len(d.Src)
	if edits[0].Start < starts[0] {
		return Verify(out)
	}
	// Walk the segment boundaries and the sorted, non-overlapping edits
	// together: where each boundary lands in the output, whether an edit
	// spans it (then it is no cut), and which segments an edit touched.
	type cut struct{ orig, out int }
	cuts := []cut{{starts[0], starts[0]}}
	touched := []bool{false}
	delta, i := 0, 0
	for k := 1; k <= n; k++ {
		p := starts[k]
		spans := false
		for i < len(edits) && (edits[i].Start < p || (k == n && edits[i].Start <= p)) {
			e := edits[i]
			touched[len(touched)-1] = true
			if e.End > p && k < n {
				spans = true
				break
			}
			delta += len(e.New) - (e.End - e.Start)
			i++
		}
		if spans {
			continue // the edit crosses this boundary: keep one stretch
		}
		cuts = append(cuts, cut{p, p + delta})
		touched = append(touched, false)
	}
	if i < len(edits) {
		return Verify(out)
	}
	cuts[len(cuts)-1].out = len(out)
	for c := 0; c+1 < len(cuts); c++ {
		if cuts[c].out < 0 || cuts[c+1].out > len(out) || cuts[c].out > cuts[c+1].out {
			return Verify(out)
		}
	}
	if d.verified == nil {
		d.verified = &chunkCache{ok: map[uint64]bool{}}
	}
	prefix := []byte("# escape=" + string(d.Escape) + "\n#\n")
	keyOf := func(chunk []byte, last bool) uint64 {
		h := fnv.New64a()
		h.Write(chunk)
		if last {
			h.Write([]byte{1})
		}
		return h.Sum64()
	}
	// Many stretches not seen before (a bulk selection): one full parse is
	// cheaper than parsing each alone (BuildKit compiles its expressions per
	// parse). When it passes, every stretch with clean edges is remembered.
	uncached := 0
	d.verified.mu.Lock()
	for c := 0; c+1 < len(cuts); c++ {
		if touched[c] {
			if _, seen := d.verified.ok[keyOf(out[cuts[c].out:cuts[c+1].out], c+2 == len(cuts))]; !seen {
				uncached++
			}
		}
	}
	d.verified.mu.Unlock()
	if uncached > 64 {
		if err := Verify(out); err != nil {
			return err
		}
		prevContinues := false
		d.verified.mu.Lock()
		for c := 0; c+1 < len(cuts); c++ {
			chunk := out[cuts[c].out:cuts[c+1].out]
			last := c+2 == len(cuts)
			continues := !last && endsInContinuation(chunk, d.Escape)
			if touched[c] && !prevContinues && !continues && !bytes.Contains(chunk, []byte("<<")) {
				d.verified.ok[keyOf(chunk, last)] = true
			}
			prevContinues = continues
		}
		d.verified.mu.Unlock()
		return nil
	}
	for c := 0; c+1 < len(cuts); c++ {
		if !touched[c] {
			continue
		}
		a, b := cuts[c].out, cuts[c+1].out
		if a < 0 || b > len(out) || a > b {
			return Verify(out)
		}
		chunk := out[a:b]
		last := c+2 == len(cuts)
		key := keyOf(chunk, last)
		d.verified.mu.Lock()
		ok, seen := d.verified.ok[key]
		d.verified.mu.Unlock()
		if !seen {
			ok = true
			if len(bytes.TrimSpace(chunk)) > 0 {
				src := append(append([]byte{}, prefix...), chunk...)
				if _, err := parser.Parse(bytes.NewReader(src)); err != nil {
					ok = toParseError(err).Msg == "file with no instructions" // only comments left
				}
				if ok && !last && endsInContinuation(chunk, d.Escape) {
					ok = false
				}
			}
			d.verified.mu.Lock()
			d.verified.ok[key] = ok
			d.verified.mu.Unlock()
		}
		if !ok {
			return Verify(out) // the full parse names the line
		}
	}
	return nil
}

// endsInContinuation reports whether the last line of text continues onto
// whatever follows it.
func endsInContinuation(text []byte, esc byte) bool {
	t := bytes.TrimRight(text, "\r\n")
	if i := bytes.LastIndexByte(t, '\n'); i >= 0 {
		t = t[i+1:]
	}
	if IsCommentLine(t) {
		return false
	}
	_, cont := continuationCut(bytes.TrimRight(t, "\r"), esc)
	return cont
}
