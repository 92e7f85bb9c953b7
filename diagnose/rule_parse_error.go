package diagnose

// DD000 is special: when BuildKit's parser rejects the file (or the file is
// not a Dockerfile at all), it is the only rule that runs, so a broken file
// gives one clear finding, never a crash. When only BuildKit's instruction
// parser or its conversion rejects some instructions (rejected.go,
// rejected_conversion.go), DD000 reports each of them and the other rules
// run, silent on those instructions (withholdRejected).
var ruleParseError = Register(&Rule{
	Code:     "DD000",
	Name:     "parse-error",
	Severity: Error,
	Category: Correctness,
	Summary:  "docker build rejects the file or an instruction",
	Fixable:  FixNone,
	Doc: Doc{
		What: "Reports what `docker build` rejects before building anything, found by BuildKit's own parsers (the ones `docker build` uses). Its line parser rejects a whole file: an unterminated heredoc, an invalid `# escape=` value, a line longer than the parser's limit, a directive given twice. Its instruction parser rejects single instructions, each reported where it is: an unknown instruction (`RUNN`, `FOO bar`), a `FROM` without an image, an unknown flag (`RUN --foo=bar`, `COPY --user=app`), a bad duration (`HEALTHCHECK --interval=abc`), a `HEALTHCHECK` without arguments, template code (`{{ .Base }}`), a stage name with symbols (`AS 1st`). Its conversion, the step before building, rejects more, found here without converting (the verdict of a plain `docker build`, no `--build-arg`): a `FROM` whose image or `--platform` is empty or invalid when no `--build-arg` can change it (`FROM $UNSET`, `FROM alpine:${UNDECLARED}`, `FROM REPLACE-ME`, `FROM Build` where the stage is `AS build`: BuildKit keeps stage names in lower case and looks `FROM` up as written); stages that use each other's files in a circle, or a stage its own (`COPY --from`, `RUN --mount from=`); in a stage the build builds, a use of a stage defined further down; `COPY --from=$VAR` (never expanded), a stage number no stage has, a `--from` that is no stage and no valid image name; a word the lexer cannot expand whatever its values (`${templateOption:x}`, an unclosed quote) in a global `ARG` or in an instruction of a stage the build builds; a `RUN --mount` option the mount parser refuses (`,z`). A `FROM` empty only because a global `ARG` has no default is meant for `--build-arg`: DD075 warns about it. Two stages of one name, a `FROM` of a stage defined later (it names an image) and a stage named like its base image are accepted. A file with no `FROM` but only `ARG`s has nothing to build. A YAML, JSON or other text file given as a Dockerfile is reported once, saying what it looks like. The message quotes BuildKit's own words. (With `# syntax=` naming another frontend, or a labs one, only the line parser judges.)",
		Why:  "A Dockerfile that does not parse cannot be built at all, and no other rule can look at it. dockdoc never writes a file that does not parse, so fixing this comes first. Around a rejected instruction the other rules stay silent, and a fix that would edit it is not offered (the finding lists it as not offered): what the instruction means is unknown to BuildKit, so it is unknown to dockdoc too. When the conversion rejects one word of an instruction (the image of a `FROM`), a finding that points into that word (DD071's undeclared variable) stays, and a fix that rewrites only that word (a stage renamed everywhere) is offered: it repairs what BuildKit rejects.",
		Bad:  "FROM alpine\nRUN <<EOF\necho never terminated",
		Good: "FROM alpine\nRUN <<EOF\necho terminated\nEOF",
		Fix:  "No automatic fix: the right repair depends on what was meant. The message gives BuildKit's reason and the line it stopped at: correct the spelling, remove the flag, give the missing argument, declare the variable with an `ARG` before the first `FROM`, move a stage above the stages that use it, or render the template first.",
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
