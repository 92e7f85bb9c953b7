package pkgmgr

import (
	"path"
	"strconv"
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

// AptDistClean reports whether c is `apt-get dist-clean` or `apt
// dist-clean` (apt 2.7.8 and newer, Debian 13 and Ubuntu 24.04 on): like
// `apt-get clean` it empties the package cache, and it also removes the
// package lists.
func AptDistClean(c *diagnose.Command) bool {
	if n := c.Name(); n != "apt-get" && n != "apt" {
		return false
	}
	v := VerbIndex(c)
	return v >= 0 && c.Words[v] == "dist-clean"
}

// RemovesAptLists reports whether c deletes apt's package lists: an
// `rm -r` of them (any spelling of the recursive flag: -r, -R, -rf, -fr,
// --recursive), `find ... -delete` on them, or `apt-get dist-clean`.
func RemovesAptLists(c *diagnose.Command) bool {
	switch c.Name() {
	case "apt-get", "apt":
		return AptDistClean(c)
	case "rm":
		if !c.HasFlag("-r", "-R", "--recursive") {
			return false
		}
		opts := true
		for i := c.Prog + 1; i < len(c.Words); i++ {
			w := c.Words[i]
			if opts && w == "--" {
				opts = false
				continue
			}
			if opts && strings.HasPrefix(w, "-") {
				continue
			}
			if c.Lit[i] && ListsPath(w) {
				return true
			}
		}
	case "find":
		del, lists := false, false
		for i := c.Prog + 1; i < len(c.Words); i++ {
			if !c.Lit[i] {
				continue
			}
			if c.Words[i] == "-delete" {
				del = true
			}
			if !strings.HasPrefix(c.Words[i], "-") && ListsPath(c.Words[i]) {
				lists = true
			}
		}
		return del && lists
	}
	return false
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

// aptShortArgOptions are the short apt-get options that take a value (the
// rest of their cluster, or the next word), as ArgOptions lists them.
const aptShortArgOptions = "octaP"

// AptAssumesYes reports whether an apt-get / apt command answers its
// confirmation prompt itself: -y, --yes, --assume-yes (alone or in a
// cluster such as -qy), -o APT::Get::Assume-Yes=true, or a quiet level of 2
// or more (-qq, -q -q, -q=2, --quiet=2, -o quiet=2), which apt-get(8)
// says implies -y. Options are read as apt's command line parser reads
// them: a value-taking short option (-o, -t, ...) ends its cluster, and
// -q takes a number from `=N`, the rest of its cluster or the next word.
func AptAssumesYes(c *diagnose.Command) bool {
	yes, quiet := false, 0
	setOption := func(kv string) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "apt::get::assume-yes":
			yes = aptTruthy(v)
		case "quiet":
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
				quiet = n
			}
		}
	}
	// level reads -q's optional number from arg (certain: it followed
	// `=`); it reports whether arg was that number.
	level := func(arg string, certain bool) bool {
		if n, err := strconv.Atoi(arg); err == nil && n >= 0 {
			quiet = n
			return true
		}
		if !certain {
			quiet++
		}
		return false
	}
	for i := c.Prog + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		if !c.Lit[i] || !strings.HasPrefix(w, "-") || w == "-" {
			continue
		}
		if w == "--" {
			break
		}
		next := func() (string, bool) {
			if i+1 < len(c.Words) && c.Lit[i+1] && !strings.HasPrefix(c.Words[i+1], "-") {
				return c.Words[i+1], true
			}
			return "", false
		}
		if strings.HasPrefix(w, "--") {
			name, val, hasVal := strings.Cut(w[2:], "=")
			switch name {
			case "yes", "assume-yes":
				yes = !hasVal || aptTruthy(val)
			case "no-yes", "no-assume-yes", "assume-no":
				yes = false
			case "quiet":
				if hasVal {
					level(val, true)
				} else if v, ok := next(); ok && level(v, false) {
					i++
				} else if !ok {
					quiet++
				}
			case "option", "config-file", "target-release", "default-release", "host-architecture", "build-profiles":
				v := val
				if !hasVal {
					v, _ = next()
					i++
				}
				if name == "option" {
					setOption(v)
				}
			}
			continue
		}
		for j := 1; j < len(w); j++ {
			ch, rest := w[j], w[j+1:]
			if strings.IndexByte(aptShortArgOptions, ch) >= 0 {
				v := rest
				if v == "" {
					v, _ = next()
					i++
				}
				if ch == 'o' {
					setOption(v)
				}
				break
			}
			switch ch {
			case 'y':
				yes = true
			case 'q':
				switch {
				case strings.HasPrefix(rest, "="):
					level(rest[1:], true)
					j = len(w)
				case rest != "":
					if level(rest, false) {
						j = len(w)
					}
				default:
					if v, ok := next(); ok && level(v, false) {
						i++
					} else if !ok {
						quiet++
					}
				}
			}
		}
	}
	return yes || quiet >= 2
}

// aptTruthy is apt's reading of a boolean configuration value.
func aptTruthy(v string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(v), `"'`)) {
	case "1", "true", "yes", "on", "with", "enable":
		return true
	}
	return false
}
