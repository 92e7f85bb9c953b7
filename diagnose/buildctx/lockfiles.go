package buildctx

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
)

// Composer holds what dockdoc uses from composer.json.
type Composer struct {
	Require    map[string]any `json:"require"`
	RequireDev map[string]any `json:"require-dev"`
}

// gemGroupRe matches a Gemfile's `group :development, :test do` (also
// with strings, parentheses or `group "test" do`).
var gemGroupRe = regexp.MustCompile(`(?m)^\s*group\s*\(?\s*([^)\n]*?)\)?\s+do\b`)

// readLockfiles reads the Ruby, PHP and Go lock state: the Gemfile's
// groups, composer.json and composer.lock, go.sum.
func (c *Context) readLockfiles() {
	if b := c.read("Gemfile"); b != nil {
		c.Gemfile = true
		seen := map[string]bool{}
		for _, m := range gemGroupRe.FindAllSubmatch(b, -1) {
			for _, g := range strings.Split(string(m[1]), ",") {
				g = strings.Trim(strings.TrimSpace(g), `:"'`)
				if g != "" && !strings.Contains(g, "=>") && !strings.Contains(g, ":") && !seen[g] {
					seen[g] = true
					c.GemGroups = append(c.GemGroups, g)
				}
			}
		}
		sort.Strings(c.GemGroups)
	}
	if b := c.read("composer.json"); b != nil {
		var cj Composer
		if err := json.Unmarshal(b, &cj); err != nil {
			c.note("composer.json", "not valid JSON: "+err.Error())
		} else {
			c.ComposerJSON = &cj
		}
	}
	c.ComposerLock = c.exists("composer.lock")
	c.GoSum = c.exists("go.sum")
}
