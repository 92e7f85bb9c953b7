package process

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// keywords are the instructions of which only the last one in a
// stage has any effect.
var keywords = map[string]bool{"cmd": true, "entrypoint": true, "healthcheck": true}

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD012",
	Name:     "multiple-cmd-entrypoint",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL4003", "DL4004", "DL3012", "MultipleInstructionsDisallowed"},
	Summary:  "more than one CMD, ENTRYPOINT or HEALTHCHECK in a stage",
	Fixable:  diagnose.FixAlways,
	Doc: diagnose.Doc{
		What: "Flags a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that is followed by another instruction of the same kind " +
			"in the same build stage. Each earlier one is reported; the last one is not. A `CMD` next to an " +
			"`ENTRYPOINT` is fine (they work together), and so is one `CMD` per stage in a multi-stage build.",
		Why: "These three instructions do not add up: each one overwrites a single setting of the image (the default " +
			"command, the entrypoint, the health check). When a stage has two, Docker silently keeps the last and throws " +
			"the earlier one away. Someone reading the file from the top sees a command that never runs, and if the two " +
			"drifted apart while the file was edited, it is easy to change the wrong one and wonder why nothing happens.",
		Bad:  "FROM node:22-alpine\nCMD [\"npm\", \"start\"]\nCOPY . /app\nCMD [\"node\", \"server.js\"]",
		Good: "FROM node:22-alpine\nCOPY . /app\nCMD [\"node\", \"server.js\"]",
		Fix: "Deletes the lines of the earlier instruction, the one Docker ignores. The image does not change, so the " +
			"fix is safe. Comment lines just above the deleted instruction are left in place for you to review. When a " +
			"comment line sits inside the instruction's own continuation lines, deleting it would remove that comment " +
			"too, so the fix is offered as unsafe instead.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#cmd",
			"https://docs.docker.com/reference/dockerfile/#entrypoint",
			"https://docs.docker.com/reference/dockerfile/#healthcheck",
			"https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/",
			"https://github.com/hadolint/hadolint/wiki/DL4003",
			"https://github.com/hadolint/hadolint/wiki/DL4004",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, s := range d.Stages {
			// The last instruction of each kind in the stage wins.
			last := map[string]*diagnose.Instruction{}
			for _, in := range s.Instrs {
				if keywords[in.Keyword] {
					last[in.Keyword] = in
				}
			}
			for _, in := range s.Instrs {
				win := last[in.Keyword]
				if !keywords[in.Keyword] || win == in {
					continue
				}
				kw := strings.ToUpper(in.Keyword)
				f := p.Report(diagnose.Span{Start: in.Span.Start, End: in.TextEnd},
					"this %s is ignored: the %s on line %d replaces it, since only the last %s of a stage counts",
					kw, kw, win.StartLine, kw)
				app := fixes.Safe
				if hasInnerComment(d, in) {
					app = fixes.Unsafe
				}
				f.AddFix("Remove the ignored "+kw, app,
					diagnose.Delete(diagnose.Span{Start: d.LineStart(in.StartLine), End: d.LineBreakEnd(in.EndLine)}))
			}
		}
	},
})

// hasInnerComment reports whether a comment line sits among the
// instruction's continuation lines (heredoc bodies are content, not
// comments, and are not looked at).
func hasInnerComment(d *diagnose.Document, in *diagnose.Instruction) bool {
	lastText, _ := d.Position(in.TextEnd)
	for l := in.StartLine + 1; l <= lastText; l++ {
		if diagnose.IsCommentLine([]byte(d.Line(l))) {
			return true
		}
	}
	return false
}
