package baseimage

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// The architecture-specific namespaces of the official images: an image
// published under one of them exists for that platform only.
var namespaces = map[string]string{
	"amd64":    "linux/amd64",
	"arm32v5":  "linux/arm/v5",
	"arm32v6":  "linux/arm/v6",
	"arm32v7":  "linux/arm/v7",
	"arm64v8":  "linux/arm64",
	"i386":     "linux/386",
	"mips64le": "linux/mips64le",
	"ppc64le":  "linux/ppc64le",
	"riscv64":  "linux/riscv64",
	"s390x":    "linux/s390x",
	"winamd64": "windows/amd64",
	"windows":  "windows/amd64",
}

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD081",
	Name:     "invalid-base-image-platform",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"InvalidBaseImagePlatform"},
	Summary:  "FROM --platform names a platform the image cannot have",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags a `FROM --platform=<os/arch>` whose image can only exist for another platform: an image from an " +
			"architecture namespace of the official images (`arm64v8/alpine`, `amd64/python`, `i386/debian`, …) " +
			"built for a different architecture, or a Windows image (`…/windows/servercore`, `…/windows/nanoserver`) " +
			"built for linux, or a Linux one for windows. BuildKit's check of the same name compares the platform with " +
			"the pulled image's metadata; dockdoc works offline, so it checks what the name alone proves and says " +
			"nothing about other images.",
		Why: "The build either fails when the registry has no image for that platform, or, where the engine falls " +
			"back, runs the image under emulation and produces an image for the wrong architecture that only fails " +
			"when it is deployed.",
		Bad:  "FROM --platform=linux/arm64 amd64/alpine:3.20",
		Good: "FROM --platform=linux/arm64 alpine:3.20",
		Fix: "No automatic fix: either the platform or the image is wrong, and only you know which. Usually the " +
			"multi-platform image (`alpine:3.20` instead of `amd64/alpine:3.20`) is what was meant.",
		Refs: []string{
			"https://docs.docker.com/go/dockerfile/rule/invalid-base-image-platform/",
			"https://github.com/docker-library/official-images#architectures-other-than-amd64",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, s := range p.Doc.Stages {
			plat := ""
			for _, fl := range s.From.Node.Flags {
				if v, ok := strings.CutPrefix(fl, "--platform="); ok {
					plat = strings.ToLower(strings.Trim(v, `"'`))
				}
			}
			if plat == "" || strings.Contains(plat, "$") || s.Image == "" || strings.Contains(s.Image, "$") {
				continue
			}
			img := strings.ToLower(s.Image)
			if p.Doc.StageByName(img, s.Index) != nil {
				continue
			}
			var only string
			parts := strings.Split(img, "/")
			if len(parts) >= 2 {
				if p, ok := namespaces[parts[len(parts)-2]]; ok {
					only = p
				}
			}
			if strings.Contains(img, "windows/servercore") || strings.Contains(img, "windows/nanoserver") || strings.Contains(img, "windows/server") {
				only = "windows/amd64"
			}
			if only == "" || matches(plat, only) {
				continue
			}
			p.Report(s.From.OrigSpan(s.ImageSpan),
				"%s exists only for %s, but this stage is built for %s", s.Image, only, plat)
		}
	},
})

// matches compares an os/arch[/variant] request with what an image
// offers; a request without a variant matches any variant.
func matches(want, have string) bool {
	w, h := strings.Split(want, "/"), strings.Split(have, "/")
	if len(w) < 2 || len(h) < 2 {
		return true // not a platform dockdoc can read: say nothing
	}
	if w[0] != h[0] || w[1] != h[1] {
		return false
	}
	return len(w) < 3 || len(h) < 3 || w[2] == h[2]
}
