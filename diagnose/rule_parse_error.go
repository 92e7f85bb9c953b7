package diagnose

// DD000 is special: when BuildKit's parser rejects the file (or the file is
// not a Dockerfile at all), it is the only rule that runs, so a broken file
// gives one clear finding, never a crash. When only BuildKit's instruction
// parser rejects some instructions, DD000 reports each of them and the
// other rules run, silent on those instructions (withholdRejected).
var ruleParseError = Register(&Rule{
	Code:     "DD000",
	Name:     "parse-error",
	Severity: Error,
	Category: Correctness,
	Summary:  "docker build rejects the file or an instruction",
	Fixable:  FixNone,
	Doc: Doc{
		What: "Reports what `docker build` rejects before building anything, found by BuildKit's own parsers (the ones `docker build` uses). Its line parser rejects a whole file: an unterminated heredoc, an invalid `# escape=` value, a line longer than the parser's limit, a directive given twice. Its instruction parser rejects single instructions, each reported where it is: an unknown instruction (`RUNN`, `FOO bar`), a `FROM` without an image, an unknown flag (`RUN --foo=bar`, `COPY --user=app`), a bad duration (`HEALTHCHECK --interval=abc`), a `HEALTHCHECK` without arguments, template code (`{{ .Base }}`). A file with no `FROM` but only `ARG`s has nothing to build. A YAML, JSON or other text file given as a Dockerfile is reported once, saying what it looks like. The message quotes BuildKit's own words. (With `# syntax=` naming another frontend, or a labs one, only the line parser judges.)",
		Why:  "A Dockerfile that does not parse cannot be built at all, and no other rule can look at it. dockdoc never writes a file that does not parse, so fixing this comes first. Around a rejected instruction the other rules stay silent, and a fix that would edit it is not offered (the finding lists it as not offered): what the instruction means is unknown to BuildKit, so it is unknown to dockdoc too.",
		Bad:  "FROM alpine\nRUN <<EOF\necho never terminated",
		Good: "FROM alpine\nRUN <<EOF\necho terminated\nEOF",
		Fix:  "No automatic fix: the right repair depends on what was meant. The message gives BuildKit's reason and the line it stopped at: correct the spelling, remove the flag, give the missing argument, or render the template first.",
		Refs: []string{"https://docs.docker.com/reference/dockerfile/"},
	},
	Check: func(p *Pass) {
		d := p.Doc
		e := d.ParseErr
		if e == nil {
			for i := range d.Rejections {
				r := &d.Rejections[i]
				in := r.Instr
				if in == nil && len(d.Instructions) > 0 {
					in = d.Instructions[0]
				}
				sp := Span{d.LineStart(1), d.LineEnd(1)}
				if in != nil {
					sp = Span{in.Span.Start, d.LineEnd(in.StartLine)}
				}
				p.Report(sp, "%s", r.explain(d))
			}
			return
		}
		l := e.Line
		if l < 1 || l > d.LineCount() {
			l = 1
		}
		sp := Span{d.LineStart(l), d.LineEnd(l)}
		if e.NotDockerfile != "" {
			p.Report(sp, "%s", e.notDockerfileMsg())
			return
		}
		p.Report(sp, "the Dockerfile does not parse: %s", e.Msg)
	},
})
