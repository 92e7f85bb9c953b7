package diagnose

import (
	"fmt"
	"sort"
	"strings"
)

var registry []*Rule

// Register adds a rule; each rule file calls it from init. Duplicate codes
// or names are programming errors.
func Register(r *Rule) *Rule {
	for _, o := range registry {
		if o.Code == r.Code || o.Name == r.Name {
			panic(fmt.Sprintf("rule %s/%s registered twice", r.Code, r.Name))
		}
	}
	registry = append(registry, r)
	sort.Slice(registry, func(i, j int) bool { return registry[i].Code < registry[j].Code })
	return r
}

// All returns every rule, ordered by code.
func All() []*Rule { return append([]*Rule(nil), registry...) }

// Lookup finds a rule by code, name or alias (case-insensitive). An alias
// shared by several rules returns the first by code.
func Lookup(s string) *Rule {
	s = strings.TrimSpace(s)
	for _, r := range registry {
		if r.Matches(s) {
			return r
		}
	}
	return nil
}
