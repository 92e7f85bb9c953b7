package syntax

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/command"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD017",
	Name:     "empty-continuation-line",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"NoEmptyContinuation"},
	Summary:  "empty line inside a line continuation",
	Fixable:  diagnose.FixAlways,
	TextOnly: true,
	Doc: diagnose.Doc{
		What: "Flags blank lines (empty, or spaces and tabs only) in the middle of an instruction that continues " +
			"over several lines with `\\` (or the file's escape character). Blank lines inside a here-document " +
			"are content, not continuation lines, and are not flagged.",
		Why: "A blank line looks like the end of the instruction, but it is not: Docker skips it and joins the " +
			"next non-blank line to the instruction. So a forgotten `\\` followed by a blank line silently glues " +
			"the next instruction onto this one (`RUN make \\` + blank line + `COPY . /app` runs `make COPY . /app`). " +
			"BuildKit already warns about these lines and says they will become an error in a future release.",
		Bad:  "RUN apt-get update && \\\n\n    apt-get install -y curl",
		Good: "RUN apt-get update && \\\n    apt-get install -y curl",
		Fix: "Deletes the blank lines (with their line breaks). Safe: Docker already ignores them, so the " +
			"instruction stays exactly the same. If the blank line was meant to end the instruction, the `\\` " +
			"before it is the real mistake; remove that by hand.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/no-empty-continuation/",
			"https://docs.docker.com/reference/dockerfile/#escape",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			last, _ := d.Position(in.ContEnd)
			var empty []int
			for l := in.StartLine + 1; l <= last; l++ {
				if strings.TrimFunc(d.Line(l), unicode.IsSpace) == "" {
					empty = append(empty, l)
				}
			}
			if len(empty) == 0 {
				continue
			}
			var edits []fixes.Edit
			for _, l := range empty {
				edits = append(edits, diagnose.Delete(diagnose.Span{Start: d.LineStart(l), End: d.LineBreakEnd(l)}))
			}
			first := empty[0]
			span := diagnose.Span{Start: d.LineStart(first), End: d.LineEnd(first)}
			kw := strings.ToUpper(in.Keyword)
			var f *diagnose.Finding
			if len(empty) == 1 {
				f = p.Report(span, "empty line inside the continuation of the %s on line %d; Docker skips it, and BuildKit plans to reject it",
					kw, in.StartLine)
				f.AddFix("Delete the empty line", fixes.Safe, edits...)
			} else {
				nums := make([]string, len(empty))
				for i, l := range empty {
					nums[i] = fmt.Sprint(l)
				}
				f = p.Report(span, "%d empty lines (lines %s) inside the continuation of the %s on line %d; Docker skips them, and BuildKit plans to reject them",
					len(empty), strings.Join(nums, ", "), kw, in.StartLine)
				f.AddFix(fmt.Sprintf("Delete the %d empty lines", len(empty)), fixes.Safe, edits...)
			}
			if esc, next, nextKw, ok := forgotten(d, in, empty, last); ok {
				escLine, _ := d.Position(esc.Start)
				f.Message += fmt.Sprintf("; line %d starts with %s, so the %c on line %d may be a mistake that joins it to this %s",
					next, nextKw, d.Escape, escLine, kw)
				f.AddFix(fmt.Sprintf("End the %s on line %d", kw, escLine), fixes.Unsafe, diagnose.Delete(esc))
			}
		}
	},
})

// forgotten looks for the pattern of a forgotten line
// continuation: an empty line followed by a line that starts with an
// instruction keyword (unindented, or written in upper case). It returns
// the Src span to delete to end the instruction before the empty line (the
// escape character with the blanks around it), the keyword's line and the
// keyword.
func forgotten(d *diagnose.Document, in *diagnose.Instruction, empty []int, last int) (diagnose.Span, int, string, bool) {
	isEmpty := map[int]bool{}
	for _, l := range empty {
		isEmpty[l] = true
	}
	for _, l := range empty {
		if isEmpty[l+1] || l+1 > last {
			continue
		}
		next := l + 1
		line := d.Line(next)
		word, _, _ := strings.Cut(strings.TrimLeft(line, " \t"), " ")
		word, _, _ = strings.Cut(word, "\t")
		if _, ok := command.Commands[strings.ToLower(word)]; !ok {
			continue
		}
		if !strings.HasPrefix(line, word) && word != strings.ToUpper(word) {
			continue
		}
		// The content line before the empty line(s) carries the escape.
		prev := l - 1
		for prev > in.StartLine && (isEmpty[prev] || diagnose.IsCommentLine([]byte(d.Line(prev)))) {
			prev--
		}
		text := d.Line(prev)
		trimmed := strings.TrimRight(text, " \t")
		if !strings.HasSuffix(trimmed, string(d.Escape)) {
			return diagnose.Span{}, 0, "", false
		}
		body := strings.TrimRight(trimmed[:len(trimmed)-1], " \t")
		if strings.TrimSpace(body) == "" || strings.HasSuffix(body, string(d.Escape)) {
			return diagnose.Span{}, 0, "", false
		}
		if prev == in.StartLine && !strings.ContainsAny(strings.TrimSpace(body), " \t") {
			return diagnose.Span{}, 0, "", false // the keyword alone would be left
		}
		start := d.LineStart(prev)
		return diagnose.Span{Start: start + len(body), End: start + len(text)}, next, word, true
	}
	return diagnose.Span{}, 0, "", false
}
