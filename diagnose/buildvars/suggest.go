package buildvars

import (
	"sort"
	"strings"
)

// SortedKeys returns the keys of a set, sorted.
func SortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Suggest is BuildKit's did-you-mean (util/suggest.Search): the option
// closest to val by edit distance, if that distance is below 3, and
// nothing when val itself is an option.
func Suggest(val string, options []string, caseSensitive bool) string {
	orig := val
	if !caseSensitive {
		val = strings.ToLower(val)
	}
	match := ""
	best := 3
	for _, opt := range options {
		o := opt
		if !caseSensitive {
			o = strings.ToLower(o)
		}
		if o == val {
			return ""
		}
		if dist := levenshtein(val, o); dist < best {
			match, best = opt, dist
		}
	}
	if match != "" && !caseSensitive {
		switch {
		case orig == strings.ToLower(orig):
			match = strings.ToLower(match)
		case orig == strings.ToUpper(orig):
			match = strings.ToUpper(match)
		}
	}
	return match
}

// levenshtein is the plain edit distance (insertions, deletions and
// substitutions of runes, each costing 1).
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// SuggestName is Suggest among the options that are valid variable names
// in a `$NAME` reference (a letter or underscore, then letters, digits
// and underscores): an ARG declared as `ARG MY-VER=1` cannot be
// referenced, and pasting it as `$MY-VER` would read `$MY` followed by
// "-VER", a reference that grows on every run of the fix.
func SuggestName(name string, options []string) string {
	valid := options[:0:0]
	for _, o := range options {
		if ValidName(o) {
			valid = append(valid, o)
		}
	}
	return Suggest(name, valid, true)
}

// ValidName reports whether s can be referenced as $s.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
