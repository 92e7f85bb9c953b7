package metadata

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/labels"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD084",
	Name:     "label-missing",
	Severity: diagnose.Info,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3049"},
	Summary:  "stage lacks a label the label schema requires",
	Fixable:  diagnose.FixAlways,
	Changes:  []string{"Labels"},
	Doc: diagnose.Doc{
		What: "Only active when the configuration has a label schema (`label-schema:` in .dockdoc.yaml or " +
			".hadolint.yaml, a map from label name to type). Every stage that produces an image must set each " +
			"label of the schema with `LABEL`, itself or through the earlier stage it is built `FROM` (labels are " +
			"inherited). Stages that only serve other stages are not reported: a stage used by `COPY --from` or " +
			"`RUN --mount ... from=` (a build helper, not a shipped image), and a stage that later stages are built " +
			"FROM, since those later stages carry its labels and are reported instead. A `LABEL` whose key is a " +
			"variable may set any label, so a stage with one is not reported. Labels set by the base image itself " +
			"are invisible to dockdoc.",
		Why: "A label schema is a team's contract for image metadata: where the source lives, which commit and " +
			"version an image was built from, who owns it, under which license it ships. Scanners, registries and " +
			"deployment tools read those labels; an image without them cannot be traced back to its source when " +
			"a vulnerability report or an incident points at it.",
		Bad: "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n\n" +
			"FROM alpine:3.20\nCOPY --from=build /app /app",
		Good: "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n\n" +
			"FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"https://git.example.com/team/app\"\n" +
			"COPY --from=build /app /app",
		Context: map[string]string{".dockdoc.yaml": "label-schema:\n  org.opencontainers.image.source: url\n"},
		Fix: "dockdoc shows where the label would go (after the stage's last LABEL, or after its FROM) with a " +
			"placeholder naming the expected type, as advice only: the value is yours to fill in (a source URL, a " +
			"commit, a version), often from a build argument (`ARG VCS_REF` then `LABEL ...revision=$VCS_REF`). " +
			"hadolint reports the stages that only feed other stages too (the base of a later stage even when " +
			"that later stage is reported already, which counts the same missing label twice); dockdoc reports " +
			"each shipped image once.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3049",
			"https://github.com/hadolint/hadolint#configure",
			"https://github.com/opencontainers/image-spec/blob/main/annotations.md",
			"https://docs.docker.com/reference/dockerfile/#label",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		schema := labels.Schema(d)
		if schema == nil || len(d.Stages) == 0 {
			return
		}
		n := len(d.Stages)
		own := make([]map[string]bool, n)
		anyKey := make([]bool, n) // a LABEL whose key is a variable
		last := make([]*diagnose.Instruction, n)
		for _, s := range d.Stages {
			own[s.Index] = map[string]bool{}
			last[s.Index] = s.From
			for _, in := range s.Instrs {
				if in.Keyword != "label" {
					continue
				}
				last[s.Index] = in
				for _, lp := range labels.Pairs(d, in) {
					if lp.KeyKnown {
						own[s.Index][lp.Key] = true
					} else {
						anyKey[s.Index] = true
					}
				}
			}
		}
		used := usedStages(d)
		has := func(s *diagnose.Stage, name string) bool {
			for t := s; t != nil; t = t.Parent {
				if own[t.Index][name] || anyKey[t.Index] {
					return true
				}
			}
			return false
		}
		for _, s := range d.Stages {
			if used[s.Index] {
				continue
			}
			for _, name := range labels.SchemaNames(schema) {
				if has(s, name) {
					continue
				}
				f := p.Report(stageSpan(s), "%s has no label %q, which the label schema requires (type %s)",
					stageDesc(d, s), name, schema[name])
				fx := f.AddFix("Add a LABEL "+name+" placeholder", fixes.DisplayOnly, insertAfter(d, last[s.Index], name, schema[name]))
				fx.Note = "Replace the placeholder with the real value; it often comes from a build argument (ARG) set by CI."
			}
		}
	},
})

// usedStages marks the stages that serve other stages: the base of a
// later stage, the source of a COPY --from or a RUN --mount from=.
func usedStages(d *diagnose.Document) []bool {
	used := make([]bool, len(d.Stages))
	for _, s := range d.Stages {
		if s.Parent != nil {
			used[s.Parent.Index] = true
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
					if other := stageRef(d, v); other != nil && other != in.Stage {
						used[other.Index] = true
					}
				}
			}
		case "run":
			for _, w := range in.Words()[1:] {
				if !strings.HasPrefix(w.Text, "--") {
					break
				}
				if v, _, ok := images.MountFrom(w); ok {
					if other := stageRef(d, v); other != nil && other != in.Stage {
						used[other.Index] = true
					}
				}
			}
		}
	}
	return used
}

// stageRef resolves a --from value to a stage (by name or number).
func stageRef(d *diagnose.Document, v string) *diagnose.Stage {
	if i, err := strconv.Atoi(v); err == nil {
		if i >= 0 && i < len(d.Stages) {
			return d.Stages[i]
		}
		return nil
	}
	return d.StageByName(v, len(d.Stages))
}

// stageSpan is the FROM line up to the stage name (or the image).
func stageSpan(s *diagnose.Stage) diagnose.Span {
	end := s.ImageSpan.End
	if s.Name != "" {
		end = s.NameSpan.End
	}
	if end == 0 {
		return s.From.KeywordSpan()
	}
	return s.From.OrigSpan(diagnose.Span{Start: 0, End: end})
}

// stageDesc names a stage in a message.
func stageDesc(d *diagnose.Document, s *diagnose.Stage) string {
	switch {
	case len(d.Stages) == 1:
		return "the image"
	case s.Name != "":
		return fmt.Sprintf("stage %q", s.Name)
	default:
		return fmt.Sprintf("stage %d (FROM %s)", s.Index, s.Image)
	}
}

// insertAfter is the edit adding `LABEL name="<type>"` on its own line
// after instruction in.
func insertAfter(d *diagnose.Document, in *diagnose.Instruction, name, typ string) fixes.Edit {
	key := name
	if key == "" || strings.IndexFunc(key, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._/-", r))
	}) >= 0 {
		key = quote(key, d.Escape)
	}
	if typ == "" {
		typ = "text"
	}
	line := d.Indent(in.StartLine) + "LABEL " + key + "=\"<" + typ + ">\""
	at := d.LineBreakEnd(in.EndLine)
	if at == d.LineEnd(in.EndLine) { // the last line, without a line break
		return diagnose.Insert(at, d.EOL+line)
	}
	return diagnose.Insert(at, line+d.EOL)
}

// quote writes s as a double-quoted Dockerfile word.
func quote(s string, esc byte) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		if c == '"' || c == '$' || c == rune(esc) {
			b.WriteByte(esc)
		}
		b.WriteRune(c)
	}
	b.WriteByte('"')
	return b.String()
}
