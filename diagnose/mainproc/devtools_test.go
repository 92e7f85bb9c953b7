package mainproc

import (
	"strings"
	"testing"
)

func TestNodeDevTool(t *testing.T) {
	for cmd, want := range map[string]string{
		"ng serve --host 0.0.0.0":  "ng serve",
		"ng build":                 "",
		"nodemon src/index.js":     "nodemon",
		"npx nodemon src/index.js": "nodemon",
		"npx --yes vite":           "vite",
		"vite build":               "",
		"next dev":                 "next dev",
		"next start":               "",
		"npm exec -- tsx app.ts":   "",
		"pnpm exec tsx app.ts":     "tsx",
		"node server.js":           "",
		"npm start":                "",
		"react-scripts start":      "react-scripts start",
	} {
		words := strings.Fields(cmd)
		lit := make([]bool, len(words))
		for i := range lit {
			lit[i] = true
		}
		if got := NodeDevTool(words, lit); got != want {
			t.Errorf("NodeDevTool(%q) = %q, want %q", cmd, got, want)
		}
	}
}
