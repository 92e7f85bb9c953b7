package process

import (
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD022",
	Name:     "dev-mode",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Summary:  "the final stage starts the app in development mode",
	Fixable:  diagnose.FixSometimes,
	Changes:  []string{"Cmd", "Entrypoint", "Env"},
	Doc: diagnose.Doc{
		What: "Flags development settings in the final stage's start command and environment: `--reload` on " +
			"uvicorn, gunicorn, hypercorn and `fastapi run`; `fastapi dev`; flask `--debug` and `flask run`; `python " +
			"manage.py runserver`; `nodemon`, `node --watch`, `next dev`, `vite`, `ts-node-dev`, `tsx watch` and " +
			"similar dev servers, also when package.json's script behind `npm run dev` or `npm start` runs them; " +
			"`rails server` without `RAILS_ENV=production`; and `FLASK_DEBUG=1`, `FLASK_ENV=development` or (in a " +
			"Django project) `DEBUG=True` set with ENV. The command is read through launchers such as `uv run` and " +
			"`python -m`.",
		Why: "Development servers trade safety and speed for convenience. A reloader watches every source file and " +
			"restarts the app when one changes: it costs CPU and memory, and it puts a supervisor process between " +
			"Docker and your server. Debug modes are worse: Flask's debugger runs any Python code typed into an " +
			"error page, guarded only by a PIN that the server prints in its logs, and Django's DEBUG pages show " +
			"settings and source code to whoever triggers an error. Framework dev servers (`flask run`, `runserver`, `next " +
			"dev`) are single-threaded or compile on demand, and their authors say not to use them in production. In " +
			"an image, the code never changes anyway: there is nothing to reload.",
		Bad:  "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\", \"--reload\"]",
		Good: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\"]",
		Fix: "Where the production form is clear, the fix makes the change, keeping the command's form (exec form " +
			"stays exec form, a shell-form command loses only the words concerned):\n" +
			"- drops `--reload` (with the options that tune it, such as `--reload-dir`), flask `--debug`, hypercorn " +
			"`--debug` and node `--watch`;\n" +
			"- turns `fastapi dev` into `fastapi run`;\n" +
			"- turns `nodemon app.js` into `node app.js` (only when nodemon gets no options of its own);\n" +
			"- replaces `npm run dev` whose script is `nodemon app.js` with the start script's command when that is " +
			"a plain `node ...`, otherwise with `node app.js`;\n" +
			"- removes the `FLASK_DEBUG=1` or `FLASK_ENV=development` pair from its ENV (the whole ENV line when it " +
			"sets nothing else).\n" +
			"These fixes are unsafe because they change how the app runs: no more reloading or debugger, uvicorn's " +
			"`--workers` takes effect once `--reload` is gone, `fastapi run` listens on 0.0.0.0, and the start " +
			"script may run a build output that the image must contain. `flask run` (use gunicorn), `manage.py " +
			"runserver` (use gunicorn with the project's wsgi module), `next dev` and other dev servers (build in " +
			"the image and start the production server), `rails server` (set `RAILS_ENV=production`) and Django's " +
			"`DEBUG` (set it at deploy time) only get advice: the right replacement depends on the project.",
		Refs: []string{
			"https://flask.palletsprojects.com/en/stable/deploying/",
			"https://docs.djangoproject.com/en/stable/howto/deployment/checklist/",
			"https://fastapi.tiangolo.com/deployment/docker/",
			"https://www.uvicorn.org/settings/#development",
		},
	},
	Check: checkDevMode,
})

func checkDevMode(p *diagnose.Pass) {
	d := p.Doc
	if len(d.Stages) == 0 {
		return
	}
	st := d.Stages[len(d.Stages)-1]
	pl := mainproc.PlanFor(d, st)
	if pl != nil {
		command(p, pl)
	}
	env(p, st, pl)
}

func command(p *diagnose.Pass, pl *mainproc.Plan) {
	c, w := pl.Cmd, pl.Wrap
	if w != nil && w.Node && !w.Resolved && w.Script != "" {
		unreadScript(p, pl)
		return
	}
	for _, is := range pl.Dev {
		var f *diagnose.Finding
		if is.InScript {
			f = p.Report(c.WordSpan(w.Start, w.End), "%s runs %q from package.json: %s", w.Label,
				strings.Join(pl.P[:pl.NProg], " "), is.Msg)
		} else {
			off := 0
			if w != nil {
				off = w.End - pl.NProg
			}
			f = p.Report(c.WordSpan(is.At+off, is.AtEnd+off), "%s", is.Msg)
		}
		if is.Title == "" {
			continue
		}
		edits, title, ok := edits(pl, is)
		if !ok {
			continue
		}
		srcEdits, ok := c.Rewrite(edits, false)
		if !ok {
			continue
		}
		fx := f.AddFix(title, fixes.Unsafe, srcEdits...)
		fx.Note = is.Note
	}
}

// edits returns the word edits (on the command's words) of one issue's
// fix, and its title.
func edits(pl *mainproc.Plan, is mainproc.DevIssue) ([]mainproc.WordEdit, string, bool) {
	w := pl.Wrap
	if is.InScript {
		// Only when what is left is plain node: the launcher can go with it.
		if !pl.DropsWrapperByDev() {
			return nil, "", false
		}
		prog, ok := pl.HardenedProg()
		if !ok {
			return nil, "", false
		}
		title := "Run " + strings.Join(prog, " ") + " instead of " + w.Label
		return []mainproc.WordEdit{{From: w.Start, To: w.End, New: prog}}, title, true
	}
	edits := pl.ToWords(is.Edits)
	// npx nodemon app.js → node app.js: the launcher goes too.
	if w != nil && w.Node && w.Resolved && pl.NProg == 0 && pl.DropsWrapperByDev() && len(edits) == 1 &&
		edits[0].From == w.End && len(edits[0].New) > 0 && edits[0].New[0] == "node" {
		edits[0].From = w.Start
		return edits, is.Title + " (and drop " + w.Label + ")", true
	}
	return edits, is.Title, true
}

// env reports development switches set with ENV in the final stage
// (or the stages it is built from): the last value of each key counts.
func env(p *diagnose.Pass, st *diagnose.Stage, pl *mainproc.Plan) {
	d := p.Doc
	chain := mainproc.StageChain(st)
	last := map[string]mainproc.EnvPair{}
	var order []string
	for k := len(chain) - 1; k >= 0; k-- {
		for _, in := range chain[k].Instrs {
			if in.Keyword != "env" {
				continue
			}
			pairs, _ := mainproc.EnvPairs(d, in)
			for _, pr := range pairs {
				if _, seen := last[pr.Key]; !seen {
					order = append(order, pr.Key)
				}
				last[pr.Key] = pr
			}
		}
	}
	lex := shell.NewLex(rune(d.Escape))
	for _, key := range order {
		pr := last[key]
		if strings.Contains(pr.Raw, "$") {
			continue
		}
		v, _, err := lex.ProcessWord(pr.Raw, shell.EnvsFromSlice(nil))
		if err != nil {
			continue
		}
		span := diagnose.Span{Start: pr.In.Span.Start, End: pr.In.TextEnd}
		if pr.Span.End > 0 {
			span = pr.In.OrigSpan(pr.Span)
		}
		switch key {
		case "FLASK_DEBUG":
			if v == "" || mainproc.Falsy(v) {
				continue
			}
			f := p.Report(span, "FLASK_DEBUG=%s turns on Flask's debug mode, whose in-browser debugger runs Python code "+
				"in the container for whoever reaches an error page (behind a PIN that the logs print)", v)
			removeEnv(d, f, pr, v)
		case "FLASK_ENV":
			if v != "development" {
				continue
			}
			f := p.Report(span, "FLASK_ENV=development turns on Flask's debug mode and its interactive debugger "+
				"(Flask 2.3 and later ignore FLASK_ENV; use FLASK_DEBUG while developing)")
			removeEnv(d, f, pr, v)
		case "DEBUG", "DJANGO_DEBUG":
			if mainproc.Truthy(v) && django(d, pl, mainproc.InfoOf(d, st)) {
				p.Report(span, "%s=%s in the image of a Django project: if the settings read it, Django shows detailed "+
					"error pages with settings and source code; leave it off in the image and turn it on only where you develop", key, v)
			}
		}
	}
}

// removeEnv offers the removal of a development ENV pair.
func removeEnv(d *diagnose.Document, f *diagnose.Finding, pr mainproc.EnvPair, v string) {
	e, ok := mainproc.DeleteEnvPair(d, pr)
	if !ok {
		return
	}
	fx := f.AddFix("Remove "+pr.Key+"="+v, fixes.Unsafe, e)
	fx.Note = "Debug mode goes off in the image. Turn it on where you develop instead: docker run -e " + pr.Key + "=" + v + "."
}

var reqName = regexp.MustCompile(`^[A-Za-z0-9._-]+`)

// django reports whether the final stage runs a Django project: its
// command names manage.py, django-admin or a wsgi/asgi module, its
// pyproject depends on Django, or a RUN installs it.
func django(d *diagnose.Document, pl *mainproc.Plan, info *mainproc.StageInfo) bool {
	isDjango := func(req string) bool {
		return strings.EqualFold(reqName.FindString(strings.TrimSpace(req)), "django")
	}
	if pl != nil {
		for i, w := range pl.P {
			if !pl.PLit[i] {
				continue
			}
			if strings.HasSuffix(w, "manage.py") || strings.HasSuffix(w, "django-admin") ||
				strings.HasSuffix(w, ".wsgi") || strings.Contains(w, ".wsgi:") || strings.Contains(w, ".asgi:application") {
				return true
			}
		}
	}
	if d.Ctx != nil && d.Ctx.PyProject != nil {
		for _, dep := range d.Ctx.PyProject.Dependencies {
			if isDjango(dep) {
				return true
			}
		}
	}
	for _, c := range info.Runs {
		if n := c.Name(); n != "pip" && n != "pip3" && n != "uv" {
			continue
		}
		for j := c.Prog + 1; j < len(c.Words); j++ {
			if c.Lit[j] && isDjango(c.Words[j]) && !strings.HasPrefix(c.Words[j], "-") {
				return true
			}
		}
	}
	return false
}

// unreadScript reports a package.json script dockdoc could not turn
// into one command (it uses the shell), or could not read at all: dev
// servers anywhere in it, or a script named like a dev server when there
// is no package.json.
func unreadScript(p *diagnose.Pass, pl *mainproc.Plan) {
	d, c, w := p.Doc, pl.Cmd, pl.Wrap
	span := c.WordSpan(w.Start, w.End)
	if d.Ctx == nil || d.Ctx.Package == nil {
		if mainproc.DevScriptNames[w.Script] {
			p.Report(span, "%s runs the %q script, which by convention starts a development server (%s); build "+
				"the app in the image and start its production command", w.Label, w.Script, w.NoFix)
		}
		return
	}
	body, ok := d.Ctx.Package.Scripts[w.Script]
	if !ok {
		return
	}
	s := diagnose.ParseScript(body, func(int) int { return 0 })
	if s == nil {
		return
	}
	for _, cmd := range s.Commands() {
		words, lit := cmd.Words[cmd.Prog:], cmd.Lit[cmd.Prog:]
		for _, is := range mainproc.DevIssues(pl.Info, words, lit) {
			p.Report(span, "%s runs %q from package.json: %s", w.Label, body, is.Msg)
		}
	}
}
