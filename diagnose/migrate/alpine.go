package migrate

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

// readApk sorts an apk command of an Alpine-based stage: the packages of
// `apk add` go to the builder, the runtime stage or both, as readApt
// sorts Debian's; `apk del` of what a build added and the index updates
// need no place of their own (the templates install with --no-cache).
func (pl *Plan) readApk(c *diagnose.Command, shown string) string {
	if !pl.alpine {
		return "`" + shown + "` runs apk, but the base image is not Alpine-based"
	}
	verb := pkgmgr.ApkVerb(c)
	if verb < 0 {
		return "dockdoc cannot read `" + shown + "`"
	}
	switch c.Words[verb] {
	case "update", "del", "cache":
		return ""
	case "add":
	default:
		return "`" + shown + "` changes the base system; the runtime stage would not get that change"
	}
	for i := verb + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		switch {
		case w == "--virtual" || w == "-t":
			i++
			continue
		case w == "--no-cache" || w == "--update" || w == "-U" || w == "--quiet" || w == "-q" || w == "--no-progress" ||
			strings.HasPrefix(w, "--virtual="):
			continue
		case strings.HasPrefix(w, "-"):
			return "apk option " + w + " is not one the migration knows how to keep"
		}
		name := w
		if j := strings.IndexAny(name, "=~<>"); j > 0 {
			name = name[:j]
		}
		role, lib := pkgmgr.AlpinePackageRole(w)
		switch {
		case role == "build":
		case pl.tool == "go":
			return "apk installs " + name + ", which the application may also need at run time; " +
				"dockdoc cannot tell whether it belongs to the builder or to the runtime stage"
		case role == "dev":
			pl.runtimeApt = append(pl.runtimeApt, lib)
			pl.runtimeFor = append(pl.runtimeFor, lib+" for "+name)
		default:
			pl.runtimeApt = append(pl.runtimeApt, w)
			pl.bothApt = append(pl.bothApt, name)
		}
		pl.aptPkgs = append(pl.aptPkgs, w)
	}
	return ""
}

// installLine is the RUN line that installs OS packages in a stage.
func (pl *Plan) installLine(pkgs []string) string {
	if pl.alpine {
		return "RUN apk add --no-cache " + strings.Join(pkgs, " ")
	}
	return "RUN apt-get update && apt-get install -y --no-install-recommends " + strings.Join(pkgs, " ") +
		" && rm -rf /var/lib/apt/lists/*"
}

// appAccount is the template's unprivileged user: Debian's groupadd and
// useradd, or BusyBox's addgroup and adduser on Alpine.
func (pl *Plan) appAccount() string {
	if pl.alpine {
		return "RUN addgroup -S -g 999 app && adduser -S -D -H -u 999 -G app app"
	}
	return "RUN groupadd --system --gid 999 app && useradd --system --gid 999 --uid 999 --no-log-init app"
}

// osTool and osNames name the OS package manager and the releases whose
// package names dockdoc's tables hold, for the note.
func (pl *Plan) osTool() string {
	if pl.alpine {
		return "apk"
	}
	return "apt"
}

func (pl *Plan) osNames() string {
	if pl.alpine {
		return "Alpine 3.19 to 3.22"
	}
	return "Debian 12 and 13"
}
