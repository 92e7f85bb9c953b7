package migrate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
)

// withContext parses src and gives it a build context holding files.
func withContext(t *testing.T, src string, files map[string]string) *diagnose.Document {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := ruletest.MustParseClean(t, src)
	d.Ctx = buildctx.Load(dir, "")
	return d
}

// migrated is a rendered plan parsed back as a Dockerfile.
type migrated struct {
	t     *testing.T
	out   string
	doc   *diagnose.Document
	lines []string
}

func build(t *testing.T, d *diagnose.Document) *migrated {
	t.Helper()
	pl, why := Build(d)
	if pl == nil {
		t.Fatalf("Build refused: %s", why)
	}
	out := pl.Render(d)
	doc, err := diagnose.Parse("Dockerfile", []byte(out))
	if err != nil || doc.ParseErr != nil {
		t.Fatalf("the rendered file does not parse (%v %v):\n%s", err, doc.ParseErr, out)
	}
	m := &migrated{t: t, out: out, doc: doc, lines: strings.Split(strings.TrimRight(out, "\n"), "\n")}
	if len(doc.Stages) != 2 || doc.Stages[0].Name != "builder" || doc.Stages[1].Name != "" {
		t.Fatalf("want a builder stage and an unnamed runtime stage:\n%s", out)
	}
	return m
}

// stage returns the instruction texts of stage i.
func (m *migrated) stage(i int) []string {
	var out []string
	for _, in := range m.doc.Stages[i].Instrs {
		out = append(out, strings.TrimSpace(in.Logical))
	}
	return out
}

// has fails unless stage i holds the instruction text want.
func (m *migrated) has(i int, want string) {
	m.t.Helper()
	if !slices.Contains(m.stage(i), want) {
		m.t.Errorf("stage %d has no %q:\n%s", i, want, m.out)
	}
}

// order fails unless the instruction texts appear in stage i in this order.
func (m *migrated) order(i int, want ...string) {
	m.t.Helper()
	st := m.stage(i)
	last := -1
	for _, w := range want {
		j := slices.Index(st, w)
		if j < 0 || j < last {
			m.t.Errorf("stage %d: want %q after the previous ones, got index %d:\n%s", i, w, j, m.out)
			return
		}
		last = j
	}
}

// cmd is the exec-form array of the last instruction with this keyword in
// the runtime stage.
func (m *migrated) exec(keyword string) []string {
	m.t.Helper()
	var in *diagnose.Instruction
	for _, o := range m.doc.Stages[1].Instrs {
		if o.Keyword == keyword {
			in = o
		}
	}
	if in == nil {
		m.t.Fatalf("the runtime stage has no %s:\n%s", strings.ToUpper(keyword), m.out)
	}
	if !in.IsExecForm() {
		m.t.Fatalf("%s is not in exec form: %s", strings.ToUpper(keyword), in.Logical)
	}
	args, _ := in.Args()
	var words []string
	if err := json.Unmarshal([]byte(args), &words); err != nil {
		m.t.Fatalf("%s is not a JSON array: %v", in.Logical, err)
	}
	return words
}

// user is the USER of the runtime stage, which must not be root.
func (m *migrated) user() string {
	m.t.Helper()
	u := ""
	for _, o := range m.doc.Stages[1].Instrs {
		if o.Keyword == "user" {
			u = o.Node.Next.Value
		}
	}
	if u == "" || u == "root" || u == "0" || strings.HasPrefix(u, "0:") || strings.HasPrefix(u, "root:") {
		m.t.Errorf("the runtime stage runs as %q:\n%s", u, m.out)
	}
	return u
}

func TestBuildUV(t *testing.T) {
	d := withContext(t, "FROM python:3.12-slim\n"+
		"COPY --from=registry.example/astral-sh/uv:0.5.11 /uv /uvx /bin/\n"+
		"WORKDIR /srv/app\n"+
		"COPY . .\n"+
		"RUN uv sync --frozen\n"+
		"EXPOSE 8000\n"+
		"CMD uv run uvicorn app.main:app --host 0.0.0.0 --reload\n",
		map[string]string{
			"pyproject.toml":  "[project]\nname = \"app\"\nrequires-python = \">=3.12\"\n",
			"uv.lock":         "version = 1\n",
			".python-version": "3.12\n",
		})
	pl, _ := Build(d)
	if pl != nil && strings.Contains(pl.Note(false), "version table") {
		t.Errorf("the file pins uv 0.5.11, but the note says the version comes from the table: %s", pl.Note(false))
	}
	m := build(t, d)
	if got := m.doc.Stages[0].Image; got != "python:3.12-slim" {
		t.Errorf("builder image %s, want python:3.12-slim", got)
	}
	if got := m.doc.Stages[1].Image; got != "python:3.12-slim" {
		t.Errorf("runtime image %s: the venv needs the same Python in both stages", got)
	}
	// The builder installs the pinned uv, the locked dependencies from the
	// manifests alone, then the project with the rest of the source.
	m.order(0,
		"RUN pip install --no-cache-dir uv==0.5.11",
		"WORKDIR /srv/app",
		"COPY pyproject.toml uv.lock .python-version ./",
		"RUN uv sync --frozen --no-install-project --no-dev",
		"COPY . .",
		"RUN uv sync --frozen --no-dev")
	m.order(1, "WORKDIR /srv/app", "COPY --from=builder /srv/app /srv/app", `ENV PATH="/srv/app/.venv/bin:$PATH"`, "EXPOSE 8000")
	m.user()
	// uv run and --reload are gone: the venv's uvicorn runs directly.
	if got, want := m.exec("cmd"), []string{"uvicorn", "app.main:app", "--host", "0.0.0.0"}; !slices.Equal(got, want) {
		t.Errorf("CMD %q, want %q", got, want)
	}
}

func TestBuildPip(t *testing.T) {
	d := withContext(t, "FROM python:3.11\n"+
		"WORKDIR /app\n"+
		"COPY requirements.txt .\n"+
		"RUN pip install --no-cache-dir -r requirements.txt\n"+
		"COPY . .\n"+
		"ENV PIP_INDEX_URL=https://pypi.example.com/simple APP_MODE=prod\n"+
		"CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n",
		map[string]string{"requirements.txt": "flask\ngunicorn\n", "app.py": ""})
	pl, _ := Build(d)
	if pl == nil || !strings.Contains(pl.Note(false), "-slim") {
		t.Errorf("the full python image becomes -slim: the note must say the builder lost its compilers")
	}
	m := build(t, d)
	for i := range 2 {
		if got := m.doc.Stages[i].Image; got != "python:3.11-slim" {
			t.Errorf("stage %d image %s, want python:3.11-slim", i, got)
		}
	}
	m.order(0, "RUN python -m venv /opt/venv", "WORKDIR /app", "COPY requirements.txt ./", "RUN pip install --no-cache-dir -r requirements.txt")
	// pip's configuration stays in the builder; the application's in the runtime stage.
	m.has(0, "ENV PIP_INDEX_URL=https://pypi.example.com/simple")
	m.has(1, "ENV APP_MODE=prod")
	for _, s := range m.stage(1) {
		if strings.Contains(s, "PIP_INDEX_URL") {
			t.Errorf("pip's index reaches the runtime stage: %s", s)
		}
	}
	m.order(1, "WORKDIR /app", "COPY --from=builder /opt/venv /opt/venv", "COPY . .", `ENV PATH="/opt/venv/bin:$PATH"`)
	m.user()
	if got, want := m.exec("cmd"), []string{"gunicorn", "-b", "0.0.0.0:8000", "app:app"}; !slices.Equal(got, want) {
		t.Errorf("CMD %q, want %q", got, want)
	}
}

func TestBuildNpm(t *testing.T) {
	d := withContext(t, "FROM node:22-bookworm\r\n"+
		"WORKDIR /usr/src/app\r\n"+
		"COPY package*.json ./\r\n"+
		"RUN npm ci\r\n"+
		"COPY . .\r\n"+
		"RUN npm run build\r\n"+
		"USER node\r\n"+
		"CMD npm start\r\n",
		map[string]string{
			"package.json":      `{"name": "a", "scripts": {"build": "tsc", "start": "node dist/index.js"}}`,
			"package-lock.json": "{}",
		})
	m := build(t, d)
	if !strings.Contains(m.out, "\r\n") || strings.Contains(strings.ReplaceAll(m.out, "\r\n", ""), "\n") {
		t.Errorf("the rendered file does not keep the CRLF line endings:\n%q", m.out)
	}
	for i := range 2 {
		if got := m.doc.Stages[i].Image; got != "node:22-bookworm-slim" {
			t.Errorf("stage %d image %s, want node:22-bookworm-slim", i, got)
		}
	}
	// The build script needs the dev dependencies; they are pruned after it.
	m.order(0, "WORKDIR /usr/src/app", "COPY package.json package-lock.json ./", "RUN npm ci", "COPY . .",
		"RUN npm run build && npm prune --omit=dev")
	m.order(1, "ENV NODE_ENV=production", "WORKDIR /usr/src/app", "COPY --from=builder /usr/src/app /usr/src/app")
	if u := m.user(); u != "node" {
		t.Errorf("USER %s, want node (the image's own account)", u)
	}
	// npm start is replaced by the start script it runs.
	if got, want := m.exec("cmd"), []string{"node", "dist/index.js"}; !slices.Equal(got, want) {
		t.Errorf("CMD %q, want %q", got, want)
	}
}

func TestBuildGo(t *testing.T) {
	d := withContext(t, "FROM golang:1.22\n"+
		"WORKDIR /src\n"+
		"COPY go.mod go.sum ./\n"+
		"RUN go mod download\n"+
		"COPY . .\n"+
		"RUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /usr/local/bin/server ./cmd/server\n"+
		"EXPOSE 8080\n"+
		"CMD [\"server\", \"--port\", \"8080\"]\n",
		map[string]string{"go.mod": "module example.com/x\n\ngo 1.22\n", "go.sum": "", "cmd/server/main.go": "package main\n"})
	m := build(t, d)
	if got := m.doc.Stages[0].Image; got != "golang:1.22" {
		t.Errorf("builder image %s, want golang:1.22", got)
	}
	if got := m.doc.Stages[1].Image; got != "scratch" {
		t.Errorf("runtime image %s, want scratch", got)
	}
	m.order(0, "WORKDIR /src", "COPY go.mod go.sum ./", "RUN go mod download", "COPY . .")
	var buildLine string
	for _, s := range m.stage(0) {
		if strings.Contains(s, "go build") {
			buildLine = s
		}
	}
	for _, part := range []string{"CGO_ENABLED=0", "-ldflags", "-s -w", "./cmd/server"} {
		if !strings.Contains(buildLine, part) {
			t.Errorf("the build line %q lost %q", buildLine, part)
		}
	}
	// The binary the start command ran is now /app; its arguments stay.
	m.has(1, "COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/")
	m.has(1, "EXPOSE 8080")
	m.user()
	if got := m.exec("entrypoint"); !slices.Equal(got, []string{"/app"}) {
		t.Errorf("ENTRYPOINT %q, want [/app]", got)
	}
	if got, want := m.exec("cmd"), []string{"--port", "8080"}; !slices.Equal(got, want) {
		t.Errorf("CMD %q, want %q", got, want)
	}
	out := strings.Fields(buildLine)
	if i := slices.Index(out, "-o"); i < 0 || i+1 >= len(out) || !slices.Contains(m.stage(1), "COPY --from=builder "+out[i+1]+" /app") {
		t.Errorf("the runtime stage does not copy the binary the build line writes (%q):\n%s", buildLine, m.out)
	}
}

func TestBuildGoRun(t *testing.T) {
	d := withContext(t, "FROM golang:1.23-alpine\nWORKDIR /src\nCOPY . .\nCMD [\"go\", \"run\", \"-tags\", \"prod\", \"./cmd/api\", \"-v\"]\n",
		map[string]string{"go.mod": "module example.com/x\n\ngo 1.23\n"})
	m := build(t, d)
	if got := m.doc.Stages[0].Image; got != "golang:1.23-alpine" {
		t.Errorf("builder image %s, want golang:1.23-alpine", got)
	}
	// go run becomes a go build of the same package with the same flags.
	found := false
	for _, s := range m.stage(0) {
		if strings.Contains(s, "go build -tags prod -o /out/app ./cmd/api") {
			found = true
		}
	}
	if !found {
		t.Errorf("no go build of ./cmd/api with -tags prod:\n%s", m.out)
	}
	if got := m.exec("cmd"); !slices.Equal(got, []string{"-v"}) {
		t.Errorf("CMD %q, want the program's arguments [-v]", got)
	}
}

func TestBuildRefuses(t *testing.T) {
	py := map[string]string{"requirements.txt": "flask\n", "app.py": ""}
	for _, tc := range []struct {
		name, src string
		files     map[string]string
		why       string
	}{
		{"unpinned latest", "FROM python:latest\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
			py, "the base image names no version; pin it first"},
		{"untagged", "FROM python\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
			py, "the base image names no version; pin it first"},
		{"two stages", "FROM python:3.12 AS a\nFROM python:3.12-slim\nCMD [\"python\"]\n",
			py, "the file already has several stages; move the build steps into the builder by hand"},
		{"backtick escape", "# escape=`\nFROM python:3.12\nCMD [\"python\"]\n",
			py, "the file uses the backtick escape character"},
		{"FROM options", "FROM --platform=linux/amd64 python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
			py, "the FROM line has options (--platform=linux/amd64)"},
		{"no start command", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
			py, "the file has no CMD, so the runtime stage would not know what to start"},
		{"entrypoint and cmd", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nENTRYPOINT [\"python\"]\nCMD [\"app.py\"]\n",
			py, "the file has both ENTRYPOINT and CMD; dockdoc migrates a single start command"},
		{"unknown command", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN curl -fsSL https://example.com/x.sh\nCMD [\"python\", \"app.py\"]\n",
			py, "line 5: it runs `curl -fsSL https://example.com/x.sh`, which dockdoc cannot place in a builder or a runtime stage"},
		{"relative workdir", "FROM python:3.12-slim\nWORKDIR app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
			py, "WORKDIR app is relative to the base image's directory"},
		{"two workdirs", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nWORKDIR /srv\nRUN pip install -r /app/requirements.txt\nCMD [\"python\", \"app.py\"]\n",
			py, "the stage works in two directories (/app, then /srv)"},
		{"no lockfile for uv", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync\nCMD [\"python\", \"app.py\"]\n",
			map[string]string{"pyproject.toml": "[project]\nname = \"a\"\n\n[tool.uv]\ndev-dependencies = []\n"},
			"the project has no uv.lock to install from"},
		{"yarn plug'n'play", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN corepack enable && yarn install --immutable\nCMD [\"node\", \"index.js\"]\n",
			map[string]string{"package.json": `{"packageManager": "yarn@4.5.0"}`, "yarn.lock": "__metadata:\n  version: 8\n"},
			"the Yarn project has no .yarnrc.yml, so it installs with Plug'n'Play"},
		{"ignored lockfile", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n",
			map[string]string{"package.json": "{}", "package-lock.json": "{}", ".dockerignore": "package-lock.json\n"},
			"the builder cannot copy package-lock.json (missing or excluded by .dockerignore)"},
		{"remote ADD", "FROM python:3.12-slim\nWORKDIR /app\nADD https://example.com/data.bin /app/data.bin\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
			py, "line 3: ADD https://example.com/data.bin downloads or unpacks; move it by hand"},
		{"no project files", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
			map[string]string{"app.py": ""}, "the build context shows no Python project files"},
	} {
		d := withContext(t, tc.src, tc.files)
		pl, why := Build(d)
		switch {
		case pl != nil:
			t.Errorf("%s: Build made a plan, want the refusal %q:\n%s", tc.name, tc.why, pl.Render(d))
		case why == "":
			t.Errorf("%s: refused without a reason", tc.name)
		case tc.why != "" && !strings.HasPrefix(why, tc.why):
			t.Errorf("%s: refused with %q, want %q", tc.name, why, tc.why)
		}
	}
	d := ruletest.MustParseClean(t, "FROM python:3.12-slim\nCMD [\"python\"]\n")
	if pl, why := Build(d); pl != nil || why != "no build context was read, so the project's tool and version are unknown" {
		t.Errorf("no context: %v, %q", pl, why)
	}
}

// OS packages are split: build tools and headers go to the builder, the
// runtime libraries the headers stand for to the runtime stage, and any
// other package to both (the note says which).
func TestBuildSplitsPackages(t *testing.T) {
	d := withContext(t, "FROM python:3.12-slim\nWORKDIR /app\n"+
		"RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev curl\n"+
		"COPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
		map[string]string{"requirements.txt": "psycopg2==2.9.10\n", "app.py": ""})
	pl, why := Build(d)
	if pl == nil {
		t.Fatalf("Build refused: %s", why)
	}
	out := pl.Render(d)
	builder, runtime, _ := strings.Cut(out, "\nFROM python:3.12-slim\n")
	if !strings.Contains(builder, "apt-get install -y --no-install-recommends build-essential curl libpq-dev &&") {
		t.Errorf("the builder should install the build tools, the headers and curl:\n%s", out)
	}
	if !strings.Contains(runtime, "apt-get install -y --no-install-recommends curl libpq5 &&") ||
		strings.Contains(runtime, "build-essential") || strings.Contains(runtime, "libpq-dev") {
		t.Errorf("the runtime stage should install libpq5 and curl only:\n%s", out)
	}
	note := pl.Note(false)
	if !strings.Contains(note, "libpq5 for libpq-dev") || !strings.Contains(note, "curl stay in both stages") {
		t.Errorf("the note should say what went where: %s", note)
	}
	// Go's runtime stage is scratch: nothing can follow there.
	g := withContext(t, "FROM golang:1.23\nWORKDIR /src\nRUN apt-get update && apt-get install -y curl\nCOPY . .\n"+
		"RUN go build -o /app .\nCMD [\"/app\"]\n", map[string]string{"go.mod": "module x\n\ngo 1.23\n", "main.go": "package main\n"})
	if pl, why := Build(g); pl != nil || !strings.Contains(why, "curl") {
		t.Errorf("Go with curl: want a refusal naming curl, got %q", why)
	}
}

func TestBuildRefusesOtherImages(t *testing.T) {
	d := withContext(t, "FROM ubuntu:24.04\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python3\", \"app.py\"]\n",
		map[string]string{"requirements.txt": "flask\n"})
	if pl, why := Build(d); pl != nil || why == "" {
		t.Errorf("Build(FROM ubuntu) = plan rendering %q, reason %q; want a refusal", pl.Render(d), why)
	}
}

func TestBuildPinDecidesTheVersion(t *testing.T) {
	// python:latest names no version, but an exact .python-version does.
	d := withContext(t, "FROM python:latest\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
		map[string]string{"requirements.txt": "flask\n", ".python-version": "3.12\n"})
	m := build(t, d)
	if got := m.doc.Stages[1].Image; got != "python:3.12-slim" {
		t.Errorf("runtime image %s, want python:3.12-slim from .python-version", got)
	}
}

func TestToolVersionFromTable(t *testing.T) {
	d := withContext(t, "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install uv && uv sync --locked\nCMD [\"python\", \"-m\", \"app\"]\n",
		map[string]string{"pyproject.toml": "[project]\nname = \"a\"\n", "uv.lock": "version = 1\n"})
	pl, why := Build(d)
	if pl == nil {
		t.Fatal(why)
	}
	v := images.ToolVersions["uv"]
	if !strings.Contains(pl.Render(d), "uv=="+v) {
		t.Errorf("an unpinned pip install uv renders no uv==%s", v)
	}
	if n := pl.Note(true); !strings.Contains(n, "uv "+v+" comes from dockdoc's version table") || !strings.Contains(n, "comment lines") {
		t.Errorf("Note = %q: want the table version and the dropped comments named", n)
	}
	if !strings.Contains(pl.Title(), "python:3.12-slim") {
		t.Errorf("Title %q does not name the runtime image", pl.Title())
	}
}

func TestEcosystem(t *testing.T) {
	for image, want := range map[string]string{
		"python:3.12-slim":                       "python",
		images.HubNames[0] + "/library/python:3": "python",
		"PYTHON:3.12":                            "python",
		"registry.example.com:5000/node:22":      "node",
		"node":                                   "node",
		"golang:1.22@sha256:0123abcd":            "go",
		"pythonista:1":                           "",
		"ubuntu:24.04":                           "",
		"$BASE_IMAGE":                            "",
		"python:${PY_VERSION}":                   "",
	} {
		if got := Ecosystem(image); got != want {
			t.Errorf("Ecosystem(%q) = %q, want %q", image, got, want)
		}
	}
}

func TestCopyFromStage(t *testing.T) {
	d := ruletest.MustParseClean(t, "FROM golang:1.22 AS build\n"+
		"RUN go build -o /out/app .\n"+
		"FROM alpine\n"+
		"COPY --from=build /out/app /app\n"+ // 3
		"COPY --from=0 /out/app /app\n"+ // 4
		"COPY --from=nginx:alpine /etc/nginx /etc/nginx\n"+ // 5
		"COPY --from=2 /x /x\n"+ // 6: not an earlier stage
		"COPY app.conf /etc/\n"+ // 7
		"FROM alpine AS later\n")
	for i, want := range map[int]bool{3: true, 4: true, 5: false, 6: false, 7: false} {
		in := d.Instructions[i]
		if got := CopyFromStage(d, in); got != want {
			t.Errorf("CopyFromStage(%s) = %v, want %v", strings.TrimSpace(in.Logical), got, want)
		}
	}
}

func TestToolchainUse(t *testing.T) {
	for _, tc := range []struct {
		src, eco, want string
	}{
		{"FROM python:3.12\nRUN pip install -r requirements.txt\n", "python", "installs dependencies with pip"},
		{"FROM python:3.12\nRUN pip install flask\n", "python", "installs dependencies with pip"},
		{"FROM python:3.12\nRUN pip install --upgrade pip setuptools wheel uv\n", "python", ""},
		{"FROM python:3.12\nRUN uv sync --frozen\n", "python", "installs dependencies with uv"},
		{"FROM python:3.12\nRUN poetry install --no-root\n", "python", "installs dependencies with Poetry"},
		{"FROM node:22\nRUN npm ci\n", "node", "installs dependencies with npm"},
		{"FROM node:22\nRUN npm install -g nodemon\n", "node", ""},
		{"FROM node:22\nRUN yarn build\n", "node", "builds with Yarn"},
		{"FROM golang:1.22\nRUN go build -o /app .\n", "go", "compiles with go build"},
		{"FROM golang:1.22\nCOPY . .\nCMD [\"go\", \"run\", \".\"]\n", "go", "compiles the program at every start with go run"},
		{"FROM golang:1.22\nCMD go run ./cmd/api\n", "go", "compiles the program at every start with go run"},
		{"FROM golang:1.22\nCMD [\"/app\"]\n", "go", ""},
		{"FROM python:3.12\nRUN go build .\n", "python", ""}, // not this ecosystem's toolchain
	} {
		d := ruletest.MustParseClean(t, tc.src)
		st := d.Stages[len(d.Stages)-1]
		if got := ToolchainUse(d, st.Lineage(), tc.eco); got != tc.want {
			t.Errorf("ToolchainUse(%q, %s) = %q, want %q", tc.src, tc.eco, got, tc.want)
		}
	}
	// The chain counts the parent stages' RUNs too.
	d := ruletest.MustParseClean(t, "FROM node:22 AS deps\nRUN npm ci\nFROM deps\nCMD [\"node\", \"index.js\"]\n")
	if got := ToolchainUse(d, d.Stages[1].Lineage(), "node"); got != "installs dependencies with npm" {
		t.Errorf("ToolchainUse over the chain = %q", got)
	}
}
