package migration

import (
	"slices"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/migrate"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD029",
	Name:     "single-stage-toolchain",
	Severity: diagnose.Info,
	Category: diagnose.Size,
	Summary:  "the final image builds with the toolchain and ships it",
	Fixable:  diagnose.FixSometimes,
	Changes:  []string{"*"},
	Doc: diagnose.Doc{
		What: "Flags a final stage on an official `python`, `node` or `golang` image that builds the application itself: " +
			"it installs dependencies (`pip install`, `uv sync`, `poetry install`, `pipenv install`, `npm ci`, " +
			"`npm install`, `yarn`, `pnpm install`), compiles (`go build`, `npm run build`) or compiles at start " +
			"(`go run`). A final stage that copies its files from an earlier stage (`COPY --from=builder ...`) is a " +
			"runtime stage and is not flagged.",
		Why: "Everything a stage does stays in the image you ship. Building in the final stage leaves the whole " +
			"toolchain behind: the package manager (uv, Poetry, npm's cache), compilers and `-dev` headers installed " +
			"for native modules, download caches, and for Go the complete compiler, which is about a gigabyte for a " +
			"program of a few megabytes. That makes the image slower to pull and start, and every extra tool is " +
			"something an attacker can use and a scanner will report. A multi-stage build does the work in a builder " +
			"stage and starts the final stage again from a small base that receives only the result: the virtual " +
			"environment, the installed `node_modules`, or the binary.",
		Bad: "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install uv && uv sync --locked\n" +
			"CMD [\"uv\", \"run\", \"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\"]",
		Good: "FROM python:3.12-slim AS builder\nRUN pip install --no-cache-dir uv==0.9.5\n" +
			"ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_NO_CACHE=1 UV_PYTHON_DOWNLOADS=never UV_PYTHON_PREFERENCE=only-system\n" +
			"WORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project --no-dev\n" +
			"COPY . .\nRUN uv sync --locked --no-dev\n\n" +
			"FROM python:3.12-slim\n" +
			"RUN groupadd --system --gid 999 app && useradd --system --gid 999 --uid 999 --no-log-init app\n" +
			"WORKDIR /app\nCOPY --from=builder /app /app\nENV PATH=\"/app/.venv/bin:$PATH\"\nUSER app\n" +
			"CMD [\"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\"]",
		Fix: "For a one-stage file of a uv, pip (requirements files), Poetry, npm or Go project, dockdoc offers to " +
			"rewrite the file from its first `FROM` on as a builder stage and a runtime stage (comments and " +
			"directives above the first `FROM` stay). What goes in comes from your project and your file, never " +
			"from guesses: the language version from the project's pin (`.python-version`, `.nvmrc`, `go.mod`) or " +
			"else the tag you use, the tool's version from your file (or dockdoc's dated version table, which the " +
			"fix then names), your `WORKDIR`, `EXPOSE`, `ENV`, `LABEL` and the start command, with wrappers such " +
			"as `uv run` and development flags such as `--reload` removed. Because only these facts count, the " +
			"result is the same whether the smaller fixes (pinning the base image, exec form, dropping `--reload`, " +
			"lockfile flags, ...) were applied before, after or together with it. A base image that names no " +
			"version (`python:latest`) with no exact pin in the project gets no migration until it is pinned " +
			"(base-image-latest, DD001, and base-image-version, DD020, offer that).\n\n" +
			"- Python (uv, Poetry, pip): the builder installs the locked dependencies first (they change rarely, " +
			"so that layer stays cached), then copies the code and installs the project. The runtime stage uses " +
			"the `-slim` image of the same version, creates an unprivileged `app` user, copies the application " +
			"directory with its `.venv` (pip: the virtual environment in `/opt/venv`), puts the environment's " +
			"`bin` on `PATH` and starts the program in exec form. uv is told never to download its own Python " +
			"(`UV_PYTHON_DOWNLOADS=never`), so the venv always points at the image's interpreter, which the runtime " +
			"stage has at the same path.\n" +
			"- npm: the builder runs `npm ci --omit=dev` (or `npm ci`, your build scripts and `npm prune " +
			"--omit=dev`); the runtime stage is the `-slim` image with `NODE_ENV=production` and the image's own " +
			"`node` user.\n" +
			"- Yarn and pnpm, told apart by the lockfile and package.json's `packageManager`: Yarn classic runs " +
			"`yarn install --frozen-lockfile` and, for the runtime, `yarn install --frozen-lockfile --production`; " +
			"Yarn 2+ runs `yarn install --immutable` and `yarn workspaces focus --all --production` (built into Yarn 4; " +
			"Yarn 2 and 3 need the workspace-tools plugin, and the project must use `nodeLinker: node-modules`, since " +
			"Plug'n'Play keeps the packages in Yarn's cache); pnpm runs `pnpm install --frozen-lockfile` and `pnpm " +
			"prune --prod` (or `pnpm install --prod --frozen-lockfile`). The builder keeps your own `corepack` or " +
			"`npm install -g pnpm` commands, or runs `corepack enable` itself where the package manager needs it " +
			"(the node images ship corepack up to Node 24; from Node 25 on you must install it). Install scripts " +
			"(`preinstall`, `postinstall`, `prepare`) keep what they had: when your file copied the source before the " +
			"install, the builder does too.\n" +
			"- Go: the builder downloads the modules, then builds a static binary (`CGO_ENABLED=0`); the runtime " +
			"stage is `FROM scratch` with the CA certificates, the binary and a numeric unprivileged user.\n" +
			"- OS packages (Python and npm): build tools (`build-essential`, `gcc`, `make`, `pkg-config`, ...) go to " +
			"the builder only; a header package goes to the builder and the library it stands for to the runtime " +
			"stage (`libpq-dev` → `libpq5`, `default-libmysqlclient-dev` → `libmariadb3`, from a dated table of names " +
			"that are the same in Debian 12 and 13); any other package stays in both stages, and the fix says so. " +
			"Alpine images (`python:3.12-alpine`, `node:22-alpine`) keep the same -alpine image in both stages and " +
			"install with `apk add --no-cache`: `build-base`, `gcc`, `musl-dev` and the `-dev` packages in the " +
			"builder, the libraries they stand for (`libpq-dev` → `libpq`, from a table of Alpine 3.19 to 3.22 names) " +
			"in the runtime stage, and the app user from BusyBox's `addgroup -S`/`adduser -S`.\n" +
			"- Accounts and directories: your `groupadd`/`useradd`/`addgroup`/`adduser`, and `mkdir`/`chown` of " +
			"directories, run in the runtime stage after the application is copied; when your `USER` names an " +
			"account the file creates, the runtime stage runs as it instead of the template's user. Words that use " +
			"a variable the file sets with `ENV` (`mkdir -p $APP_HOME`, `WORKDIR $APP_HOME`) are written with its value.\n\n" +
			"The fix is unsafe: it restructures the file. Check three things after applying it. The application " +
			"files now belong to root and are read-only for the user the container runs as; if the application " +
			"writes next to its code, give it that directory (`COPY --chown=...` or a volume). Comments below " +
			"the first `FROM` are not kept. For Go, only the binary reaches the image: files it reads at run time " +
			"(templates, static assets) must be embedded or copied, and code that needs cgo cannot be built this way.\n\n" +
			"No fix is offered (the finding says why) when the file does something the templates cannot place " +
			"safely: a `RUN` other than the recognised installs and builds, `apt-get install` of packages other than " +
			"build tools for Go (its runtime stage is scratch), several stages, a `SHELL`, `ONBUILD` or `HEALTHCHECK`, a `WORKDIR` that changes, " +
			"a version dockdoc cannot determine, Pipenv projects, Yarn Plug'n'Play or workspaces, or Alpine-based Python. Do the " +
			"split by hand then: the pattern is always the same, install in a builder and copy only the result.",
		Refs: []string{
			"https://docs.docker.com/build/building/multi-stage/",
			"https://docs.astral.sh/uv/guides/integration/docker/#using-uv-in-docker",
			"https://python-poetry.org/docs/faq/#poetry-busts-my-docker-cache-because-it-requires-me-to-copy-my-source-files-in-before-installing-3rd-party-dependencies",
			"https://docs.docker.com/guides/nodejs/containerize/",
			"https://docs.docker.com/guides/golang/build-images/",
		},
	},
	Check: checkSingleStageToolchain,
})

func checkSingleStageToolchain(p *diagnose.Pass) {
	d := p.Doc
	if len(d.Stages) == 0 {
		return
	}
	final := d.Stages[len(d.Stages)-1]
	chain := []*diagnose.Stage{final}
	for s := final; ; {
		parent := d.StageByName(s.Image, s.Index)
		if parent == nil || len(chain) > 64 {
			break
		}
		chain = append(chain, parent)
		s = parent
	}
	slices.Reverse(chain) // base first
	eco := migrate.Ecosystem(chain[0].Image)
	if eco == "" {
		return
	}
	// A final stage that takes files from another stage is a runtime stage.
	for _, s := range chain {
		for _, in := range s.Instrs {
			if (in.Keyword == "copy" || in.Keyword == "add") && migrate.CopyFromStage(d, in) {
				return
			}
		}
	}
	what := migrate.ToolchainUse(d, chain, eco)
	if what == "" {
		return
	}
	img := chain[0].Image
	f := p.Report(diagnose.Span{Start: final.From.Span.Start, End: final.From.TextEnd},
		"the final stage %s on %q and ships that toolchain with the application; a builder stage would keep it out of the image",
		what, img)
	pl, why := migrate.Build(d)
	if why != "" {
		f.Message += " (no automatic migration: " + why + ")"
		return
	}
	start := d.LineStart(d.Stages[0].From.StartLine)
	text := pl.Render(d)
	if text == string(d.Src[start:]) {
		return
	}
	fx := f.AddFix(pl.Title(), fixes.Unsafe, diagnose.Replace(diagnose.Span{Start: start, End: len(d.Src)}, text))
	fx.Note = pl.Note(d.HasCommentLines(diagnose.Span{Start: start, End: len(d.Src)}))
}
