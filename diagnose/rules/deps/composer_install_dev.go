package deps

import (
	"fmt"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildmodel"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD100",
	Name:     "composer-install-dev",
	Severity: diagnose.Warning,
	Category: diagnose.Size,
	Scope:    diagnose.ShippedStages,
	Summary:  "composer install ships the require-dev packages",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags `composer install` (also `composer i` and `php composer.phar install`) without `--no-dev` " +
			"(nor `COMPOSER_NO_DEV=1`). Checked in stages the image is made of: a builder whose `vendor` directory " +
			"is only picked with `COPY --from` is not, and neither is a development stage (named, or built from " +
			"one named, `dev`, `test`, ...). When the build context has a `composer.json` without `require-dev`, " +
			"nothing is flagged: there is nothing to leave out.",
		Why: "`require-dev` lists what you need to work on the project: PHPUnit, static analysers, code style " +
			"fixers, debug bars, fake-data generators. `composer install` installs them unless told otherwise, " +
			"and the autoloader it writes then loads their classes too. In the image they are megabytes of code " +
			"that is never run on purpose, that a scanner reports, and some of it (debug toolbars, web profilers) " +
			"exposes the application's internals when a framework enables it because the package is present.",
		Bad: "FROM php:8.3-fpm\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nWORKDIR /var/www\n" +
			"COPY composer.json composer.lock ./\nRUN composer install --no-interaction --no-scripts\nCOPY . .",
		Good: "FROM php:8.3-fpm\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nWORKDIR /var/www\n" +
			"COPY composer.json composer.lock ./\nRUN composer install --no-dev --no-interaction --no-scripts\nCOPY . .",
		Context: map[string]string{
			"composer.json": "{\n  \"name\": \"acme/app\",\n  \"require\": {\"php\": \">=8.3\"},\n" +
				"  \"require-dev\": {\"phpunit/phpunit\": \"^11.0\"}\n}\n",
			"composer.lock": "{\n  \"content-hash\": \"0\",\n  \"packages\": [],\n  \"packages-dev\": []\n}\n",
		},
		Fix: "Adds `--no-dev` at the end of the command (before a `--`). Unsafe: a later build step or the " +
			"application may use a dev package (a test run during the build, a framework's dev-only service " +
			"provider registered by hand, a class some production code imports by mistake). When dockdoc sees a " +
			"later step in the stages that ship that runs PHPUnit, Pest, PHPStan, `vendor/bin/...` or a Composer " +
			"script, the change is shown as advice: install everything in a build stage and run the checks there. " +
			"A later `composer dump-autoload` must get `--no-dev` too, or it writes the dev packages back into the " +
			"autoloader.",
		Refs: []string{
			"https://getcomposer.org/doc/03-cli.md#install-i",
			"https://getcomposer.org/doc/04-schema.md#require-dev",
			"https://getcomposer.org/doc/03-cli.md#composer-no-dev",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		if ctx := d.Ctx; ctx != nil && ctx.ComposerJSON != nil && len(ctx.ComposerJSON.RequireDev) == 0 {
			return // nothing to leave out
		}
		for _, in := range d.Instructions {
			if in.Stage == nil {
				continue
			}
			if _, dev := buildmodel.DevStage(in.Stage); dev {
				continue
			}
			for _, c := range runscript.RunOrOnbuildCommands(d, in) {
				verb, name := pkgmgr.ComposerVerb(c)
				if verb < 0 || name != "install" || runscript.DevBranch(c) || pkgmgr.ComposerNoDev(d, in, c, verb) || pkgmgr.HasOpt(c, verb, "--dry-run") {
					continue
				}
				f := p.Report(c.Script.Span(c.Call), "composer %s without --no-dev installs the require-dev packages into a stage that ends up in the final image", c.Words[verb])
				at, text := pkgmgr.EndInsert(c, verb, "--no-dev")
				if later := phpDevStep(d, in, c); later != "" {
					fx := f.AddFix("Add --no-dev to composer "+c.Words[verb], fixes.DisplayOnly, diagnose.Insert(at, text))
					fx.Note = later + " probably needs the dev packages. Install everything in a build stage, run the checks there, and install with --no-dev in the stage you ship."
					continue
				}
				fx := f.AddFix("Add --no-dev to composer "+c.Words[verb], fixes.Unsafe, diagnose.Insert(at, text))
				fx.Note = "Check that no later build step and no code run in the container needs a require-dev package."
			}
		}
	},
})

// phpDevStep describes the first test or analysis step after command c
// in the stages that ship, or "".
func phpDevStep(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command) string {
	for _, o := range d.Instructions {
		if o.Index < in.Index || o.Stage == nil || !o.Stage.Ships() {
			continue
		}
		for _, k := range runscript.RunOrOnbuildCommands(d, o) {
			if o == in && k.Call.Pos().Offset() <= c.Call.Pos().Offset() {
				continue
			}
			if pkgmgr.PHPDevTool(k) {
				line, _ := d.Position(k.Script.Span(k.Call).Start)
				return fmt.Sprintf("The step on line %d (%s)", line, strings.Join(k.Words[k.Prog:min(len(k.Words), k.Prog+3)], " "))
			}
		}
	}
	return ""
}
