package deps

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildmodel"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD098",
	Name:     "bundle-install-dev-gems",
	Severity: diagnose.Warning,
	Category: diagnose.Size,
	Scope:    diagnose.ShippedStages,
	Summary:  "bundle install ships the development and test gems",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags `bundle install` (also `bundle i` and a bare `bundle`) that installs the `development` " +
			"and `test` groups of the Gemfile: the `without` setting (`BUNDLE_WITHOUT` in the environment, an " +
			"earlier `bundle config set --local without development:test`, or the old `--without development test` " +
			"option) leaves neither out. Checked in stages the image is made of; a development stage (named, or " +
			"built from one named, `dev`, `test`, ...) is not. When the build context has a Gemfile that declares " +
			"neither group, nothing is flagged.",
		Why: "The development and test groups hold the tools used to work on the application: test frameworks, " +
			"linters, debuggers, file watchers, often with native extensions and their compilers' leftovers. The " +
			"production image only runs the application; every such gem adds megabytes, start-up time and code " +
			"that a scanner reports and an attacker can use. Bundler installs every group unless told otherwise.\n" +
			"The setting must also hold when the container starts: `bundle exec` (and `Bundler.setup`, which Rails " +
			"calls) checks that every gem of every group it loads is installed, so gems left out only for the " +
			"install, with `BUNDLE_WITHOUT=development:test bundle install`, make the application fail at start " +
			"(\"Could not find rspec-3.13.0 in locally installed gems\"). Set it with ENV or `bundle config set " +
			"--local`, which Bundler writes into its config and reads again at run time.",
		Bad: "FROM ruby:3.4-slim\nENV BUNDLE_DEPLOYMENT=1\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\n" +
			"RUN bundle install\nCOPY . .\nCMD [\"bundle\", \"exec\", \"ruby\", \"app.rb\"]",
		Good: "FROM ruby:3.4-slim\nENV BUNDLE_DEPLOYMENT=1 BUNDLE_WITHOUT=development:test\nWORKDIR /app\n" +
			"COPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\nCMD [\"bundle\", \"exec\", \"ruby\", \"app.rb\"]",
		Context: map[string]string{
			"Gemfile": "gem \"sinatra\", \"~> 4.0\"\n\n" +
				"group :development, :test do\n  gem \"rspec\", \"~> 3.13\"\nend\n",
			"Gemfile.lock": "GEM\n  specs:\n    rspec (3.13.0)\n    sinatra (4.1.1)\n\n" +
				"PLATFORMS\n  ruby\n  x86_64-linux\n\nDEPENDENCIES\n  rspec (~> 3.13)\n  sinatra (~> 4.0)\n\n" +
				"BUNDLED WITH\n   2.6.2\n",
			"app.rb": "require \"sinatra\"\nget(\"/\") { \"hello\" }\n",
		},
		Fix: "Runs `bundle config set --local without development:test && ` before the install (only the groups " +
			"the Gemfile declares, when dockdoc read it), so that Bundler leaves the groups out now and remembers " +
			"it when the container runs. Unsafe: a later build step or the application itself may need one of " +
			"those gems (an asset compiler some projects keep in `development`, a Rake task that loads the test " +
			"gems). When dockdoc sees a test or lint step later in the stages that ship (`rspec`, `rubocop`, " +
			"`rake test`), the change is shown as advice only: install everything in a build stage and run the " +
			"checks there. `ENV BUNDLE_WITHOUT=development:test` at the top of the stage does the same and is " +
			"what the Rails Dockerfile uses. The `bundle config set` form needs Bundler 2.1 or later.",
		Refs: []string{
			"https://bundler.io/man/bundle-config.1.html",
			"https://bundler.io/guides/groups.html",
			"https://bundler.io/man/bundle-install.1.html",
		},
	},
	Check: checkBundleDevGems,
})

func checkBundleDevGems(p *diagnose.Pass) {
	d := p.Doc
	groups := []string{"development", "test"}
	if d.Ctx != nil && d.Ctx.Gemfile {
		groups = groups[:0]
		for _, g := range []string{"development", "test"} {
			if slices.Contains(d.Ctx.GemGroups, g) {
				groups = append(groups, g)
			}
		}
		if len(groups) == 0 {
			return // nothing to leave out
		}
	}
	for _, in := range d.Instructions {
		if in.Stage == nil {
			continue
		}
		if _, dev := buildmodel.DevStage(in.Stage); dev {
			continue
		}
		for _, c := range runscript.RunOrOnbuildCommands(d, in) {
			if _, ok := pkgmgr.BundleInstall(c); !ok || runscript.DevBranch(c) {
				continue
			}
			without, _ := pkgmgr.BundleSetting(d, in, c, "without")
			var missing []string
			for _, g := range groups {
				if !slices.Contains(pkgmgr.BundleGroups(without), g) {
					missing = append(missing, g)
				}
			}
			if len(missing) == 0 {
				continue
			}
			want := pkgmgr.BundleGroups(without)
			want = append(want, missing...)
			list := strings.Join(want, ":")
			f := p.Report(c.Script.Span(c.Call), "bundle install installs the %s gems into a stage that ends up in the final image; "+
				"set BUNDLE_WITHOUT=%s (ENV, or bundle config set --local without %s)", runscript.ListNames(missing), list, list)
			if c.Prog != 0 {
				continue
			}
			edit := diagnose.Insert(c.Script.Span(c.Call).Start, "bundle config set --local without "+list+" && ")
			title := "Leave the " + strings.Join(missing, " and ") + " gems out with bundle config set --local without " + list
			if later := rubyDevStep(d, in, c); later != "" {
				fx := f.AddFix(title, fixes.DisplayOnly, edit)
				fx.Note = later + " probably needs those gems. Install everything in a build stage, run the checks there, and leave the groups out in the stage you ship."
				continue
			}
			fx := f.AddFix(title, fixes.Unsafe, edit)
			fx.Note = "Check that no later build step and no code run in the container needs a gem of those groups."
		}
	}
}

// rubyDevStep describes the first test or lint step after command c
// in the stages that ship ("The step on line 9 (bundle exec rspec)"), or "".
func rubyDevStep(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command) string {
	for _, o := range d.Instructions {
		if o.Index < in.Index || o.Stage == nil || !o.Stage.Ships() {
			continue
		}
		for _, k := range runscript.RunOrOnbuildCommands(d, o) {
			if o == in && k.Call.Pos().Offset() <= c.Call.Pos().Offset() {
				continue
			}
			if pkgmgr.RubyDevTool(k) {
				line, _ := d.Position(k.Script.Span(k.Call).Start)
				return fmt.Sprintf("The step on line %d (%s)", line, strings.Join(k.Words[k.Prog:min(len(k.Words), k.Prog+3)], " "))
			}
		}
	}
	return ""
}
