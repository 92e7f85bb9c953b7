package pkgmgr_test

import (
	"fmt"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
)

func TestDevInstallOf(t *testing.T) {
	noEnv := func(string) (string, bool) { return "", false }
	for cmd, want := range map[string]string{
		"npm ci":                   "node npm ci false",
		"npm ci --omit=dev":        "node npm ci true",
		"npm install --production": "node npm install true",
		"npm install express":      "none",
		"npm install -g pnpm":      "none",
		"yarn":                     "node yarn install false",
		"yarn --version":           "none",
		"yarn install --frozen-lockfile --production": "node yarn install true",
		"pnpm install --prod":                         "node pnpm install true",
		"uv sync --locked":                            "python uv sync false",
		"uv sync --no-dev":                            "python uv sync true",
		"poetry install --only main":                  "python poetry install true",
		"poetry install --without dev":                "python poetry install true",
		"poetry install":                              "python poetry install false",
		"NODE_ENV=production npm ci":                  "node npm ci false", // the env func decides, see below
	} {
		d := ruletest.MustParseClean(t, "FROM a\nRUN "+cmd+"\n")
		c := d.Instructions[1].Commands(d)[0]
		got := "none"
		if di, ok := pkgmgr.DevInstallOf(c, noEnv); ok {
			got = fmt.Sprintf("%s %s %v", di.Eco, di.Verb, di.Omits)
		}
		if got != want {
			t.Errorf("DevInstallOf(%q) = %s, want %s", cmd, got, want)
		}
	}
	d := ruletest.MustParseClean(t, "FROM a\nRUN npm ci\n")
	prod := func(k string) (string, bool) { return "production", k == "NODE_ENV" }
	if di, ok := pkgmgr.DevInstallOf(d.Instructions[1].Commands(d)[0], prod); !ok || !di.Omits {
		t.Errorf("npm ci with NODE_ENV=production: %+v, %v; want it to omit the dev dependencies", di, ok)
	}
}
