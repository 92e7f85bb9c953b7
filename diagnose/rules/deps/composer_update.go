package deps

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/deplayer"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD099",
	Name:     "composer-update",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Summary:  "composer update in a build ignores composer.lock",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags `composer update` (and its aliases `composer upgrade` and `composer u`, also as " +
			"`php composer.phar update`) in a `RUN` or `ONBUILD RUN`, whatever the build context holds. " +
			"`composer update --dry-run` changes nothing and is not flagged; `composer self-update` updates " +
			"Composer itself and is another command.",
		Why: "`composer update` exists to change the lockfile: it ignores `composer.lock`, resolves every package " +
			"(or the packages it names) to the newest version `composer.json` allows, installs them and writes a " +
			"new `composer.lock`. In an image that lock is thrown away with the build, and the image runs a set of " +
			"packages that nobody tested and that changes from one build to the next; a new release of any " +
			"dependency can break the build or the application on a day you changed nothing. `--lock` only " +
			"rewrites the lock's hash so that Composer stops warning that the lock is out of date, which hides " +
			"the drift instead of failing on it.\n" +
			"`composer install` is the build's command: with a `composer.lock` it installs exactly the versions " +
			"the lock lists (it warns when the lock is older than `composer.json`, and fails when the locked " +
			"packages do not fit the image's PHP or extensions). Update on your machine, test, and commit the lock.",
		Bad: "FROM composer:2 AS vendor\nWORKDIR /app\nCOPY composer.json composer.lock ./\n" +
			"RUN composer update --no-dev --no-scripts\n\n" +
			"FROM php:8.3-fpm\nCOPY --from=vendor /app/vendor /var/www/vendor",
		Good: "FROM composer:2 AS vendor\nWORKDIR /app\nCOPY composer.json composer.lock ./\n" +
			"RUN composer install --no-dev --no-scripts\n\n" +
			"FROM php:8.3-fpm\nCOPY --from=vendor /app/vendor /var/www/vendor",
		Context: map[string]string{
			"composer.json": "{\n  \"name\": \"acme/app\",\n  \"require\": {\"php\": \">=8.3\"}\n}\n",
			"composer.lock": "{\n  \"content-hash\": \"0\",\n  \"packages\": [],\n  \"packages-dev\": []\n}\n",
		},
		Fix: "Replaces `update` with `install`, when the command names no packages and uses no option that only " +
			"`update` has (`--with-all-dependencies`, `--prefer-lowest`, `--lock`, ...). Unsafe: the image then " +
			"gets the locked versions, which may be older than what the build installed so far (that is the " +
			"point, but the application may have come to depend on a newer one), and `install` fails when the " +
			"locked packages do not fit the image's PHP version or extensions. Without a `composer.lock` in the " +
			"image `install` resolves the dependencies just as `update` did: copy the lock in (and commit it) " +
			"first; the finding says so when the build context has one that is not copied.",
		Refs: []string{
			"https://getcomposer.org/doc/03-cli.md#update-u-upgrade",
			"https://getcomposer.org/doc/03-cli.md#install-i",
			"https://getcomposer.org/doc/01-basic-usage.md#commit-your-composer-lock-file-to-version-control",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			for _, c := range runscript.RunOrOnbuildCommands(d, in) {
				verb, name := pkgmgr.ComposerVerb(c)
				if verb < 0 || name != "update" || pkgmgr.HasOpt(c, verb, "--dry-run") {
					continue
				}
				word := c.Words[verb]
				named := len(pkgmgr.Positionals(c, verb, pkgmgr.ComposerValueOpts)) > 0
				msg := "composer " + word + " ignores composer.lock: it installs the newest versions composer.json allows and writes a new lock in the image; " +
					"use composer install, which installs what the lock lists"
				if pkgmgr.HasOpt(c, verb, "--lock") {
					msg = "composer " + word + " --lock rewrites the hash in composer.lock so that Composer stops warning that the lock is out of date: " +
						"it hides the drift in the image instead of failing; re-lock on your machine and use composer install"
				} else if named {
					msg = "composer " + word + " upgrades the packages it names past composer.lock, in the image; update them on your machine, " +
						"commit the lock, and use composer install"
				}
				inImage := true
				if ctx := d.Ctx; ctx != nil && ctx.ComposerLock {
					if inImage = deplayer.ContextFileInImage(d, in, "composer.lock"); !inImage {
						msg += "; composer.lock is in the build context but not copied into the image before this RUN, so copy it in first"
					}
				} else if ctx != nil && ctx.ComposerJSON != nil {
					msg += "; the build context has no composer.lock: commit one"
				}
				f := p.Report(c.Script.Span(c.Call), "%s", msg)
				if named || pkgmgr.HasOpt(c, verb, pkgmgr.ComposerUpdateOnly...) {
					continue
				}
				app := fixes.Unsafe
				if !inImage {
					app = fixes.DisplayOnly
				}
				fx := f.AddFix("Replace composer "+word+" with composer install", app, diagnose.Replace(c.ArgSpan(verb), "install"))
				fx.Note = "The image then gets the versions composer.lock lists; install fails if they do not fit the image's PHP or extensions."
			}
		}
	},
})
