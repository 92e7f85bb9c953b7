package files

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/buildmodel"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD028",
	Name:     "dockerignore-incomplete",
	Severity: diagnose.Warning,
	Category: diagnose.Security,
	Summary:  "COPY . sends files .dockerignore should exclude",
	Fixable:  diagnose.FixAlways,
	Doc: diagnose.Doc{
		What: "Flags a `COPY .` (or `ADD .`) of the whole build context when the context has no `.dockerignore`, or one " +
			"that does not exclude what never belongs in an image: the host's virtual environment (`.venv`) and " +
			"`__pycache__` in a Python project, `node_modules` in a Node project, and in every project the `.git` " +
			"directory and `.env` files. dockdoc checks the patterns with BuildKit's own matcher, so `**/node_modules` " +
			"or `node_modules/` count.",
		Why: "`COPY . .` copies everything the build context holds. A host `.venv` or `node_modules` was built for your " +
			"machine (another OS, another Python or Node, other native modules): copied into the image it overwrites " +
			"or shadows the one the build installed, and the container fails in ways that depend on whose laptop built " +
			"it. `.git` makes the context slower to send and puts your whole history, including deleted secrets, into a " +
			"layer. `.env` files hold credentials. Every file in the context also takes part in the cache key, so the " +
			"layer is rebuilt whenever any of them changes.",
		Bad:  "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt",
		Good: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt",
		// The same Dockerfile: what changes is the .dockerignore beside it.
		Context:     map[string]string{"requirements.txt": "flask==3.1.0\n"},
		GoodContext: map[string]string{"requirements.txt": "flask==3.1.0\n", ".dockerignore": ".git\n.venv\n__pycache__\n.env\n"},
		Fix: "Creates `.dockerignore` or appends the missing entries to it; the preview and the write cover both files. " +
			"Two alternatives: the safe one adds only build artefacts (`.venv`, `__pycache__`, `node_modules`), which are " +
			"rebuilt inside the image anyway. The unsafe one also adds `.git` and `.env`: right for almost every project, " +
			"but a build that reads git metadata (a version from `git describe`) or an app that reads `.env` at run time " +
			"would change, so it is applied only with --unsafe. What the build itself reads by name is never excluded: " +
			"`.git` when a `RUN` runs `git describe`/`rev-parse`/`log` on the copied or mounted context, a file a `COPY` " +
			"names (`COPY .env ./`); the fix says what it kept and why.",
		Refs: []string{
			"https://docs.docker.com/build/concepts/context/#dockerignore-files",
			"https://docs.docker.com/build/building/best-practices/#exclude-with-dockerignore",
		},
	},
	Check: func(p *diagnose.Pass) {
		ctx := p.Doc.Ctx
		if ctx == nil {
			return
		}
		in := wholeCopy(p.Doc)
		if in == nil {
			return
		}
		var safe, risky []string
		switch ctx.PythonTool() {
		case "":
		default:
			safe = append(safe, ".venv", "__pycache__")
		}
		if ctx.Package != nil {
			safe = append(safe, "node_modules")
		}
		risky = append(risky, ".git", ".env")
		missing := func(entries []string) []string {
			var out []string
			for _, e := range entries {
				if ctx.DockerIgnore == nil || !ctx.DockerIgnore.Ignores(e) {
					out = append(out, e)
				}
			}
			return out
		}
		safe, risky = missing(safe), missing(risky)
		// Keep what the build reads by name: excluding it would break the
		// build (the model of the build refuses that).
		var kept []string
		reads := map[string]string{}
		for _, r := range buildmodel.Of(p.Doc).Reads {
			if _, ok := reads[r.Path]; !ok {
				reads[r.Path] = r.Why
			}
		}
		keep := func(entries []string) []string {
			var out []string
			for _, e := range entries {
				if why, ok := reads[e]; ok {
					kept = append(kept, e+" (read by "+why+")")
					continue
				}
				out = append(out, e)
			}
			return out
		}
		safe, risky = keep(safe), keep(risky)
		if len(safe)+len(risky) == 0 {
			return
		}
		all := append(append([]string{}, safe...), risky...)
		what := "there is no .dockerignore"
		if ctx.DockerIgnore != nil {
			what = ctx.DockerIgnore.Path + " does not exclude " + strings.Join(all, ", ")
		}
		f := p.Report(in.Span, "%s copies the whole build context, but %s", strings.ToUpper(in.Keyword)+" .", what)
		if len(safe) > 0 {
			fx := f.AddFix(fmt.Sprintf("Exclude %s in .dockerignore", strings.Join(safe, ", ")), fixes.Safe)
			fx.Files = []fixes.FileEdit{edit(ctx, p.Doc.EOL, safe)}
		}
		if len(risky) == 0 {
			return
		}
		fx := f.AddFix(fmt.Sprintf("Exclude %s in .dockerignore", strings.Join(all, ", ")), fixes.Unsafe)
		fx.Files = []fixes.FileEdit{edit(ctx, p.Doc.EOL, all)}
		fx.Note = "Excluding " + strings.Join(risky, " and ") + " changes an app that reads them at run time."
		if len(kept) > 0 {
			fx.Note += " Not excluded, because the build reads them: " + strings.Join(kept, ", ") + "."
		}
	},
})

// wholeCopy finds the first COPY or ADD of the whole context
// (a source of "." or "./"), or nil.
func wholeCopy(d *diagnose.Document) *diagnose.Instruction {
	for _, in := range d.Instructions {
		if in.Keyword != "copy" && in.Keyword != "add" {
			continue
		}
		if in.Node == nil {
			continue
		}
		hasFrom := false
		for _, fl := range in.Node.Flags {
			if strings.HasPrefix(fl, "--from") {
				hasFrom = true
			}
		}
		if hasFrom {
			continue
		}
		var args []string
		for n := in.Node.Next; n != nil; n = n.Next {
			args = append(args, n.Value)
		}
		if len(args) < 2 {
			continue
		}
		for _, src := range args[:len(args)-1] {
			if src == "." || src == "./" {
				return in
			}
		}
	}
	return nil
}

// edit creates the ignore file or appends entries to it, in
// the existing file's line ending (the Dockerfile's when it is new).
func edit(ctx *buildctx.Context, eol string, entries []string) fixes.FileEdit {
	fe := fixes.FileEdit{Path: ctx.DockerIgnorePath()}
	if ctx.DockerIgnore == nil {
		fe.Create = true
		fe.Edits = []fixes.Edit{{Start: 0, End: 0, New: strings.Join(entries, eol) + eol}}
		return fe
	}
	src := ctx.DockerIgnore.Src
	fe.Before = src
	if bytes.Contains(src, []byte("\r\n")) {
		eol = "\r\n"
	} else if len(src) > 0 {
		eol = "\n"
	}
	text := strings.Join(entries, eol) + eol
	if len(src) > 0 && !bytes.HasSuffix(src, []byte("\n")) {
		text = eol + text
	}
	fe.Edits = []fixes.Edit{{Start: len(src), End: len(src), New: text}}
	return fe
}
