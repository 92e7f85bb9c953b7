package metadata

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/labels"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD003",
	Name:     "maintainer-deprecated",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL4000", "MaintainerDeprecated"},
	Summary:  "deprecated MAINTAINER instruction",
	Fixable:  diagnose.FixAlways,
	Changes:  []string{"Labels"},
	Doc: diagnose.Doc{
		What: "Flags every `MAINTAINER` instruction.",
		Why: "`MAINTAINER` has been deprecated since Docker 1.13. It writes the image's legacy `Author` field, which " +
			"registries, scanners and most tools no longer look at. The standard place for the same information is the " +
			"OCI label `org.opencontainers.image.authors`, which `docker inspect`, registries and SBOM tools all " +
			"understand, and which sits next to your other labels (version, source, licenses). Keeping a deprecated " +
			"instruction also tells readers the file has not been looked after in a while.",
		Bad:  "FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>",
		Good: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"",
		Fix: "Replaces the `MAINTAINER` line with `LABEL org.opencontainers.image.authors=\"...\"` holding the same text " +
			"(quotes, `$` and the escape character are escaped, because `LABEL` reads quotes and expands variables " +
			"while `MAINTAINER` took its text literally). When the stage already sets that label, the `MAINTAINER` line " +
			"is simply deleted, since the label already says who the authors are.\n\n" +
			"One thing changes: the image config's `Author` field is no longer set, so a tool that reads `.Author` " +
			"(for example `docker inspect --format '{{.Author}}'`) now sees nothing; the text is in " +
			"`.Config.Labels` instead, and a label is also inherited by images built on top of this one. The fix " +
			"is still marked safe: nothing the build runs or produces changes (same files, same commands, same " +
			"environment), only where a piece of descriptive metadata is recorded, moved from a deprecated field to " +
			"its documented replacement. If you have a script that reads `.Author`, update it to read the label. " +
			"When a comment sits inside a `MAINTAINER` that spans several lines, the fix would remove it, so it is " +
			"offered as unsafe instead.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#maintainer-deprecated",
			"https://docs.docker.com/reference/build-checks/maintainer-deprecated/",
			"https://github.com/opencontainers/image-spec/blob/main/annotations.md",
			"https://github.com/hadolint/hadolint/wiki/DL4000",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Keyword != "maintainer" {
				continue
			}
			span := diagnose.Span{Start: in.Span.Start, End: in.TextEnd}
			if in.Node.Next == nil {
				p.Report(span, "MAINTAINER is deprecated (and this one is empty); remove it")
				continue
			}
			value := in.Node.Next.Value
			app := fixes.Safe
			if hasInnerComment(d, in) {
				app = fixes.Unsafe
			}
			if labels.StageHasAuthorsLabel(in.Stage) {
				f := p.Report(span, "MAINTAINER is deprecated, and this stage already sets the %s label", labels.AuthorsLabel)
				f.AddFix("Remove the MAINTAINER instruction", app,
					diagnose.Delete(diagnose.Span{Start: d.LineStart(in.StartLine), End: d.LineBreakEnd(in.EndLine)}))
				continue
			}
			f := p.Report(span, "MAINTAINER is deprecated; record the authors in the %s label instead", labels.AuthorsLabel)
			text := labelKeyword(string(d.Src[in.KeywordSpan().Start:in.KeywordSpan().End])) +
				" " + labels.AuthorsLabel + "=\"" + labels.EscapeLabel(value, d.Escape) + "\""
			f.AddFix("Replace MAINTAINER with an "+labels.AuthorsLabel+" label", app, diagnose.Replace(span, text))
		}
	},
})

// labelKeyword spells LABEL in the case style of the original
// MAINTAINER keyword.
func labelKeyword(kw string) string {
	switch {
	case kw == strings.ToLower(kw):
		return "label"
	case kw == strings.ToUpper(kw):
		return "LABEL"
	case kw[:1] == strings.ToUpper(kw[:1]) && kw[1:] == strings.ToLower(kw[1:]):
		return "Label"
	}
	return "LABEL"
}

// hasInnerComment reports whether a comment line sits inside the
// instruction's continuation lines (replacing the instruction would drop it).
func hasInnerComment(d *diagnose.Document, in *diagnose.Instruction) bool {
	for l := in.StartLine + 1; l <= in.EndLine; l++ {
		if diagnose.IsCommentLine([]byte(d.Line(l))) {
			return true
		}
	}
	return false
}
