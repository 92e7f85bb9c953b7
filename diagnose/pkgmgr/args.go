package pkgmgr

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// Sub returns the index in c.Words of the tool's subcommand (the first
// word after the program that is not an option or an option's value), or
// -1 when there is none.
func Sub(c *diagnose.Command, valueOpts map[string]bool) int {
	for i := c.Prog + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		if !c.Lit[i] || !strings.HasPrefix(w, "-") || w == "-" {
			return i
		}
		if w == "--" {
			return -1
		}
		if valueOpts[w] {
			i++
		}
	}
	return -1
}

// Positionals lists the indexes of the arguments after from that are
// neither options nor option values (package names, paths, ...). Words
// after `--` count as positionals.
func Positionals(c *diagnose.Command, from int, valueOpts map[string]bool) []int {
	return positionals(c, from, valueOpts, nil)
}

// positionals is Positionals leaving out, before a `--`, the arguments
// skip says to.
func positionals(c *diagnose.Command, from int, valueOpts map[string]bool, skip func(i int) bool) []int {
	var out []int
	for i := from + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		if c.Lit[i] && w == "--" {
			for j := i + 1; j < len(c.Words); j++ {
				out = append(out, j)
			}
			break
		}
		if c.Lit[i] && strings.HasPrefix(w, "-") && w != "-" {
			if valueOpts[w] {
				i++
			}
			continue
		}
		if skip != nil && skip(i) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// OptValues returns the values given to a long or short option after
// from, in both the `--opt value` and `--opt=value` spellings.
func OptValues(c *diagnose.Command, from int, names ...string) []string {
	var out []string
	for i := from + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			continue
		}
		w := c.Words[i]
		if w == "--" {
			break
		}
		for _, n := range names {
			if w == n && i+1 < len(c.Words) {
				out = append(out, c.Words[i+1])
			} else if v, ok := strings.CutPrefix(w, n+"="); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// HasOpt reports whether a literal argument after from is one of the
// options (or `option=value` for a long one). Unlike Command.HasFlag it
// does not look inside groups of short options, whose letters mean
// different things to different tools.
func HasOpt(c *diagnose.Command, from int, opts ...string) bool {
	for i := from + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			continue
		}
		w := c.Words[i]
		if w == "--" {
			return false
		}
		for _, o := range opts {
			if w == o || (strings.HasPrefix(o, "--") && strings.HasPrefix(w, o+"=")) {
				return true
			}
		}
	}
	return false
}

// EndInsert is where a flag goes at the end of a command: after its
// last argument, or before a literal `--` that ends its options. It
// returns the offset and the text to insert for flag.
func EndInsert(c *diagnose.Command, from int, flag string) (int, string) {
	for i := from + 1; i < len(c.Words); i++ {
		if c.Lit[i] && c.Words[i] == "--" {
			return c.ArgSpan(i).Start, flag + " "
		}
	}
	return c.ArgSpan(len(c.Call.Args) - 1).End, " " + flag
}

// envTruthy tells a set boolean environment variable from one set to a
// false value (the spellings uv, Pipenv and Poetry accept).
func envTruthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "no", "off", "n", "f":
		return false
	}
	return true
}
