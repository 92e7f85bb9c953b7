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
		for _, s := range d.Stages {
			if s.Name == "" || s.Name == strings.ToLower(s.Name) {
				continue
			}
			span := s.From.OrigSpan(s.NameSpan)
			f := p.Report(span, "stage name %q has upper-case letters; Docker uses it as %q anyway", s.Name, strings.ToLower(s.Name))
			edits, fromRefs, ok := stageCaseEdits(d, s)
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

// stageCaseEdits lower-cases stage s's name and every reference that
// reaches it. fromRefs counts the FROM lines it changes. ok is false when
// one of them cannot be edited exactly.
func stageCaseEdits(d *diagnose.Document, s *diagnose.Stage) (edits []fixes.Edit, fromRefs int, ok bool) {
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
	reaches := func(ref string) bool {
		return strings.EqualFold(ref, s.Name) && d.StageByName(ref, len(d.Stages)) == s
	}
	for _, t := range d.Stages[s.Index+1:] {
		if reaches(t.Image) && d.StageByName(t.Image, t.Index) == s {
			if t.Image != lower {
				fromRefs++
			}
			if !add(t.From, t.ImageSpan, t.Image) {
				return nil, 0, false
			}
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
				v, ok := strings.CutPrefix(w.Text, "--from=")
				if !ok || !reaches(v) {
					continue
				}
				if !add(in, diagnose.Span{Start: w.Span.End - len(v), End: w.Span.End}, v) {
					return nil, 0, false
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
					if hasVal && strings.EqualFold(key, "from") && reaches(val) {
						start := off + len(key) + 1
						if !add(in, diagnose.Span{Start: start, End: start + len(val)}, val) {
							return nil, 0, false
						}
					}
					off += len(field) + 1
				}
			}
		}
	}
	return edits, fromRefs, true
}
