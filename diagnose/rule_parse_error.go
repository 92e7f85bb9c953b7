package diagnose

// DD000 is special: when BuildKit's parser rejects the file, it is the only
// rule that runs, so a broken file gives one clear finding, never a crash.
var ruleParseError = Register(&Rule{
	Code:     "DD000",
	Name:     "parse-error",
	Severity: Error,
	Category: Correctness,
	Summary:  "the Dockerfile does not parse",
	Fixable:  FixNone,
	Doc: Doc{
		What: "Reports a file that BuildKit's Dockerfile parser (the one `docker build` uses) rejects: an unterminated heredoc, an invalid `# escape=` value, a line longer than the parser's limit, a directive given twice.",
		Why:  "A Dockerfile that does not parse cannot be built at all, and no other rule can look at it. dockdoc never writes a file that does not parse, so fixing this comes first.",
		Bad:  "FROM alpine\nRUN <<EOF\necho never terminated",
		Good: "FROM alpine\nRUN <<EOF\necho terminated\nEOF",
		Fix:  "No automatic fix: the right repair depends on what was meant. The message gives the parser's reason and the line it stopped at.",
		Refs: []string{"https://docs.docker.com/reference/dockerfile/"},
	},
	Check: func(p *Pass) {
		e := p.Doc.ParseErr
		if e == nil {
			return
		}
		l := e.Line
		if l < 1 || l > p.Doc.LineCount() {
			l = 1
		}
		p.Report(Span{p.Doc.LineStart(l), p.Doc.LineEnd(l)}, "the Dockerfile does not parse: %s", e.Msg)
	},
})
