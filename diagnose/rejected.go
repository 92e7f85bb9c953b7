package diagnose

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"go.yaml.in/yaml/v3"
)

// Rejection is something BuildKit refuses after its line parser accepted
// the file: an instruction its instruction parser rejects (an unknown
// instruction, a bare FROM, an unknown flag, a bad duration, a HEALTHCHECK
// without arguments, template code), an instruction its conversion
// rejects (rejected_conversion.go: a FROM whose image is empty or invalid,
// a circle of stages, a COPY --from a stage further down, a word it cannot
// expand), or, with Instr nil, the whole file (it has no stage to build).
// docker build stops at the first one.
type Rejection struct {
	Instr *Instruction // nil for the whole file
	// Msg is what docker build says: for the instruction parser with the
	// location ("dockerfile parse error on line 2: unknown instruction:
	// RUNN ..."), for the conversion without it ("base name ($UNSET)
	// should not be blank").
	Msg string
	// Unknown is set when the keyword is no Dockerfile instruction.
	Unknown bool
	// Why is the reason in a learner's words, when the conversion rejects
	// the instruction ("" for the instruction parser's rejections).
	Why string
	// Cause is the word the conversion rejects (a FROM's image or
	// platform), empty when it is the instruction as a whole.
	Cause Span
}

// Rejected reports whether BuildKit rejects the instruction. Rules that
// read an instruction's meaning (a FROM's image, a HEALTHCHECK's command)
// have nothing sound to say about a rejected one, and the runner drops
// their findings on it and their fixes that edit it.
func (d *Document) Rejected(in *Instruction) bool {
	return d.rejection(in) != nil
}

func (d *Document) rejection(in *Instruction) *Rejection {
	for i := range d.Rejections {
		if d.Rejections[i].Instr == in && in != nil {
			return &d.Rejections[i]
		}
	}
	return nil
}

// noStagesMsg is the message of BuildKit's conversion
// (dockerfile2llb.toDispatchState) for a file whose instructions parse but
// hold no FROM.
const noStagesMsg = "dockerfile contains no stages to build"

// judge asks BuildKit's instruction parser about every instruction, the
// way docker build does after the line parser, and records what it
// rejects. A file whose first instruction is no instruction at all and
// that has no FROM BuildKit accepts is not a Dockerfile: it becomes a
// ParseErr (only DD000 reports on it), saying what it looks like instead.
func (d *Document) judge() {
	if d.Result == nil || !d.buildKitFrontend() {
		return
	}
	defer func() {
		if recover() != nil { // BuildKit's own bug: give no verdict rather than crash
			d.Rejections = nil
		}
	}()
	// A linter without a Warn function reports nothing; a nil one would
	// panic on an instruction preceded by a `# check=` comment.
	lint := linter.New(&linter.Config{})
	fromOK := false
	parsed := make([]any, 0, len(d.Instructions))
	for _, in := range d.Instructions {
		v, err := instructions.ParseInstructionWithLinter(in.Node, lint)
		parsed = append(parsed, v)
		if err == nil {
			fromOK = fromOK || in.Keyword == "from"
			continue
		}
		var unknown *instructions.UnknownInstructionError
		d.Rejections = append(d.Rejections, Rejection{
			Instr:   in,
			Msg:     dockerBuildMessage(in.Node, err, lint),
			Unknown: errors.As(err, &unknown),
		})
	}
	if len(d.Rejections) > 0 {
		if first := d.Rejections[0]; first.Instr == d.Instructions[0] && first.Unknown && !fromOK {
			what := d.looksLike()
			if isTemplate(first.Instr) {
				what = "template"
			}
			d.ParseErr = &ParseError{Line: first.Instr.StartLine, Msg: first.Msg, NotDockerfile: what}
		}
		return
	}
	if len(d.Stages) == 0 {
		// Every instruction parses and none starts a stage: only ARGs
		// (instructions before a FROM are DD064's). Ask BuildKit whether it
		// finds a stage, as the conversion does.
		if stages, _, err := instructions.Parse(d.Result.AST, lint); err == nil && len(stages) == 0 {
			d.Rejections = append(d.Rejections, Rejection{Msg: noStagesMsg})
		}
		return
	}
	d.judgeConversion(parsed)
}

// dockerBuildMessage is the error docker build prints for a rejected
// node: BuildKit's instructions.Parse run on that node alone gives the
// same error, with its "dockerfile parse error on line N" prefix.
func dockerBuildMessage(n *parser.Node, err error, lint *linter.Linter) string {
	_, _, perr := instructions.Parse(&parser.Node{Children: []*parser.Node{n}}, lint)
	if perr == nil {
		perr = err
	}
	var le *parser.LocationError
	if errors.As(perr, &le) && perr == error(le) {
		return le.Unwrap().Error()
	}
	return perr.Error()
}

// buildKitFrontend reports whether the file is built by the Dockerfile
// frontend dockdoc's BuildKit module is: no `# syntax=` directive, or one
// naming docker/dockerfile without "labs" (labs and other frontends accept
// instructions and flags this one does not know).
func (d *Document) buildKitFrontend() bool {
	v, ok := d.Directive("syntax")
	if !ok {
		return true
	}
	v = strings.TrimSpace(v)
	// A registry host in front (Docker Hub's, or a mirror's) names the
	// same frontend image.
	if first, rest, ok := strings.Cut(v, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		v = rest
	}
	name, _, _ := strings.Cut(v, "@")
	name, tag, _ := strings.Cut(name, ":")
	return name == "docker/dockerfile" && !strings.Contains(tag, "labs")
}

// looksLike names what a file that is not a Dockerfile looks like:
// "JSON", "YAML" or "text".
func (d *Document) looksLike() string {
	src := bytes.TrimSpace(d.Src[d.lines[0]:])
	var v any
	if yaml.Unmarshal(src, &v) == nil {
		switch v.(type) {
		case map[string]any, []any:
			if src[0] == '{' || src[0] == '[' {
				return "JSON"
			}
			return "YAML"
		}
	}
	return "text"
}

// isTemplate reports whether an instruction holds template syntax
// (`{{ ... }}`, Go templates, Jinja, Helm, Mustache).
func isTemplate(in *Instruction) bool {
	return strings.Contains(in.Logical, "{{") || strings.Contains(in.Logical, "}}") ||
		strings.Contains(in.Logical, "{%") || strings.Contains(in.Logical, "%}")
}

// explain says in a learner's words why docker build rejects r, then
// BuildKit's own message.
func (r *Rejection) explain(d *Document) string {
	in := r.Instr
	if in == nil {
		return "the file has no FROM, so docker build has no stage to build; BuildKit says: " + r.Msg
	}
	if r.Why != "" {
		return r.Why + "; BuildKit says: " + r.Msg
	}
	kw := string(d.Src[in.KeywordSpan().Start:in.KeywordSpan().End])
	args, _ := in.Args()
	why := fmt.Sprintf("docker build rejects this %s instruction", strings.ToUpper(in.Keyword))
	switch inner := r.Msg[strings.Index(r.Msg, ": ")+2:]; {
	case isTemplate(in):
		why = "this line is template syntax ({{ … }}), which docker build does not understand: render the template into a Dockerfile first"
	case r.Unknown:
		why = fmt.Sprintf("%q is not a Dockerfile instruction", kw)
	case in.Keyword == "from" && strings.TrimSpace(args) == "":
		why = "FROM names no base image (write, say, FROM alpine:3.20)"
	case in.Keyword == "healthcheck" && strings.TrimSpace(args) == "":
		why = "HEALTHCHECK needs CMD and a command to run, or NONE"
	case strings.HasPrefix(inner, "unknown flag: "):
		why = fmt.Sprintf("%s has no %s flag", strings.ToUpper(in.Keyword), strings.TrimPrefix(inner, "unknown flag: "))
	case strings.HasPrefix(inner, "invalid name for build stage: "):
		why = "a stage name starts with a letter and holds only letters, digits, -, _ and ."
	case strings.HasPrefix(inner, "time: "):
		why = "a HEALTHCHECK duration is a number with a unit, such as 30s, 5m or 1m30s"
	}
	return why + "; BuildKit says: " + r.Msg
}

// notDockerfileMsg is DD000's message for a file that is not a Dockerfile.
func (e *ParseError) notDockerfileMsg() string {
	what := "this does not look like a Dockerfile"
	switch e.NotDockerfile {
	case "YAML":
		what = "this looks like YAML, not a Dockerfile"
	case "JSON":
		what = "this looks like JSON, not a Dockerfile"
	case "template":
		return "this looks like a template ({{ … }}), not a Dockerfile: its first line is template syntax and BuildKit accepts none of its FROMs; render it into a Dockerfile first; BuildKit says: " + e.Msg
	}
	return what + ": its first line is no Dockerfile instruction and it has no FROM; BuildKit says: " + e.Msg
}

// withholdRejected applies the rule for findings around a rejected
// instruction: BuildKit does not know what it means, so neither does any
// rule. A finding on a rejected instruction is dropped (DD000 says what is
// wrong there); a fix that edits one is not offered, and its finding says
// so in Problems: fixing the rejection comes first, and a fix built on text
// docker build cannot read is a guess.
//
// Two exceptions. An error of a rule whose own subject is what BuildKit
// rejects there (DD060's ONBUILD FROM, say) explains it better than DD000
// and may carry the repair. It stays with its fixes for that instruction,
// and DD000 gives up its finding on the instruction. And when the
// conversion rejects one word of an instruction it reads (its Cause: the
// image of FROM node:${NODE_VERSON}-alpine), the rest of the instruction
// means what it says. A finding that points at the reason inside that
// word (the undeclared $NODE_VERSON), or that offers to rewrite that word,
// names the cause and stays beside DD000; and a fix that edits nothing of
// the instruction but that word (renaming a stage everywhere it is named,
// say) rewrites what BuildKit rejects rather than building on it, so it
// is offered.
func withholdRejected(doc *Document, out []Finding) []Finding {
	var rejected []rejectedWord
	for _, r := range doc.Rejections {
		if r.Instr != nil {
			rejected = append(rejected, rejectedWord{r.Instr.Span, r.Cause})
		}
	}
	if len(rejected) == 0 {
		return out
	}
	explains := func(f *Finding) bool {
		return f.Rule != ruleParseError && f.Rule != ruleUnusedSuppression && f.Rule.Severity == Error && f.Severity == Error
	}
	explained := make([]bool, len(rejected))
	for i := range out {
		if explains(&out[i]) {
			for j, r := range rejected {
				if meets(r.instr, out[i].Span) {
					explained[j] = true
				}
			}
		}
	}
	kept := out[:0]
	for _, f := range out {
		if f.Rule == ruleUnusedSuppression {
			kept = append(kept, f)
			continue
		}
		var others []rejectedWord // the rejected instructions f is not about, or whose cause it names
		drop := false
		for j, r := range rejected {
			switch {
			case !meets(r.instr, f.Span):
				others = append(others, r)
			case f.Rule == ruleParseError:
				drop = explained[j]
			case explains(&f):
			case r.namedBy(&f):
				others = append(others, r)
			default:
				drop = true
			}
		}
		if drop {
			continue
		}
		var fx []fixes.Fix
		for _, x := range f.Fixes {
			if line := touchesRejected(doc, others, x); line > 0 {
				f.Problems = append(f.Problems, fmt.Sprintf("fix %q not offered: it edits line %d, which docker build rejects (DD000); fix that line first", x.Title, line))
				continue
			}
			fx = append(fx, x)
		}
		f.Fixes = fx
		kept = append(kept, f)
	}
	return kept
}

// rejectedWord is a rejected instruction's span and the word of it the
// conversion rejects (empty when it is the whole instruction).
type rejectedWord struct{ instr, cause Span }

// namedBy reports whether a finding on the rejected instruction names the
// cause of its rejection: it lies inside the rejected word and points at a
// part of it, or offers a fix that rewrites that word alone.
func (r rejectedWord) namedBy(f *Finding) bool {
	c := r.cause
	if c.End <= c.Start || f.Span.Start < c.Start || f.Span.End > c.End {
		return false
	}
	if f.Span.End-f.Span.Start < c.End-c.Start {
		return true
	}
	for _, x := range f.Fixes {
		if !r.touchedBy(x) && slices.ContainsFunc(x.Edits, func(e fixes.Edit) bool { return touches(c, e) }) {
			return true
		}
	}
	return false
}

// touchedBy reports whether a fix edits the rejected instruction outside
// the rejected word.
func (r rejectedWord) touchedBy(fx fixes.Fix) bool {
	for _, e := range fx.Edits {
		if touches(r.instr, e) && (r.cause.End <= r.cause.Start || e.Start < r.cause.Start || e.End > r.cause.End) {
			return true
		}
	}
	return false
}

// touches reports whether an edit changes the span r: it overlaps it, or
// inserts inside it or at its end (text appended to it); an insertion at
// its very start (a line put before it) does not.
func touches(r Span, e fixes.Edit) bool {
	return e.Start < r.End && e.End > r.Start || e.Start == e.End && e.Start > r.Start && e.Start <= r.End
}

// meets reports whether a finding's span s lies on the instruction span
// r. An empty s meets a span it lies in, ends included.
func meets(r, s Span) bool {
	return s.Start < r.End && s.End > r.Start || s.Start == s.End && s.Start >= r.Start && s.Start <= r.End
}

// touchesRejected returns the first line of a rejected instruction a fix
// edits (outside the word the conversion rejects), or 0.
func touchesRejected(doc *Document, rejected []rejectedWord, fx fixes.Fix) int {
	for _, r := range rejected {
		if r.touchedBy(fx) {
			l, _ := doc.Position(r.instr.Start)
			return l
		}
	}
	return 0
}
