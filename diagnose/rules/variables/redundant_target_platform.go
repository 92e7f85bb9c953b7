package variables

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD073",
	Name:     "redundant-target-platform",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL3065", "RedundantTargetPlatform"},
	Summary:  "FROM --platform=$TARGETPLATFORM is the default",
	Fixable:  diagnose.FixAlways,
	Doc: diagnose.Doc{
		What: "Flags `FROM --platform=$TARGETPLATFORM` (also written `${TARGETPLATFORM}`, quoted, or with a " +
			"`${TARGETPLATFORM:-...}` fallback): a platform flag whose value is exactly the target platform. When a " +
			"global `ARG TARGETPLATFORM=...` gives the name a default of its own, the flag pins that default and is " +
			"not flagged.",
		Why: "Every stage is built for the target platform unless `--platform` says otherwise, so the flag changes " +
			"nothing. It does cost something: readers take it as a deliberate choice and look for a reason, and it " +
			"hides the stages where `--platform` really matters (usually `$BUILDPLATFORM` for cross-compiling).",
		Bad:  "FROM --platform=$TARGETPLATFORM alpine:3.20",
		Good: "FROM alpine:3.20",
		Fix: "Deletes the `--platform=...` flag. Safe: with BuildKit the stage is built for the same platform as " +
			"before. Unsafe when the value has a fallback (`${TARGETPLATFORM:-linux/amd64}`): the classic builder " +
			"(`DOCKER_BUILDKIT=0`) does not set `TARGETPLATFORM`, so there the fallback chose the platform.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/redundant-target-platform/",
			"https://github.com/hadolint/hadolint/wiki/DL3065",
			"https://docs.docker.com/build/building/variables/#multi-platform-build-arguments",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		g := buildvars.Globals(d)
		if in := g.Decl["TARGETPLATFORM"]; in != nil {
			for _, a := range buildvars.Args(in.Node) {
				if a.Key == "TARGETPLATFORM" && a.Value != nil {
					return // the global ARG gives it a value of its own
				}
			}
		}
		for _, s := range d.Stages {
			w, ok := buildvars.FlagWord(s.From, "platform")
			if !ok {
				continue
			}
			v := strings.TrimPrefix(w.Text, "--platform=")
			x, ok := buildvars.Expand(v, g.Env, d.Escape)
			if !ok || len(x.Matched) != 1 || len(x.Unmatched) != 0 {
				continue
			}
			if _, ok := x.Matched["TARGETPLATFORM"]; !ok {
				continue
			}
			if tp, _ := g.Env.Get("TARGETPLATFORM"); x.Result != tp {
				continue
			}
			f := p.Report(s.From.OrigSpan(w.Span), "--platform=%s is redundant: stages are built for the target platform by default", v)
			// Delete the flag and the blank before it.
			words := s.From.Words()
			prev := 0
			for i, o := range words {
				if o.Span == w.Span && i > 0 {
					prev = words[i-1].Span.End
				}
			}
			del := diagnose.Delete(s.From.OrigSpan(diagnose.Span{Start: prev, End: w.Span.End}))
			if !strings.Contains(v, "TARGETPLATFORM:-") && !strings.Contains(v, "TARGETPLATFORM-") {
				f.AddFix("Remove --platform="+v, fixes.Safe, del)
				continue
			}
			fx := f.AddFix("Remove --platform="+v, fixes.Unsafe, del)
			fx.Note = "BuildKit always sets TARGETPLATFORM, but the classic builder (DOCKER_BUILDKIT=0) does not: there the fallback " +
				"after :- picks the platform, and without the flag the stage is built for the machine's own platform."
		}
	},
})
