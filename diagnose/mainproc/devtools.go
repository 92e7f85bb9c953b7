package mainproc

import (
	"path"
	"strings"
)

// nodeDevTools are programs that come from a project's devDependencies
// and run as the container's process only in development: dev servers,
// watchers and TypeScript runners. The value is the subcommand that makes
// it one ("" for any use).
var nodeDevTools = map[string][]string{
	"ng":                 {"serve", "s"},
	"vite":               {"", "dev", "serve", "preview"},
	"nodemon":            nil,
	"ts-node":            nil,
	"ts-node-dev":        nil,
	"tsx":                nil,
	"webpack-dev-server": nil,
	"webpack":            {"serve"},
	"next":               {"dev"},
	"nuxt":               {"dev"},
	"nuxi":               {"dev"},
	"react-scripts":      {"start"},
	"vue-cli-service":    {"serve"},
	"gatsby":             {"develop"},
	"ember":              {"serve", "s"},
	"astro":              {"dev"},
}

// NodeDevTool names the development tool a start command runs ("ng
// serve", "nodemon"), one that lives in the project's devDependencies, or
// "". words and lit are the command's words (Command.Words, Lit); npx and
// the package managers' exec and run wrappers are looked through.
func NodeDevTool(words []string, lit []bool) string {
	k := 0
	for k < len(words) && lit[k] {
		switch b := path.Base(words[k]); b {
		case "npx", "pnpx":
			k++
			for k < len(words) && lit[k] && strings.HasPrefix(words[k], "-") {
				k++
			}
			continue
		case "npm", "pnpm", "yarn":
			if k+1 < len(words) && lit[k+1] && (words[k+1] == "exec" || words[k+1] == "x" || words[k+1] == "dlx") {
				k += 2
				continue
			}
			return ""
		default:
			subs, ok := nodeDevTools[b]
			if !ok {
				return ""
			}
			if subs == nil {
				return b
			}
			s := ""
			for j := k + 1; j < len(words); j++ {
				if !lit[j] {
					return ""
				}
				if !strings.HasPrefix(words[j], "-") {
					s = words[j]
					break
				}
			}
			for _, want := range subs {
				if s == want {
					return strings.TrimSpace(b + " " + s)
				}
			}
			return ""
		}
	}
	return ""
}
