package syntax

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD069",
	Name:     "stage-name-casing",
	Severity: diagnose.Style,
	Category: diagnose.Maintainability,
	Aliases:  []string{"StageNameCasing"},
	Summary:  "stage name is not lower case",
	Fixable:  diagnose.FixSometimes,
	TextOnly: true,
	Doc: diagnose.Doc{
		What: "Flags a `FROM ... AS Name` whose stage name has upper-case letters.",
		Why: "Docker turns every stage name into lower case before using it: `AS Build`, `COPY --from=BUILD` and " +
			"`docker build --target build` all reach the same stage. A name written in mixed case therefore suggests " +
			"a distinction that does not exist, and makes it harder to tell stage names apart from instruction " +
			"keywords at a glance. Writing names in lower case everywhere keeps the file honest about what Docker sees.",
		Bad:  "FROM golang:1.22 AS BuildStage\nRUN go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=BuildStage /app /app",
		Good: "FROM golang:1.22 AS build-stage\nRUN go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=build-stage /app /app",
		Fix: "Writes the name in lower case, together with every reference to the stage in the file: `FROM <stage>`, " +
			"`COPY --from=` and `RUN --mount=...,from=`. Safe when no `FROM` line names the stage in upper case: " +
			"`--from=`, `--mount` sources and `--target` are matched without regard to case, so the build does " +
			"exactly the same thing. Unsafe when a `FROM` does: BuildKit compares `FROM <stage>` with the " +
			"lower-cased name without folding case, so `FROM BuildStage` does not reach the stage today (Docker " +
			"tries to pull an image called `BuildStage` and fails); after the fix it does, which is almost " +
			"certainly what was meant but is a change. A reference the fix cannot edit exactly (split across a " +
			"line continuation, or quoted) leaves the whole fix out.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/stage-name-casing/",
			"https://docs.docker.com/build/building/multi-stage/#name-your-build-stages",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		var refs map[*diagnose.Stage][]stageRef
		for _, s := range d.Stages {
			if s.Name == "" || s.Name == strings.ToLower(s.Name) {
				continue
			}
			if refs == nil {
				refs = stageRefs(d)
			}
			span := s.From.OrigSpan(s.NameSpan)
			f := p.Report(span, "stage name %q has upper-case letters; Docker uses it as %q anyway", s.Name, strings.ToLower(s.Name))
			edits, fromRefs, ok := stageCaseEdits(d, s, refs[s])
			if !ok {
				continue
			}
			title := "Rename stage " + s.Name + " to " + strings.ToLower(s.Name)
			if fromRefs == 0 {
				f.AddFix(title, fixes.Safe, edits...)
				continue
			}
			fx := f.AddFix(title, fixes.Unsafe, edits...)
			fx.Note = "BuildKit matches FROM <stage> against the lower-cased stage name without folding case, " +
				"so a FROM that writes the name in upper case does not reach the stage today (Docker tries to pull " +
				"an image of that name and fails); after the fix it builds on the stage."
		}
	},
})

// stageRef is one place that names a stage: a FROM, a COPY/ADD --from or
// a RUN --mount from=.
type stageRef struct {
	in   *diagnose.Instruction
	span diagnose.Span // logical offsets of the name in in
	text string
	from bool // a FROM line
}

// stageRefs lists, for every stage, the later FROM lines built on it and
// then the COPY --from, ADD --from and RUN --mount from= references that
// reach it, each in file order: one pass over the file, so the rule stays
// linear however many stages are renamed.
func stageRefs(d *diagnose.Document) map[*diagnose.Stage][]stageRef {
	froms := map[*diagnose.Stage][]stageRef{}
	for _, t := range d.Stages {
		if s := d.StageByName(t.Image, t.Index); s != nil && d.StageByName(t.Image, len(d.Stages)) == s {
			froms[s] = append(froms[s], stageRef{t.From, t.ImageSpan, t.Image, true})
		}
	}
	refs := map[*diagnose.Stage][]stageRef{}
	note := func(in *diagnose.Instruction, sp diagnose.Span, v string) {
		if s := d.StageByName(v, len(d.Stages)); s != nil {
			refs[s] = append(refs[s], stageRef{in, sp, v, false})
		}
	}
	for _, in := range d.Instructions {
		if in.Stage == nil {
			continue
		}
		switch in.Keyword {
		case "copy", "add":
			for _, w := range in.Words()[1:] {
				if !strings.HasPrefix(w.Text, "--") {
					break
				}
				if v, ok := strings.CutPrefix(w.Text, "--from="); ok {
					note(in, diagnose.Span{Start: w.Span.End - len(v), End: w.Span.End}, v)
				}
			}
		case "run":
			for _, w := range in.Words()[1:] {
				if !strings.HasPrefix(w.Text, "--") {
					break
				}
				v, ok := strings.CutPrefix(w.Text, "--mount=")
				if !ok {
					continue
				}
				off := w.Span.End - len(v)
				for _, field := range strings.Split(v, ",") {
					key, val, hasVal := strings.Cut(field, "=")
					if hasVal && strings.EqualFold(key, "from") {
						start := off + len(key) + 1
						note(in, diagnose.Span{Start: start, End: start + len(val)}, val)
					}
					off += len(field) + 1
				}
			}
		}
	}
	for s, r := range refs {
		froms[s] = append(froms[s], r...)
	}
	return froms
}

// stageCaseEdits lower-cases stage s's name and every reference to it
// (refs, from stageRefs). fromRefs counts the FROM lines it changes. ok is
// false when one of them cannot be edited exactly.
func stageCaseEdits(d *diagnose.Document, s *diagnose.Stage, refs []stageRef) (edits []fixes.Edit, fromRefs int, ok bool) {
	lower := strings.ToLower(s.Name)
	add := func(in *diagnose.Instruction, sp diagnose.Span, text string) bool {
		if text == lower {
			return true
		}
		o, ok := buildvars.SrcIs(d, in, sp, text)
		if !ok {
			return false
		}
		edits = append(edits, diagnose.Replace(o, lower))
		return true
	}
	if !add(s.From, s.NameSpan, s.Name) {
		return nil, 0, false
	}
	for _, r := range refs {
		if r.from && r.text != lower {
			fromRefs++
		}
		if !add(r.in, r.span, r.text) {
			return nil, 0, false
		}
	}
	return edits, fromRefs, true
}
