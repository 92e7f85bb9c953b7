package variables

import (
	"fmt"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD071",
	Name:     "undefined-arg-in-from",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"UndefinedArgInFrom"},
	Summary:  "FROM uses a variable no global ARG declares",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags a variable in a `FROM` line (in the image or in `--platform=`) that is neither declared by an " +
			"`ARG` before the first `FROM` nor one of BuildKit's automatic platform arguments (`BUILDPLATFORM`, " +
			"`BUILDOS`, `BUILDARCH`, `BUILDVARIANT`, `TARGETPLATFORM`, `TARGETOS`, `TARGETARCH`, `TARGETVARIANT`, " +
			"`TARGETSTAGE` and the `*OSVERSION` pair). Variables are read with BuildKit's own expansion rules, so " +
			"`${VAR:-default}` counts as a use too. When a declared name is close, the message suggests it.",
		Why: "A `FROM` line can only see the global `ARG`s, those written before the first `FROM`; an `ARG` inside " +
			"a stage does not count, and `--build-arg` cannot set a name that no global `ARG` declares. An " +
			"undeclared variable is therefore always empty: `FROM node:${NODE_VERSON}` pulls `node:` and fails, and " +
			"a misspelt `--platform=$BUILDPLATFROM` gives an empty platform. The typo is easy to miss because the " +
			"line looks right.",
		Bad:  "ARG NODE_VERSION=22\nFROM node:${NODE_VERSON}-alpine",
		Good: "ARG NODE_VERSION=22\nFROM node:${NODE_VERSION}-alpine",
		Fix: "When exactly one declared name (or platform argument) is one or two typing mistakes away, dockdoc offers " +
			"to use it instead. Unsafe: it changes the image or platform the stage is built from, so check it is the " +
			"name you meant. Otherwise declare the argument before the first `FROM` (`ARG NAME=default`).",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/undefined-arg-in-from/",
			"https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact",
			"https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		g := buildvars.Globals(d)
		options := buildvars.SortedKeys(g.Keys)
		// ARGs declared inside stages, for the hint.
		inStage := map[string]*diagnose.Instruction{}
		for _, in := range d.Instructions {
			if in.Stage != nil && in.Keyword == "arg" {
				for _, a := range buildvars.Args(in.Node) {
					if _, ok := inStage[a.Key]; !ok {
						inStage[a.Key] = in
					}
				}
			}
		}
		for _, s := range d.Stages {
			type word struct {
				text string
				span diagnose.Span
			}
			var words []word
			if s.Image != "" {
				words = append(words, word{s.Image, s.ImageSpan})
			}
			if v, sp, ok := buildvars.Flag(s.From, "platform"); ok {
				words = append(words, word{v, sp})
			}
			for _, w := range words {
				x, ok := buildvars.Expand(w.text, g.Env, d.Escape)
				if !ok {
					continue
				}
				for _, name := range buildvars.SortedKeys(x.Unmatched) {
					if g.Keys[name] {
						continue // declared without a default: allowed
					}
					refs := undefinedFromRefs(s.From.Logical, name, w.span)
					span := s.From.OrigSpan(w.span)
					if len(refs) > 0 {
						span = s.From.OrigSpan(refs[0])
					}
					effect := "so it is always empty here"
					if len(refs) > 0 && s.From.Logical[refs[0].End-1] != '}' && s.From.Logical[refs[0].Start+1] == '{' {
						effect = "so --build-arg cannot set it and the ${...} fallback always applies"
					}
					msg := fmt.Sprintf("FROM uses $%s, but no ARG before the first FROM declares it, %s", name, effect)
					if in := inStage[name]; in != nil {
						msg += fmt.Sprintf(" (the ARG on line %d is inside a stage, which FROM cannot see)", in.StartLine)
					}
					sug := buildvars.SuggestName(name, options)
					if sug != "" {
						msg += fmt.Sprintf(" (did you mean $%s?)", sug)
					}
					f := p.Report(span, "%s", msg)
					if sug == "" || len(refs) == 0 {
						continue
					}
					var edits []fixes.Edit
					for _, r := range refs {
						start := r.Start + 1
						if s.From.Logical[start] == '{' {
							start++
						}
						o, ok := buildvars.SrcIs(d, s.From, diagnose.Span{Start: start, End: start + len(name)}, name)
						if !ok {
							edits = nil
							break
						}
						edits = append(edits, diagnose.Replace(o, sug))
					}
					if len(edits) > 0 {
						fx := f.AddFix("Use $"+sug+" instead of $"+name, fixes.Unsafe, edits...)
						fx.Note = "The stage is then built from a different image or platform: check $" + sug + " is the argument you meant."
					}
				}
			}
		}
	},
})

// undefinedFromRefs lists the logical spans of the references to name
// inside span w of a FROM line.
func undefinedFromRefs(logical, name string, w diagnose.Span) []diagnose.Span {
	var out []diagnose.Span
	from := w.Start
	for {
		sp, ok := buildvars.FindVar(logical[:w.End], name, from)
		if !ok {
			return out
		}
		out = append(out, sp)
		from = sp.End
	}
}
