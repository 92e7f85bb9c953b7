package diagnose

import "strings"

var _ = register(&Rule{
	Code:     "DD001",
	Name:     "base-image-latest",
	Severity: Warning,
	Category: Reproducibility,
	Aliases:  []string{"DL3006", "DL3007"},
	Summary:  "base image uses :latest or has no tag",
	Fixable:  FixNone,
	Doc: Doc{
		What: "Flags a `FROM` whose image has no tag (which means `:latest`) or is explicitly `:latest`. " +
			"`scratch`, images pinned by digest, images built from an `ARG` (`FROM ${BASE}`) and references to an earlier stage are not flagged.",
		Why: "`latest` is whatever the publisher pushed last. The same Dockerfile built next month can get a new major " +
			"version of the language or the distribution, and a build that worked yesterday breaks, or a bug appears in " +
			"production that nobody changed. A tag names the version you tested; a digest makes it exact.",
		Bad:  "FROM python\nFROM node:latest",
		Good: "FROM python:3.12-slim\nFROM node:22-alpine",
		Fix: "No automatic fix yet: the right tag depends on the version your project was written for. Choose the " +
			"version you run in development (for example from `.python-version` or `.nvmrc`), keep the variant " +
			"(`-slim`, `-alpine`), and consider adding the digest (`image:tag@sha256:...`).",
		Refs: []string{
			"https://docs.docker.com/build/building/best-practices/#from",
			"https://github.com/hadolint/hadolint/wiki/DL3007",
		},
	},
	Check: func(p *Pass) {
		for _, s := range p.Doc.Stages {
			img := s.Image
			if img == "" || strings.EqualFold(img, "scratch") || strings.Contains(img, "$") || strings.Contains(img, "@") {
				continue
			}
			if p.Doc.StageByName(img, s.Index) != nil {
				continue
			}
			span := s.From.OrigSpan(s.ImageSpan)
			last := img[strings.LastIndex(img, "/")+1:]
			name, tag, hasTag := strings.Cut(last, ":")
			switch {
			case !hasTag:
				p.Report(span, "base image %q has no tag, so it means %s:latest, which changes whenever the publisher pushes", img, img)
			case tag == "latest":
				p.Report(span, "base image %q uses the latest tag, which changes whenever the publisher pushes; pin a version", img)
			}
			_ = name
		}
	},
})
