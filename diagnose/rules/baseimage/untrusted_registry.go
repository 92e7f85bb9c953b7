package baseimage

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD082",
	Name:     "untrusted-registry",
	Severity: diagnose.Error,
	Category: diagnose.Security,
	Aliases:  []string{"DL3026"},
	Summary:  "image pulled from a registry outside the trusted list",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Only active when the configuration lists trusted registries (`trusted-registries:` in .dockdoc.yaml, " +
			"`trustedRegistries:` in .hadolint.yaml). Then every image the build pulls must come from one of them: " +
			"the image of each `FROM`, an image named by `COPY --from=`, and one named by `from=` in a " +
			"`RUN --mount=type=bind` or `type=cache`. The registry is the host part of the reference " +
			"(`registry.example:5000/team/app` comes from `registry.example:5000`); a reference without a host " +
			"(`python:3.12`, `library/nginx`) comes from Docker Hub. An entry may be a glob: `*.example.com` trusts " +
			"every host under example.com (but not example.com itself), `*` trusts everything. A port is part of the " +
			"name, so list `registry.example:5000` (or `registry.example*`) for a registry on a port. To trust " +
			"Docker Hub, list its registry domain (the host Docker puts in front of `library/` in a fully qualified " +
			"reference), as hadolint expects. `scratch`, earlier stages, stage numbers and references holding a " +
			"variable with no known value are not checked; a `FROM ${BASE}` whose `ARG BASE=...` before the first " +
			"FROM has a default is checked with that default (hadolint reports such lines whatever the ARG says).",
		Why: "An organisation that mirrors and scans its base images wants every build to use the mirror. An image " +
			"pulled straight from a public registry skips that: it has not been scanned, it can change or vanish " +
			"without notice, and a typo in its name can pull a look-alike published by someone else. Checking the " +
			"Dockerfile catches the stray reference before the build runs, including the ones hidden in " +
			"`COPY --from` and `RUN --mount`, which pull images just as `FROM` does.",
		Bad: "FROM python:3.12-slim\nCOPY --from=public.example.net/tools/lint:1.4 /lint /usr/local/bin/",
		Good: "FROM registry.example.com/mirror/python:3.12-slim\n" +
			"COPY --from=registry.example.com/tools/lint:1.4 /lint /usr/local/bin/",
		Context: map[string]string{".dockdoc.yaml": "trusted-registries: [registry.example.com]\n"},
		Fix: "No automatic fix: dockdoc cannot know under which name your trusted registry mirrors the image, or " +
			"whether it mirrors it at all. Point the reference at the trusted registry, or add the registry to the " +
			"list if it should be trusted.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3026",
			"https://github.com/hadolint/hadolint#configure",
			"https://docs.docker.com/reference/dockerfile/#from",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		if d.Config == nil {
			return
		}
		var pats []string
		for _, r := range d.Config.TrustedRegistries {
			if r = strings.TrimSpace(r); r != "" {
				pats = append(pats, r)
			}
		}
		if len(pats) == 0 {
			return
		}
		env := images.GlobalArgs(d)
		for _, s := range d.Stages {
			if s.Image == "" || d.StageByName(s.Image, s.Index) != nil {
				continue
			}
			img, ok := images.ResolveRef(d, s.Image, env)
			if !ok || strings.EqualFold(img, "scratch") || d.StageByName(img, s.Index) != nil {
				continue
			}
			check(p, s.From.OrigSpan(s.ImageSpan), "base image", s.Image, img, pats)
		}
		for _, in := range d.Instructions {
			if in.Stage == nil {
				continue
			}
			kw := strings.ToUpper(in.Keyword)
			switch in.Keyword {
			case "copy", "add":
				for _, w := range in.Words()[1:] {
					if !strings.HasPrefix(w.Text, "--") {
						break // flags come before the sources
					}
					val, ok := strings.CutPrefix(w.Text, "--from=")
					if !ok || !isImage(d, val) {
						continue
					}
					span := in.OrigSpan(diagnose.Span{Start: w.Span.Start + len("--from="), End: w.Span.End})
					check(p, span, kw+" --from image", val, val, pats)
				}
			case "run":
				for _, w := range in.Words()[1:] {
					if !strings.HasPrefix(w.Text, "--") {
						break // flags come before the command
					}
					from, at, ok := images.MountFrom(w)
					if !ok || !isImage(d, from) {
						continue
					}
					span := in.OrigSpan(diagnose.Span{Start: at, End: at + len(from)})
					check(p, span, "RUN --mount image", from, from, pats)
				}
			}
		}
	},
})

// isImage reports whether a --from value may name an image: not
// empty, no variable, no quotes, not a stage name or number.
func isImage(d *diagnose.Document, v string) bool {
	if v == "" || strings.ContainsAny(v, "$\"'") || strings.EqualFold(v, "scratch") {
		return false
	}
	if _, err := strconv.Atoi(v); err == nil {
		return false // a stage number
	}
	return d.StageByName(v, len(d.Stages)) == nil
}

// check reports the image when its registry is not trusted.
func check(p *diagnose.Pass, span diagnose.Span, what, written, resolved string, pats []string) {
	reg, hub := images.RegistryOf(resolved)
	if images.RegistryAllowed(pats, reg, hub) {
		return
	}
	from := "Docker Hub (it names no registry host)"
	if !hub {
		from = "registry " + reg
	}
	via := ""
	if written != resolved {
		via = fmt.Sprintf(" (%s with the ARG defaults)", resolved)
	}
	list := strings.Join(pats, ", ")
	if len(pats) > 4 {
		list = fmt.Sprintf("%s and %d more", strings.Join(pats[:4], ", "), len(pats)-4)
	}
	p.Report(span, "%s %q%s comes from %s, which is not a trusted registry (trusted: %s)",
		what, written, via, from, list)
}
