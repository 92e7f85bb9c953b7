package mainproc

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// Plan is the analysis of a stage's main command shared by DD021 and
// DD022.
type Plan struct {
	Cmd  *Command
	Info *StageInfo
	Wrap *Wrapper // nil when the program is started directly
	// P is the real program's words: Wrap.Prog followed by
	// Cmd.Words[Wrap.End:] (Cmd.Words without a wrapper); nil when the
	// wrapper's program is unknown. P[:nProg] comes from the wrapper.
	P     []string
	PLit  []bool
	NProg int
	Dev   []DevIssue
	// start is the start script's command, used instead of a dev script's
	// hardened command (npm run dev → what npm start runs).
	start []string
}

// PlanFor analyses the main command of stage st, or returns nil.
func PlanFor(d *diagnose.Document, st *diagnose.Stage) *Plan {
	c := MainCommand(d, st)
	if c == nil {
		return nil
	}
	pl := &Plan{Cmd: c, Info: InfoOf(d, c.In.Stage)}
	w := findWrapper(d, pl.Info, c.Words, c.Lit, 0)
	pl.Wrap = w
	switch {
	case w == nil:
		pl.P, pl.PLit = c.Words, c.Lit
	case w.Resolved:
		pl.NProg = len(w.Prog)
		pl.P = append(append([]string(nil), w.Prog...), c.Words[w.End:]...)
		pl.PLit = append(allLit(len(w.Prog)), c.Lit[w.End:]...)
	}
	if pl.P == nil {
		return pl
	}
	dev := DevIssues(pl.Info, pl.P, pl.PLit)
	if w == nil {
		pl.Dev = dev
		return pl
	}
	for _, is := range dev {
		if is.At < pl.NProg {
			if w.Script == "" {
				continue // in words dockdoc wrote itself (python -m): nothing to report
			}
			is.InScript = true
		}
		pl.Dev = append(pl.Dev, is)
	}
	for _, is := range pl.Dev {
		// (npx's own objection, a package it may download, no longer
		// matters once DD022 has made the program plain node)
		if is.Node && (w.NoFix == "" || (w.Kind == "npx" && !strings.HasSuffix(w.Label, "dlx"))) {
			w.NoFix = "it starts a development server or watcher (see DD022), which has to be replaced, not just unwrapped"
			w.DevOnly = true
		}
	}
	// npm run dev whose script only needs a fix: prefer what npm start runs.
	if w.Script != "" && w.Script != "start" && d.Ctx != nil && d.Ctx.Package != nil {
		if s := diagnose.ParseScript(d.Ctx.Package.Scripts["start"], func(int) int { return 0 }); s != nil && len(s.File.Stmts) == 1 {
			if words, ok := PlainWords(s.File.Stmts[0]); ok && path.Base(words[0]) == "node" &&
				len(DevIssues(pl.Info, words, allLit(len(words)))) == 0 {
				pl.start = words
			}
		}
	}
	if w.NoFix == "" && w.pkgBin {
		if hp, ok := pl.HardenedP(); ok && len(hp) > 0 && path.Base(hp[0]) != "node" {
			if pl.Info.Workdir == "" {
				w.NoFix = "the stage sets no absolute WORKDIR, so dockdoc cannot tell where node_modules/.bin is"
			} else {
				w.PathDir = path.Join(pl.Info.Workdir, "node_modules", ".bin")
			}
		}
	}
	return pl
}

// devEdits returns the edits of every dev issue that has a fix, split into
// those inside the wrapper's program (P[:nProg]) and the others.
func (pl *Plan) devEdits() (inProg, rest []WordEdit) {
	for _, is := range pl.Dev {
		if is.Title == "" {
			continue
		}
		for _, e := range is.Edits {
			switch {
			case e.To <= pl.NProg:
				inProg = append(inProg, e)
			case e.From >= pl.NProg:
				rest = append(rest, e)
			}
		}
	}
	return inProg, rest
}

// HardenedProg is the wrapper's program part with its dev fixes applied
// (or the start script's command, for a dev script).
func (pl *Plan) HardenedProg() ([]string, bool) {
	in, _ := pl.devEdits()
	if len(in) > 0 && pl.start != nil {
		return pl.start, true
	}
	return applyWords(pl.P[:pl.NProg], in)
}

// HardenedP is P with every dev fix applied.
func (pl *Plan) HardenedP() ([]string, bool) {
	prog, ok := pl.HardenedProg()
	if !ok {
		return nil, false
	}
	_, rest := pl.devEdits()
	tail, ok := applyWords(pl.P, rest)
	if !ok {
		return nil, false
	}
	return append(append([]string(nil), prog...), tail[pl.NProg:]...), true
}

// ToWords maps edits on P (at or after nProg) to edits on Cmd.Words.
func (pl *Plan) ToWords(edits []WordEdit) []WordEdit {
	off := 0
	if pl.Wrap != nil {
		off = pl.Wrap.End - pl.NProg
	}
	out := make([]WordEdit, len(edits))
	for i, e := range edits {
		out[i] = WordEdit{e.From + off, e.To + off, e.New}
	}
	return out
}

// DropsWrapperByDev reports whether DD022's fixes replace the wrapper: a
// Node launcher whose dev program becomes plain node (npm run dev with
// nodemon server.js → node server.js).
func (pl *Plan) DropsWrapperByDev() bool {
	w := pl.Wrap
	if w == nil || !w.DevOnly || !w.Node || !w.Resolved {
		return false
	}
	for _, is := range pl.Dev {
		if is.Node && is.Title == "" {
			return false
		}
	}
	hp, ok := pl.HardenedP()
	return ok && len(hp) > 0 && path.Base(hp[0]) == "node"
}

// ConvergedEdits are the edits on Cmd.Words that DD021's and DD022's
// fixes add up to, whatever their order, and the directory to put on PATH.
func (pl *Plan) ConvergedEdits() ([]WordEdit, string, bool) {
	w := pl.Wrap
	switch {
	case w == nil:
		_, rest := pl.devEdits()
		return rest, "", true
	case w.NoFix == "" || pl.DropsWrapperByDev():
		prog, ok := pl.HardenedProg()
		if !ok {
			return nil, "", false
		}
		_, rest := pl.devEdits()
		edits := append([]WordEdit{{w.Start, w.End, prog}}, pl.ToWords(rest)...)
		if _, ok := mergeEdits(edits); !ok {
			return nil, "", false
		}
		dir := w.PathDir
		if w.NoFix != "" {
			dir = ""
		}
		return edits, dir, true
	}
	return nil, "", false
}

// HardenedCommand is the start command as dockdoc's fixes leave it.
type HardenedCommand struct {
	In      *diagnose.Instruction // the CMD or ENTRYPOINT it comes from
	Words   []string              // the whole exec-form array (an init such as tini -- included)
	PathDir string                // a directory the command needs on PATH ("" none)
	Changed bool                  // the words differ from the command as written
}

// Hardened returns the command the final stage st starts with,
// as DD021 (wrapper stripped) and DD022 (development flags dropped) leave
// it, in exec form, and the directory that must go on PATH for it. ok is
// false when there is no command, when it needs a shell (variables,
// `a && b`) and is not already a /bin/sh -c array, or when a wrapper or dev
// server is in the way that dockdoc cannot replace (go run, next dev, a
// package.json script it cannot read).
func Hardened(d *diagnose.Document, st *diagnose.Stage) (HardenedCommand, bool) {
	pl := PlanFor(d, st)
	if pl == nil {
		return HardenedCommand{}, false
	}
	c := pl.Cmd
	edits, dir, ok := pl.ConvergedEdits()
	if !ok {
		return HardenedCommand{}, false
	}
	h := HardenedCommand{In: c.In, PathDir: dir, Changed: len(edits) > 0}
	switch c.Form {
	case Exec:
		words, ok := applyWords(c.Words, edits)
		if !ok {
			return HardenedCommand{}, false
		}
		h.Words = append(append([]string(nil), c.Elems[:c.First]...), words...)
	case Shell:
		words, ok := applyWords(c.Words, edits)
		if !ok || !c.Plain {
			return HardenedCommand{}, false
		}
		h.Words = append(append([]string(nil), c.Prefix...), words...)
	case shellC:
		words, ok := c.shellCWords(edits)
		if !ok {
			return HardenedCommand{}, false
		}
		h.Words = words
	}
	if len(h.Words) == 0 {
		return HardenedCommand{}, false
	}
	// Stripping a launcher may uncover another one (uv run yarn dev): the
	// fixes would need more rounds, and may not get anywhere. Not ok.
	if h.Changed && pl.Wrap != nil {
		words, lit := mainWordsOf(h.Words)
		if findWrapper(d, pl.Info, words, lit, 0) != nil {
			return HardenedCommand{}, false
		}
	}
	return h, true
}

// mainWordsOf returns the program words of an exec-form array: after an
// init, or the main command of a /bin/sh -c script.
func mainWordsOf(arr []string) ([]string, []bool) {
	if len(arr) >= 3 && shells[path.Base(arr[0])] && arr[1] == "-c" {
		s := diagnose.ParseScript(arr[2], func(int) int { return 0 })
		if s == nil {
			return nil, nil
		}
		call, i, ok := mainCall(s)
		if !ok {
			return nil, nil
		}
		var words []string
		var lit []bool
		for _, w := range call.Args[i:] {
			v, ok := diagnose.LiteralWord(w)
			words, lit = append(words, v), append(lit, ok)
		}
		return words, lit
	}
	words := arr[skipInit(arr):]
	return words, allLit(len(words))
}

// Normalized returns the exec-form words the final stage st
// should start with: its CMD or ENTRYPOINT with the wrapper stripped (uv
// run, poetry run, npm start, ...) and development flags dropped
// (--reload, --debug, nodemon → node), exactly as DD021 and DD022 leave
// it. ok is false when there is no command or dockdoc cannot determine it
// (see Hardened, which also says what must go on PATH).
func Normalized(d *diagnose.Document, st *diagnose.Stage) (words []string, ok bool) {
	h, ok := Hardened(d, st)
	if !ok {
		return nil, false
	}
	return h.Words, true
}
