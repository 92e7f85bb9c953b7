package ospkg

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD034",
	Name:     "apt-instead-of-apt-get",
	Severity: diagnose.Warning,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3027"},
	Summary:  "apt used in a build instead of apt-get or apt-cache",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags every run of the `apt` command in a `RUN` or `ONBUILD RUN` (`apt install`, `apt update`, " +
			"`apt search`, ...). `apt-get`, `apt-cache` and `aptitude` are not flagged, nor is `apt` as a word " +
			"inside quotes or as a package name.",
		Why: "`apt` is the front end for people at a terminal: coloured output, a progress bar, and a command line " +
			"that its authors say may change between releases (it prints \"WARNING: apt does not have a stable CLI " +
			"interface. Use with caution in scripts.\" when its output is not a terminal). `apt-get` and `apt-cache` " +
			"are the stable interfaces meant for scripts, with the same package resolution, so a Dockerfile keeps " +
			"working when the base image moves to a newer apt.",
		Bad:  "RUN apt update && apt install -y curl",
		Good: "RUN apt-get update && apt-get install -y curl",
		Fix: "Renames the program where apt-get or apt-cache has the same subcommand: `install`, `update`, " +
			"`remove`, `purge`, `autoremove`, `dist-upgrade`, `clean`, `autoclean`, `build-dep`, `source` and " +
			"`download` go to `apt-get`; `full-upgrade` becomes `apt-get dist-upgrade` (the same operation); " +
			"`upgrade` becomes `apt-get upgrade --with-new-pkgs`, because `apt upgrade` may install new " +
			"dependencies and plain `apt-get upgrade` holds such packages back. `search`, `show`, `showsrc`, " +
			"`policy`, `depends`, `rdepends` and `madison` go to `apt-cache`. These fixes are safe, except that " +
			"the apt-cache ones are unsafe when the output is piped, captured or redirected, because apt and " +
			"apt-cache print it in different formats. One difference to know: on a base image without Docker's " +
			"usual apt clean-up hook, apt-get keeps downloaded `.deb` files in `/var/cache/apt/archives` where " +
			"apt deletes them, so remove them with `apt-get clean` in the same `RUN`. `apt list`, `apt " +
			"reinstall`, `apt satisfy` and `apt edit-sources` have no equivalent of the same name and get no fix.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3027",
			"https://manpages.debian.org/apt.8",
			"https://manpages.debian.org/apt-get.8",
			"https://manpages.debian.org/apt-cache.8",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, in := range p.Doc.Instructions {
			for _, c := range runscript.InvokedCommands(p.Doc, in) {
				if c.Name() != "apt" {
					continue
				}
				span := c.Script.Span(c.Call)
				verb := pkgmgr.VerbIndex(c)
				if verb < 0 {
					p.Report(span, "apt is meant for interactive use; scripts should call apt-get or apt-cache")
					continue
				}
				sub := c.Words[verb]
				target, extra := target(sub)
				if target == "" {
					p.Report(span, "apt %s is meant for interactive use; scripts should call apt-get or apt-cache", sub)
					continue
				}
				use := target + " " + newSub(sub)
				if extra != "" {
					use += " " + extra
				}
				f := p.Report(span, "apt %s is meant for interactive use; use %s, the stable interface for scripts", sub, use)
				prog := c.ArgSpan(c.Prog)
				src := string(p.Doc.Src[prog.Start:prog.End])
				if len(src) < 3 || src[len(src)-3:] != "apt" || runscript.WordSource(c, c.Prog) != c.Words[c.Prog] {
					continue // quoted or split program name: leave it
				}
				edits := []fixes.Edit{diagnose.Replace(diagnose.Span{Start: prog.End - 3, End: prog.End}, target)}
				vs := c.ArgSpan(verb)
				if nsub := newSub(sub); nsub != sub {
					edits = append(edits, diagnose.Replace(vs, nsub))
				}
				if extra != "" && !c.HasFlag(extra) {
					edits = append(edits, diagnose.Insert(vs.End, " "+extra))
				}
				title := "Use " + use + " instead of apt " + sub
				app := fixes.Safe
				note := ""
				switch unknown := unknownOption(c); {
				case unknown != "":
					app = fixes.Unsafe
					note = "dockdoc does not know whether " + target + " accepts " + unknown + " (newer apt releases add options to apt first); check it."
				case target == "apt-cache" && outputConsumed(c):
					app = fixes.Unsafe
					note = "apt-cache prints its results in another format than apt; check the command that reads this output."
				}
				fx := f.AddFix(title, app, edits...)
				fx.Note = note
			}
		}
	},
})

// target returns the program that has apt's subcommand sub with the
// same meaning, and an option to add to keep that meaning ("" for none).
func target(sub string) (target, extra string) {
	switch sub {
	case "install", "update", "remove", "purge", "autoremove", "dist-upgrade", "full-upgrade",
		"clean", "autoclean", "build-dep", "source", "download":
		return "apt-get", ""
	case "upgrade":
		return "apt-get", "--with-new-pkgs"
	case "search", "show", "showsrc", "policy", "depends", "rdepends", "madison":
		return "apt-cache", ""
	}
	return "", ""
}

// longOptions are the long options apt-get and apt-cache share with
// apt (without their leading "--", "no-" or "=value").
var longOptions = map[string]bool{
	"yes": true, "assume-yes": true, "assume-no": true, "quiet": true, "silent": true,
	"simulate": true, "just-print": true, "dry-run": true, "recon": true, "act": true,
	"download-only": true, "fix-broken": true, "ignore-missing": true, "fix-missing": true,
	"show-upgraded": true, "verbose-versions": true, "target-release": true, "default-release": true,
	"option": true, "config-file": true, "install-recommends": true, "install-suggests": true,
	"purge": true, "auto-remove": true, "autoremove": true, "reinstall": true, "only-upgrade": true,
	"upgrade": true, "allow-downgrades": true, "allow-remove-essential": true,
	"allow-change-held-packages": true, "allow-unauthenticated": true, "allow-insecure-repositories": true,
	"allow-releaseinfo-change": true, "force-yes": true, "print-uris": true, "trivial-only": true,
	"show-progress": true, "with-new-pkgs": true, "without-new-pkgs": true, "list-cleanup": true,
	"host-architecture": true, "build-profiles": true, "arch-only": true, "indep-only": true,
	"mark-auto": true, "ignore-hold": true, "fix-policy": true, "solver": true, "only-source": true,
	"compile": true, "build": true, "diff-only": true, "debian-only": true, "tar-only": true, "dsc-only": true,
	"names-only": true, "full": true, "all-versions": true, "installed": true, "recurse": true,
	"help": true, "version": true,
}

// unknownOption returns the first option of an apt command that
// dockdoc does not know apt-get / apt-cache to accept too, or "".
func unknownOption(c *diagnose.Command) string {
	for i := c.Prog + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		if !c.Lit[i] || !strings.HasPrefix(w, "-") || w == "-" {
			continue
		}
		if w == "--" {
			break
		}
		if pkgmgr.ArgOptions[w] {
			i++ // its value
			continue
		}
		if strings.HasPrefix(w, "--") {
			name, _, _ := strings.Cut(w[2:], "=")
			if longOptions[name] || longOptions[strings.TrimPrefix(name, "no-")] ||
				strings.HasPrefix(name, "allow-releaseinfo-change") {
				continue
			}
			return w
		}
		if strings.Trim(w[1:], "yqsdfmuVtocaPnbhv") != "" && !strings.HasPrefix(w, "-o") && !strings.HasPrefix(w, "-t") {
			return w
		}
	}
	return ""
}

// newSub is the apt-get subcommand for apt's sub.
func newSub(sub string) string {
	if sub == "full-upgrade" {
		return "dist-upgrade"
	}
	return sub
}

// outputConsumed reports whether the command's standard output goes
// somewhere other than the build log: into a pipe, a command substitution
// or a file.
func outputConsumed(c *diagnose.Command) bool {
	if c.Stmt != nil {
		for _, r := range c.Stmt.Redirs {
			switch r.Op {
			case syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.AppAll:
				if r.N == nil || r.N.Value == "1" {
					return true
				}
			}
		}
	}
	var stack, ancestors []syntax.Node
	found := false
	syntax.Walk(c.Script.File, func(n syntax.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if found {
			return false
		}
		if n == syntax.Node(c.Call) {
			found = true
			ancestors = append(ancestors, stack...)
			return false
		}
		stack = append(stack, n)
		return true
	})
	pos := c.Call.Pos().Offset()
	for _, n := range ancestors {
		switch n := n.(type) {
		case *syntax.CmdSubst, *syntax.ProcSubst:
			return true
		case *syntax.BinaryCmd:
			if (n.Op == syntax.Pipe || n.Op == syntax.PipeAll) && pos < n.OpPos.Offset() {
				return true
			}
		}
	}
	return false
}
