package syntax

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD059",
	Name:     "copy-sources-dest-slash",
	Severity: diagnose.Error,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3021"},
	Summary:  "COPY of several sources to a destination without /",
	Fixable:  diagnose.FixAlways,
	Doc: diagnose.Doc{
		What: "Flags a `COPY` or `ADD` with two or more sources whose destination does not end in `/`, in the " +
			"shell form and in the JSON form, with quotes looked through. A destination of `.` is accepted, since " +
			"BuildKit reads it as the working directory, and so is a destination holding a variable (`$DEST`), " +
			"whose value is only known at build time (hadolint flags both), and so is a copy with a wildcard " +
			"source (`COPY conf/*.yaml extra.yaml /etc/app`), which may match one file or none: then the copy has a " +
			"single source, the destination may be meant as a file name, and a slash would change what is written.",
		Why: "Several files can only go into a directory, and the Dockerfile reference requires the destination " +
			"to say so with a trailing `/`. Without it the builder either stops (\"When using COPY with more than " +
			"one source file, the destination must be a directory and end with a /\" in the classic builder) or, " +
			"when the directory does not exist yet, may treat the destination as a file name, so the sources " +
			"overwrite each other.",
		Bad:  "COPY package.json package-lock.json /app",
		Good: "COPY package.json package-lock.json /app/",
		Fix: "Appends `/` to the destination (inside its quotes, when it has any). Safe: with several sources the " +
			"destination can only be a directory, and the slash says so.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#copy",
			"https://github.com/hadolint/hadolint/wiki/DL3021",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Keyword != "copy" && in.Keyword != "add" {
				continue
			}
			args := buildvars.ArgWords(d, in)
			if len(args) < 3 {
				continue
			}
			// A wildcard source may match one file or none, so the copy may
			// have a single source and the destination may be a file name:
			// a slash would change what is written (COPY a* b hello writes
			// /hello when a* matches nothing).
			globbed := false
			for _, a := range args[:len(args)-1] {
				globbed = globbed || strings.ContainsAny(a.Value, "*?[")
			}
			if globbed {
				continue
			}
			dest := args[len(args)-1]
			if !dest.OK || dest.HasVar || dest.Value == "" || dest.Value == "." || strings.HasSuffix(dest.Value, "/.") {
				continue
			}
			if strings.HasSuffix(dest.Value, "/") || (d.Escape == '`' && strings.HasSuffix(dest.Value, `\`)) {
				continue
			}
			span := in.OrigSpan(dest.Span)
			at := span.End
			if !in.IsExecForm() {
				if last := dest.Raw[len(dest.Raw)-1]; last == '"' || last == '\'' {
					at-- // inside the closing quote
				}
				if strings.HasSuffix(dest.Raw, string(d.Escape)) {
					continue // an escape at the very end: leave it to a human
				}
			}
			kw := strings.ToUpper(in.Keyword)
			f := p.Report(span, "%s has %d sources, so its destination %s must be a directory and end with /",
				kw, len(args)-1, dest.Raw)
			f.AddFix("Add / to the destination", fixes.Safe, diagnose.Insert(at, "/"))
		}
	},
})
