package pkgmgr

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

// BundleValueOpts are the options of bundle and bundle install that take
// the next word as their value.
var BundleValueOpts = map[string]bool{
	"--gemfile": true, "--path": true, "--jobs": true, "-j": true, "--retry": true, "--without": true,
	"--with": true, "--binstubs": true, "--shebang": true, "--standalone": true, "--trust-policy": true,
	"--target-rbconfig": true,
}

// BundleInstall reports whether c is a Bundler install (`bundle install`,
// `bundle i`, or a bare `bundle`, which installs) and returns the index of
// the word after which options go.
func BundleInstall(c *diagnose.Command) (int, bool) {
	if c.Name() != "bundle" && c.Name() != "bundler" {
		return -1, false
	}
	sub := Sub(c, BundleValueOpts)
	if sub < 0 {
		if c.HasFlag("--version", "-v", "--help", "-h") {
			return -1, false
		}
		return c.Prog, true
	}
	if c.Lit[sub] && (c.Words[sub] == "install" || c.Words[sub] == "i") {
		return sub, true
	}
	return -1, false
}

// BundleSetting returns the value a Bundler setting (lower case, as
// `bundle config` spells it: "deployment", "frozen", "without") has when
// command c of RUN in runs, and whether it is set. Bundler's order is
// kept: the install's own options (--deployment, --frozen, --without a b)
// first, then the local config an earlier `bundle config set --local` of
// the stage's lineage wrote, then the BUNDLE_<NAME> environment variable
// (ENV, ARG, export, an assignment in front), then the global config of a
// `bundle config set` without --local.
func BundleSetting(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command, name string) (string, bool) {
	if sub, ok := BundleInstall(c); ok {
		if v, ok := bundleOption(c, sub, name); ok {
			return v, true
		}
	}
	var local, global *string
	if in.Stage != nil {
		for _, s := range in.Stage.Lineage() {
			for _, o := range s.Instrs {
				if o.Index > in.Index {
					break
				}
				for _, k := range runscript.RunOrOnbuildCommands(d, o) {
					if o == in && k.Call.Pos().Offset() >= c.Call.Pos().Offset() {
						break
					}
					if sub, ok := BundleInstall(k); ok {
						if v, ok := bundleOption(k, sub, name); ok {
							local = &v // Bundler 2 remembers the options in the local config
						}
					}
					if v, isLocal, ok := bundleConfig(k, name); ok && isLocal {
						local = &v
					} else if ok {
						global = &v
					}
				}
			}
		}
	}
	if local != nil {
		return *local, true
	}
	if v, ok := Env(d, in, c, "BUNDLE_"+strings.ToUpper(name)); ok {
		return v, true
	}
	if global != nil {
		return *global, true
	}
	return "", false
}

// bundleOption reads the install options that set a setting.
func bundleOption(c *diagnose.Command, sub int, name string) (string, bool) {
	switch name {
	case "deployment", "frozen":
		if HasOpt(c, sub, "--"+name) {
			return "true", true
		}
	case "without", "with":
		for i := sub + 1; i < len(c.Words); i++ {
			if !c.Lit[i] {
				continue
			}
			if v, ok := strings.CutPrefix(c.Words[i], "--"+name+"="); ok {
				return v, true
			}
			if c.Words[i] == "--"+name {
				// --without development test: the groups run to the next option
				var groups []string
				for j := i + 1; j < len(c.Words) && !strings.HasPrefix(c.Words[j], "-"); j++ {
					groups = append(groups, c.Words[j])
				}
				return strings.Join(groups, " "), true
			}
		}
	}
	return "", false
}

// bundleConfig reads `bundle config [set] [--local|--global] name
// value`, and whether it writes the local config (--local; without it
// Bundler writes the global one).
func bundleConfig(k *diagnose.Command, name string) (val string, local, ok bool) {
	if k.Name() != "bundle" && k.Name() != "bundler" {
		return "", false, false
	}
	sub := Sub(k, BundleValueOpts)
	if sub < 0 || k.Words[sub] != "config" {
		return "", false, false
	}
	var pos []string
	for i := sub + 1; i < len(k.Words); i++ {
		if k.Lit[i] && strings.HasPrefix(k.Words[i], "-") {
			local = local || k.Words[i] == "--local"
			continue
		}
		pos = append(pos, k.Words[i])
	}
	if len(pos) > 0 && pos[0] == "set" {
		pos = pos[1:]
	}
	if len(pos) < 2 || pos[0] != name {
		return "", false, false
	}
	return strings.Join(pos[1:], " "), local, true
}

// BundleTrue tells a Bundler boolean setting's true values from false ones.
func BundleTrue(v string) bool {
	return envTruthy(strings.Trim(v, `"'`))
}

// BundleGroups splits a Bundler group list ("development:test",
// "development test", "development,test").
func BundleGroups(v string) []string {
	return strings.FieldsFunc(strings.Trim(v, `"'`), func(r rune) bool { return r == ':' || r == ' ' || r == ',' })
}

// RubyDevTool reports whether a command runs a Ruby development or test
// tool (rspec, rubocop, a test task of rake or rails), which needs the
// development and test gems.
func RubyDevTool(c *diagnose.Command) bool {
	name := c.Name()
	args := c.Words[c.Prog+1:]
	if name == "bundle" && len(args) > 1 && args[0] == "exec" {
		name, args = runscript.ShellBase(args[1]), args[2:]
	}
	switch runscript.ShellBase(name) {
	case "rspec", "rubocop", "standardrb", "brakeman", "cucumber", "minitest":
		return true
	case "rake", "rails":
		for _, a := range args {
			if a == "test" || a == "spec" || strings.HasPrefix(a, "test:") || strings.HasPrefix(a, "spec:") {
				return true
			}
		}
	}
	return false
}
