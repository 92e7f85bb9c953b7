package main

import "runtime/debug"

// license is the SPDX identifier of dockdoc's licence (the LICENSE file),
// which dockdoc --version names after the version.
const license = "Apache-2.0"

// versionLine is what dockdoc --version prints: "dockdoc <version>
// (Apache-2.0)".
func versionLine() string {
	return "dockdoc " + version() + " (" + license + ")"
}

// version is what dockdoc --version prints after "dockdoc": the module
// version and the VCS revision recorded by go build.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	return versionOf(bi)
}

// versionOf formats build info: the module version ("v1.2.0", or
// "(devel)" for a go build in a checkout without a tag), then the first
// 12 digits of vcs.revision, then "(modified)" when the tree had
// uncommitted changes (vcs.modified=true). go install module@version
// records no VCS settings, so the tag alone identifies that build;
// GOFLAGS=-buildvcs=false leaves them out too.
func versionOf(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " " + rev
	}
	if modified {
		v += " (modified)"
	}
	return v
}
