package process

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD002",
	Name:     "exec-form-command",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3025", "JSONArgsRecommended"},
	Summary:  "CMD, ENTRYPOINT or HEALTHCHECK written in shell form",
	Fixable:  diagnose.FixSometimes,
	Changes:  []string{"Cmd", "Entrypoint", "Healthcheck"},
	Doc: diagnose.Doc{
		What: "Flags `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` written in shell form (a plain command line) " +
			"instead of exec form (a JSON array of strings). A stage that sets its own `SHELL` (or inherits one from " +
			"an earlier stage it is built `FROM`) is not flagged: choosing a shell there is deliberate. Nor is a " +
			"`HEALTHCHECK CMD` that uses the shell (`curl -f http://localhost/ || exit 1`, as Docker's reference " +
			"writes it; `&&`, pipes, redirections, variables): the probe is not the main process, and " +
			"`[\"/bin/sh\", \"-c\", ...]` would only spell out the same shell. A command that looks like a JSON " +
			"array but is not valid JSON (single quotes, a trailing comma, a Windows path such as " +
			"`[\"C:\\app.exe\"]`, where a backslash starts a JSON escape) runs as a shell command; it is flagged " +
			"everywhere, with a `SHELL`, on Windows images and with the backtick escape too, and the message says " +
			"what is wrong. `ONBUILD CMD` and an empty `CMD` are ignored.",
		Why: "Docker runs a shell-form command as `/bin/sh -c \"your command\"`. The shell becomes the main process " +
			"(PID 1) and your program only its child. `docker stop` sends SIGTERM to PID 1; the shell neither handles " +
			"it nor passes it on, so your program never hears about the stop, cannot shut down cleanly, and is killed " +
			"with SIGKILL after the timeout (10 seconds by default). Some shells do hand over to a lone command by " +
			"themselves, but that depends on the shell in the image and never happens for `a && b`. " +
			"A shell-form `ENTRYPOINT` also silently drops " +
			"the arguments of `CMD` and of `docker run image ARGS`. With the exec form Docker starts your program " +
			"directly, as PID 1, and it receives signals and arguments. For `HEALTHCHECK` the exec form simply runs the " +
			"probe without a shell in between, so it also works in images that have no `/bin/sh`.",
		Bad:  "CMD python app.py\nENTRYPOINT gunicorn --bind 0.0.0.0:$PORT app:wsgi",
		Good: "CMD [\"python\", \"app.py\"]\nENTRYPOINT [\"/bin/sh\", \"-c\", \"exec gunicorn --bind 0.0.0.0:$PORT app:wsgi\"]",
		Fix: "How the command is rewritten depends on what it uses from the shell:\n" +
			"- Only plain words (no `$VAR`, globs, redirections, `&&`, `|`, `;`, `~`): the words become a JSON array " +
			"with the shell's quotes removed, `CMD python app.py` becomes `CMD [\"python\", \"app.py\"]`. A leading " +
			"`exec` is dropped, since the exec form already replaces the shell. The only change is that the program " +
			"now runs as PID 1 and gets stop signals, which is the point of the rule. This fix is safe, except when the result would start " +
			"receiving arguments it did not get before: a `CMD` in a stage that has an `ENTRYPOINT` (the words are now " +
			"passed to the entrypoint instead of `/bin/sh -c ...`), or an `ENTRYPOINT` in a stage that has a `CMD` " +
			"(its arguments are now appended). Those are offered as unsafe. An `ENTRYPOINT` also starts receiving " +
			"`docker run` arguments that were ignored before. If a base image you pull has an `ENTRYPOINT`, the same " +
			"applies to `CMD`; dockdoc cannot see that, so check it.\n" +
			"- One command that needs the shell (variables, redirections, `VAR=x cmd`): unsafe fix " +
			"`[\"/bin/sh\", \"-c\", \"exec <command>\"]`. The shell still expands variables, then `exec` replaces it " +
			"with your program so signals reach it.\n" +
			"- A chain `a && b && cmd` ending in one command: unsafe fix `[\"/bin/sh\", \"-c\", \"a && b && exec cmd\"]`.\n" +
			"- Anything else (pipes, `;`, `if`, loops): unsafe fix that wraps the command unchanged in " +
			"`[\"/bin/sh\", \"-c\", \"...\"]`. It silences the warning but signals still stop at the shell; consider " +
			"moving the logic into an entrypoint script that ends with `exec`.\n" +
			"The `/bin/sh -c` fixes are unsafe because they name `/bin/sh` explicitly, while shell form would use a " +
			"`SHELL` set by the base image. A `HEALTHCHECK` of plain words gets its exact JSON form; one with a trailing " +
			"comment gets no fix. A shell-form " +
			"command that spans lines with comment lines in between is rewritten on one line, dropping those comments, " +
			"so that fix is unsafe too. Files using the backtick escape (Windows) and Windows base images get no fix, " +
			"nor does a command that is not valid JSON: only its author knows what was meant.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#shell-and-exec-form",
			"https://docs.docker.com/reference/build-checks/json-args-recommended/",
			"https://github.com/hadolint/hadolint/wiki/DL3025",
		},
	},
	Check: checkExecFormCommand,
})

func checkExecFormCommand(p *diagnose.Pass) {
	d := p.Doc
	for _, in := range d.Instructions {
		switch in.Keyword {
		case "cmd", "entrypoint", "healthcheck":
		default:
			continue
		}
		if in.IsExecForm() || len(in.Heredocs) > 0 {
			continue
		}
		// Locate the command text (logical offsets) after the keyword,
		// flags and, for HEALTHCHECK, the CMD word.
		cmdStart := -1
		words := in.Words()
		i := 1
		for i < len(words) && strings.HasPrefix(words[i].Text, "--") {
			i++
		}
		if in.Keyword == "healthcheck" {
			if i >= len(words) || !strings.EqualFold(words[i].Text, "cmd") {
				continue // HEALTHCHECK NONE
			}
			i++
		}
		if i < len(words) {
			cmdStart = words[i].Span.Start
		}
		if cmdStart < 0 {
			continue // empty command
		}
		text := strings.TrimRight(in.Logical[cmdStart:], " \t")
		kw := strings.ToUpper(in.Keyword)
		if in.Keyword == "healthcheck" {
			kw = "HEALTHCHECK CMD"
		}
		span := diagnose.Span{Start: in.Orig(cmdStart), End: in.TextEnd}
		// A failed exec form is a mistake whatever the shell, Windows too.
		if looksLikeJSON(text) {
			p.Report(span, "%s looks like a JSON array but is not valid JSON, so it runs as a shell command; %s",
				kw, jsonMistake(text))
			continue
		}
		if mainproc.StageChainHas(d, in, "shell", true) {
			continue
		}
		var script *diagnose.Script
		if d.Escape == '\\' {
			if in.Keyword == "healthcheck" {
				script = diagnose.ParseScript(in.Logical[cmdStart:], func(o int) int { return in.Orig(cmdStart + o) })
			} else if ss := in.Scripts(d); len(ss) == 1 {
				script = ss[0]
			}
		}
		// A probe that uses the shell (`curl -f url || exit 1`, the form
		// Docker documents) needs it: the shell is no PID 1 there, and
		// ["/bin/sh", "-c", ...] would only spell out the same thing.
		if in.Keyword == "healthcheck" && script != nil && needsShell(script) {
			continue
		}
		var f *diagnose.Finding
		switch in.Keyword {
		case "cmd":
			if in.Stage != nil && images.ShIsBash(images.RootImage(in.Stage).Image) && loneCommand(script) {
				base := images.RootImage(in.Stage)
				// bash runs a lone simple command given with -c in its own
				// place (it execs it): the program does get the signals.
				f = p.Report(span, "CMD in shell form runs through /bin/sh -c; on %s /bin/sh is bash, which runs a lone "+
					"command in its own place, so signals reach the program, but exec form does not depend on that", base.Image)
				f.SetSeverity(diagnose.Info)
				break
			}
			f = p.Report(span, "CMD in shell form runs under /bin/sh -c, which does not pass stop signals on to the program")
		case "entrypoint":
			f = p.Report(span, "ENTRYPOINT in shell form runs under /bin/sh -c: the program misses stop signals "+
				"and CMD or docker run arguments are ignored")
		default:
			f = p.Report(span, "HEALTHCHECK CMD in shell form runs the probe through /bin/sh -c; the JSON form runs it directly")
		}
		if script == nil || mainproc.WindowsBase(d, in) {
			continue
		}
		addFix(p, f, in, script, span)
	}
}

// addFix decides which rewrite fits the command and offers it.
func addFix(p *diagnose.Pass, f *diagnose.Finding, in *diagnose.Instruction, s *diagnose.Script, span diagnose.Span) {
	kw := strings.ToUpper(in.Keyword)
	health := in.Keyword == "healthcheck"
	if health {
		kw = "HEALTHCHECK"
	}
	dropsComments := p.Doc.HasCommentLines(span)
	src := strings.TrimRight(s.Src, " \t")
	stmts := s.File.Stmts
	if len(stmts) == 0 {
		return // only a comment: nothing to run
	}

	// Plain words: the exact JSON array.
	// (A shell comment after the command would be lost: not plain.)
	trailing := strings.TrimSpace(src[min(int(stmts[len(stmts)-1].End().Offset()), len(src)):])
	if len(stmts) == 1 && trailing == "" {
		if words, ok := mainproc.PlainWords(stmts[0]); ok {
			app := fixes.Safe
			note := ""
			switch {
			case dropsComments:
				app = fixes.Unsafe
				note = "The comment lines inside the instruction are removed."
			case in.Keyword == "cmd" && mainproc.StageChainHas(p.Doc, in, "entrypoint", false):
				app = fixes.Unsafe
				note = "This stage has an ENTRYPOINT: it will now receive these words as its arguments " +
					"instead of /bin/sh -c and the command line."
			case in.Keyword == "entrypoint" && stageHasCmd(in):
				app = fixes.Unsafe
				note = "This stage has a CMD: its arguments, ignored until now, will be appended to the entrypoint's."
			}
			fx := f.AddFix("Rewrite "+kw+" in exec form", app, diagnose.Replace(span, mainproc.JSON(words)))
			fx.Note = note
			return
		}
	}

	if health {
		return // a probe with a trailing comment: JSON would drop it
	}

	// One command, or an && chain ending in one: exec the last command.
	if len(stmts) == 1 {
		st := stmts[0]
		var last *syntax.Stmt
		switch c := st.Cmd.(type) {
		case *syntax.CallExpr:
			last = st
		case *syntax.BinaryCmd:
			if c.Op == syntax.AndStmt && !st.Negated && !st.Background && !st.Coprocess && len(st.Redirs) == 0 {
				last = c.Y
			}
		}
		if last != nil && !last.Negated && !last.Background && !last.Coprocess {
			if call, ok := last.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 {
				prog, lit := diagnose.LiteralWord(call.Args[0])
				if lit && prog == "exec" {
					f.AddFix("Wrap "+kw+" in an explicit /bin/sh -c", fixes.Unsafe,
						diagnose.Replace(span, mainproc.JSON([]string{"/bin/sh", "-c", src})))
					return
				}
				if !lit || !mainproc.Builtins[prog] {
					at := int(call.Args[0].Pos().Offset())
					cmd := src[:at] + "exec " + src[at:]
					title := "Run " + kw + " through /bin/sh -c with exec"
					f.AddFix(title, fixes.Unsafe, diagnose.Replace(span, mainproc.JSON([]string{"/bin/sh", "-c", cmd})))
					return
				}
			}
		}
	}

	// Anything else: wrap it as it is.
	fx := f.AddFix("Wrap "+kw+" in an explicit /bin/sh -c", fixes.Unsafe,
		diagnose.Replace(span, mainproc.JSON([]string{"/bin/sh", "-c", src})))
	if !endsInExec(stmts[len(stmts)-1]) {
		fx.Note = "The shell stays the main process, so stop signals still do not reach the program; " +
			"move the commands into a script that ends with exec."
	}
}

// needsShell reports whether a script uses the shell for more than
// splitting words: anything but one plain command (operators such as ||,
// && and |, redirections, variables, globs, ~, VAR=x prefixes, ;).
func needsShell(s *diagnose.Script) bool {
	if len(s.File.Stmts) != 1 {
		return len(s.File.Stmts) > 1
	}
	_, plain := mainproc.PlainWords(s.File.Stmts[0])
	return !plain
}

// jsonMistake says what keeps text, which looks like a JSON array, from
// being JSON: a backslash that starts no JSON escape (a Windows path such
// as C:\app.exe: JSON needs C:\\app.exe), single quotes, or else
// probably the quotes or commas.
func jsonMistake(text string) string {
	in := false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"':
			in = !in
		case c == '\\' && in:
			if i+1 < len(text) && strings.IndexByte(`"\\/bfnrtu`, text[i+1]) >= 0 {
				i++
				continue
			}
			return "in JSON a backslash starts an escape sequence, so write each \\ in a path as \\\\ " +
				"(C:\\\\app.exe) or use forward slashes"
		}
	}
	if strings.Contains(text, "'") && !strings.Contains(text, "\"") {
		return "JSON strings need double quotes, not single quotes"
	}
	return "check the quotes (JSON needs double quotes) and commas"
}

// endsInExec reports whether the last command a statement runs is
// already started with exec.
func endsInExec(st *syntax.Stmt) bool {
	for {
		switch c := st.Cmd.(type) {
		case *syntax.BinaryCmd:
			if c.Op == syntax.Pipe || c.Op == syntax.PipeAll {
				return false
			}
			st = c.Y
		case *syntax.CallExpr:
			if len(c.Args) == 0 {
				return false
			}
			v, ok := diagnose.LiteralWord(c.Args[0])
			return ok && v == "exec"
		default:
			return false
		}
	}
}

// stageHasCmd reports whether in's own stage has a CMD (BuildKit
// drops an inherited CMD when a stage sets ENTRYPOINT without one).
func stageHasCmd(in *diagnose.Instruction) bool {
	if in.Stage == nil {
		return false
	}
	for _, o := range in.Stage.Instrs {
		if o.Keyword == "cmd" {
			return true
		}
	}
	return false
}

// looksLikeJSON tells a failed attempt at the exec form (`['a', 'b']`,
// `["a", "b"] # note`) from a shell command starting with the `[` test
// command (`[ -f /x ] && run`) or bash's `[[`.
func looksLikeJSON(text string) bool {
	if !strings.HasPrefix(text, "[") || strings.HasPrefix(text, "[[") || len(text) < 2 {
		return false
	}
	if text[1] != ' ' && text[1] != '\t' {
		return true
	}
	return strings.Contains(text, "\",") || strings.Contains(text, "',")
}

// loneCommand reports whether a script is one simple command with no
// redirection, pipe or list: what bash's -c runs by exec.
func loneCommand(s *diagnose.Script) bool {
	if s == nil || len(s.File.Stmts) != 1 {
		return false
	}
	st := s.File.Stmts[0]
	if st.Background || st.Coprocess || st.Negated || len(st.Redirs) > 0 {
		return false
	}
	_, ok := st.Cmd.(*syntax.CallExpr)
	return ok
}
