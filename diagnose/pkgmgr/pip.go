package pkgmgr

import (
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// PipTools are the Python tools whose unpinned install is
// flagged (pip only with --upgrade).
var PipTools = map[string]bool{"uv": true, "poetry": true, "pipenv": true, "pip": true}

// PipValueOpts are pip install options (and pip's general
// options) whose value is the next word.
var PipValueOpts = map[string]bool{
	"-r": true, "--requirement": true, "-c": true, "--constraint": true, "-e": true, "--editable": true,
	"-t": true, "--target": true, "--platform": true, "--python-version": true, "--implementation": true,
	"--abi": true, "--root": true, "--prefix": true, "--src": true, "--upgrade-strategy": true,
	"-C": true, "--config-settings": true, "--global-option": true, "--install-option": true,
	"--no-binary": true, "--only-binary": true, "--progress-bar": true, "--report": true, "-i": true,
	"--index-url": true, "--extra-index-url": true, "-f": true, "--find-links": true, "--group": true,
	"--python": true, "--log": true, "--log-file": true, "--local-log": true, "--keyring-provider": true,
	"--proxy": true, "--retries": true, "--timeout": true, "--exists-action": true, "--trusted-host": true,
	"--cert": true, "--client-cert": true, "--cache-dir": true, "--use-feature": true, "--use-deprecated": true,
	"--resume-retries": true,
}

// NormalizeName normalizes a project name as PyPI does.
func NormalizeName(name string) string {
	return strings.NewReplacer("_", "-", ".", "-").Replace(strings.ToLower(name))
}

var (
	pipProgram    = regexp.MustCompile(`^pip[0-9.]*$`)
	PythonProgram = regexp.MustCompile(`^python[0-9.]*$`)
)

// pipGlobalArgOptions are pip's general options that take a value as the
// next word.
var pipGlobalArgOptions = map[string]bool{
	"--python": true, "--log": true, "--log-file": true, "--local-log": true, "--keyring-provider": true,
	"--proxy": true, "--retries": true, "--timeout": true, "--exists-action": true, "--trusted-host": true,
	"--cert": true, "--client-cert": true, "--cache-dir": true, "--use-feature": true,
	"--use-deprecated": true, "--resume-retries": true,
}

// PipInstallIndex returns the index in c.Words of the `install` of a pip
// install (pip, pip3, pip3.12, python -m pip, python3 -m pip), or -1.
func PipInstallIndex(c *diagnose.Command) int {
	i := c.Prog + 1
	switch name := c.Name(); {
	case pipProgram.MatchString(name):
	case PythonProgram.MatchString(name):
		// python [options] -m pip ...
		module := ""
		for ; i < len(c.Words) && module == ""; i++ {
			if !c.Lit[i] {
				return -1
			}
			w := c.Words[i]
			switch {
			case w == "-m":
				if i+1 >= len(c.Words) || !c.Lit[i+1] {
					return -1
				}
				i++
				module = c.Words[i]
			case strings.HasPrefix(w, "-m"):
				module = w[2:]
			case w == "-W" || w == "-X":
				i++
			case strings.HasPrefix(w, "-") && w != "-" && w != "-c":
			default:
				return -1 // a script, -c code or stdin: not pip
			}
		}
		if module != "pip" {
			return -1
		}
	default:
		return -1
	}
	for ; i < len(c.Words); i++ {
		if !c.Lit[i] {
			return -1
		}
		w := c.Words[i]
		if !strings.HasPrefix(w, "-") {
			if w == "install" {
				return i
			}
			return -1
		}
		if pipGlobalArgOptions[w] {
			i++
		}
	}
	return -1
}

// PipHasOption reports whether a literal argument after the verb is one
// of opts (or opt=value for a long option).
func PipHasOption(c *diagnose.Command, verb int, opts ...string) bool {
	for i := verb + 1; i < len(c.Words); i++ {
		for _, o := range opts {
			if c.Lit[i] && (c.Words[i] == o || strings.HasPrefix(c.Words[i], o+"=")) {
				return true
			}
		}
	}
	// Before the verb, pip also accepts its general options.
	for i := c.Prog + 1; i < verb; i++ {
		for _, o := range opts {
			if c.Lit[i] && (c.Words[i] == o || strings.HasPrefix(c.Words[i], o+"=")) {
				return true
			}
		}
	}
	return false
}
