package pkgmgr

// debianRuntimeLibs maps Debian development packages (headers a build
// compiles against) to the library package a program built with them needs
// at run time. Only names that are the same in Debian 12 (bookworm) and
// Debian 13 (trixie) are listed, so the table holds for every python,
// node and ruby image of those releases (checked 2026-12 against the
// Debian package index; the t64 renames of trixie, such as libssl3t64,
// libpng16-16t64 and libcurl4t64, are why libssl-dev, libpng-dev and
// libcurl4-openssl-dev are not here: a package not in the table is kept in
// both stages).
var debianRuntimeLibs = map[string]string{
	"libpq-dev":                  "libpq5",
	"default-libmysqlclient-dev": "libmariadb3",
	"libmariadb-dev":             "libmariadb3",
	"libmariadb-dev-compat":      "libmariadb3",
	"libjpeg-dev":                "libjpeg62-turbo",
	"libjpeg62-turbo-dev":        "libjpeg62-turbo",
	"zlib1g-dev":                 "zlib1g",
	"libffi-dev":                 "libffi8",
	"libyaml-dev":                "libyaml-0-2",
	"libxslt1-dev":               "libxslt1.1",
	"libsqlite3-dev":             "libsqlite3-0",
	"libzstd-dev":                "libzstd1",
	"liblz4-dev":                 "liblz4-1",
	"libbz2-dev":                 "libbz2-1.0",
	"liblzma-dev":                "liblzma5",
	"libfreetype-dev":            "libfreetype6",
	"libfreetype6-dev":           "libfreetype6",
	"libkrb5-dev":                "libkrb5-3",
}

// buildTools are packages only a build uses: compilers, make, headers of
// the C library, pkg-config.
var buildTools = map[string]bool{
	"build-essential": true, "gcc": true, "g++": true, "make": true, "cmake": true, "pkg-config": true,
	"pkgconf": true, "autoconf": true, "automake": true, "libtool": true, "libc6-dev": true, "libc-dev": true,
	"python3-dev": true, "cargo": true, "rustc": true, "clang": true, "swig": true, "bison": true, "flex": true,
}

// DebianPackageRole tells what a Debian package installed for a build is
// for: "build" (a compiler or build tool, needed only in a builder), "dev"
// with the runtime library it stands for (a header package whose library
// the built program loads at run time: libpq-dev needs libpq5), or
// "unknown" (a -dev package whose runtime name changed between Debian
// releases, or any other package, which the application may use at run
// time).
func DebianPackageRole(pkg string) (role, runtime string) {
	if buildTools[pkg] {
		return "build", ""
	}
	if lib, ok := debianRuntimeLibs[pkg]; ok {
		return "dev", lib
	}
	return "unknown", ""
}
