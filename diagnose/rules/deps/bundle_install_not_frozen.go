package deps

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/deplayer"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD097",
	Name:     "bundle-install-not-frozen",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Summary:  "bundle install that may rewrite Gemfile.lock",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags `bundle install` (also `bundle i` and a bare `bundle`) when the build context has a " +
			"`Gemfile.lock` and Bundler is not in frozen mode. Frozen mode is on when the deployment or frozen " +
			"setting is true: `BUNDLE_DEPLOYMENT` or `BUNDLE_FROZEN` in the environment (ENV, ARG, `export`, or " +
			"in front of the command), an earlier `bundle config set --local deployment true` (or `frozen`) in the " +
			"stage or a stage it is built `FROM`, or the old `--deployment` / `--frozen` options. When the lock is " +
			"not copied into the image before the install, the finding says so. Also checked in `ONBUILD RUN`.",
		Why: "Outside frozen mode `Gemfile.lock` is only where Bundler starts. When the Gemfile asks for a gem or " +
			"a version the lock does not have (someone edited the Gemfile and did not run `bundle install` " +
			"before committing), Bundler resolves those gems again, picks the newest versions that fit, writes a " +
			"new `Gemfile.lock` inside the image and installs it: the image runs gems nobody tested, and the " +
			"committed lock no longer says what is in it. It also adds the image's platform (`x86_64-linux`) to " +
			"the lock when it is missing, and resolves the platform-specific gems (nokogiri, grpc, ...) for it.\n" +
			"In frozen mode Bundler never writes the lock. It installs exactly what `Gemfile.lock` lists and stops " +
			"with an error when the Gemfile and the lock disagree (\"You are trying to install in deployment mode " +
			"after changing your Gemfile\"), and also when the lock lists neither the image's platform nor `ruby` " +
			"(\"Your bundle only supports platforms ...\"; `bundle lock --add-platform x86_64-linux aarch64-linux` " +
			"fixes the lock). `deployment` is `frozen` plus installing the gems into `vendor/bundle` (unless " +
			"`BUNDLE_PATH` says otherwise), so the same setting must still hold when the container runs " +
			"`bundle exec`: set it with ENV or `bundle config set --local`, not only in front of one command. The " +
			"`--deployment` and `--frozen` options still work in Bundler 2 but are deprecated, because they rely " +
			"on being remembered in Bundler's config.",
		Bad: "FROM ruby:3.4-slim\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\n" +
			"CMD [\"bundle\", \"exec\", \"ruby\", \"app.rb\"]",
		Good: "FROM ruby:3.4-slim\nENV BUNDLE_DEPLOYMENT=1 BUNDLE_WITHOUT=development:test\nWORKDIR /app\n" +
			"COPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\nCMD [\"bundle\", \"exec\", \"ruby\", \"app.rb\"]",
		Context: map[string]string{
			"Gemfile": "gem \"sinatra\", \"~> 4.0\"\n",
			"Gemfile.lock": "GEM\n  specs:\n    sinatra (4.1.1)\n\n" +
				"PLATFORMS\n  ruby\n  x86_64-linux\n\nDEPENDENCIES\n  sinatra (~> 4.0)\n\nBUNDLED WITH\n   2.6.2\n",
			"app.rb": "require \"sinatra\"\nget(\"/\") { \"hello\" }\n",
		},
		Fix: "Puts `BUNDLE_FROZEN=true` in front of the command (only for a plain command, not one run through " +
			"another such as `exec`). `frozen` rather than `deployment`, because it changes nothing but the lock " +
			"check: the gems go where they went before. Unsafe: with a lock that matches the Gemfile and lists the " +
			"image's platform nothing changes, but a lock made on a Mac that lists only `arm64-darwin` now stops the " +
			"build until you add the Linux platforms, and a lock that lists only `ruby` makes Bundler compile " +
			"native gems from source instead of taking the precompiled Linux gems (which needs a compiler in the " +
			"image). When the lock is not copied in before the install, the change is shown as advice: copy " +
			"`Gemfile.lock` in with the Gemfile first. For a whole image, prefer `ENV BUNDLE_DEPLOYMENT=1` at the " +
			"top of the stage, as the Rails Dockerfile does.",
		Refs: []string{
			"https://bundler.io/man/bundle-install.1.html#DEPLOYMENT-MODE",
			"https://bundler.io/man/bundle-config.1.html",
			"https://bundler.io/guides/deploying.html",
		},
	},
	Check: checkBundleFrozen,
})

func checkBundleFrozen(p *diagnose.Pass) {
	d := p.Doc
	if d.Ctx == nil || !d.Ctx.GemfileLock {
		return
	}
	for _, in := range d.Instructions {
		for _, c := range runscript.RunOrOnbuildCommands(d, in) {
			if _, ok := pkgmgr.BundleInstall(c); !ok {
				continue
			}
			frozen := false
			for _, s := range []string{"deployment", "frozen"} {
				if v, ok := pkgmgr.BundleSetting(d, in, c, s); ok {
					frozen = pkgmgr.BundleTrue(v)
					if frozen {
						break
					}
				}
			}
			if frozen {
				continue
			}
			msg := "bundle install outside frozen mode resolves again and rewrites Gemfile.lock when it no longer matches " +
				"the Gemfile, instead of failing; set BUNDLE_DEPLOYMENT=1 (or BUNDLE_FROZEN=true)"
			app := fixes.Unsafe
			if !deplayer.ContextFileInImage(d, in, "Gemfile.lock") {
				msg += "; Gemfile.lock is in the build context but not copied into the image before this RUN, so copy it in first"
				app = fixes.DisplayOnly
			}
			f := p.Report(c.Script.Span(c.Call), "%s", msg)
			if c.Prog != 0 || bundleAssigned(c, "BUNDLE_FROZEN", "BUNDLE_DEPLOYMENT") {
				continue // run through exec, sudo, ... (an assignment cannot go in front), or set false on purpose
			}
			fx := f.AddFix("Run bundle install with BUNDLE_FROZEN=true", app, diagnose.Insert(c.ArgSpan(c.Prog).Start, "BUNDLE_FROZEN=true "))
			fx.Note = "Bundler then stops the build when Gemfile.lock does not match the Gemfile or lists neither the image's platform nor ruby; add the platform with bundle lock --add-platform."
		}
	}
}

// bundleAssigned reports whether the command has an assignment in front of it
// to one of the variables.
func bundleAssigned(c *diagnose.Command, names ...string) bool {
	for _, a := range c.Call.Assigns {
		for _, n := range names {
			if a.Name != nil && a.Name.Value == n {
				return true
			}
		}
	}
	return false
}
