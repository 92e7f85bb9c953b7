package scripts

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD035",
	Name:     "wget-and-curl",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL4001"},
	Summary:  "both wget and curl are run in one stage",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags a build stage whose `RUN` (or `ONBUILD RUN`) instructions run both `wget` and `curl`. It is " +
			"reported once per stage, on the first command that brings in the second tool. Only commands that " +
			"are run count: installing the package (`apt-get install wget`), looking it up (`command -v curl`) or " +
			"naming it in a string does not. Each stage is judged on its own, so a builder stage with curl and a " +
			"final stage with wget are fine.",
		Why: "Both tools do the same job. Using both means both must be installed, with their libraries, in the " +
			"image, and readers have to know two sets of options that differ in important ways: curl needs `-f` " +
			"to fail on an HTTP error and `-L` to follow redirects, while wget does both by default. Picking one " +
			"keeps the image smaller and the download lines uniform.",
		Bad: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl wget\n" +
			"RUN curl -fsSL https://example.com/key.asc -o /etc/apt/keyrings/example.asc\n" +
			"RUN wget -q https://example.com/tool.tar.gz",
		Good: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl\n" +
			"RUN curl -fsSL https://example.com/key.asc -o /etc/apt/keyrings/example.asc\n" +
			"RUN curl -fsSLO https://example.com/tool.tar.gz",
		Fix: "None: translating options between the two tools is easy to get subtly wrong (`wget URL` fails on a " +
			"404, while `curl URL` without `-f` succeeds and hands on the error page). Rewrite the downloads of one tool with the " +
			"other and drop the package you no longer need. For curl, `-fsSL` (fail, quiet, show errors, follow " +
			"redirects) plus `-o FILE` or `-O` matches what wget does.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL4001",
			"https://curl.se/docs/manpage.html",
			"https://www.gnu.org/software/wget/manual/wget.html",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, s := range p.Doc.Stages {
			var first *diagnose.Command // the first command of the tool seen first
			done := false
			for _, in := range s.Instrs {
				if done {
					break
				}
				for _, c := range runscript.InvokedCommands(p.Doc, in) {
					n := c.Name()
					if n != "curl" && n != "wget" {
						continue
					}
					if first == nil {
						first = c
						continue
					}
					if n == first.Name() {
						continue
					}
					l, _ := p.Doc.Position(first.Script.Span(first.Call).Start)
					p.Report(c.Script.Span(c.Call), "this stage downloads with both %s (line %d) and %s; use one of them", first.Name(), l, n)
					done = true
					break
				}
			}
		}
	},
})
