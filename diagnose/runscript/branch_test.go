package runscript_test

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

func TestDevBranch(t *testing.T) {
	for _, tc := range []struct {
		script string
		want   map[string]bool // command name -> in a dev branch
	}{
		{`if [ "$ENV" = "dev" ]; then npm install; else npm ci --omit=dev; fi`, map[string]bool{"npm": true}},
		{`if [ "$NODE_ENV" != production ]; then yarn; fi`, map[string]bool{"yarn": true}},
		{`if [ "$NODE_ENV" = production ]; then pnpm install --prod; else pnpm install; fi`, map[string]bool{"pnpm": false}},
		{`if [ "$MODE" == debug ]; then pip install debugpy; fi; make`, map[string]bool{"pip": true, "make": false}},
		{`case "$BUILD" in dev|development) uv sync ;; *) make ;; esac`, map[string]bool{"uv": true, "make": false}},
		{`if [ -f package.json ]; then npm ci; fi`, map[string]bool{"npm": false}},
		{`npm ci`, map[string]bool{"npm": false}},
	} {
		d := ruletest.MustParseClean(t, "FROM a\nRUN "+tc.script+"\n")
		got := map[string]bool{}
		for _, c := range d.Instructions[1].Commands(d) {
			if _, ok := tc.want[c.Name()]; ok {
				got[c.Name()] = got[c.Name()] || runscript.DevBranch(c)
			}
		}
		// the last npm/pnpm in the script decides for scripts with two
		for name, want := range tc.want {
			if name == "pnpm" {
				continue
			}
			if got[name] != want {
				t.Errorf("%s: DevBranch(%s) = %v, want %v", tc.script, name, got[name], want)
			}
		}
	}
	// Of the two pnpm installs, only the else one is the dev branch.
	d := ruletest.MustParseClean(t, "FROM a\nRUN if [ \"$NODE_ENV\" = production ]; then pnpm install --prod; else pnpm install; fi\n")
	var got []bool
	for _, c := range d.Instructions[1].Commands(d) {
		got = append(got, runscript.DevBranch(c))
	}
	if len(got) != 3 || got[1] || !got[2] {
		t.Errorf("DevBranch of [ test, then, else ] = %v, want [_ false true]", got)
	}
}
