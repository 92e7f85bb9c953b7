package buildmodel

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
)

// seenAt is what the instruction on line l sees.
func seenAt(t *testing.T, m *Model, l int) Seen {
	t.Helper()
	for _, in := range m.Doc.Instructions {
		if in.StartLine == l {
			return m.Seen[in.Index]
		}
	}
	t.Fatalf("no instruction on line %d", l)
	return Seen{}
}

func TestPackageLists(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		held      []bool // the installs' needs, in order
	}{
		{"update in the same RUN", "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", []bool{true}},
		{"update in an earlier RUN", "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n", []bool{true}},
		{"no update: official images ship without lists", "FROM debian:12\nRUN apt-get install -y curl\n", []bool{false}},
		{"lists removed before the install", "FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/* && apt-get install -y curl\n", []bool{false}},
		{"dist-clean removes them", "FROM debian:12\nRUN apt-get update && apt-get dist-clean\nRUN apt-get install -y curl\n", []bool{false}},
		{"apt counts as apt-get", "FROM debian:12\nRUN apt update\nRUN apt install -y curl\n", []bool{true}},
		{"a stage built FROM another inherits its lists", "FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN apt-get install -y curl\n", []bool{true}},
		{"an unrelated stage does not", "FROM debian:12 AS base\nRUN apt-get update\nFROM debian:12\nRUN apt-get install -y curl\n", []bool{false}},
		{"exec form is read too", "FROM debian:12\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n", []bool{false}},
		{"a simulation needs nothing", "FROM debian:12\nRUN apt-get install -s curl\n", nil},
		{"a cache mount over the lists leaves the image's lists alone",
			"FROM debian:12\nRUN apt-get update\nRUN --mount=type=cache,target=/var/lib/apt/lists rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y curl\n", []bool{true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := Build(ruletest.MustParseClean(t, tc.src))
			var got []bool
			for _, n := range m.Needs {
				if !strings.HasSuffix(n.What, "needs package lists") {
					continue
				}
				got = append(got, n.Held)
				if !n.Held && !strings.Contains(n.Why, "would find no package lists") {
					t.Errorf("reason %q", n.Why)
				}
			}
			if len(got) != len(tc.held) {
				t.Fatalf("needs %v, want %v", got, tc.held)
			}
			for i := range got {
				if got[i] != tc.held[i] {
					t.Errorf("needs %v, want %v", got, tc.held)
				}
			}
		})
	}
}

func TestSeenAndConfig(t *testing.T) {
	src := `FROM node:22 AS build
WORKDIR /app
WORKDIR src/
USER node
SHELL ["/bin/bash", "-c"]
ENV A=1 B="two words"
RUN make
FROM build
ENV A 3
CMD ["node", "server.js"]
`
	m := Build(ruletest.MustParseClean(t, src))
	s := seenAt(t, m, 7)
	if s.Workdir != "/app/src" || s.User != "node" || s.Shell != `["/bin/bash", "-c"]` {
		t.Errorf("RUN sees %+v", s)
	}
	if e := m.Config[0].Env; e != "A=1\nB=two words\n" {
		t.Errorf("Env %q", e)
	}
	c := m.Config[1]
	if c.WorkingDir != "/app/src" || c.User != "node" {
		t.Errorf("the child stage inherits %+v", c)
	}
	if c.Env != "A=1\nB=two words\nA=3\n" {
		t.Errorf("Env %q: the legacy form reads as A=3", c.Env)
	}
	if c.Cmd != "exec: node\x00server.js" {
		t.Errorf("Cmd %q", c.Cmd)
	}
	// ENTRYPOINT resets an inherited CMD.
	m = Build(ruletest.MustParseClean(t, "FROM a AS x\nCMD [\"run\"]\nFROM x\nENTRYPOINT [\"tini\"]\n"))
	if m.Config[1].Cmd != "" || m.Config[1].Entrypoint != "exec: tini" {
		t.Errorf("config %+v", m.Config[1])
	}
}

func compare(t *testing.T, before, after string, declared ...string) *Break {
	t.Helper()
	dec := map[string]bool{}
	for _, d := range declared {
		dec[d] = true
	}
	return Compare(Build(ruletest.MustParseClean(t, before)), Build(ruletest.MustParseClean(t, after)), dec)
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name, before, after string
		declared            []string
		want                string // a part of the reason, "" for no break
	}{
		{"lists removed before a later install",
			"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y x\n",
			"FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y x\n", nil,
			"apt-get install at line 3 would find no package lists"},
		{"joined RUNs keep the order",
			"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y x\n",
			"FROM debian:12\nRUN apt-get update && apt-get install -y x\n", nil, ""},
		{"an install that failed before is not the fix's doing",
			"FROM debian:12\nRUN apt-get install x\n",
			"FROM debian:12\nRUN apt-get install -y x\n", nil, ""},
		{"cd to WORKDIR moves what follows",
			"FROM a\nWORKDIR /app\nRUN cd /opt && make\nCOPY x .\nCMD [\"./run\"]\n",
			"FROM a\nWORKDIR /app\nWORKDIR /opt\nRUN make\nCOPY x .\nCMD [\"./run\"]\n", nil,
			"COPY at line 5 would run in /opt instead of /app"},
		{"cd to WORKDIR that restores the directory",
			"FROM a\nWORKDIR /app\nRUN cd /opt && make\nCOPY x .\n",
			"FROM a\nWORKDIR /app\nWORKDIR /opt\nRUN make\nWORKDIR /app\nCOPY x .\n", nil, ""},
		{"an undeclared Cmd change",
			"FROM a\nCMD python app.py\n", "FROM a\nCMD [\"python\", \"app.py\"]\n", nil,
			"the image's Cmd would change"},
		{"a declared Cmd change",
			"FROM a\nCMD python app.py\n", "FROM a\nCMD [\"python\", \"app.py\"]\n", []string{"Cmd"}, ""},
		{"exec-form spacing is no change",
			"FROM a\nCMD [\"a\",\"b\"]\n", "FROM a\nCMD [ \"a\", \"b\" ]\n", nil, ""},
		{"a new SHELL changes a shell-form CMD",
			"FROM a\nCMD x | y\n", "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nCMD x | y\n", []string{"Shell"},
			"the image's Cmd would change"},
		{"a new SHELL changes later RUNs",
			"FROM a\nRUN x | y\n", "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN x | y\n", nil,
			"RUN at line 3 would run in the shell"},
		{"USER moved above a RUN",
			"FROM a\nRUN apk add x\nUSER app\n", "FROM a\nUSER app\nRUN apk add x\n", nil,
			"apk at line 3 would run as app instead of root, and it needs root"},
		{"USER moved above a RUN that needs no root",
			"FROM a\nRUN make\nUSER app\n", "FROM a\nUSER app\nRUN make\n", nil,
			"make at line 3 would run as app instead of root"},
		{"sudo dropped where the base image runs as a non-root user",
			"FROM gitpod/workspace-python\nRUN sudo sh -c './install.sh /usr/local/bin'\n",
			"FROM gitpod/workspace-python\nRUN sh -c './install.sh /usr/local/bin'\n", nil,
			"sh at line 2 would run as gitpod (the base image's user) instead of root"},
		{"sudo dropped in a RUN with a cache mount over the lists",
			"FROM gitpod/workspace-base\nRUN --mount=type=cache,target=/var/lib/apt/lists sudo apt-get update\n",
			"FROM gitpod/workspace-base\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n", nil,
			"apt-get at line 2 would run as gitpod (the base image's user) instead of root, and it needs root"},
		{"sudo dropped where the stage runs as root",
			"FROM debian:12\nRUN sudo make install\n", "FROM debian:12\nRUN make install\n", nil, ""},
		{"sudo -u keeps another user",
			"FROM gitpod/workspace-python\nRUN sudo -u gitpod make\n", "FROM gitpod/workspace-python\nRUN make\n", nil, ""},
		{"--omit=dev where the start command is a dev server",
			"FROM node:22\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD [\"ng\", \"serve\"]\n",
			"FROM node:22\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD [\"ng\", \"serve\"]\n", nil,
			"ng serve at line 5 would not find the devDependencies"},
		{"--omit=dev where the start command is node",
			"FROM node:22\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n",
			"FROM node:22\nRUN npm ci --omit=dev\nCMD [\"node\", \"server.js\"]\n", nil, ""},
		{"--omit=dev in a development stage",
			"FROM node:22 AS development\nRUN npm ci\nFROM development AS dev-envs\n",
			"FROM node:22 AS development\nRUN npm ci --omit=dev\nFROM development AS dev-envs\n", nil,
			"npm ci at line 2 of the development stage \"development\" would leave out the development dependencies"},
		{"--omit=dev in the dev branch of a script",
			"FROM node:22\nRUN if [ \"$ENV\" = \"dev\" ]; then npm install; else npm ci --omit=dev; fi\n",
			"FROM node:22\nRUN if [ \"$ENV\" = \"dev\" ]; then npm install --omit=dev; else npm ci --omit=dev; fi\n", nil,
			"in the development branch of its script"},
		{"--no-dev in the else of a production test",
			"FROM python:3.12\nRUN if [ \"$ENV\" = production ]; then uv sync --no-dev; else uv sync; fi\n",
			"FROM python:3.12\nRUN if [ \"$ENV\" = production ]; then uv sync --no-dev; else uv sync --no-dev; fi\n", nil,
			"in the development branch of its script"},
		{"ADD of a URL in an ARG becomes COPY",
			"ARG SRC=https://example.com/a.tgz\nFROM a\nARG SRC\nADD $SRC /tmp/\n",
			"ARG SRC=https://example.com/a.tgz\nFROM a\nARG SRC\nCOPY $SRC /tmp/\n", nil,
			"COPY at line 4 would copy from https://example.com/a.tgz, a URL"},
		{"ADD of a local file becomes COPY",
			"FROM a\nARG SRC=app.tgz\nADD $SRC /tmp/\n", "FROM a\nARG SRC=app.tgz\nCOPY $SRC /tmp/\n", nil, ""},
		{"uv may not download Python in a stage that has none",
			"FROM ubuntu:24.04\nCOPY --from=uv /uv /bin/\nRUN uv sync --locked\n",
			"FROM ubuntu:24.04\nENV UV_PYTHON_DOWNLOADS=never UV_PYTHON_PREFERENCE=only-system\nCOPY --from=uv /uv /bin/\nRUN uv sync --locked\n",
			[]string{"Env"}, "uv sync at line 4 would find no Python interpreter"},
		{"uv may not download Python where the base image has it",
			"FROM python:3.12-slim\nRUN uv sync --locked\n",
			"FROM python:3.12-slim\nENV UV_PYTHON_DOWNLOADS=never\nRUN uv sync --locked\n", []string{"Env"}, ""},
		{"uv may not download Python where the build installs it",
			"FROM debian:12\nRUN apt-get update && apt-get install -y python3-venv\nRUN uv sync\n",
			"FROM debian:12\nRUN apt-get update && apt-get install -y python3-venv\nRUN UV_PYTHON_DOWNLOADS=never uv sync\n", nil, ""},
		{"a SHELL with bash on Alpine",
			"FROM alpine:3.20\nRUN wget -qO- x | sh\n",
			"FROM alpine:3.20\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -qO- x | sh\n",
			[]string{"Shell"}, "SHELL at line 2 would run every later RUN with /bin/bash, which this image does not have"},
		{"a SHELL with bash on Alpine that installs it",
			"FROM node:22-alpine\nRUN apk add --no-cache bash\nRUN wget -qO- x | sh\n",
			"FROM node:22-alpine\nRUN apk add --no-cache bash\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -qO- x | sh\n",
			[]string{"Shell"}, ""},
		{"the default shell written out changes nothing",
			"FROM debian:12\nCMD echo hi\n", "FROM debian:12\nSHELL [\"/bin/sh\", \"-c\"]\nCMD echo hi\n", nil, ""},
		{"git on a bind mount of the context",
			"FROM golang:1.22\nRUN --mount=target=. git rev-parse HEAD > /rev\n",
			"FROM golang:1.22\nRUN --mount=target=. git rev-parse HEAD > /rev\n", nil, ""},
		{"an exec-form ENTRYPOINT gets CMD as arguments",
			"FROM a\nENTRYPOINT ./start.sh\nCMD [\"--help\"]\n", "FROM a\nENTRYPOINT [\"./start.sh\"]\nCMD [\"--help\"]\n",
			[]string{"Cmd", "Entrypoint"}, "would receive the CMD's words as arguments"},
		{"an exec-form ENTRYPOINT without CMD",
			"FROM a\nENTRYPOINT ./start.sh\n", "FROM a\nENTRYPOINT [\"./start.sh\"]\n", []string{"Entrypoint"}, ""},
		{"a new stage layout declares everything",
			"FROM a\nRUN make\n", "FROM a AS b\nRUN make\nFROM c\nCOPY --from=b / /\n", []string{"*"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := compare(t, tc.before, tc.after, tc.declared...)
			switch {
			case tc.want == "" && b != nil:
				t.Errorf("break %q, want none", b.Reason)
			case tc.want != "" && b == nil:
				t.Errorf("no break, want %q", tc.want)
			case tc.want != "" && !strings.Contains(b.Reason, tc.want):
				t.Errorf("break %q, want %q", b.Reason, tc.want)
			}
		})
	}
}

// A .dockerignore the fixes write must not take away what the build reads.
func TestContextReads(t *testing.T) {
	dir := t.TempDir()
	src := "FROM golang:1.22\nCOPY . .\nCOPY .env /app/.env\nRUN git describe --tags > /version\n"
	before := ruletest.MustParseClean(t, src)
	before.Ctx = buildctx.Load(dir, filepath.Join(dir, "Dockerfile"))
	after := ruletest.MustParseClean(t, src)
	after.Ctx = before.Ctx.WithFile(filepath.Join(dir, ".dockerignore"), []byte(".git\n.env\n"))
	b := Compare(Build(before), Build(after), nil)
	if b == nil || !strings.Contains(b.Reason, "COPY at line 3 would find no .env") {
		t.Fatalf("break %v, want the .env one first", b)
	}
	after.Ctx = before.Ctx.WithFile(filepath.Join(dir, ".dockerignore"), []byte(".git\n"))
	b = Compare(Build(before), Build(after), nil)
	if b == nil || !strings.Contains(b.Reason, "git describe at line 4 would find no repository") {
		t.Fatalf("break %v, want the .git one", b)
	}
	after.Ctx = before.Ctx.WithFile(filepath.Join(dir, ".dockerignore"), []byte("node_modules\n"))
	if b := Compare(Build(before), Build(after), nil); b != nil {
		t.Errorf("break %q from an ignore file that keeps what the build reads", b.Reason)
	}
}

// Reads lists what the build reads from the context by name.
func TestReads(t *testing.T) {
	for src, want := range map[string]string{
		"FROM a\nRUN --mount=target=. git rev-parse HEAD\n":                       ".git",
		"FROM a AS b\nCOPY . .\nFROM b\nRUN git describe --tags\n":                ".git",
		"FROM a\nRUN git describe --tags\n":                                       "",
		"FROM a\nRUN --mount=type=cache,target=/x git describe\n":                 "",
		"FROM a\nCOPY .env package.json ./\nCOPY --from=b /x /x\nCOPY *.txt ./\n": ".env package.json",
	} {
		var got []string
		for _, r := range Build(ruletest.MustParseClean(t, src)).Reads {
			got = append(got, r.Path)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%q: Reads %v, want %s", src, got, want)
		}
	}
}
