package diagnose

import (
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
)

// maintainerAuthorsLabel is the OCI annotation that replaces MAINTAINER.
const maintainerAuthorsLabel = "org.opencontainers.image.authors"

var _ = register(&Rule{
	Code:     "DD003",
	Name:     "maintainer-deprecated",
	Severity: Warning,
	Category: Maintainability,
	Aliases:  []string{"DL4000", "MaintainerDeprecated"},
	Summary:  "deprecated MAINTAINER instruction",
	Fixable:  FixAlways,
	Doc: Doc{
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
	Check: func(p *Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Keyword != "maintainer" {
				continue
			}
			span := Span{in.Span.Start, in.TextEnd}
			if in.Node.Next == nil {
				p.Report(span, "MAINTAINER is deprecated (and this one is empty); remove it")
				continue
			}
			value := in.Node.Next.Value
			app := fixes.Safe
			if maintainerHasInnerComment(d, in) {
				app = fixes.Unsafe
			}
			if maintainerStageHasAuthorsLabel(in.Stage) {
				f := p.Report(span, "MAINTAINER is deprecated, and this stage already sets the %s label", maintainerAuthorsLabel)
				f.AddFix("Remove the MAINTAINER instruction", app,
					Delete(Span{d.LineStart(in.StartLine), d.LineBreakEnd(in.EndLine)}))
				continue
			}
			f := p.Report(span, "MAINTAINER is deprecated; record the authors in the %s label instead", maintainerAuthorsLabel)
			text := maintainerLabelKeyword(string(d.Src[in.KeywordSpan().Start:in.KeywordSpan().End])) +
				" " + maintainerAuthorsLabel + "=\"" + maintainerEscapeLabel(value, d.Escape) + "\""
			f.AddFix("Replace MAINTAINER with an "+maintainerAuthorsLabel+" label", app, Replace(span, text))
		}
	},
})

// maintainerLabelKeyword spells LABEL in the case style of the original
// MAINTAINER keyword.
func maintainerLabelKeyword(kw string) string {
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

// maintainerEscapeLabel makes s a double-quoted LABEL value that BuildKit
// reads back as exactly s: `"`, `$` and the escape character get the
// escape character in front.
func maintainerEscapeLabel(s string, esc byte) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '$' || c == esc {
			b.WriteByte(esc)
		}
		b.WriteByte(c)
	}
	return b.String()
}

// maintainerHasInnerComment reports whether a comment line sits inside the
// instruction's continuation lines (replacing the instruction would drop it).
func maintainerHasInnerComment(d *Document, in *Instruction) bool {
	for l := in.StartLine + 1; l <= in.EndLine; l++ {
		if isCommentLine([]byte(d.Line(l))) {
			return true
		}
	}
	return false
}

// maintainerStageHasAuthorsLabel reports whether any LABEL of the stage sets
// org.opencontainers.image.authors.
func maintainerStageHasAuthorsLabel(st *Stage) bool {
	if st == nil {
		return false
	}
	for _, o := range st.Instrs {
		if o.Keyword != "label" {
			continue
		}
		// LABEL nodes are triples: key, value, separator.
		for n := o.Node.Next; n != nil; {
			key := strings.NewReplacer(`"`, "", `'`, "").Replace(n.Value)
			if key == maintainerAuthorsLabel {
				return true
			}
			if n.Next == nil || n.Next.Next == nil {
				break
			}
			n = n.Next.Next.Next
		}
	}
	return false
}
