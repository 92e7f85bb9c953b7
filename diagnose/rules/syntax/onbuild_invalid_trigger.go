package syntax

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD060",
	Name:     "onbuild-invalid-trigger",
	Severity: diagnose.Error,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3043"},
	Summary:  "ONBUILD triggers ONBUILD, FROM or MAINTAINER",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags an `ONBUILD` whose trigger instruction is `ONBUILD`, `FROM` or `MAINTAINER`, in any case.",
		Why: "`ONBUILD` stores an instruction in the image, to run when another Dockerfile builds `FROM` it. Three " +
			"instructions cannot be stored that way: a trigger cannot start a new stage (`FROM`), cannot store " +
			"another trigger (`ONBUILD ONBUILD`), and `MAINTAINER` is not allowed there either. BuildKit rejects the " +
			"file (\"Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed\", \"FROM isn't allowed as an ONBUILD " +
			"trigger\"), so the image cannot be built at all.",
		Bad:  "FROM node:22-alpine\nONBUILD FROM node:22-alpine\nONBUILD ONBUILD COPY . /app/",
		Good: "FROM node:22-alpine\nONBUILD COPY . /app/",
		Fix: "No automatic fix: what the trigger was meant to do needs a decision. Move a `FROM` to the Dockerfiles " +
			"that build on this image, write the trigger once (`ONBUILD COPY ...`), and use " +
			"`ONBUILD LABEL org.opencontainers.image.authors=...` instead of `MAINTAINER`.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#onbuild",
			"https://github.com/hadolint/hadolint/wiki/DL3043",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Keyword != "onbuild" || in.Node.Next == nil || len(in.Node.Next.Children) == 0 {
				continue
			}
			trigger := strings.ToLower(in.Node.Next.Children[0].Value)
			words := in.Words()
			if len(words) < 2 {
				continue
			}
			span := in.OrigSpan(words[1].Span)
			switch trigger {
			case "onbuild":
				p.Report(span, "ONBUILD ONBUILD: a trigger cannot add another trigger, and BuildKit rejects the file")
			case "from":
				p.Report(span, "ONBUILD FROM: a trigger cannot start a new stage, and BuildKit rejects the file")
			case "maintainer":
				p.Report(span, "ONBUILD MAINTAINER is not allowed and BuildKit rejects the file; use ONBUILD LABEL if the image built on this one needs the label")
			}
		}
	},
})
