package migrate

import (
	"path"
	"slices"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// envTemplate are the variables the templates set themselves (or that
// only served the single-stage layout); the file's own values are dropped.
var envTemplate = map[string]bool{
	"UV_COMPILE_BYTECODE": true, "UV_LINK_MODE": true, "UV_NO_CACHE": true, "UV_PYTHON_DOWNLOADS": true,
	"UV_PYTHON_PREFERENCE": true, "UV_NO_MANAGED_PYTHON": true, "UV_NO_DEV": true, "UV_LOCKED": true,
	"UV_FROZEN": true, "UV_NO_SYNC": true, "UV_SYSTEM_PYTHON": true,
	"PIP_NO_CACHE_DIR": true, "PIP_DISABLE_PIP_VERSION_CHECK": true, "PIP_ROOT_USER_ACTION": true,
	"POETRY_NO_INTERACTION": true, "POETRY_VIRTUALENVS_CREATE": true, "POETRY_VIRTUALENVS_IN_PROJECT": true,
	"POETRY_CACHE_DIR": true, "POETRY_HOME": true, "POETRY_VERSION": true, "VIRTUAL_ENV": true,
	"NODE_ENV": true, "CGO_ENABLED": true, "GOOS": true, "GOARCH": true, "GOPATH": true, "GOROOT": true,
}

// envRefused are variables that move things the templates rely on.
var envRefused = map[string]bool{
	"UV_PROJECT_ENVIRONMENT": true, "UV_PYTHON_INSTALL_DIR": true, "PIP_USER": true, "PYTHONUSERBASE": true,
	"PIP_TARGET": true, "PIP_PREFIX": true, "NODE_PATH": true, "GOBIN": true,
}

// toolPrefixes mark variables that configure the build tools; they go
// to the builder stage.
var toolPrefixes = []string{"UV_", "PIP_", "POETRY_", "PIPENV_", "NPM_CONFIG_", "npm_config_", "YARN_", "GO", "CGO_"}

func (pl *Plan) readEnv(d *diagnose.Document, in *diagnose.Instruction) string {
	var builder, runtime []string
	for n := in.Node.Next; n != nil && n.Next != nil && n.Next.Next != nil; n = n.Next.Next.Next {
		key := n.Value
		val, ok := pairValue(d, n.Next.Value, n.Next.Next.Value)
		if !ok {
			return "dockdoc cannot rewrite ENV " + key + " exactly"
		}
		switch {
		case key == "PATH":
			if why := pl.readPath(d, val); why != "" {
				return why
			}
		case envRefused[key]:
			return "ENV " + key + " moves files the new stages rely on"
		case envTemplate[key]:
		case devEnv(key, val):
		case toolEnv(key):
			builder = append(builder, key+"="+val)
		default:
			runtime = append(runtime, key+"="+val)
		}
	}
	if len(builder) > 0 {
		pl.builderEnv = append(pl.builderEnv, strings.Join(builder, " "))
	}
	if len(runtime) > 0 {
		pl.runtimeEnv = append(pl.runtimeEnv, strings.Join(runtime, " "))
	}
	return ""
}

func toolEnv(key string) bool {
	if key == "DEBIAN_FRONTEND" {
		return true // apt's prompts: the builder runs apt-get
	}
	for _, p := range toolPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// devEnv reports a development-mode switch the runtime stage drops.
func devEnv(key, val string) bool {
	v := strings.ToLower(strings.Trim(val, `"'`))
	switch key {
	case "FLASK_DEBUG", "DJANGO_DEBUG":
		return v == "1" || v == "true" || v == "yes" || v == "on"
	case "FLASK_ENV":
		return v == "development"
	}
	return false
}

// readPath accepts a PATH that only adds the virtual environment or tool
// directories the templates manage themselves.
func (pl *Plan) readPath(d *diagnose.Document, raw string) string {
	lex := shell.NewLex(rune(d.Escape))
	const mark = "DD029PATHMARK"
	v, _, err := lex.ProcessWord(strings.NewReplacer("${PATH}", mark, "$PATH", mark).Replace(raw), shell.EnvsFromSlice(nil))
	if err != nil {
		return "dockdoc cannot read ENV PATH=" + raw
	}
	for _, part := range strings.Split(v, ":") {
		switch {
		case part == mark || part == "":
		case path.Clean(part) == pl.binDir(), part == "/root/.local/bin", part == "/go/bin", part == "/usr/local/go/bin":
			// the template's own environment, or a tool directory of the builder
		case pl.eco == "node" && path.Clean(part) == path.Join(pl.workdir, "node_modules", ".bin"):
			// what wrapper-main-process (DD021) adds for a package's program
			if !slices.Contains(pl.pathDirs, path.Clean(part)) {
				pl.pathDirs = append(pl.pathDirs, path.Clean(part))
			}
		default:
			return "ENV PATH adds " + part + ", which the runtime stage may not have"
		}
	}
	return ""
}

// pairValue returns an ENV/LABEL value as KEY=value text that reads
// back as the same value. A value without variables is written in one
// canonical way (bare when it is a plain word, else double-quoted), so
// `A b`, `A=b` and `A="b"` all give `A=b`; a value with a variable keeps
// its text, rewritten from the legacy form as legacy-key-value (DD014)
// does.
func pairValue(d *diagnose.Document, raw, sep string) (string, bool) {
	esc := rune(d.Escape)
	if !strings.Contains(raw, "$") {
		var want string
		if sep == "" && !buildvars.OneWord(raw, esc) && !strings.ContainsAny(raw, "\"'") && !strings.ContainsRune(raw, esc) {
			want = raw // several plain words: the legacy form keeps them as they are
		} else {
			v, _, err := shell.NewLex(esc).ProcessWord(raw, shell.EnvsFromSlice(nil))
			if err != nil {
				return "", false
			}
			want = v
		}
		if safeWord.MatchString(want) {
			return want, true
		}
		return buildvars.Quote(want, esc), true
	}
	switch {
	case sep == "=":
		return raw, true
	case buildvars.OneWord(raw, esc):
		return raw, true
	case !strings.ContainsAny(raw, "\"'") && !strings.ContainsRune(raw, esc):
		return `"` + raw + `"`, true
	}
	return "", false
}

// pairs renders a LABEL's pairs as KEY=value text.
func pairs(d *diagnose.Document, in *diagnose.Instruction) (string, bool) {
	var out []string
	for n := in.Node.Next; n != nil && n.Next != nil && n.Next.Next != nil; n = n.Next.Next.Next {
		v, ok := pairValue(d, n.Next.Value, n.Next.Next.Value)
		if !ok {
			return "", false
		}
		out = append(out, n.Value+"="+v)
	}
	return strings.Join(out, " "), len(out) > 0
}
