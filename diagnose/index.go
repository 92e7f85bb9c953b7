package diagnose

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// Indexes over a Document's stages, built once per Document (lazily, on
// first use) so that rules walking stage chains or asking for the shell
// of every instruction stay linear in the size of the file.

// stageIndex maps the case-folded AS names of d.Stages[:n] to the first
// stage of each name.
type stageIndex struct {
	first map[string]*Stage
	n     int
}

// foldName is a key on which two names agree exactly when
// strings.EqualFold says they are equal: every rune is replaced by the
// smallest rune of its simple case-folding orbit.
func foldName(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i := 0; i < len(s); i++ {
			if 'A' <= s[i] && s[i] <= 'Z' {
				b := []byte(s)
				for j := i; j < len(b); j++ {
					if 'A' <= b[j] && b[j] <= 'Z' {
						b[j] += 'a' - 'A'
					}
				}
				return string(b)
			}
		}
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		out = append(out, m)
	}
	return string(out)
}

// stageNamed returns the first stage named name (case-insensitive), or
// nil. The index grows with d.Stages, so it also answers while Parse is
// still adding stages.
func (d *Document) stageNamed(name string) *Stage {
	if name == "" {
		return nil
	}
	ix := &d.stageIdx
	if ix.first == nil {
		ix.first = map[string]*Stage{}
	}
	for ; ix.n < len(d.Stages); ix.n++ {
		s := d.Stages[ix.n]
		if s.Name == "" {
			continue
		}
		k := foldName(s.Name)
		if _, ok := ix.first[k]; !ok {
			ix.first[k] = s
		}
	}
	return ix.first[foldName(name)]
}

// shellAt is an exec-form SHELL of a stage with its arguments.
type shellAt struct {
	index int // the SHELL's Document.Instructions index
	args  []string
}

// stageShells is what a stage knows about its SHELL instructions.
type stageShells struct {
	own []shellAt // the stage's own SHELLs with arguments, in order
	// last is the last SHELL of the nearest stage up the chain of parents
	// (this stage included) that has one, dist stages up; nil when none
	// has.
	last []string
	dist int
}

// stageShells computes the SHELL facts of every stage once, parents first
// (a stage's parent is always an earlier stage).
func (d *Document) shellFacts() []stageShells {
	if d.shellsDone {
		return d.shells
	}
	d.shellsDone = true
	d.shells = make([]stageShells, len(d.Stages))
	for i, s := range d.Stages {
		sh := &d.shells[i]
		for _, o := range s.Instrs {
			if args := execShellArgs(o); len(args) > 0 {
				sh.own = append(sh.own, shellAt{o.Index, args})
			}
		}
		switch {
		case len(sh.own) > 0:
			sh.last = sh.own[len(sh.own)-1].args
		case s.Parent != nil && s.Parent.Index < i:
			if p := &d.shells[s.Parent.Index]; p.last != nil {
				sh.last, sh.dist = p.last, p.dist+1
			}
		}
	}
	return d.shells
}

// execShellArgs returns the arguments of an exec-form SHELL (nil for any
// other instruction).
func execShellArgs(o *Instruction) []string {
	if o.Keyword != "shell" || !o.IsExecForm() {
		return nil
	}
	var args []string
	for n := o.Node.Next; n != nil; n = n.Next {
		args = append(args, n.Value)
	}
	return args
}

// Lineage returns s and the stages it is built on (Parent after Parent),
// the oldest first: the stages whose instructions run before s's own in
// the same image. The slices of all stages are built once per Document
// and share memory along a chain, so do not modify the result. A nil
// stage has no lineage.
func (s *Stage) Lineage() []*Stage {
	if s == nil {
		return nil
	}
	d := s.Doc
	if !d.chainsDone {
		d.chainsDone = true
		d.chains = make([][]*Stage, len(d.Stages))
		extended := make([]bool, len(d.Stages))
		for i, t := range d.Stages {
			p := t.Parent
			switch {
			case p == nil || p.Index >= i:
				d.chains[i] = []*Stage{t}
			case !extended[p.Index]:
				// The first child grows its parent's slice in place.
				extended[p.Index] = true
				d.chains[i] = append(d.chains[p.Index], t)
			default:
				pc := d.chains[p.Index]
				d.chains[i] = append(append(make([]*Stage, 0, len(pc)+1), pc...), t)
			}
		}
	}
	c := d.chains[s.Index]
	return c[:len(c):len(c)]
}

// Memo returns what compute returns for key, computing it once per
// Document: a rule keeps per-Document facts here (an index over the
// stages, say) so that asking them for every instruction stays linear.
// Use an unexported key type of the caller's own.
func (d *Document) Memo(key any, compute func() any) any {
	if v, ok := d.memo[key]; ok {
		return v
	}
	v := compute()
	if d.memo == nil {
		d.memo = map[any]any{}
	}
	d.memo[key] = v
	return v
}

// Ships reports whether the stage is part of the image the file builds:
// it is the last stage, or the last stage is built FROM it, directly or
// through other stages (it is in the last stage's Lineage). A stage that
// later stages only read with COPY --from or RUN --mount=from= does not
// ship: the files copied out of it do, but not its layers, so what it
// leaves behind (package lists, download caches, the layers themselves)
// never reaches the image. Nor does a stage whose only children are
// stages that do not ship. This reads a build of the default target;
// docker build --target makes another stage the last one.
func (s *Stage) Ships() bool {
	if s == nil {
		return false
	}
	return s.Doc.shipping()[s.Index]
}

type shippingKey struct{}

// shipping tells, by stage index, which stages ship (see Stage.Ships).
func (d *Document) shipping() []bool {
	return d.Memo(shippingKey{}, func() any {
		in := make([]bool, len(d.Stages))
		if len(d.Stages) > 0 {
			for _, s := range d.Stages[len(d.Stages)-1].Lineage() {
				in[s.Index] = true
			}
		}
		return in
	}).([]bool)
}

// StageAt returns the stage holding the byte offset off of Src: the stage
// of the last instruction that starts at or before off (so a comment or
// blank line between two instructions belongs to the instruction above
// it). nil before the first FROM.
func (d *Document) StageAt(off int) *Stage {
	ins := d.Instructions
	i := sort.Search(len(ins), func(i int) bool { return ins[i].Span.Start > off })
	if i == 0 {
		return nil
	}
	return ins[i-1].Stage
}

// Descendants lists the stages built (directly or through other stages)
// FROM s, in file order.
func (s *Stage) Descendants() []*Stage {
	in := map[*Stage]bool{s: true}
	var out []*Stage
	for _, t := range s.Doc.Stages[s.Index+1:] {
		if b := t.Parent; b != nil && in[b] { // the stage StageByName(t.Image) finds
			in[t] = true
			out = append(out, t)
		}
	}
	return out
}
