package diagnose

import "strings"

// Shared knowledge of apt-get's command line, used by the apt rules.

// aptArgOptions are the apt-get / apt options whose value is the next word
// when written without "=".
var aptArgOptions = map[string]bool{
	"-o": true, "--option": true,
	"-c": true, "--config-file": true,
	"-t": true, "--target-release": true, "--default-release": true,
	"-a": true, "--host-architecture": true,
	"-P": true, "--build-profiles": true,
}

// aptVerbIndex returns the index in c.Words of the apt-get / apt
// subcommand ("install", "update", ...), skipping options and the values
// of options such as `-o Key=Value`. It returns -1 when there is none or
// when the subcommand is not a literal word.
func aptVerbIndex(c *Command) int {
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
		if aptArgOptions[w] {
			i++ // skip the option's value
		}
	}
	return -1
}

// aptOptionValues lists the Key=Value settings given with -o / --option.
func aptOptionValues(c *Command) []string {
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
