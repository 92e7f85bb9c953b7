package syntax

import (
	"fmt"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/command"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD015",
	Name:     "instruction-casing",
	Severity: diagnose.Style,
	Category: diagnose.Maintainability,
	Aliases:  []string{"ConsistentInstructionCasing"},
	Summary:  "instruction keywords use mixed upper and lower case",
	Fixable:  diagnose.FixAlways,
	TextOnly: true,
	Doc: diagnose.Doc{
		What: "Flags instruction keywords (`FROM`, `RUN`, `COPY`, ...) whose case differs from the rest of the file. " +
			"The file's case is decided by a vote: keywords written all in upper case against keywords written all in " +
			"lower case, the larger group wins, and a tie goes to upper case. A keyword in mixed case such as `From` or " +
			"`Run` belongs to neither group and is always flagged. The keyword after `ONBUILD` is checked too; words that are not Dockerfile instructions are left alone.",
		Why: "Docker accepts keywords in any case, so this is about reading, not building. A file that mixes `RUN` and " +
			"`run` looks like it was pasted together from several sources, and readers scanning for instructions " +
			"(or a `grep '^RUN'`) miss the odd ones. Upper case is the common convention because it sets the keyword " +
			"apart from its arguments.",
		Bad:  "FROM alpine:3.20\nrun apk add --no-cache curl\nCopy app.sh /usr/local/bin/",
		Good: "FROM alpine:3.20\nRUN apk add --no-cache curl\nCOPY app.sh /usr/local/bin/",
		Fix: "Rewrites the keyword in the case most of the file uses. Safe: the keyword's case has no effect on " +
			"the build.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/consistent-instruction-casing/",
			"https://docs.docker.com/reference/dockerfile/#format",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		upper, lower := 0, 0
		for _, in := range d.Instructions {
			if !known(in.Node.Value) {
				continue
			}
			switch kw := in.Node.Value; {
			case kw == strings.ToUpper(kw):
				upper++
			case kw == strings.ToLower(kw):
				lower++
			}
		}
		toLower := lower > upper
		want, conv := "upper case", strings.ToUpper
		if toLower {
			want, conv = "lower case", strings.ToLower
		}
		check := func(kw string, span diagnose.Span, inner bool) {
			if kw == conv(kw) || !known(kw) {
				return
			}
			what := fmt.Sprintf("keyword %q", kw)
			if inner {
				what = fmt.Sprintf("keyword %q after ONBUILD", kw)
			}
			var has string
			switch {
			case kw == strings.ToUpper(kw):
				has = "is upper case"
			case kw == strings.ToLower(kw):
				has = "is lower case"
			default:
				has = "mixes upper and lower case"
			}
			var f *diagnose.Finding
			if upper == lower {
				f = p.Report(span, "%s %s; this file has as many upper- as lower-case keywords, and a tie goes to upper case", what, has)
			} else {
				f = p.Report(span, "%s %s, but most keywords in this file are %s", what, has, want)
			}
			f.AddFix("Write "+conv(kw)+" in "+want, fixes.Safe, diagnose.Replace(span, conv(kw)))
		}
		for _, in := range d.Instructions {
			check(in.Node.Value, in.KeywordSpan(), false)
			if in.Keyword != "onbuild" || in.Node.Next == nil || len(in.Node.Next.Children) == 0 {
				continue
			}
			words := in.Words()
			innerKw := in.Node.Next.Children[0].Value
			if len(words) < 2 || words[1].Text != innerKw {
				continue
			}
			span := in.OrigSpan(words[1].Span)
			if span.End-span.Start != len(innerKw) || string(d.Src[span.Start:span.End]) != innerKw {
				continue // the keyword is split by a line continuation: leave it
			}
			check(innerKw, span, true)
		}
	},
})

// known reports whether kw is a Dockerfile instruction.
// Unknown words (template syntax, typos) are another problem: their case
// is neither counted nor fixed.
func known(kw string) bool {
	_, ok := command.Commands[strings.ToLower(kw)]
	return ok
}
