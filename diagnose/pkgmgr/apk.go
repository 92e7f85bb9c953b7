package pkgmgr

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// apkArgOptions are apk's options (global ones and add's own) whose
// value is the next word when written without "=".
var apkArgOptions = map[string]bool{
	"-X": true, "--repository": true,
	"-p": true, "--root": true,
	"-t": true, "--virtual": true,
	"--arch": true, "--cache-dir": true, "--keys-dir": true, "--repositories-file": true,
	"--progress-fd": true, "--wait": true, "--timeout": true, "--cache-max-age": true,
	"--from": true,
}

// ApkVerb returns the index in c.Words of an apk command's applet
// ("add", "del", "update", ...), skipping global options and their
// values, or -1 (not apk, no applet, or a variable in the way).
func ApkVerb(c *diagnose.Command) int {
	if c.Name() != "apk" {
		return -1
	}
	for i := c.Prog + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			return -1
		}
		w := c.Words[i]
		if !strings.HasPrefix(w, "-") || w == "-" {
			return i
		}
		if apkArgOptions[w] {
			i++
		}
	}
	return -1
}

// ApkPackageArgs returns the indexes of the package arguments of an
// apk add whose applet is at verb. A word holding a variable next to a
// constraint operator (curl=$CURL_VERSION) counts as pinned and is left out.
func ApkPackageArgs(c *diagnose.Command, verb int) []int {
	return PackageArgs(c, verb, apkArgOptions, "=~<>")
}
