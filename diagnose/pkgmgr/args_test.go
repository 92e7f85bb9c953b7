package pkgmgr

import (
	"slices"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

// runDoc parses `FROM <base>` followed by lines and returns the document.
func runDoc(t *testing.T, lines string) *diagnose.Document {
	t.Helper()
	doc, err := diagnose.Parse("Dockerfile", []byte("FROM debian\n"+lines))
	if err != nil {
		t.Fatal(err)
	}
	if doc.ParseErr != nil {
		t.Fatalf("parse error: %v", doc.ParseErr)
	}
	return doc
}

// lastCmd is the last command of the last instruction of a one-RUN file.
func lastCmd(t *testing.T, run string) *diagnose.Command {
	t.Helper()
	doc := runDoc(t, "RUN "+run+"\n")
	cs := doc.Instructions[len(doc.Instructions)-1].Commands(doc)
	if len(cs) == 0 {
		t.Fatalf("%s: no commands", run)
	}
	return cs[len(cs)-1]
}

func words(c *diagnose.Command, idx []int) []string {
	var out []string
	for _, i := range idx {
		out = append(out, c.Words[i])
	}
	return out
}

func TestPipInstallIndex(t *testing.T) {
	for run, want := range map[string]int{
		"pip install flask":                          1,
		"pip3.12 install flask":                      1,
		"pip --no-cache-dir install flask":           2,
		"pip --proxy http://p:3128 install flask":    3, // a general option's value is skipped
		"python -m pip install flask":                3,
		"python3 -mpip install flask":                2,
		"python3 -X dev -m pip install flask":        5,
		"sudo -H pip install flask":                  3,
		"python -c 'import pip' install":             -1,
		"python setup.py install":                    -1,
		"python -m venv /opt/venv":                   -1,
		"pip uninstall -y flask":                     -1,
		"pip download flask":                         -1,
		"pipx install poetry":                        -1,
		"pip $CMD flask":                             -1,
		"uv pip install flask":                       -1, // uv's pip interface is not pip
		"/usr/local/bin/pip3 install -U pip wheel":   1,
		"python3.12 -m pip --isolated install wheel": 4,
	} {
		if got := PipInstallIndex(lastCmd(t, run)); got != want {
			t.Errorf("PipInstallIndex(%s) = %d, want %d", run, got, want)
		}
	}
}

func TestPipHasOption(t *testing.T) {
	for _, tc := range []struct {
		run  string
		opts []string
		want bool
	}{
		{"pip install --no-cache-dir flask", []string{"--no-cache-dir"}, true},
		{"pip --no-cache-dir install flask", []string{"--no-cache-dir"}, true}, // a general option before the verb
		{"pip install --cache-dir=/tmp/c flask", []string{"--cache-dir"}, true},
		{"pip install flask", []string{"--no-cache-dir"}, false},
		{"pip install --no-cache-dir-x flask", []string{"--no-cache-dir"}, false},
		{"pip install \"$OPTS\" flask", []string{"--no-cache-dir"}, false},
	} {
		c := lastCmd(t, tc.run)
		if got := PipHasOption(c, PipInstallIndex(c), tc.opts...); got != tc.want {
			t.Errorf("PipHasOption(%s, %q) = %v, want %v", tc.run, tc.opts, got, tc.want)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"Flask":             "flask",
		"zope.interface":    "zope-interface",
		"typing_extensions": "typing-extensions",
		"Django-REST":       "django-rest",
	} {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNpmFloating(t *testing.T) {
	for v, want := range map[string]bool{
		"":       true,
		"*":      true,
		"latest": true,
		"next":   true,
		"beta":   true,
		"3":      false,
		"3.2.1":  false,
		"^1.2":   false,
		"~1.2.3": false,
		">=2":    false,
		"<3":     false,
		"=1.0.0": false,
		"v18":    false,
		"vnext":  true, // a tag that starts with v
	} {
		if got := NpmFloating(v); got != want {
			t.Errorf("NpmFloating(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestSubPositionalsOptValues(t *testing.T) {
	c := lastCmd(t, "npm --prefix /app --loglevel=warn install --omit dev express@4 -- --odd")
	sub := Sub(c, NpmValueOpts)
	if sub < 0 || c.Words[sub] != "install" {
		t.Fatalf("Sub = %d, want the index of install", sub)
	}
	if got := words(c, Positionals(c, sub, NpmValueOpts)); !slices.Equal(got, []string{"express@4", "--odd"}) {
		t.Errorf("Positionals = %q, want the package and everything after --", got)
	}
	if got := OptValues(c, c.Prog, "--prefix", "--loglevel"); !slices.Equal(got, []string{"/app", "warn"}) {
		t.Errorf("OptValues = %q, want both spellings read", got)
	}
	if got := OptValues(c, sub, "--odd"); got != nil {
		t.Errorf("OptValues read past --: %q", got)
	}
	if !HasOpt(c, sub, "--omit") || HasOpt(c, sub, "--odd") || !HasOpt(c, c.Prog, "--loglevel") {
		t.Errorf("HasOpt: want --omit and --loglevel=warn found, --odd (after --) not")
	}
	// HasOpt does not look into groups of short options; HasFlag does.
	c = lastCmd(t, "apk add -qU curl")
	if HasOpt(c, c.Prog, "-U") || !c.HasFlag("-U") {
		t.Errorf("HasOpt looked into the group -qU")
	}
	for run, want := range map[string]string{
		"npm ci":                 "ci",
		"npm -w pkg run build":   "run",
		"yarn --cwd web install": "install",
		"npm -- ci":              "",
		"npm --quiet":            "",
	} {
		c := lastCmd(t, run)
		opts := NpmValueOpts
		if c.Name() == "yarn" {
			opts = YarnValueOpts
		}
		got := ""
		if i := Sub(c, opts); i >= 0 {
			got = c.Words[i]
		}
		if got != want {
			t.Errorf("Sub(%s) = %q, want %q", run, got, want)
		}
	}
}

func TestEndInsert(t *testing.T) {
	for _, tc := range []struct {
		run, want string
	}{
		{"apt-get install -y curl", "apt-get install -y curl --no-install-recommends"},
		{"apt-get install -y -- curl", "apt-get install -y --no-install-recommends -- curl"},
		{"apt-get install -y curl && echo done", "apt-get install -y curl --no-install-recommends && echo done"},
	} {
		doc := runDoc(t, "RUN "+tc.run+"\n")
		in := doc.Instructions[1]
		c := in.Commands(doc)[0]
		off, text := EndInsert(c, c.Prog, "--no-install-recommends")
		src := string(doc.Src)
		got := src[:off] + text + src[off:]
		if want := "FROM debian\nRUN " + tc.want + "\n"; got != want {
			t.Errorf("EndInsert(%s) gives %q, want %q", tc.run, got, want)
		}
	}
}

func TestAptAndApkArgs(t *testing.T) {
	c := lastCmd(t, "apt-get -o Acquire::Retries=3 --option=Dpkg::Use-Pty=0 -oAPT::Color=0 install -y curl=7.88.1-10 git \"$EXTRA\" pkg=$VER -- -weird")
	if got := OptionValues(c); !slices.Equal(got, []string{"Acquire::Retries=3", "Dpkg::Use-Pty=0", "APT::Color=0"}) {
		t.Errorf("OptionValues = %q", got)
	}
	verb := VerbIndex(c)
	// pkg=$VER is pinned through a variable and left out; "$EXTRA" may be
	// anything and stays; everything after -- is a package.
	idx := PackageArgs(c, verb, ArgOptions, "=")
	var got []string
	for _, i := range idx {
		got = append(got, c.Script.Text(c.Call.Args[i]))
	}
	if want := []string{"curl=7.88.1-10", "git", `"$EXTRA"`, "-weird"}; !slices.Equal(got, want) {
		t.Errorf("PackageArgs = %q, want %q", got, want)
	}

	for run, want := range map[string]string{
		"apk add curl":            "add",
		"apk --no-cache add curl": "add",
		"apk -X https://dl-cdn.alpinelinux.org/x add c": "add",
		"apk --repository=https://x del c":              "del",
		"apk $OP curl":                                  "",
		"apt-get install curl":                          "",
	} {
		c := lastCmd(t, run)
		got := ""
		if i := ApkVerb(c); i >= 0 {
			got = c.Words[i]
		}
		if got != want {
			t.Errorf("ApkVerb(%s) = %q, want %q", run, got, want)
		}
	}
	c = lastCmd(t, "apk add --no-cache --virtual .build-deps gcc musl-dev~1.2 curl=$CURL_VERSION")
	if got := words(c, ApkPackageArgs(c, ApkVerb(c))); !slices.Equal(got, []string{"gcc", "musl-dev~1.2"}) {
		// curl=$CURL_VERSION is pinned through a variable.
		t.Errorf("ApkPackageArgs = %q, want [gcc musl-dev~1.2] (.build-deps is --virtual's value)", got)
	}
}

func TestListsPath(t *testing.T) {
	for p, want := range map[string]bool{
		"/var/lib/apt/lists":          true,
		"/var/lib/apt/lists/":         true,
		"/var/lib/apt/lists/*":        true,
		"/var/lib/apt/lists/partial":  true,
		"/var/lib/apt":                true,
		"/var/lib/apt/*":              true,
		"/var/lib/apt/lists/../lists": true,
		"/var/cache/apt":              false,
		"/var/lib/apt-lists":          false,
		"var/lib/apt/lists":           false,
		"/var/lib/dpkg":               false,
	} {
		if got := ListsPath(p); got != want {
			t.Errorf("ListsPath(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestEnv(t *testing.T) {
	doc := runDoc(t, "ENV PIP_NO_CACHE_DIR=1 OTHER=x\n"+ // 1
		"ARG DEBIAN_FRONTEND=noninteractive\n"+ // 2
		"FROM debian AS child\n"+ // 3: a new image, not built on the first stage
		"RUN pip install x\n"+ // 4
		"FROM scratch AS base\n"+ // 5
		"ENV UV_NO_CACHE=true\n"+ // 6
		"ARG BASE_ARG=1\n"+ // 7
		"FROM base\n"+ // 8
		"ENV LEGACY off\n"+ // 9
		"RUN export POETRY_VIRTUALENVS_CREATE=false && FOO=bar env BAZ=1 pip install x; export LATE=1\n") // 10
	at := func(i int) (*diagnose.Instruction, *diagnose.Command) {
		in := doc.Instructions[i]
		cs := in.Commands(doc)
		for _, c := range cs {
			if c.Name() == "pip" {
				return in, c
			}
		}
		t.Fatalf("line %d: no pip command", in.StartLine)
		return nil, nil
	}
	in4, c4 := at(4)
	if _, ok := Env(doc, in4, c4, "PIP_NO_CACHE_DIR"); ok {
		t.Errorf("ENV of an unrelated earlier stage reaches line 4")
	}
	in, c := at(10)
	for _, tc := range []struct {
		name, val string
		set       bool
	}{
		{"UV_NO_CACHE", "true", true},                // ENV of the parent stage
		{"BASE_ARG", "", false},                      // an ARG ends with its stage
		{"LEGACY", "off", true},                      // legacy ENV form
		{"POETRY_VIRTUALENVS_CREATE", "false", true}, // exported earlier in the script
		{"FOO", "bar", true},                         // assignment in front of the command
		{"BAZ", "1", true},                           // env VAR=x cmd
		{"LATE", "", false},                          // exported after the command
		{"PIP_NO_CACHE_DIR", "", false},
	} {
		v, ok := Env(doc, in, c, tc.name)
		if ok != tc.set || v != tc.val {
			t.Errorf("Env(%s) = %q, %v; want %q, %v", tc.name, v, ok, tc.val, tc.set)
		}
	}
	if !EnvTrue(doc, in, c, "UV_NO_CACHE") || EnvTrue(doc, in, c, "LEGACY") || EnvTrue(doc, in, c, "POETRY_VIRTUALENVS_CREATE") ||
		EnvTrue(doc, in, c, "LATE") {
		t.Errorf("EnvTrue: want true only for UV_NO_CACHE=true")
	}
	// Without a command, only the instructions count.
	if v, ok := Env(doc, in, nil, "UV_NO_CACHE"); !ok || v != "true" {
		t.Errorf("Env(nil command) = %q, %v", v, ok)
	}
	if _, ok := Env(doc, in, nil, "FOO"); ok {
		t.Errorf("Env(nil command) read the command's assignment")
	}
}

func TestCopyFlagAndMounts(t *testing.T) {
	doc := runDoc(t, "COPY --from=builder --chown=app:app /out /app\n"+
		"RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=secret,id=npmrc,target=/root/.npmrc apt-get update\n")
	if v, ok := CopyFlag(doc.Instructions[1], "chown"); !ok || v != "app:app" {
		t.Errorf("CopyFlag(chown) = %q, %v", v, ok)
	}
	if _, ok := CopyFlag(doc.Instructions[1], "chmod"); ok {
		t.Errorf("CopyFlag(chmod) found a flag that is not there")
	}
	ms := Mounts(doc.Instructions[2])
	if len(ms) != 2 || ms[0].Type != "cache" || ms[0].Target != "/var/cache/apt" || ms[1].Type != "secret" {
		t.Errorf("Mounts = %+v", ms)
	}
}
