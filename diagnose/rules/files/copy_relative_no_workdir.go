package files

import (
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/diagnose/images"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD062",
	Name:     "copy-relative-no-workdir",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3045"},
	Summary:  "COPY to a relative destination before any WORKDIR",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags a `COPY` or `ADD` whose destination is relative (`.`, `app/`, `./config.yml`) when no " +
			"`WORKDIR` was set before it, neither earlier in its stage nor in the earlier stages it is built " +
			"`FROM`. Destinations that are absolute (`/app/`), start with a variable (`$APP_DIR/`) or a Windows " +
			"drive (`C:\\app`) are not flagged; quotes are looked through. Stages built `FROM scratch` (directly or " +
			"through earlier stages) are not flagged either: their working directory is known, it is `/`. " +
			"`ONBUILD COPY` is checked too: it runs in the image built on this one, so any `WORKDIR` of the stage, " +
			"or an `ONBUILD WORKDIR` before it, counts. " +
			"hadolint's DL3045 checks `COPY` only; dockdoc checks `ADD` too, since it places files the same way.",
		Why: "A relative destination is joined to the working directory, and before the first `WORKDIR` that is " +
			"whatever the base image set: `/` for `debian` or `alpine`, `/usr/src/app`, `/home/node` or `/go` for " +
			"others. The file does not show it, and a new base image tag can change it, so `COPY . .` may drop the " +
			"sources somewhere the `CMD` does not look. Setting `WORKDIR` first, or writing the absolute path, makes " +
			"the destination plain to see.",
		Bad:  "FROM python:3.12-slim\nCOPY requirements.txt .\nCOPY . app/",
		Good: "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nCOPY . .",
		Fix: "No automatic fix. DD010 (workdir-relative) guesses `/` for a relative " +
			"`WORKDIR`, but here the guess would do harm: it is wrong for images that set their own working " +
			"directory (`golang` works in `/go`, `php` in `/var/www/html`), and where it is right it turns " +
			"`COPY . .` into `COPY . /`, spreading the project over the image's root. The real repair is a " +
			"`WORKDIR` before the first `COPY`, and its path is your choice (`WORKDIR /app`); check what the base " +
			"image uses with `docker inspect --format '{{.Config.WorkingDir}}' IMAGE` if files must stay where " +
			"they are.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#copy",
			"https://docs.docker.com/reference/dockerfile/#workdir",
			"https://github.com/hadolint/hadolint/wiki/DL3045",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Stage != nil {
				break
			}
			if in.Keyword == "copy" || in.Keyword == "add" {
				checkRelativeDest(p, in) // before any FROM: hadolint checks these too
			}
		}
		hasWorkdir := map[*diagnose.Stage]bool{}
		for _, st := range d.Stages {
			set := st.Parent != nil && hasWorkdir[st.Parent]
			if strings.EqualFold(images.RootImage(st).Image, "scratch") {
				// A stage FROM scratch starts in /, and so does an image built
				// on it: the destination is known, whatever the file shows.
				hasWorkdir[st] = true
				continue
			}
			// An ONBUILD trigger runs in the image built on this one, which
			// starts in the working directory this stage ends with.
			final := set
			for _, in := range st.Instrs {
				if in.Keyword == "workdir" {
					final = true
				}
			}
			onbuildWorkdir := false
			for _, in := range st.Instrs {
				switch in.Keyword {
				case "workdir":
					set = true
				case "copy", "add":
					if !set {
						checkRelativeDest(p, in)
					}
				case "onbuild":
					switch buildvars.TriggerKeyword(in) {
					case "workdir":
						onbuildWorkdir = true
					case "copy", "add":
						if !final && !onbuildWorkdir {
							checkRelativeDest(p, in)
						}
					}
				}
			}
			hasWorkdir[st] = set
		}
	},
})

var relativeDriveRe = regexp.MustCompile(`^[A-Za-z]:`)

// checkRelativeDest reports in when its destination is relative.
func checkRelativeDest(p *diagnose.Pass, in *diagnose.Instruction) {
	d := p.Doc
	args := buildvars.ArgWords(d, in)
	if len(args) < 2 {
		return
	}
	dest := args[len(args)-1]
	bare := strings.TrimLeft(dest.Raw, `"'`)
	if strings.HasPrefix(bare, "/") || strings.HasPrefix(bare, "$") || strings.HasPrefix(bare, `\`) ||
		relativeDriveRe.MatchString(bare) || (dest.OK && strings.HasPrefix(dest.Value, "/")) {
		return
	}
	kw := strings.ToUpper(in.Keyword)
	if t := buildvars.TriggerKeyword(in); t != "" {
		kw = "ONBUILD " + strings.ToUpper(t)
	}
	p.Report(in.OrigSpan(dest.Span), "%s to the relative destination %s before any WORKDIR: the files land in the base image's working directory, which this file does not show", kw, dest.Raw)
}
