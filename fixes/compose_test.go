package fixes

import (
	"errors"
	"strings"
	"testing"
)

func cand(id string, edits ...Edit) Candidate {
	return Candidate{ID: id, Fix: Fix{Title: "fix " + id, Applicability: Safe, Edits: edits}}
}

func TestComposeStatuses(t *testing.T) {
	src := []byte("0123456789")
	tests := []struct {
		name   string
		cands  []Candidate
		out    string
		status []StatusKind
		with   []string
	}{
		{"disjoint", []Candidate{cand("a", Edit{1, 2, "X"}), cand("b", Edit{5, 7, ""})}, "0X234789", []StatusKind{Applied, Applied}, nil},
		{"identical edits coalesce", []Candidate{cand("a", Edit{1, 2, "X"}), cand("b", Edit{1, 2, "X"}, Edit{8, 8, "+"})}, "0X234567+89", []StatusKind{Applied, Applied}, nil},
		{"overlap conflicts", []Candidate{cand("a", Edit{1, 4, "X"}), cand("b", Edit{3, 5, "Y"})}, "0X456789", []StatusKind{Applied, Conflict}, []string{"", "a"}},
		{"insert inside a replacement conflicts", []Candidate{cand("a", Edit{1, 4, "X"}), cand("b", Edit{2, 2, "Y"})}, "0X456789", []StatusKind{Applied, Conflict}, []string{"", "a"}},
		{"insert at a replacement's edge is fine", []Candidate{cand("a", Edit{1, 4, "X"}), cand("b", Edit{4, 4, "Y"})}, "0XY456789", []StatusKind{Applied, Applied}, nil},
		{"two inserts at one point keep candidate order", []Candidate{cand("a", Edit{3, 3, "A"}), cand("b", Edit{3, 3, "B"})}, "012AB3456789", []StatusKind{Applied, Applied}, nil},
		{"a conflicting fix is left out whole", []Candidate{cand("a", Edit{1, 2, "X"}), cand("b", Edit{6, 7, "Z"}, Edit{1, 3, "Y"})}, "0X23456789", []StatusKind{Applied, Conflict}, []string{"", "a"}},
		{"invalid fix", []Candidate{cand("a", Edit{5, 20, "X"}), cand("b", Edit{0, 1, "Q"})}, "Q123456789", []StatusKind{Invalid, Applied}, nil},
		{"overlapping edits within one fix are invalid", []Candidate{cand("a", Edit{1, 4, "X"}, Edit{2, 3, "Y"})}, "0123456789", []StatusKind{Invalid}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compose(src, tt.cands, nil)
			if string(r.Out) != tt.out {
				t.Errorf("out = %q, want %q", r.Out, tt.out)
			}
			for i, want := range tt.status {
				if r.Status[i].Kind != want {
					t.Errorf("status[%d] = %v (%v), want %v", i, r.Status[i].Kind, r.Status[i].Err, want)
				}
				if tt.with != nil && r.Status[i].With != tt.with[i] {
					t.Errorf("status[%d].With = %q, want %q", i, r.Status[i].With, tt.with[i])
				}
			}
		})
	}
}

// The result depends on the set of fixes and their given order only; the
// caller's slice is not modified.
func TestComposeDeterministic(t *testing.T) {
	src := []byte("abcdef")
	cands := []Candidate{cand("a", Edit{4, 5, "E"}, Edit{0, 1, "A"}), cand("b", Edit{2, 2, "+"})}
	first := Compose(src, cands, nil)
	for range 20 {
		again := Compose(src, cands, nil)
		if string(again.Out) != string(first.Out) {
			t.Fatalf("non-deterministic: %q vs %q", again.Out, first.Out)
		}
	}
	if cands[0].Fix.Edits[0].Start != 4 {
		t.Error("Compose sorted the caller's edits in place")
	}
	if string(first.Out) != "Ab+cdEf" {
		t.Errorf("out = %q", first.Out)
	}
}

func TestComposeBlamesBrokenFix(t *testing.T) {
	src := []byte("ok ok ok")
	verify := func(b []byte, _ []Edit) error {
		if strings.Contains(string(b), "BAD") {
			return errors.New("does not parse")
		}
		return nil
	}
	r := Compose(src, []Candidate{cand("good", Edit{0, 2, "OK"}), cand("bad", Edit{3, 5, "BAD"})}, verify)
	if string(r.Out) != "OK ok ok" {
		t.Errorf("out = %q", r.Out)
	}
	if r.Status[0].Kind != Applied || r.Status[1].Kind != Broken || r.Status[1].Err == nil {
		t.Errorf("statuses = %+v", r.Status)
	}
	// Broken only together: each alone passes, both fail.
	verify2 := func(b []byte, _ []Edit) error {
		if strings.Count(string(b), "X") == 2 {
			return errors.New("two X")
		}
		return nil
	}
	r = Compose(src, []Candidate{cand("a", Edit{0, 1, "X"}), cand("b", Edit{3, 4, "X"})}, verify2)
	if r.Status[0].Kind != Applied || r.Status[1].Kind != Broken || verify2(r.Out, nil) != nil {
		t.Errorf("combination: out %q statuses %+v", r.Out, r.Status)
	}
}

func TestComposeNoCandidatesIsIdentity(t *testing.T) {
	src := []byte("\xEF\xBB\xBFFROM a\r\n\tRUN x\r\n")
	r := Compose(src, nil, nil)
	if string(r.Out) != string(src) || r.AppliedCount() != 0 {
		t.Errorf("got %q", r.Out)
	}
}

// Composing non-overlapping fixes equals applying them one after another
// from the end of the file.
func FuzzCompose(f *testing.F) {
	f.Add("FROM alpine\nRUN echo hi\n", 3, 5, "X", 8, 8, "Y")
	f.Add("abc", 0, 0, "a", 0, 3, "")
	f.Fuzz(func(t *testing.T, s string, a1, a2 int, an string, b1, b2 int, bn string) {
		n := len(s)
		if n == 0 {
			return
		}
		norm := func(x int) int { return ((x % (n + 1)) + n + 1) % (n + 1) }
		a := Edit{norm(a1), norm(a2), an}
		b := Edit{norm(b1), norm(b2), bn}
		if a.Start > a.End {
			a.Start, a.End = a.End, a.Start
		}
		if b.Start > b.End {
			b.Start, b.End = b.End, b.Start
		}
		r := Compose([]byte(s), []Candidate{cand("a", a), cand("b", b)}, nil)
		for i, st := range r.Status {
			if st.Kind == Invalid {
				e := []Edit{a, b}[i]
				if !(e.Start == e.End && e.New == "") {
					t.Fatalf("valid edit %+v marked invalid: %v", e, st.Err)
				}
			}
		}
		if r.Status[0].Kind == Applied && r.Status[1].Kind == Applied && a != b {
			first, second := a, b
			if b.Start > a.Start || (b.Start == a.Start && b.End > a.End) {
				first, second = b, a
			}
			x, err := Apply([]byte(s), []Edit{first})
			if err != nil {
				t.Fatal(err)
			}
			y, err := Apply(x, []Edit{second})
			if err != nil {
				t.Fatal(err)
			}
			sameInsertPoint := a.Start == b.Start && a.Start == a.End && b.Start == b.End
			if !sameInsertPoint && string(y) != string(r.Out) {
				t.Fatalf("compose %q != sequential %q (a=%+v b=%+v)", r.Out, y, a, b)
			}
		}
	})
}

// naiveStatuses is the obvious quadratic merge, the reference the indexed
// merge must agree with.
func naiveStatuses(cands []Candidate) []StatusKind {
	var acc []Edit
	var out []StatusKind
	for _, c := range cands {
		var add []Edit
		ok := true
	edits:
		for _, e := range c.Fix.Edits {
			for _, a := range acc {
				if a == e {
					continue edits
				}
				if overlaps(a, e) {
					ok = false
					break edits
				}
			}
			add = append(add, e)
		}
		if ok {
			acc = append(acc, add...)
			out = append(out, Applied)
		} else {
			out = append(out, Conflict)
		}
	}
	return out
}

func TestMergeMatchesNaive(t *testing.T) {
	src := []byte(strings.Repeat("abcdefghij", 10))
	rnd := uint64(1)
	next := func(n int) int {
		rnd ^= rnd << 13
		rnd ^= rnd >> 7
		rnd ^= rnd << 17
		return int(rnd % uint64(n))
	}
	for iter := 0; iter < 3000; iter++ {
		var cands []Candidate
		for c := 0; c < 1+next(25); c++ {
			var edits []Edit
			pos := next(20)
			for e := 0; e < 1+next(3) && pos < len(src); e++ {
				l := next(4)
				end := min(pos+l, len(src))
				edits = append(edits, Edit{pos, end, string(rune('A' + next(3)))})
				pos = end + next(10)
			}
			cands = append(cands, Candidate{ID: string(rune('a' + c)), Fix: Fix{Title: "t", Applicability: Safe, Edits: edits}})
		}
		got := Compose(src, cands, nil)
		want := naiveStatuses(cands)
		for i := range want {
			if got.Status[i].Kind != want[i] {
				t.Fatalf("iteration %d, candidate %d: %v, naive says %v\n%+v", iter, i, got.Status[i].Kind, want[i], cands)
			}
		}
	}
}
