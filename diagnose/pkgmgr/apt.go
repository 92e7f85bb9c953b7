package pkgmgr

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

// Shared knowledge of apt-get's command line, used by the apt rules.

// ArgOptions are the apt-get / apt options whose value is the next word
// when written without "=".
var ArgOptions = map[string]bool{
	"-o": true, "--option": true,
	"-c": true, "--config-file": true,
	"-t": true, "--target-release": true, "--default-release": true,
	"-a": true, "--host-architecture": true,
	"-P": true, "--build-profiles": true,
}

// VerbIndex returns the index in c.Words of the apt-get / apt
// subcommand ("install", "update", ...), skipping options and the values
// of options such as `-o Key=Value`. It returns -1 when there is none or
// when the subcommand is not a literal word.
func VerbIndex(c *diagnose.Command) int {
	for i := c.Prog + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			return -1
		}
		w := c.Words[i]
		if w == "--" {
			if i+1 < len(c.Words) && c.Lit[i+1] {
				return i + 1
			}
			return -1
		}
		if !strings.HasPrefix(w, "-") || w == "-" {
			return i
		}
		if ArgOptions[w] {
			i++ // skip the option's value
		}
	}
	return -1
}

// OptionValues lists the Key=Value settings given with -o / --option.
func OptionValues(c *diagnose.Command) []string {
	var out []string
	for i := c.Prog + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			continue
		}
		w := c.Words[i]
		switch {
		case w == "-o" || w == "--option":
			if i+1 < len(c.Words) && c.Lit[i+1] {
				out = append(out, c.Words[i+1])
			}
			i++
		case strings.HasPrefix(w, "--option="):
			out = append(out, strings.TrimPrefix(w, "--option="))
		case strings.HasPrefix(w, "-o") && !strings.HasPrefix(w, "--"):
			out = append(out, w[2:])
		}
	}
	return out
}

// ListsPath reports whether removing p recursively removes the apt
// lists (the directory, its contents, or a parent of it).
func ListsPath(p string) bool {
	p = path.Clean(p)
	switch p {
	case "/var/lib/apt/lists", "/var/lib/apt", "/var/lib/apt/*", "/var/lib/apt/lists/*":
		return true
	}
	return strings.HasPrefix(p, "/var/lib/apt/lists/")
}

// PackageArgs returns the indexes of the package arguments after the
// subcommand at verb: every argument that is neither an option nor the
// value of one of valueOpts (everything after "--" counts). A non-literal
// word whose source holds one of pinChars (pkg=$VERSION) is pinned through
// a variable and left out. apt and apk differ only in those two tables.
func PackageArgs(c *diagnose.Command, verb int, valueOpts map[string]bool, pinChars string) []int {
	return positionals(c, verb, valueOpts, func(i int) bool {
		return !c.Lit[i] && strings.ContainsAny(runscript.WordSource(c, i), pinChars)
	})
}
