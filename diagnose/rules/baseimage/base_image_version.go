package baseimage

import (
	"fmt"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD020",
	Name:     "base-image-version",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Summary:  "base image version differs from the project's pin",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Compares the version in the tag of an official `python`, `node` or `golang` base image with the version the " +
			"project pins in its build context. Python: `.python-version`, `.tool-versions`, or `requires-python` in " +
			"`pyproject.toml`; a different major.minor is flagged, and a range such as `>=3.11` is flagged only when the " +
			"image falls outside it. Node: `.nvmrc`, `.node-version`, `.tool-versions`, or `engines.node` in `package.json`; " +
			"a different major is flagged, a range only when the image falls outside it. Go: the `go` line of `go.mod` is " +
			"a minimum, so only an image older than it is flagged (`golang:1.23` builds a `go 1.22` module fine). " +
			"A `:latest`, untagged or variant-only tag (`python:slim`) is compared through the newest release in " +
			"dockdoc's version table. Stage references, images built from an `ARG`, other images and a file checked " +
			"without its build context are not flagged.",
		Why: "The pin is the version the project is developed and tested with. An image with another version runs the " +
			"code on an interpreter nobody tested: syntax or standard-library features may be missing, compiled wheels " +
			"or native addons may not exist for it, and a lockfile resolved for one Python can fail to install on " +
			"another. For Go it is blunter: the official images set `GOTOOLCHAIN=local`, so a toolchain older than " +
			"go.mod's `go` line refuses to build the module instead of downloading a newer one.",
		Bad:     "FROM python:3.12-slim-bookworm",
		Good:    "FROM python:3.10-slim-bookworm",
		Context: map[string]string{".python-version": "3.10\n"},
		Fix: "Rewrites the tag's version to the pinned one and keeps the variant (`-slim`, `-alpine`, the Debian codename): " +
			"`python:3.12-slim-bookworm` becomes `python:3.10-slim-bookworm`. It is safe when the file named no version " +
			"(`python:latest`, `python`, `python:slim`) and the pin is exact: the file then simply adopts the project's " +
			"version (`python:3` counts as naming none: it follows every 3.x release). It is unsafe when the file names " +
			"another version explicitly, because that image may have been chosen on purpose and the pin may be the " +
			"stale one; check which is right. Against a range the fix picks " +
			"the lowest version the range allows for Python, the newest LTS in dockdoc's table (or else the lowest " +
			"allowed) for Node, and go.mod's version for Go; all unsafe. A digest (`@sha256:...`) pins the old image, " +
			"so the fix drops it and says so: dockdoc never invents a digest, look up the new one with " +
			"`docker buildx imagetools inspect`. Check that the new tag is published with your variant.",
		Refs: []string{
			"https://docs.docker.com/build/building/best-practices/#from",
			"https://docs.astral.sh/uv/concepts/python-versions/#python-version-files",
			"https://packaging.python.org/en/latest/specifications/pyproject-toml/#requires-python",
			"https://docs.npmjs.com/cli/configuring-npm/package-json#engines",
			"https://go.dev/doc/toolchain",
		},
	},
	Check: func(p *diagnose.Pass) {
		ctx := p.Doc.Ctx
		if ctx == nil {
			return
		}
		for _, s := range p.Doc.Stages {
			b := images.OfficialBase(p.Doc, s)
			if b == nil || b.Floating == "unknown" {
				continue
			}
			if b.Floating != "" && b.Digest != "" {
				continue // the digest fixes some version the tag does not name
			}
			switch b.Lang {
			case "python", "node":
				checkLangPin(p, s, b)
			case "golang":
				checkGoMinimum(p, s, b)
			}
		}
	},
})

// imageLine is the version line a base image runs: the tag's, or for a
// tag that names none, the newest release in dockdoc's table. atLeast
// means the image is that line or newer (node:latest follows the current
// release, the table tracks the LTS). desc describes it for messages.
func imageLine(b *images.BaseImage) (l images.VerLine, atLeast bool, desc string, ok bool) {
	lang := images.LangName[b.Lang]
	switch b.Floating {
	case "":
		l = images.VerLine{Nums: b.Version, Open: len(b.Version) < 3 || b.Lang == "node"}
		return l, false, fmt.Sprintf("is %s %s", lang, l), true
	case "untagged", "latest", "variant", "current", "lts":
		nl, ok := images.NewestLine(b.Lang)
		if !ok {
			return l, false, "", false
		}
		switch {
		case b.Lang == "node" && b.Floating == "lts":
			return nl, false, fmt.Sprintf("follows the Node LTS line, %s today according to dockdoc's version table of %s", nl, images.VersionsUpdated), true
		case b.Lang == "node":
			return nl, true, fmt.Sprintf("follows the newest Node release, at least %s (the LTS line in dockdoc's version table of %s)", nl, images.VersionsUpdated), true
		}
		return nl, false, fmt.Sprintf("follows the newest release, %s %s today according to dockdoc's version table of %s", lang, nl, images.VersionsUpdated), true
	case "major":
		nl, ok := images.NewestLine(b.Lang)
		if !ok || nl.Nums[0] != b.Version[0] {
			return l, false, "", false
		}
		return nl, false, fmt.Sprintf("follows the newest %s %d release, %s today according to dockdoc's version table of %s", lang, b.Version[0], nl, images.VersionsUpdated), true
	}
	return l, false, "", false
}

// explicitPinNote is the note of a fix that replaces a version the file
// wrote out.
func explicitPinNote(b *images.BaseImage, pin *buildctx.Pin) string {
	n := fmt.Sprintf("The file names %s:%s explicitly; it may have been chosen on purpose and %s may be the stale one. Check which is right.", b.Name, b.Tag, pin.Source)
	if b.Digest != "" {
		n += " The digest is dropped because it pins the old image; dockdoc never invents one, so look up the new tag's digest and add it back."
	}
	return n
}

func checkLangPin(p *diagnose.Pass, s *diagnose.Stage, b *images.BaseImage) {
	var pin *buildctx.Pin
	if b.Lang == "python" {
		pin = p.Doc.Ctx.Python
	} else {
		pin = p.Doc.Ctx.Node
	}
	if pin == nil {
		return
	}
	img, atLeast, desc, ok := imageLine(b)
	if !ok {
		return
	}
	span := s.From.OrigSpan(s.ImageSpan)
	explicit := b.Floating == "" // the file wrote this version out
	dropDigest := b.Digest != ""
	if pin.Exact {
		want := images.TagVersion(b.Lang, pin.Version)
		if want == "" {
			return
		}
		wantLine, _ := images.LineOf(want)
		if atLeast {
			// node:latest is the LTS line or newer: a disagreement is
			// certain only when the pin is older than the LTS line.
			if images.CompareLine(images.VerLine{Nums: wantLine.Nums}, img.Nums) >= 0 {
				return
			}
		} else {
			got, _ := images.LineTarget(b.Lang, img.Nums)
			if got.String() == want {
				return
			}
		}
		f := p.Report(span, "base image %q %s, but the project pins %s (%s)", s.Image, desc, want, pin.Source)
		if explicit {
			fx := f.AddFix(pinTitleDigest(b, want, dropDigest), fixes.Unsafe, b.PinEdit(s.From, want, dropDigest))
			fx.Note = explicitPinNote(b, pin)
		} else {
			fx := f.AddFix(images.PinTitle(b, want), fixes.Safe, b.PinEdit(s.From, want, false))
			fx.Note = want + " comes from " + pin.Source + "."
		}
		return
	}
	// A lower bound or a range (requires-python, engines.node).
	rng, ok := images.PinRange(b.Lang, pin)
	if !ok || atLeast || rng.Allows(img) {
		return
	}
	f := p.Report(span, "base image %q %s, which %s (%q) does not allow", s.Image, desc, pin.Source, pin.Full)
	target, ok := images.RangeTarget(b.Lang, rng)
	if !ok {
		return
	}
	fx := f.AddFix(pinTitleDigest(b, target, dropDigest), fixes.Unsafe, b.PinEdit(s.From, target, dropDigest))
	fx.Note = images.RangeTargetNote(b.Lang, target, pin)
	if explicit {
		fx.Note += " " + explicitPinNote(b, pin)
	}
}

func checkGoMinimum(p *diagnose.Pass, s *diagnose.Stage, b *images.BaseImage) {
	pin := images.GoMinimumPin(p.Doc.Ctx)
	if pin == nil || b.Floating != "" {
		// A floating golang tag is the newest release: if go.mod is newer
		// than dockdoc's table, the table is what is stale.
		return
	}
	min, ok := images.LineOf(pin.Full)
	if !ok {
		return
	}
	img := images.VerLine{Nums: b.Version, Open: len(b.Version) < 3}
	if images.CompareLine(img, min.Nums) >= 0 {
		return
	}
	span := s.From.OrigSpan(s.ImageSpan)
	what := fmt.Sprintf("the %s that %s requires", pin.Full, pin.Source)
	if pin.Source == "go.mod go line" {
		what = fmt.Sprintf("the go %s line of go.mod", pin.Full)
	}
	f := p.Report(span, "base image %q has Go %s, older than %s; the official image sets GOTOOLCHAIN=local, so go refuses to build the module",
		s.Image, img, what)
	target := images.TagVersion("golang", pin.Full)
	if target == "" {
		return
	}
	fx := f.AddFix(pinTitleDigest(b, target, b.Digest != ""), fixes.Unsafe, b.PinEdit(s.From, target, b.Digest != ""))
	fx.Note = fmt.Sprintf("Go %s is the oldest toolchain that builds the module (%s); any newer one works too.", target, pin.Source)
	fx.Note += " " + explicitPinNote(b, pin)
}

// pinTitleDigest is images.PinTitle, saying so when the fix drops a digest.
func pinTitleDigest(b *images.BaseImage, version string, dropDigest bool) string {
	if dropDigest && b.Digest != "" {
		return images.PinTitle(b, version) + " and drop its digest"
	}
	return images.PinTitle(b, version)
}
