package variables

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD075",
	Name:     "invalid-default-arg-in-from",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"InvalidDefaultArgInFrom"},
	Summary:  "FROM gives no valid image with the ARG defaults",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Expands each `FROM` image that uses variables with the defaults of the global `ARG`s (and BuildKit's " +
			"platform arguments, as on a linux/amd64 machine), the way a plain `docker build` without " +
			"`--build-arg` would, and flags it when the result is empty or not a valid image reference: an `ARG` " +
			"without a default leaves `FROM ${BASE}` empty and `FROM alpine:${TAG}` ending in a colon. `FROM` lines " +
			"without variables are not this rule's business.",
		Why: "A Dockerfile that only builds when the caller remembers `--build-arg TAG=...` fails for everyone else, " +
			"in CI jobs that were not told, and in tools that build it plainly, with an error about an invalid " +
			"reference that does not mention the missing argument. A default keeps the file buildable as it is, " +
			"while still letting callers choose another value.",
		Bad:  "ARG TAG\nFROM alpine:${TAG}",
		Good: "ARG TAG=3.20\nFROM alpine:${TAG}",
		Fix: "No automatic fix: only you know which default is right. Give the `ARG` a default " +
			"(`ARG TAG=3.20`), or use a fallback in the reference itself (`FROM alpine:${TAG:-3.20}`). An `ARG` may " +
			"stay empty when the image is valid without it (`FROM alpine:3.20${VARIANT}`).",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/invalid-default-arg-in-from/",
			"https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		g := buildvars.Globals(d)
		for _, s := range d.Stages {
			if !strings.Contains(s.Image, "$") {
				continue
			}
			x, ok := buildvars.Expand(s.Image, g.Env, d.Escape)
			if !ok || buildvars.ValidImageRef(x.Result) {
				continue
			}
			var noDefault, undeclared []string
			for _, n := range buildvars.SortedKeys(x.Unmatched) {
				if g.Keys[n] {
					noDefault = append(noDefault, "$"+n)
				} else {
					undeclared = append(undeclared, "$"+n)
				}
			}
			var reasons []string
			if len(noDefault) > 0 {
				reasons = append(reasons, strings.Join(noDefault, ", ")+" has no default")
			}
			if len(undeclared) > 0 {
				reasons = append(reasons, strings.Join(undeclared, ", ")+" is not declared before the first FROM")
			}
			why := ""
			if len(reasons) > 0 {
				why = " (" + strings.Join(reasons, "; ") + ")"
			}
			span := s.From.OrigSpan(s.ImageSpan)
			if x.Result == "" {
				p.Report(span, "with the ARG defaults alone, FROM %s names no image%s, so a build without --build-arg fails", s.Image, why)
			} else {
				p.Report(span, "with the ARG defaults alone, FROM %s becomes %q, which is not a valid image reference%s", s.Image, x.Result, why)
			}
		}
	},
})
