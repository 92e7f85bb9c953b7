package pkgmgr

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// A DevInstall is a command that installs a project's dependencies from
// its manifest (npm ci, yarn install, pnpm install, uv sync, poetry
// install), and whether it leaves the development dependencies out.
type DevInstall struct {
	Eco   string // "node" or "python"
	Verb  string // "npm ci", "yarn install", "uv sync", ...
	Omits bool   // a flag or the environment leaves the dev dependencies out
}

// DevInstallOf reads c as a project dependency install, with env the
// environment the command sees (the stage's ENV and ARG values and its
// own assignments). ok is false for any other command: an install of
// named packages, a global install, `yarn --version`.
func DevInstallOf(c *diagnose.Command, env func(string) (string, bool)) (di DevInstall, ok bool) {
	envIs := func(k, v string) bool { x, ok := env(k); return ok && x == v }
	envTrue := func(k string) bool {
		x, ok := env(k)
		x = strings.ToLower(x)
		return ok && (x == "1" || x == "true" || x == "yes" || x == "on")
	}
	nodeProd := envIs("NODE_ENV", "production")
	switch c.Name() {
	case "npm":
		sub := Sub(c, NpmValueOpts)
		if sub < 0 {
			return di, false
		}
		switch verb := c.Words[sub]; verb {
		case "ci", "clean-install", "install-clean", "ic":
		case "install", "i":
			if len(Positionals(c, sub, NpmValueOpts)) > 0 {
				return di, false
			}
		default:
			return di, false
		}
		if c.HasFlag("-g", "--global") || HasOpt(c, c.Prog, "--location=global") {
			return di, false
		}
		di = DevInstall{Eco: "node", Verb: "npm " + c.Words[sub]}
		if HasOpt(c, c.Prog, "--include=dev", "--production=false") {
			return di, true
		}
		for _, v := range OptValues(c, c.Prog, "--omit") {
			di.Omits = di.Omits || v == "dev"
		}
		for _, v := range OptValues(c, c.Prog, "--only") {
			di.Omits = di.Omits || v == "prod" || v == "production"
		}
		omitEnv, _ := env("NPM_CONFIG_OMIT")
		di.Omits = di.Omits || HasOpt(c, c.Prog, "--production", "--production=true") || nodeProd ||
			envTrue("NPM_CONFIG_PRODUCTION") || strings.Contains(" "+strings.ReplaceAll(omitEnv, ",", " ")+" ", " dev ")
		return di, true
	case "yarn":
		sub := Sub(c, YarnValueOpts)
		from := c.Prog
		if sub >= 0 {
			if c.Words[sub] != "install" {
				return di, false
			}
			from = sub
		} else if c.HasFlag("--version", "-v", "--help", "-h") {
			return di, false
		}
		if len(Positionals(c, from, YarnValueOpts)) > 0 {
			return di, false
		}
		di = DevInstall{Eco: "node", Verb: "yarn install"}
		if HasOpt(c, from, "--production=false") {
			return di, true
		}
		di.Omits = HasOpt(c, from, "--production", "--prod", "--production=true") || nodeProd
		return di, true
	case "pnpm":
		sub := Sub(c, PnpmValueOpts)
		if sub < 0 || (c.Words[sub] != "install" && c.Words[sub] != "i") {
			return di, false
		}
		if len(Positionals(c, sub, PnpmValueOpts)) > 0 || c.HasFlag("-g", "--global") {
			return di, false
		}
		di = DevInstall{Eco: "node", Verb: "pnpm install"}
		if HasOpt(c, c.Prog, "--dev", "-D", "--prod=false", "--production=false") {
			return di, true
		}
		di.Omits = HasOpt(c, c.Prog, "--prod", "-P", "--production") || nodeProd
		return di, true
	case "uv":
		sub := Sub(c, UVValueOpts)
		if sub < 0 || c.Words[sub] != "sync" || HasOpt(c, c.Prog, "--dry-run", "--check") {
			return di, false
		}
		di = DevInstall{Eco: "python", Verb: "uv sync"}
		if HasOpt(c, c.Prog, "--dev", "--only-dev", "--all-groups") {
			return di, true
		}
		di.Omits = HasOpt(c, c.Prog, "--no-dev", "--no-default-groups", "--only-group") || envTrue("UV_NO_DEV")
		for _, g := range OptValues(c, c.Prog, "--no-group") {
			di.Omits = di.Omits || g == "dev"
		}
		return di, true
	case "poetry":
		sub := Sub(c, PoetryValueOpts)
		if sub < 0 || c.Words[sub] != "install" || HasOpt(c, sub, "--dry-run") {
			return di, false
		}
		di = DevInstall{Eco: "python", Verb: "poetry install"}
		di.Omits = HasOpt(c, sub, "--no-dev", "--only-root")
		for _, v := range OptValues(c, sub, "--only") {
			di.Omits = di.Omits || !listHas(v, "dev")
		}
		for _, v := range OptValues(c, sub, "--without") {
			di.Omits = di.Omits || listHas(v, "dev")
		}
		return di, true
	}
	return di, false
}

func listHas(list, name string) bool {
	for _, v := range strings.Split(list, ",") {
		if strings.TrimSpace(v) == name {
			return true
		}
	}
	return false
}
