package files

import (
	"path"
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD010",
	Name:     "workdir-relative",
	Severity: diagnose.Error,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3000", "WorkdirRelativePath"},
	Summary:  "WORKDIR uses a relative path",
	Fixable:  diagnose.FixSometimes,
	Changes:  []string{"WorkingDir"},
	Doc: diagnose.Doc{
		What: "Flags a `WORKDIR` whose path is relative, such as `WORKDIR app`. Absolute paths (`/app`), Windows " +
			"paths with a drive (`C:\\app`, `C:/app`) and paths that start with a variable (`$HOME/app`, " +
			"`${APP_DIR}`) are accepted; quotes around the path are looked through. BuildKit's WorkdirRelativePath " +
			"warns only on the first relative `WORKDIR` of a stage that no earlier `WORKDIR` set; dockdoc also " +
			"reports the later ones, whose absolute path it can write for you, and it accepts a Windows drive path " +
			"that BuildKit, judging by Linux rules, calls relative. A fragment without `FROM` is checked like the " +
			"start of a stage, as hadolint does.",
		Why: "A relative `WORKDIR` is joined to the working directory that is current at that point. When an earlier " +
			"`WORKDIR` in the stage set it, a reader has to find that line and do the join in their head to know " +
			"where `RUN`, `COPY` and `CMD` happen. When nothing earlier set it, it comes from the base image, which " +
			"this file does not show and which can change when the image is updated: `WORKDIR app` means `/app` on " +
			"one image and `/home/node/app` on another. Writing the absolute path makes the line mean the same thing " +
			"everywhere.",
		Bad:  "FROM node:22-alpine\nWORKDIR app\nWORKDIR src",
		Good: "FROM node:22-alpine\nWORKDIR /app\nWORKDIR /app/src",
		Fix: "Replaces the path with the absolute path it resolves to. When an earlier `WORKDIR` of the stage " +
			"gives a literal absolute path, or the stage starts from `scratch` (which starts at `/`) or from an " +
			"earlier stage whose working directory is known, the result is computed exactly (`..` and `.` " +
			"included) and the fix is safe: the build uses the same directory as before. When the working " +
			"directory comes from a base image dockdoc cannot see, the fix writes `/` in front of the path, " +
			"assuming the image starts at `/`; that is only a guess, so the fix is unsafe: check the base image " +
			"(`docker inspect --format '{{.Config.WorkingDir}}' IMAGE`) first. No fix is offered when an earlier " +
			"`WORKDIR` uses a variable, or for Windows images.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#workdir",
			"https://docs.docker.com/reference/build-checks/workdir-relative-path/",
			"https://github.com/hadolint/hadolint/wiki/DL3000",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		// A fragment (no FROM yet, as in a file of snippets or an
		// included part) is read as the start of a stage on an unknown
		// image, as hadolint does.
		frag := state{dir: "/", k: assumed, fromBase: true, windows: d.Escape == '`'}
		for _, in := range d.Instructions {
			if in.Stage != nil {
				break
			}
			if in.Keyword == "workdir" && in.Node.Next != nil {
				frag = check(p, in, frag)
			}
		}
		ends := map[*diagnose.Stage]state{}
		for _, st := range d.Stages {
			ws := start(d, st, ends)
			for _, in := range st.Instrs {
				if in.Keyword != "workdir" || in.Node.Next == nil {
					continue
				}
				ws = check(p, in, ws)
			}
			ends[st] = ws
		}
	},
})

// knowledge says how much dockdoc knows of the working directory at
// a point of a stage.
type knowledge int

const (
	unknown knowledge = iota // set by a variable, or Windows
	assumed                  // derived from the base image's, assumed to be /
	known                    // exact
)

type state struct {
	dir     string // clean absolute POSIX path when known or assumed
	k       knowledge
	windows bool
	// fromBase is true until a WORKDIR of the stage itself is seen.
	fromBase bool
}

var driveLetterRe = regexp.MustCompile(`^["']?[A-Za-z]:`)

var windowsImageRe = regexp.MustCompile(`(?i)windows|nanoserver|servercore`)

// start is the working directory a stage starts with.
func start(d *diagnose.Document, st *diagnose.Stage, ends map[*diagnose.Stage]state) state {
	ws := state{dir: "/", k: assumed, fromBase: true}
	if d.Escape == '`' || windowsImageRe.MatchString(st.From.Logical) {
		ws.windows = true
	}
	// An image named by a variable is treated like any other image: its
	// working directory is unknown, and assumed to be /.
	switch {
	case strings.EqualFold(st.Image, "scratch"):
		ws.k = known
	default:
		if base := d.StageByName(st.Image, st.Index); base != nil {
			end := ends[base]
			ws.dir, ws.k = end.dir, end.k
			ws.windows = ws.windows || end.windows
		}
	}
	return ws
}

// word is a WORKDIR argument read the way BuildKit reads it.
type word struct {
	value  string // after quote removal, variables expanded to ""
	hasVar bool
	ok     bool // the lexer read it
}

func read(raw string, esc byte) word {
	lex := shell.NewLex(rune(esc))
	res, err := lex.ProcessWordWithMatches(raw, shell.EnvsFromSlice(nil))
	if err != nil {
		return word{}
	}
	return word{value: res.Result, hasVar: len(res.Matched)+len(res.Unmatched) > 0, ok: true}
}

// isAbs reports whether a WORKDIR argument counts as absolute:
// it starts with / (after quotes), with a Windows drive, or with a variable.
func isAbs(raw string, w word, esc byte) bool {
	bare := strings.TrimLeft(raw, `"'`)
	if strings.HasPrefix(bare, "/") || strings.HasPrefix(bare, "$") || driveLetterRe.MatchString(raw) {
		return true
	}
	if esc == '`' && strings.HasPrefix(bare, `\`) {
		return true // a rooted Windows path
	}
	return w.ok && strings.HasPrefix(w.value, "/")
}

// quote writes s as a WORKDIR argument BuildKit reads back as s.
func quote(s string, esc byte) string {
	if !strings.ContainsAny(s, " \t\"'$`\\") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '$' || c == esc {
			b.WriteByte(esc)
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// windowsShell reports whether the stage's SHELL at in is a Windows
// one (cmd, PowerShell).
func windowsShell(in *diagnose.Instruction) bool {
	sh := in.ShellFor()
	base := strings.ToLower(path.Base(strings.ReplaceAll(sh[0], `\`, "/")))
	switch strings.TrimSuffix(base, ".exe") {
	case "cmd", "powershell", "pwsh":
		return true
	}
	return false
}

// check reports in if its path is relative and returns the working
// directory after it.
func check(p *diagnose.Pass, in *diagnose.Instruction, ws state) state {
	d := p.Doc
	raw := in.Node.Next.Value
	w := read(raw, d.Escape)
	prev := ws
	next := ws
	next.fromBase = false
	windows := ws.windows || driveLetterRe.MatchString(raw) || windowsShell(in)
	if windows {
		next.windows = true
		next.k = unknown
	}

	if isAbs(raw, w, d.Escape) {
		if !windows && w.ok && !w.hasVar && strings.HasPrefix(w.value, "/") {
			next.dir, next.k = path.Clean(w.value), known
		} else {
			next.k = unknown
		}
		return next
	}

	// A relative path: where does it lead?
	var target string
	switch {
	case windows || !w.ok || prev.k == unknown:
		next.k = unknown
	case w.hasVar:
		// Keep the text as written after the directory: cleaning across a
		// variable could remove a ".." the variable's value needs.
		prefix := prev.dir
		if prefix != "/" {
			prefix += "/"
		}
		target = quote(prefix, d.Escape) + raw
		next.k = unknown
	default:
		next.dir = path.Join(prev.dir, w.value)
		target = quote(next.dir, d.Escape)
	}

	// The path's span: the instruction's arguments, trailing blanks trimmed.
	args, start := in.Args()
	trimmed := strings.TrimRight(args, " \t")
	span := in.OrigSpan(diagnose.Span{Start: start, End: start + len(trimmed)})
	if trimmed != raw {
		target = "" // the mapping does not match the parser's view: no fix
	}

	hint := ""
	if strings.HasPrefix(w.value, "~") {
		hint = "; note that WORKDIR does not expand ~ to a home directory"
	}
	switch {
	case prev.k == known && !prev.fromBase:
		f := p.Report(span, "WORKDIR %s is relative: it resolves against the earlier WORKDIR (%s); write the absolute path%s", raw, prev.dir, hint)
		if target != "" {
			f.AddFix("Make the path absolute: "+target, fixes.Safe, diagnose.Replace(span, target))
		}
	case prev.k == known:
		f := p.Report(span, "WORKDIR %s is relative: it resolves against the working directory the stage starts with (%s); write the absolute path%s", raw, prev.dir, hint)
		if target != "" {
			f.AddFix("Make the path absolute: "+target, fixes.Safe, diagnose.Replace(span, target))
		}
	case prev.k == assumed || prev.fromBase:
		f := p.Report(span, "WORKDIR %s is relative: it depends on the base image's working directory, which this file does not show%s", raw, hint)
		if target != "" && prev.k == assumed {
			f.AddFix("Make the path absolute, assuming the base image's working directory is /", fixes.Unsafe, diagnose.Replace(span, target))
		}
	default:
		p.Report(span, "WORKDIR %s is relative: it is joined to the directory an earlier WORKDIR left, which is easy to misread; write the absolute path%s", raw, hint)
	}
	return next
}
