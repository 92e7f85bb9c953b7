package process

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD021",
	Name:     "wrapper-main-process",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Summary:  "the container starts through a wrapper like uv run or npm",
	Fixable:  diagnose.FixSometimes,
	Changes:  []string{"Cmd", "Entrypoint", "Env"},
	Doc: diagnose.Doc{
		What: "Flags a final stage whose main process (its `CMD`, or its `ENTRYPOINT` unless that only starts an init " +
			"such as `tini --` or an entrypoint script) is a launcher rather than the program itself: `uv run`, " +
			"`poetry run`, `pipenv run`, `npm start`, `npm run X`, `yarn X`, `pnpm X`, `npx X`, `go run`, `cargo run`, " +
			"`mvn spring-boot:run`, `gradle bootRun` and `dotnet run`. Shell form, exec form and `[\"/bin/sh\", \"-c\", " +
			"\"...\"]` are all read, through a leading `exec` and the last command of an `a && b` chain.",
		Why: "These launchers are made for a developer's terminal, and each one costs something when it becomes the " +
			"container's main process:\n" +
			"- Work at every start. `uv run` locks and syncs the project before running anything, and it includes the " +
			"dev dependency group unless told `--no-dev`: an image built with `uv sync --no-dev` downloads the dev " +
			"tools on its first start, which needs the network and a writable venv. `npx` looks the package up and " +
			"downloads it when it is missing. `go run`, `cargo run`, `mvn spring-boot:run` and `dotnet run` compile " +
			"the program every time the container starts.\n" +
			"- An extra process. Docker sends SIGTERM to the main process only. npm runs the script in a child shell and " +
			"does not pass the signal on, so `docker stop` waits for the timeout and kills the app without a clean " +
			"shutdown. Older uv versions did not forward signals either.\n" +
			"- A bigger, riskier image. The package manager, and for compiled languages the whole toolchain, has to " +
			"stay in the runtime image.\n" +
			"The program itself is already installed: the venv's `bin` directory or `node_modules/.bin` only has to " +
			"be on `PATH`.",
		Bad: "FROM python:3.12-slim\nRUN pip install --no-cache-dir uv==0.9.5\nWORKDIR /app\nCOPY . .\n" +
			"RUN uv sync --locked --no-dev\nCMD [\"uv\", \"run\", \"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\"]",
		Good: "FROM python:3.12-slim\nRUN pip install --no-cache-dir uv==0.9.5\nWORKDIR /app\nCOPY . .\n" +
			"RUN uv sync --locked --no-dev\nENV PATH=\"/app/.venv/bin:$PATH\"\nCMD [\"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\"]",
		Fix: "The fix starts the real program in exec form and, when it lives in a virtualenv or `node_modules/.bin`, " +
			"adds `ENV PATH=\"<dir>:$PATH\"` before the command (unless an ENV already puts that directory on PATH). It " +
			"also drops the development flags DD022 reports (`--reload`, `--debug`, ...), so that both rules end in " +
			"the same file whichever is applied first. A command that needs the shell (`$PORT`, `a && b`) keeps its " +
			"form and only loses the launcher's words. It is offered only where the program is certain:\n" +
			"- `uv run [options] PROG`: the venv is `<WORKDIR>/.venv` (or `UV_PROJECT_ENVIRONMENT`), and the build must " +
			"run `uv sync` (in this stage or a stage it copies from) so the venv exists; `uv run -m X` becomes " +
			"`python -m X` and `uv run app.py` becomes `python app.py`. Options that change what runs (`--with`, " +
			"`--python`, `--directory`, `--env-file`, `--no-project`, `--isolated`, `--script`) prevent the fix.\n" +
			"- `poetry run`: only when the stage sets `POETRY_VIRTUALENVS_IN_PROJECT=true` (venv in `<WORKDIR>/.venv`) " +
			"or `POETRY_VIRTUALENVS_CREATE=false` (packages in the image's Python, nothing to add to PATH), by ENV or " +
			"`poetry config`. Otherwise Poetry keeps the venv under a hashed name in its cache; set one of those first.\n" +
			"- `pipenv run`: only with `PIPENV_VENV_IN_PROJECT=1` or when the build installs with `--system`. pipenv run " +
			"also loaded `.env` and knew the Pipfile's `[scripts]`; check neither is needed.\n" +
			"- `npm start`, `npm run X`, `yarn X`, `pnpm X`: the script is read from package.json (npm start without a start " +
			"script runs `node server.js`). It must be one plain command: no `&&`, no variables, no `VAR=value`, and " +
			"no `preX` script that the launcher would run first. A package's own command (next, nest, ts-node) needs " +
			"`<WORKDIR>/node_modules/.bin` on PATH. Yarn Berry projects get no fix (Plug'n'Play has no node_modules). A " +
			"script that starts a development server (nodemon, next dev, vite) is left to DD022.\n" +
			"- `npx X`: only when package.json lists X as a dependency.\n" +
			"- `go run`, `cargo run`, `mvn spring-boot:run`, `gradle bootRun`, `dotnet run`: no fix here, since there is no " +
			"binary to run yet. Build it in a builder stage and copy only the result into a slim runtime stage.\n" +
			"The fix is unsafe: it changes the process tree. Nothing syncs, installs or reads `.env` at start any " +
			"more, so the image must already hold everything the program needs. Build it and start it once before " +
			"you ship it.",
		Refs: []string{
			"https://docs.astral.sh/uv/guides/integration/docker/",
			"https://github.com/nodejs/docker-node/blob/main/docs/BestPractices.md#cmd",
			"https://docs.docker.com/reference/dockerfile/#entrypoint",
		},
	},
	Check: checkWrapperMainProcess,
})

// cost says what a launcher costs as the main process.
func cost(w *mainproc.Wrapper) string {
	switch w.Kind {
	case "uv run":
		return "which locks and syncs the environment at every start (adding the dev dependencies unless --no-dev), " +
			"needs uv in the image and stands between Docker and the server"
	case "poetry run", "pipenv run":
		return "an extra Python process that looks the virtualenv up at every start and keeps the package manager in the image"
	case "npm":
		return "which runs the script in a child shell and does not pass stop signals on, so docker stop ends in a kill"
	case "yarn", "pnpm":
		return "an extra process between Docker and the program that may not pass stop signals on"
	case "npx":
		return "which looks the package up at every start (downloading it when it is missing) and stays as an extra process"
	case "go":
		return "which compiles the program at every start and keeps the whole Go toolchain in the image"
	case "cargo":
		return "which builds the crate at every start and keeps the Rust toolchain in the image"
	case "dotnet":
		return "which builds the project at every start and keeps the .NET SDK in the image"
	default: // mvn, gradle
		return "which resolves dependencies and compiles at every start and keeps the JDK and the build tool in the image"
	}
}

func checkWrapperMainProcess(p *diagnose.Pass) {
	d := p.Doc
	if len(d.Stages) == 0 {
		return
	}
	pl := mainproc.PlanFor(d, d.Stages[len(d.Stages)-1])
	if pl == nil || pl.Wrap == nil {
		return
	}
	w, c := pl.Wrap, pl.Cmd
	msg := "the container's main process is " + w.Label + ", " + cost(w)
	if w.NoFix != "" {
		msg += "; no automatic fix: " + w.NoFix
	}
	f := p.Report(c.WordSpan(w.Start, w.End), "%s", msg)
	if w.NoFix != "" {
		return
	}
	edits, dir, ok := pl.ConvergedEdits()
	if !ok {
		return
	}
	srcEdits, ok := c.Rewrite(edits, true)
	if !ok {
		return
	}
	if dir != "" && !pl.Info.OnPath(dir) {
		e, ok := mainproc.PathEdit(d, c.In, dir)
		if !ok {
			return
		}
		srcEdits = append(srcEdits, e)
	}
	hp, _ := pl.HardenedP()
	fx := f.AddFix("Run "+progName(hp)+" directly instead of through "+w.Label, fixes.Unsafe, srcEdits...)
	notes := append([]string(nil), w.Notes...)
	var dev []string
	for _, is := range pl.Dev {
		if is.Title != "" {
			dev = append(dev, strings.ToLower(is.Title[:1])+is.Title[1:])
		}
	}
	if len(dev) > 0 {
		notes = append(notes, "It also makes DD022's development-mode change: "+strings.Join(dev, "; ")+".")
	}
	if dir != "" && !pl.Info.OnPath(dir) {
		notes = append(notes, "It puts "+dir+" on PATH so the program is found.")
	}
	if c.Form == mainproc.Shell && d.HasCommentLines(diagnose.Span{Start: c.In.Span.Start, End: c.In.TextEnd}) && c.Plain {
		notes = append(notes, "The comment lines inside the instruction are removed.")
	}
	fx.Note = strings.Join(notes, " ")
}

// progName names the program for a fix title: "uvicorn", "python -m flask".
func progName(words []string) string {
	if len(words) == 0 {
		return "the program"
	}
	b := path.Base(words[0])
	if mainproc.PythonRe.MatchString(b) && len(words) > 2 && words[1] == "-m" {
		return b + " -m " + words[2]
	}
	return b
}
