package syntax

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD016",
	Name:     "from-as-casing",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"FromAsCasing"},
	Summary:  "the AS of a FROM is not in the same case as FROM",
	Fixable:  diagnose.FixAlways,
	TextOnly: true,
	Doc: diagnose.Doc{
		What: "Flags `FROM image AS name` where the `AS` word is not written in the same case as `FROM`: " +
			"`FROM` in upper case wants `AS`, `from` in lower case wants `as`. When `FROM` itself mixes cases " +
			"(`From`), nothing is flagged here; the instruction-casing rule reports the keyword instead.",
		Why: "`AS` is part of the `FROM` syntax, so it reads as part of the keyword. `FROM golang:1.22 as build` " +
			"looks like `as` and `build` might be arguments of the image, and it is the kind of small inconsistency " +
			"that makes a file look careless. `docker build` prints a warning for it, so fixing it keeps the build " +
			"output clean.",
		Bad:  "FROM golang:1.22 as build\nfrom alpine:3.20 AS run",
		Good: "FROM golang:1.22 AS build\nfrom alpine:3.20 as run",
		Fix:  "Rewrites `AS` in the case of its `FROM`. Safe: the case of `AS` has no effect on the build.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/from-as-casing/",
			"https://docs.docker.com/reference/dockerfile/#from",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, s := range p.Doc.Stages {
			in := s.From
			from := in.Node.Value
			var conv func(string) string
			var fromCase string
			switch {
			case from == strings.ToUpper(from):
				conv, fromCase = strings.ToUpper, "upper"
			case from == strings.ToLower(from):
				conv, fromCase = strings.ToLower, "lower"
			default:
				continue // mixed-case FROM: BuildKit does not compare
			}
			as, ok := word(in)
			if !ok || as.Text == conv(as.Text) {
				continue
			}
			span := in.OrigSpan(as.Span)
			f := p.Report(span, "AS keyword %q does not match the %s case of %q", as.Text, fromCase, from)
			if span.End-span.Start == len(as.Text) {
				f.AddFix("Write "+conv(as.Text)+" to match "+from, fixes.Safe, diagnose.Replace(span, conv(as.Text)))
			}
		}
	},
})

// word finds the AS word of a `FROM [--flags] image AS name`,
// exactly where parseFrom finds the stage name.
func word(in *diagnose.Instruction) (diagnose.Word, bool) {
	words := in.Words()
	i := 1
	for i < len(words) && strings.HasPrefix(words[i].Text, "--") {
		i++
	}
	if i+2 < len(words) && strings.EqualFold(words[i+1].Text, "as") {
		return words[i+1], true
	}
	return diagnose.Word{}, false
}
