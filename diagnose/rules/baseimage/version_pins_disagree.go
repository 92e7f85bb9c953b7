package baseimage

import (
	"fmt"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/images"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD030",
	Name:     "version-pins-disagree",
	Severity: diagnose.Info,
	Category: diagnose.Reproducibility,
	Summary:  "the project's version pins contradict each other",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Reads every version pin in the build context and reports, once per language, pins that cannot all be " +
			"true: `.python-version` says 3.10 but `requires-python` is `>=3.11`; `.nvmrc` says 20 but " +
			"`engines.node` is `>=22`; `.python-version` and `.tool-versions` name different minors; asdf's `golang` " +
			"is older than go.mod's `go` line. The finding sits on the first `FROM` that uses that language's " +
			"official image, or on line 1 when none does. Nothing is reported for a file checked without its build " +
			"context, nor for a range dockdoc cannot read.",
		Why: "Each tool reads its own file: pyenv and uv read `.python-version`, pip checks `requires-python`, nvm reads " +
			"`.nvmrc`, npm checks `engines`. When they disagree, the version a developer gets depends on the tool they " +
			"happen to use, and the Docker image can follow a third one. dockdoc's other rules must also pick one pin to " +
			"compare the base image with; this finding says which one it picked and why the choice is doubtful.",
		Bad:  "FROM python:3.11-slim\nCOPY . /app",
		Good: "FROM python:3.11-slim\nCOPY . /app",
		Context: map[string]string{
			".python-version": "3.10\n",
			"pyproject.toml":  "[project]\nname = \"app\"\nversion = \"1.0.0\"\nrequires-python = \">=3.11\"\n",
		},
		GoodContext: map[string]string{
			".python-version": "3.11\n",
			"pyproject.toml":  "[project]\nname = \"app\"\nversion = \"1.0.0\"\nrequires-python = \">=3.11\"\n",
		},
		Fix: "No automatic fix: dockdoc cannot tell which file is right, and the fix would edit project files rather " +
			"than the Dockerfile. Decide which version the project supports and make the other pins agree: usually the " +
			"exact pin (`.python-version`, `.nvmrc`) should fall inside the declared range.",
		Refs: []string{
			"https://packaging.python.org/en/latest/specifications/pyproject-toml/#requires-python",
			"https://docs.astral.sh/uv/concepts/python-versions/#python-version-files",
			"https://docs.npmjs.com/cli/configuring-npm/package-json#engines",
			"https://go.dev/ref/mod#go-mod-file-go",
		},
	},
	Check: func(p *diagnose.Pass) {
		ctx := p.Doc.Ctx
		if ctx == nil {
			return
		}
		for _, lang := range []string{"python", "node", "golang"} {
			conflicts := pinConflicts(ctx, lang)
			if len(conflicts) == 0 {
				continue
			}
			span := diagnose.Span{Start: p.Doc.LineStart(1), End: p.Doc.LineEnd(1)}
			for _, s := range p.Doc.Stages {
				if strings.Contains(s.Image, "$") || p.Doc.StageByName(s.Image, s.Index) != nil {
					continue
				}
				if name, _, _ := images.SplitImageRef(s.Image); images.OfficialLang(name) == lang {
					span = s.From.OrigSpan(s.ImageSpan)
					break
				}
			}
			msg := fmt.Sprintf("the project's %s version pins disagree: %s", images.LangName[lang], strings.Join(conflicts, "; "))
			if used := usedPin(ctx, lang); used != "" {
				msg += "; dockdoc goes by " + used
			}
			p.Report(span, "%s", msg)
		}
	},
})

// usedPin names the pin dockdoc's image rules compare with.
func usedPin(ctx *buildctx.Context, lang string) string {
	var pin *buildctx.Pin
	switch lang {
	case "python":
		pin = ctx.Python
	case "node":
		pin = ctx.Node
	case "golang":
		pin = images.GoMinimumPin(ctx)
	}
	if pin == nil {
		return ""
	}
	if pin.Source == "go.mod go line" {
		return "go.mod's go line"
	}
	return pin.Source
}

// pinConflicts lists, in words, the pairs of pins of one language that
// contradict each other.
func pinConflicts(ctx *buildctx.Context, lang string) []string {
	pins := images.PinsOf(ctx, lang)
	var out []string
	if lang == "golang" {
		// go.mod's go line is a minimum; an exact toolchain pin below it
		// cannot build the module without fetching another toolchain.
		min := images.GoMinimumPin(ctx)
		if min == nil || min.Source != "go.mod go line" {
			return nil
		}
		ml, ok := images.LineOf(min.Full)
		if !ok {
			return nil
		}
		for _, pn := range pins {
			if pn.Source == min.Source {
				continue
			}
			if l, ok := images.LineOf(pn.Full); ok && images.CompareLine(l, ml.Nums) < 0 {
				out = append(out, fmt.Sprintf("%s says %s, older than the go %s line of go.mod", pn.Source, pn.Full, min.Full))
			}
		}
		return out
	}
	var exact, ranges []buildctx.Pin
	for _, pn := range pins {
		if pn.Exact {
			exact = append(exact, pn)
		} else {
			ranges = append(ranges, pn)
		}
	}
	for i, a := range exact {
		for _, b := range exact[i+1:] {
			if va, vb := images.TagVersion(lang, a.Full), images.TagVersion(lang, b.Full); va != "" && vb != "" && va != vb {
				out = append(out, fmt.Sprintf("%s says %s but %s says %s", a.Source, a.Full, b.Source, b.Full))
			}
		}
	}
	for _, e := range exact {
		l, ok := images.LineOf(e.Full)
		if !ok {
			continue
		}
		for _, r := range ranges {
			rng, ok := images.PinRange(lang, &r)
			if ok && !rng.Allows(l) {
				out = append(out, fmt.Sprintf("%s says %s, which %s (%q) does not allow", e.Source, e.Full, r.Source, r.Full))
			}
		}
	}
	return out
}
