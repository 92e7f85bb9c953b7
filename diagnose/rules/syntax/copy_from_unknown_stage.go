package syntax

import (
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD018",
	Name:     "copy-from-unknown-stage",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3022", "DL3023"},
	Summary:  "COPY --from names no earlier stage",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Checks the `--from=` of `COPY` (and `ADD`) against the stages of the file. Flagged: a stage copying " +
			"from itself (by name or number); a stage number that is not smaller than the current stage's; a stage " +
			"name that is only defined further down; and a plain name (no `/`, `:`, `.` or `@`) that is no stage at " +
			"all. Stage names are compared without regard to case. Values holding a variable (`$VAR`) or looking " +
			"like an image reference (`nginx:1.27`, `registry.example/org/tool`) are not flagged.",
		Why: "`--from=` accepts a stage name, a stage number, a named build context or an image. When the name " +
			"matches no stage, Docker does not fail: it quietly treats the word as an image name and tries to " +
			"pull it from Docker Hub, so a typo such as `--from=biuld` gives a confusing pull error, or worse, " +
			"copies files from a stranger's image that happens to have that name. A stage cannot copy from its " +
			"own result (it is not finished yet), and a copy from a later stage hides the real build order from " +
			"the reader.",
		Bad: "FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM alpine:3.20\n" +
			"COPY --from=biuld /app /usr/local/bin/app",
		Good: "FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM alpine:3.20\n" +
			"COPY --from=build /app /usr/local/bin/app",
		Fix: "When the unknown name is one or two typing mistakes away from exactly one earlier stage name, " +
			"dockdoc offers to replace it with that stage. This is unsafe: it changes where the files come from, " +
			"and the name might be a build context passed with `docker build --build-context NAME=...`, which " +
			"dockdoc cannot see. Copies from the own stage, from later stages or from stage numbers need a human " +
			"decision and get no fix: move the stage up, or copy from the right one.",
		Refs: []string{
			"https://docs.docker.com/build/building/multi-stage/",
			"https://docs.docker.com/reference/dockerfile/#copy---from",
			"https://github.com/hadolint/hadolint/wiki/DL3022",
			"https://github.com/hadolint/hadolint/wiki/DL3023",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		nearby := &nearStages{d: d}
		for _, in := range d.Instructions {
			if (in.Keyword != "copy" && in.Keyword != "add") || in.Stage == nil {
				continue
			}
			cur := in.Stage
			kw := strings.ToUpper(in.Keyword)
			for _, w := range in.Words()[1:] {
				if !strings.HasPrefix(w.Text, "--") {
					break // flags come before the sources
				}
				val, ok := strings.CutPrefix(w.Text, "--from=")
				if !ok || val == "" || strings.ContainsAny(val, "$/:@\"'") {
					continue
				}
				vspan := diagnose.Span{Start: w.Span.Start + len("--from="), End: w.Span.End}
				span := in.OrigSpan(vspan)
				if n, err := strconv.Atoi(val); err == nil && val[0] != '+' && val[0] != '-' {
					switch {
					case n == cur.Index:
						p.Report(span, "%s --from=%s copies from its own stage (stage %d is the current one)", kw, val, n)
					case n >= len(d.Stages):
						p.Report(span, "%s --from=%s: there is no stage %d (the file has %d stages, numbered from 0)", kw, val, n, len(d.Stages))
					case n > cur.Index:
						p.Report(span, "%s --from=%s refers to a stage defined after this stage (stage %d starts on line %d)",
							kw, val, n, d.Stages[n].From.StartLine)
					}
					continue
				}
				if s := d.StageByName(val, len(d.Stages)); s != nil {
					switch {
					case s.Index == cur.Index:
						p.Report(span, "%s --from=%s copies from its own stage", kw, val)
					case s.Index > cur.Index:
						p.Report(span, "%s --from=%s refers to a stage defined after this stage (on line %d)", kw, val, s.From.StartLine)
					}
					continue
				}
				if strings.Contains(val, ".") {
					continue // an image reference or a dotted build context name
				}
				f := p.Report(span, "no stage is named %q, so %s --from=%s pulls an image called %q (unless it is a --build-context)",
					val, kw, val, val)
				if near := nearby.nearestStage(val, cur.Index); near != nil && span.End-span.Start == len(val) {
					f.AddFix("Copy from stage "+near.Name, fixes.Unsafe, diagnose.Replace(span, near.Name))
				}
			}
		}
	},
})

// nearStages answers nearestStage for one file. For each distinct name it
// scans the stages once, keeping those within two edits, and then walks
// them as the instructions asking move down the file, so a file with many
// mistyped --from values costs one scan per distinct value, not one per
// value and stage.
type nearStages struct {
	d      *diagnose.Document
	byName map[string]*nearState
}

// nearState is one name's close stages and how far the walk has come.
type nearState struct {
	cands  []*diagnose.Stage // stages whose names are close enough, in file order
	dists  []int
	next   int // cands[:next] are before the last index asked about
	before int
	found  *diagnose.Stage
	best   int
	tie    bool
}

// nearestStage returns the only stage before index before whose name is
// within two edits of name (and close enough for its length), or nil when
// there is none or more than one.
func (x *nearStages) nearestStage(name string, before int) *diagnose.Stage {
	st := x.byName[name]
	if st == nil || before < st.before {
		st = &nearState{best: 3}
		for _, s := range x.d.Stages {
			if s.Name == "" {
				continue
			}
			dist := editDistance(strings.ToLower(name), strings.ToLower(s.Name))
			if dist > 2 || 2*dist >= len(name) {
				continue
			}
			st.cands = append(st.cands, s)
			st.dists = append(st.dists, dist)
		}
		if x.byName == nil {
			x.byName = map[string]*nearState{}
		}
		x.byName[name] = st
	}
	st.before = before
	for ; st.next < len(st.cands) && st.cands[st.next].Index < before; st.next++ {
		s, dist := st.cands[st.next], st.dists[st.next]
		switch {
		case dist < st.best:
			st.found, st.best, st.tie = s, dist, false
		case dist == st.best && !strings.EqualFold(st.found.Name, s.Name):
			st.tie = true
		}
	}
	if st.tie {
		return nil
	}
	return st.found
}

// editDistance is the optimal string alignment distance: the
// number of single-byte insertions, deletions, substitutions and swaps of
// two neighbours that turn a into b.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
