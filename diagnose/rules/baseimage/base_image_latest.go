package baseimage

import (
	"fmt"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD001",
	Name:     "base-image-latest",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3006", "DL3007"},
	Summary:  "base image uses :latest or names no version",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags a `FROM` whose image has no tag (which means `:latest`) or is explicitly `:latest`. For the official " +
			"`python`, `node` and `golang` images it also flags tags that name only a variant (`python:slim`, " +
			"`node:alpine`, `golang:bookworm`) and Node's moving `lts` and `current` tags, since they follow new " +
			"releases just as `latest` does. `scratch`, images pinned by digest, images built from an `ARG` " +
			"(`FROM ${BASE}`) and references to an earlier stage are not flagged.",
		Why: "`latest` is whatever the publisher pushed last. The same Dockerfile built next month can get a new major " +
			"version of the language or the distribution, and a build that worked yesterday breaks, or a bug appears in " +
			"production that nobody changed. A tag names the version you tested; a digest makes it exact.",
		Bad:  "FROM python\nFROM node:alpine",
		Good: "FROM python:3.12-slim\nFROM node:22-alpine",
		Fix: "For the official `python`, `node` and `golang` images the fix writes a version into the tag and keeps the " +
			"variant (`node:alpine` becomes `node:22-alpine`). When the build context pins a version (`.python-version`, " +
			"`.nvmrc`, `.node-version`, `.tool-versions`, go.mod's `toolchain` line) the fix uses it and is safe: the " +
			"file adopts the version the project already declared. When the project gives only a range " +
			"(`requires-python`, `engines.node`, go.mod's `go` line, which is a minimum) the fix picks a version inside " +
			"it and is unsafe. When the project pins nothing, an unsafe fix pins the newest stable line from dockdoc's " +
			"own version table, which is dated and may be out of date; for Node that is the LTS line, which can be " +
			"older than what `latest` pulls today. No digest is added (computing one needs the registry). Other images " +
			"get no fix: choose the version you run in development and consider adding the digest " +
			"(`image:tag@sha256:...`).",
		Refs: []string{
			"https://docs.docker.com/build/building/best-practices/#from",
			"https://github.com/hadolint/hadolint/wiki/DL3007",
		},
	},
	Check: func(p *diagnose.Pass) {
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
			_, tag, hasTag := strings.Cut(last, ":")
			var f *diagnose.Finding
			switch {
			case !hasTag:
				f = p.Report(span, "base image %q has no tag, so it means %s:latest, which changes whenever the publisher pushes", img, img)
			case tag == "latest":
				f = p.Report(span, "base image %q uses the latest tag, which changes whenever the publisher pushes; pin a version", img)
			default:
				b := images.OfficialBase(p.Doc, s)
				if b == nil {
					continue
				}
				switch b.Floating {
				case "latest", "variant":
					f = p.Report(span, "base image %q names a variant but no version, so like latest it moves to each new release", img)
				case "lts":
					f = p.Report(span, "base image %q follows whichever Node line is LTS, which moves to a new major version every year", img)
				case "current":
					f = p.Report(span, "base image %q follows the newest Node release line, which moves to a new major version twice a year", img)
				}
			}
			if f == nil {
				continue
			}
			if b := images.OfficialBase(p.Doc, s); b != nil {
				addLatestPinFixes(p.Doc.Ctx, s, b, f)
			}
		}
	},
})

// addLatestPinFixes offers the pinning fixes of DD001 for an official
// python/node/golang image that names no version.
func addLatestPinFixes(ctx *buildctx.Context, s *diagnose.Stage, b *images.BaseImage, f *diagnose.Finding) {
	add := func(version string, app fixes.Applicability, title, note string) {
		if version == "" {
			return
		}
		if title == "" {
			title = images.PinTitle(b, version)
		}
		fx := f.AddFix(title, app, b.PinEdit(s.From, version, false))
		fx.Note = note
	}
	addNewest := func() {
		v, ok := images.NewestStable[b.Lang]
		if !ok || (b.Lang == "node" && b.Floating == "current") {
			// The table tracks Node's LTS line; pinning "current" to it
			// would be a silent downgrade of what the tag means.
			return
		}
		note := fmt.Sprintf("%s is the newest stable %s line in dockdoc's version table, dated %s; check it is still current and that your code runs on it.",
			v, images.LangName[b.Lang], images.VersionsUpdated)
		if b.Lang == "node" && b.Floating != "lts" {
			note += " It is the LTS line: latest may already pull a newer, non-LTS release."
		}
		add(v, fixes.Unsafe, fmt.Sprintf("%s (newest in dockdoc's table of %s)", images.PinTitle(b, v), images.VersionsUpdated), note)
	}

	switch b.Lang {
	case "python", "node":
		var pin *buildctx.Pin
		if ctx != nil {
			if b.Lang == "python" {
				pin = ctx.Python
			} else {
				pin = ctx.Node
			}
		}
		switch {
		case pin == nil:
			addNewest()
		case pin.Exact:
			// The same edit, title and safety as DD020's fix for this image,
			// so the two coalesce when both rules are on.
			v := images.TagVersion(b.Lang, pin.Version)
			add(v, fixes.Safe, "", v+" comes from "+pin.Source+".")
		default:
			rng, ok := images.PinRange(b.Lang, pin)
			if !ok {
				return // a range dockdoc cannot read: no guess
			}
			for _, v := range images.RangeTargets(b.Lang, rng) {
				title := images.PinTitle(b, v)
				if v == images.NewestStable[b.Lang] {
					title += fmt.Sprintf(" (newest in dockdoc's table of %s)", images.VersionsUpdated)
				} else {
					title += " (lowest allowed)"
				}
				add(v, fixes.Unsafe, title, images.RangeTargetNote(b.Lang, v, pin))
			}
		}
	case "golang":
		if ctx == nil {
			addNewest()
			return
		}
		// go.mod's toolchain line, or asdf's golang, name the exact
		// toolchain the project uses; go.mod's go line is only a minimum.
		if g := ctx.GoModule; g != nil && g.Toolchain != "" {
			if v := images.TagVersion("golang", g.Toolchain); v != "" {
				add(v, fixes.Safe, "", v+" comes from the toolchain line of go.mod.")
				return
			}
		}
		for _, pin := range images.PinsOf(ctx, "golang") {
			if pin.Source == ".tool-versions" {
				if v := images.TagVersion("golang", pin.Full); v != "" {
					add(v, fixes.Safe, "", v+" comes from .tool-versions.")
					return
				}
			}
		}
		min := images.GoMinimumPin(ctx)
		if min == nil {
			addNewest()
			return
		}
		ml, ok := images.LineOf(min.Full)
		if !ok {
			return
		}
		if nl, ok := images.NewestLine("golang"); ok && images.CompareLine(nl, ml.Nums) >= 0 {
			addNewest()
		}
		if v := images.TagVersion("golang", min.Full); v != "" && v != images.NewestStable["golang"] {
			add(v, fixes.Unsafe, images.PinTitle(b, v)+" (go.mod's minimum)",
				fmt.Sprintf("go.mod's go line (%s) is a minimum: Go %s is the oldest toolchain that builds the module, and it may no longer get security fixes.", min.Full, v))
		}
	}
}
