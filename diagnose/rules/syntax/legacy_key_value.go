package syntax

import (
	"strings"
	"unicode"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD014",
	Name:     "legacy-key-value",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"LegacyKeyValueFormat"},
	Summary:  "ENV or LABEL in the legacy \"key value\" form",
	Fixable:  diagnose.FixSometimes,
	TextOnly: true,
	Doc: diagnose.Doc{
		What: "Flags `ENV` and `LABEL` written as `KEY value` (a space between the key and the value) instead of " +
			"`KEY=value`. `ONBUILD ENV` and `ONBUILD LABEL` are checked too.",
		Why: "The space-separated form is an old syntax that BuildKit warns about and may drop one day. It is also " +
			"easy to misread: everything after the first space is one value, spaces included, so `ENV PATH /a /b` " +
			"sets PATH to \"/a /b\", and `ENV A 1 B 2` sets one variable A to \"1 B 2\", not two variables. " +
			"`KEY=value` says exactly where each value starts and ends, and lets one instruction set several keys.",
		Bad:  "ENV NODE_ENV production\nENV JAVA_OPTS -Xms256m -Xmx1g\nLABEL description \"My service\"",
		Good: "ENV NODE_ENV=production\nENV JAVA_OPTS=\"-Xms256m -Xmx1g\"\nLABEL description=\"My service\"",
		Fix: "Rewrites `KEY value` as `KEY=value`, touching only the key and value, so comments and line continuations " +
			"elsewhere in the instruction stay. BuildKit reads the legacy value as one word: quotes are removed, `$VAR` " +
			"is expanded and the escape character works, but spaces do not split it. The fix keeps that exact value:\n\n" +
			"- a value without unquoted spaces (`production`, `\"My service\"`, `/usr/bin:$PATH`) just gets `=` " +
			"instead of the space;\n" +
			"- a value of several words without quotes or the escape character gets wrapped in double quotes, " +
			"keeping its spacing (`$VAR` expands the same inside double quotes);\n" +
			"- a value of several words that mixes quotes or escapes with spaces but has no `$` is rewritten as one " +
			"double-quoted string holding the value BuildKit would have computed (`LABEL note \"a\" b` becomes " +
			"`LABEL note=\"a b\"`).\n\n" +
			"All three are safe: the variable or label gets the same value. When a line continuation falls between " +
			"the key and the value, the `=` goes on the key's line and the value's line loses its indentation, so " +
			"comment lines in between stay. Only the third kind replaces the value's text; if a comment line sits " +
			"inside it, the comment would be lost, so that fix is offered as unsafe. A value that mixes spaces, " +
			"quotes or escapes with `$VAR` gets no fix (its exact meaning is too easy to get wrong); write it by hand, " +
			"and check the result with `docker build --check`.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/legacy-key-value-format/",
			"https://docs.docker.com/reference/dockerfile/#env",
			"https://docs.docker.com/reference/dockerfile/#label",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			kw, n := node(in)
			if n == nil {
				continue
			}
			key, value := n.Next.Value, n.Next.Next.Value
			KW := strings.ToUpper(kw)
			loc, ok := locate(in, key, value)
			if !ok {
				p.Report(diagnose.Span{Start: in.Span.Start, End: in.TextEnd}, "%s sets %s with the legacy \"key value\" form; write %s=value instead", KW, key, key)
				continue
			}
			f := p.Report(in.OrigSpan(diagnose.Span{Start: loc.keyStart, End: loc.valEnd}),
				"%s sets %s with the legacy \"key value\" form; write %s=value instead", KW, key, key)
			fix(d, in, f, loc, key, value)
		}
	},
})

// node returns the lower-case keyword and the parser node of an
// ENV or LABEL (also under ONBUILD) written in the legacy form, or nil.
// BuildKit's parser gives every key/value pair three nodes: key, value and
// separator; the separator is "=" for KEY=value and "" for the legacy form,
// which only ever holds one pair.
func node(in *diagnose.Instruction) (string, *parser.Node) {
	kw, n := in.Keyword, in.Node
	if kw == "onbuild" {
		if n.Next == nil || len(n.Next.Children) != 1 {
			return "", nil
		}
		n = n.Next.Children[0]
		kw = strings.ToLower(n.Value)
	}
	if kw != "env" && kw != "label" {
		return "", nil
	}
	k := n.Next
	if k == nil || k.Next == nil || k.Next.Next == nil || k.Next.Next.Value != "" {
		return "", nil
	}
	return kw, n
}

// kvLocation holds logical offsets in Instruction.Logical.
type kvLocation struct {
	keyStart, sepStart, valStart, valEnd int
}

// space is the whitespace the parser splits the legacy key from its
// value on ([\t\v\f\r ]).
func space(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'
}

// locate finds the key, the separating whitespace and the value in
// the logical text. The parser takes the value as everything after the
// first run of whitespace following the key, up to the end of the trimmed
// instruction text, so the value is a suffix of the logical text.
func locate(in *diagnose.Instruction, key, value string) (kvLocation, bool) {
	t := strings.TrimRightFunc(in.Logical, unicode.IsSpace)
	if value == "" || !strings.HasSuffix(t, value) {
		return kvLocation{}, false
	}
	loc := kvLocation{valStart: len(t) - len(value), valEnd: len(t)}
	loc.sepStart = loc.valStart
	for loc.sepStart > 0 && space(t[loc.sepStart-1]) {
		loc.sepStart--
	}
	loc.keyStart = loc.sepStart - len(key)
	if loc.sepStart == loc.valStart || loc.keyStart < 0 || t[loc.keyStart:loc.sepStart] != key {
		return kvLocation{}, false
	}
	return loc, true
}

// fix adds the rewrite to KEY=value when it keeps the value exactly.
func fix(d *diagnose.Document, in *diagnose.Instruction, f *diagnose.Finding, loc kvLocation, key, value string) {
	esc := rune(d.Escape)
	if key == "" || strings.ContainsAny(key, "\"'=") || strings.ContainsRune(key, esc) || strings.IndexFunc(key, unicode.IsSpace) >= 0 {
		return
	}
	title := "Rewrite as " + key + "=value"
	switch {
	case buildvars.OneWord(value, esc):
		// KEY=value hands BuildKit the very same value text.
		f.AddFix(title, fixes.Safe, sepEdits(in, loc, "=")...)
	case !strings.ContainsAny(value, "\"'") && !strings.ContainsRune(value, esc):
		// Only literal text, spaces and $VAR: double quotes keep all of it
		// as it is ($ expands the same way inside them).
		end := in.Orig(loc.valEnd-1) + 1
		f.AddFix(title, fixes.Safe, append(sepEdits(in, loc, "=\""), diagnose.Insert(end, "\""))...)
	case !strings.Contains(value, "$"):
		// Quotes or escapes mixed with spaces: no variable, so the value is
		// a fixed string we can compute and write again, double-quoted.
		lex := shell.NewLex(esc)
		want, _, err := lex.ProcessWord(value, shell.EnvsFromSlice(nil))
		if err != nil {
			return // the build fails on this value anyway
		}
		quoted := buildvars.Quote(want, esc)
		got, _, err := lex.ProcessWord(quoted, shell.EnvsFromSlice(nil))
		if err != nil || got != want || !buildvars.OneWord(quoted, esc) {
			return
		}
		span := in.OrigSpan(diagnose.Span{Start: loc.sepStart, End: loc.valEnd})
		f.AddFix(title, applicability(d, span), diagnose.Replace(span, "="+quoted))
	}
}

// sepEdits turns the whitespace between the key and the value
// into text. That whitespace may lie on several lines when a continuation
// falls between them: the piece on the key's line becomes text (the
// continuation after it stays) and the pieces on later lines, whitespace
// only, are deleted, so the value follows text directly in the logical
// line while comment lines in between stay where they are.
func sepEdits(in *diagnose.Instruction, loc kvLocation, text string) []fixes.Edit {
	var edits []fixes.Edit
	start := in.Orig(loc.sepStart)
	for i := loc.sepStart; i < loc.valStart; i++ {
		if i+1 == loc.valStart || in.Orig(i+1) != in.Orig(i)+1 {
			run := diagnose.Span{Start: start, End: in.Orig(i) + 1}
			if len(edits) == 0 {
				edits = append(edits, diagnose.Replace(run, text))
			} else {
				edits = append(edits, diagnose.Delete(run))
			}
			if i+1 < loc.valStart {
				start = in.Orig(i + 1)
			}
		}
	}
	return edits
}

// applicability is Safe unless replacing span would delete a
// comment line (one inside the instruction's continuation).
func applicability(d *diagnose.Document, span diagnose.Span) fixes.Applicability {
	if span.End <= span.Start {
		return fixes.Safe
	}
	first, _ := d.Position(span.Start)
	last, _ := d.Position(span.End - 1)
	for l := first + 1; l < last; l++ {
		if diagnose.IsCommentLine([]byte(d.Line(l))) {
			return fixes.Unsafe
		}
	}
	return fixes.Safe
}
