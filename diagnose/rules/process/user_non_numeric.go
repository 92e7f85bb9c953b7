package process

import (
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/diagnose/images"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD066",
	Name:     "user-non-numeric",
	Severity: diagnose.Info,
	Category: diagnose.Security,
	Aliases:  []string{"DL3066"},
	Summary:  "the final USER names a user instead of a numeric uid",
	Fixable:  diagnose.FixNone,
	Changes:  []string{"User"},
	Doc: diagnose.Doc{
		What: "Flags the `USER` the container runs as (the last one of the final stage, or of the stage it builds " +
			"on) when its user part is a name (`USER app`, `USER app:app`) rather than a number (`USER 10001`, " +
			"`USER 10001:10001`). A `USER` built from a variable (`USER ${APP_UID}`) is not flagged, since its value " +
			"comes from an `ARG` or `ENV`. `USER root` is left to DD013 (final-stage-root). Earlier `USER` lines, " +
			"such as `USER root` around an install step, are not flagged: only the user the container starts " +
			"with matters. (hadolint 2.15 flags every `USER`; its pull request #1239 narrows that to the last one, as " +
			"dockdoc does.) " +
			"Windows images are left alone.",
		Why: "Outside the image nobody can look the name up. Kubernetes' `runAsNonRoot: true` has to prove that " +
			"the container does not run as uid 0, and with a user name it cannot, so it refuses to start the pod " +
			"(\"image has non-numeric user ... cannot verify user is non-root\"). A numeric uid also keeps file " +
			"ownership on mounted volumes predictable across hosts.",
		Bad:  "FROM debian:bookworm-slim\nRUN useradd -u 10001 -m app\nUSER app",
		Good: "FROM debian:bookworm-slim\nRUN useradd -u 10001 -m app\nUSER 10001",
		Fix: "No automatic fix: the uid behind a name lives in the image's `/etc/passwd`, which dockdoc cannot read. " +
			"When this file creates the user with an explicit uid (`useradd -u 10001 app`, `adduser -u 10001 app`), " +
			"the message names it: write that number.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#user",
			"https://kubernetes.io/docs/concepts/security/pod-security-standards/",
			"https://github.com/hadolint/hadolint/wiki/DL3066",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		if len(d.Stages) == 0 {
			return
		}
		final := d.Stages[len(d.Stages)-1]
		if images.WindowsStage(d, final) {
			return
		}
		var user *diagnose.Instruction
		for s, i := final, 0; s != nil && user == nil && i < 64; s, i = s.Parent, i+1 {
			for _, in := range s.Instrs {
				if in.Keyword == "user" && in.Node.Next != nil {
					user = in
				}
			}
		}
		if user == nil {
			return
		}
		words := user.Words()
		if len(words) < 2 {
			return
		}
		raw := user.Node.Next.Value
		val, hasVar, ok := buildvars.Lex(raw, d.Escape)
		if !ok || hasVar {
			return
		}
		name, _, _ := strings.Cut(val, ":")
		if name == "" || name == "root" || allDigits(name) {
			return
		}
		span := user.OrigSpan(diagnose.Span{Start: words[1].Span.Start, End: words[len(words)-1].Span.End})
		hint := ""
		if uid, line := createdUID(d, final, name); uid != "" {
			hint = "; line " + strconv.Itoa(line) + " creates " + name + " with uid " + uid + ", so USER " + uid + " is the same user"
		}
		p.Report(span, "the container runs as the user name %q: Kubernetes' runAsNonRoot cannot check a name, "+
			"only a numeric uid%s", name, hint)
	},
})

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// createdUID finds a useradd / adduser in the RUNs of a stage (or the
// stages it builds on) that creates name with an explicit numeric uid.
func createdUID(d *diagnose.Document, st *diagnose.Stage, name string) (uid string, line int) {
	for s, i := st, 0; s != nil && i < 64; s, i = s.Parent, i+1 {
		for _, in := range s.Instrs {
			if in.Keyword != "run" {
				continue
			}
			for _, c := range in.Commands(d) {
				if n := c.Name(); n != "useradd" && n != "adduser" {
					continue
				}
				last := len(c.Words) - 1
				if last <= c.Prog || !c.Lit[last] || c.Words[last] != name {
					continue
				}
				for j := c.Prog + 1; j < last; j++ {
					w := c.Words[j]
					v := ""
					switch {
					case (w == "-u" || w == "--uid") && c.Lit[j+1]:
						v = c.Words[j+1]
					case strings.HasPrefix(w, "--uid="):
						v = strings.TrimPrefix(w, "--uid=")
					case strings.HasPrefix(w, "-u") && len(w) > 2 && !strings.HasPrefix(w, "--"):
						v = w[2:]
					}
					if allDigits(v) {
						uid, line = v, in.StartLine
					}
				}
			}
		}
	}
	return uid, line
}
