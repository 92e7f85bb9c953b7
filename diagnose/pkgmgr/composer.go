package pkgmgr

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

// ComposerValueOpts are Composer's options (global, and of install and
// update) that take the next word as their value.
var ComposerValueOpts = map[string]bool{
	"-d": true, "--working-dir": true, "--prefer-install": true, "--ignore-platform-req": true,
	"--audit-format": true, "--with": true,
}

// ComposerVerb returns the index and the name of a Composer command's
// verb, with the short aliases expanded (u and upgrade are update, i is
// install), or -1. `php composer.phar install` counts as composer.
func ComposerVerb(c *diagnose.Command) (int, string) {
	prog := c.Prog
	switch name := c.Name(); {
	case name == "composer" || name == "composer.phar":
	case (name == "php" || strings.HasPrefix(name, "php")) && prog+1 < len(c.Words) &&
		strings.HasPrefix(runscript.ShellBase(c.Words[prog+1]), "composer"):
		prog++
	default:
		return -1, ""
	}
	for i := prog + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		if !c.Lit[i] {
			return -1, ""
		}
		if strings.HasPrefix(w, "-") {
			if ComposerValueOpts[w] {
				i++
			}
			continue
		}
		switch w {
		case "u", "upgrade", "update":
			return i, "update"
		case "i", "install":
			return i, "install"
		}
		return i, w
	}
	return -1, ""
}

// ComposerUpdateOnly are update options that install does not accept:
// a fix that turns update into install leaves such a command alone.
var ComposerUpdateOnly = []string{
	"--with", "-w", "--with-dependencies", "-W", "--with-all-dependencies", "--prefer-stable",
	"--prefer-lowest", "--minimal-changes", "-m", "--lock", "--root-reqs", "--interactive", "-i",
	"--bump-after-update", "--patch-only", "--no-suggest",
}

// ComposerNoDev reports whether Composer leaves the require-dev packages
// out of command c: --no-dev, or COMPOSER_NO_DEV set to 1.
func ComposerNoDev(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command, verb int) bool {
	if HasOpt(c, verb, "--no-dev") {
		return true
	}
	v, ok := Env(d, in, c, "COMPOSER_NO_DEV")
	return ok && envTruthy(v)
}

// PHPDevTool reports whether a command runs a PHP development or test
// tool (phpunit, pest, phpstan, a composer test script), which needs the
// require-dev packages.
func PHPDevTool(c *diagnose.Command) bool {
	switch base := runscript.ShellBase(c.Name()); base {
	case "phpunit", "pest", "phpstan", "psalm", "php-cs-fixer", "phpcs", "paratest", "infection":
		return true
	}
	if i, verb := ComposerVerb(c); i >= 0 {
		switch verb {
		case "test", "run", "run-script", "lint", "analyse", "check":
			return true
		}
	}
	for _, w := range c.Words[c.Prog:] {
		if strings.Contains(w, "vendor/bin/") {
			return true
		}
	}
	return false
}
