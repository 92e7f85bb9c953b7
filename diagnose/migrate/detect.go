package migrate

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

// Ecosystem tells the official image family of an image reference:
// "python", "node", "go" or "".
func Ecosystem(image string) string {
	if strings.Contains(image, "$") {
		return ""
	}
	repo, _, _ := splitRef(strings.ToLower(image))
	switch repo[strings.LastIndex(repo, "/")+1:] {
	case "python":
		return "python"
	case "node":
		return "node"
	case "golang":
		return "go"
	}
	return ""
}

// splitRef splits an image reference into repository, tag and digest.
func splitRef(ref string) (repo, tag, digest string) {
	ref, digest, _ = strings.Cut(ref, "@")
	slash := strings.LastIndex(ref, "/")
	if c := strings.LastIndex(ref, ":"); c > slash {
		return ref[:c], ref[c+1:], digest
	}
	return ref, "", digest
}

// CopyFromStage reports whether a COPY/ADD takes files from another
// stage of this file (by name or by index).
func CopyFromStage(d *diagnose.Document, in *diagnose.Instruction) bool {
	for _, fl := range in.Node.Flags {
		v, ok := strings.CutPrefix(fl, "--from=")
		if !ok {
			continue
		}
		if d.StageByName(v, in.Stage.Index) != nil {
			return true
		}
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < in.Stage.Index {
			return true
		}
	}
	return false
}

// ToolchainUse describes the first thing the stages do that needs
// the toolchain, or "" when they do not build anything.
func ToolchainUse(d *diagnose.Document, chain []*diagnose.Stage, eco string) string {
	if eco == "go" {
		final := chain[len(chain)-1]
		for _, in := range final.Instrs {
			if (in.Keyword == "cmd" || in.Keyword == "entrypoint") && runsGoRun(d, in) {
				return "compiles the program at every start with go run"
			}
		}
	}
	for _, s := range chain {
		for _, in := range s.Instrs {
			switch in.Keyword {
			case "run":
				for _, c := range in.Commands(d) {
					if w := buildCommand(c, eco); w != "" {
						return w
					}
				}
			}
		}
	}
	return ""
}

// buildCommand describes a command that builds with the ecosystem's
// toolchain ("installs dependencies with pip"), or "".
func buildCommand(c *diagnose.Command, eco string) string {
	name := c.Name()
	sub := ""
	if i := c.Sub(); i >= 0 {
		sub = c.Words[i]
	}
	switch eco {
	case "python":
		if v := pkgmgr.PipInstallIndex(c); v >= 0 {
			for i := v + 1; i < len(c.Words); i++ {
				w := c.Words[i]
				if strings.HasPrefix(w, "-") {
					if w == "-r" || w == "--requirement" || w == "-e" || w == "--editable" || w == "-c" || w == "--constraint" {
						return "installs dependencies with pip"
					}
					continue
				}
				if n := pipName(w); !pipSelf[n] && !pipTools[n] {
					return "installs dependencies with pip"
				}
			}
			return ""
		}
		switch {
		case name == "uv" && (sub == "sync" || sub == "pip"):
			return "installs dependencies with uv"
		case name == "poetry" && (sub == "install" || sub == "sync"):
			return "installs dependencies with Poetry"
		case name == "pipenv" && (sub == "install" || sub == "sync"):
			return "installs dependencies with Pipenv"
		}
	case "node":
		switch {
		case name == "npm" && (sub == "ci" || sub == "install" || sub == "i") && !c.HasFlag("-g", "--global"):
			return "installs dependencies with npm"
		case name == "npm" && (sub == "run" || sub == "run-script"):
			return "builds with npm run"
		case name == "yarn" && (sub == "" || sub == "install"):
			return "installs dependencies with Yarn"
		case name == "yarn" && sub == "build":
			return "builds with Yarn"
		case name == "pnpm" && (sub == "install" || sub == "i"):
			return "installs dependencies with pnpm"
		}
	case "go":
		if name == "go" {
			switch sub {
			case "build", "install":
				return "compiles with go " + sub
			case "mod":
				return "downloads modules with go mod"
			case "get":
				return "downloads modules with go get"
			}
		}
	}
	return ""
}

// pipSelf are the packages `pip install --upgrade` refreshes in the
// image itself; installing only these is not a dependency install.
var pipSelf = map[string]bool{"pip": true, "setuptools": true, "wheel": true}

// pipTools are the package managers installed with pip.
var pipTools = map[string]bool{"uv": true, "poetry": true, "pipenv": true}

var pipReq = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$`)

// pipName is the normalized project name of a pip requirement
// ("Flask[async]>=3" → "flask"), or "" when it is not a name.
func pipName(req string) string {
	m := pipReq.FindStringSubmatch(req)
	if m == nil {
		return ""
	}
	return strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(m[1]))
}

// pipExact returns X for a requirement "name==X" (a plain version).
func pipExact(req string) string {
	m := pipReq.FindStringSubmatch(req)
	if m == nil {
		return ""
	}
	v, ok := strings.CutPrefix(strings.TrimSpace(m[3]), "==")
	if !ok || !versionRe.MatchString(strings.TrimSpace(v)) {
		return ""
	}
	return strings.TrimSpace(v)
}

var versionRe = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*([a-z]+[0-9]*)?$`)

// runsGoRun reports whether a CMD/ENTRYPOINT runs `go run`.
func runsGoRun(d *diagnose.Document, in *diagnose.Instruction) bool {
	words, ok := commandWords(d, in)
	return ok && len(words) >= 2 && path.Base(words[0]) == "go" && words[1] == "run"
}

// commandWords returns the words of a CMD/ENTRYPOINT: the JSON array
// of the exec form, or the plain words of a simple shell-form command.
func commandWords(d *diagnose.Document, in *diagnose.Instruction) ([]string, bool) {
	if in.IsExecForm() {
		var out []string
		for n := in.Node.Next; n != nil; n = n.Next {
			out = append(out, n.Value)
		}
		return out, len(out) > 0
	}
	ss := in.Scripts(d)
	if len(ss) != 1 || len(ss[0].File.Stmts) != 1 {
		return nil, false
	}
	return mainproc.PlainWords(ss[0].File.Stmts[0])
}
