package pkgmgr

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// GoValueOpts are the go command's build flags that take the next word
// as their value (they may also be written -flag=value).
var GoValueOpts = map[string]bool{
	"-C": true, "-p": true, "-asmflags": true, "-buildmode": true, "-compiler": true, "-gccgoflags": true,
	"-gcflags": true, "-installsuffix": true, "-ldflags": true, "-mod": true, "-modfile": true, "-overlay": true,
	"-pgo": true, "-pkgdir": true, "-tags": true, "-toolexec": true, "-o": true, "-covermode": true,
	"-coverpkg": true, "-exec": true, "-run": true, "-bench": true, "-count": true, "-timeout": true,
}

// GoVerb returns the index and the text of a go command's verb (also
// through the cross-compiling wrapper xx-go), or -1. For `go mod tidy`
// the verb is "mod tidy" and the index that of tidy.
func GoVerb(c *diagnose.Command) (int, string) {
	if n := c.Name(); n != "go" && n != "xx-go" {
		return -1, ""
	}
	sub := Sub(c, GoValueOpts)
	if sub < 0 || !c.Lit[sub] {
		return -1, ""
	}
	if c.Words[sub] == "mod" {
		if pos := Positionals(c, sub, GoValueOpts); len(pos) > 0 && c.Lit[pos[0]] {
			return pos[0], "mod " + c.Words[pos[0]]
		}
	}
	return sub, c.Words[sub]
}

// GoBuildVerbs are the verbs that load packages and accept -mod.
var GoBuildVerbs = map[string]bool{
	"build": true, "install": true, "test": true, "run": true, "vet": true, "list": true, "generate": true,
}

// GoModMod returns the index of a `-mod=mod` (or the `mod` of `-mod mod`)
// among a go command's words, or -1.
func GoModMod(c *diagnose.Command, verb int) int {
	for i := verb + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			continue
		}
		switch w := c.Words[i]; {
		case w == "--":
			return -1
		case w == "-mod=mod" || w == "--mod=mod":
			return i
		case (w == "-mod" || w == "--mod") && i+1 < len(c.Words) && c.Words[i+1] == "mod":
			return i + 1
		}
	}
	return -1
}

// GoFlagsModMod reports whether a GOFLAGS value holds -mod=mod.
func GoFlagsModMod(v string) bool {
	for _, f := range strings.Fields(strings.Trim(v, `"'`)) {
		if f == "-mod=mod" || f == "--mod=mod" {
			return true
		}
	}
	return false
}

// GoLocalPattern reports whether a package argument names packages of
// the main module (".", "./...", "./cmd/app"), not a module to add.
func GoLocalPattern(w string) bool {
	return w == "." || w == "..." || strings.HasPrefix(w, "./") || strings.HasPrefix(w, "../")
}
