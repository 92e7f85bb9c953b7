package deplayer

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"mvdan.cc/sh/v3/syntax"
)

// Independent lists instructions that do not depend on the files
// COPY . . brings, so the copy can move below them.
var Independent = map[string]bool{
	"env": true, "arg": true, "user": true, "shell": true, "expose": true, "label": true,
	"stopsignal": true, "healthcheck": true, "maintainer": true, "cmd": true, "entrypoint": true,
}

// IndependentRun reports whether a RUN surely does not read or
// write the copied project: every command installs system packages or
// named tools, creates users, or removes files outside dest (the copy's
// absolute destination, "" when unknown).
func IndependentRun(d *diagnose.Document, in *diagnose.Instruction, dest string) bool {
	for _, f := range in.Node.Flags {
		if strings.HasPrefix(f, "--mount=") && !strings.Contains(f, "type=cache") && !strings.Contains(f, "type=secret") &&
			!strings.Contains(f, "type=ssh") && !strings.Contains(f, "type=tmpfs") {
			return false // a bind mount reads the context
		}
	}
	scripts := in.Scripts(d)
	if len(scripts) == 0 {
		return false
	}
	for _, sc := range scripts {
		ok := true
		syntax.Walk(sc.File, func(n syntax.Node) bool {
			if r, isRedir := n.(*syntax.Redirect); isRedir && r.Word != nil {
				if v, lit := diagnose.LiteralWord(r.Word); !lit || (!strings.HasPrefix(v, "/dev/") && !strings.HasPrefix(r.Op.String(), ">&") && r.Op.String() != "<&") {
					ok = false
				}
			}
			return ok
		})
		if !ok {
			return false
		}
	}
	outside := func(p string) bool {
		if i := strings.IndexAny(p, "*?["); i >= 0 {
			p = p[:i] // the literal part of a glob
		}
		if !strings.HasPrefix(p, "/") || strings.Contains(p, "$") {
			return false
		}
		p = path.Clean(p)
		if dest == "" {
			return strings.HasPrefix(p, "/var/") || strings.HasPrefix(p, "/tmp/") || strings.HasPrefix(p, "/root/")
		}
		return p != dest && !strings.HasPrefix(p, dest+"/") && !strings.HasPrefix(dest, p+"/") && p != "/"
	}
	bare := func(w string) bool {
		return w != "" && !strings.ContainsAny(w, "/\\") && !strings.HasPrefix(w, ".") &&
			!strings.HasSuffix(w, ".whl") && !strings.HasSuffix(w, ".tar.gz") && !strings.HasSuffix(w, ".zip") && !strings.HasSuffix(w, ".tgz")
	}
	for _, c := range in.Commands(d) {
		switch name := c.Name(); {
		case systemCommands[name]:
		case name == "rm" || name == "mkdir":
			pos, ok := Positionals(c, c.Prog, map[string]bool{"-m": true, "--mode": true})
			if !ok {
				return false
			}
			for _, i := range pos {
				if !outside(c.Words[i]) {
					return false
				}
			}
		case pkgmgr.PipInstallIndex(c) >= 0:
			verb := pkgmgr.PipInstallIndex(c)
			if c.HasFlag("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "--prefix", "--root", "-f", "--find-links") {
				return false
			}
			pos, ok := Positionals(c, verb, pipValueOpts)
			if !ok {
				return false
			}
			for _, i := range pos {
				if !bare(c.Words[i]) {
					return false
				}
			}
		case name == "npm" && c.Sub() >= 0 && (c.Words[c.Sub()] == "install" || c.Words[c.Sub()] == "i") && c.HasFlag("-g", "--global"):
			pos, ok := Positionals(c, c.Sub(), npmValueOpts)
			if !ok || len(pos) == 0 {
				return false
			}
			for _, i := range pos {
				if !bare(c.Words[i]) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// systemCommands install system packages, manage users or print:
// they do not touch the project's files.
var systemCommands = map[string]bool{
	"apt-get": true, "apt": true, "apk": true, "yum": true, "dnf": true, "microdnf": true, "zypper": true,
	"tdnf": true, "update-ca-certificates": true, "ldconfig": true, "useradd": true, "groupadd": true,
	"adduser": true, "addgroup": true, "usermod": true, "corepack": true, "true": true, "set": true,
	":": true, "echo": true, "printf": true,
}
