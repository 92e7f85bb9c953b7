package pkgmgr

import "strings"

// alpineRuntimeLibs maps Alpine development packages to the library
// package a program built with them loads at run time. Only names that
// are the same in Alpine 3.19 to 3.22 (the python and node images of
// 2024 to 2026) are listed; openssl-dev is not here because its library
// was libssl1.1 before libssl3. A package not in the table is kept in both
// stages.
var alpineRuntimeLibs = map[string]string{
	"postgresql-dev":          "libpq",
	"libpq-dev":               "libpq",
	"mariadb-dev":             "mariadb-connector-c",
	"mariadb-connector-c-dev": "mariadb-connector-c",
	"jpeg-dev":                "libjpeg-turbo",
	"libjpeg-turbo-dev":       "libjpeg-turbo",
	"zlib-dev":                "zlib",
	"libffi-dev":              "libffi",
	"yaml-dev":                "yaml",
	"libxml2-dev":             "libxml2",
	"libxslt-dev":             "libxslt",
	"freetype-dev":            "freetype",
	"lcms2-dev":               "lcms2",
	"libwebp-dev":             "libwebp",
	"tiff-dev":                "tiff",
	"openjpeg-dev":            "openjpeg",
	"sqlite-dev":              "sqlite-libs",
	"gmp-dev":                 "gmp",
	"geos-dev":                "geos",
	"proj-dev":                "proj",
	"gdal-dev":                "gdal",
	"librdkafka-dev":          "librdkafka",
	"unixodbc-dev":            "unixodbc",
	"cairo-dev":               "cairo",
	"bzip2-dev":               "libbz2",
	"xz-dev":                  "xz-libs",
	"zstd-dev":                "zstd-libs",
	"lz4-dev":                 "lz4-libs",
	"krb5-dev":                "krb5-libs",
	"libmemcached-dev":        "libmemcached-libs",
	"file-dev":                "libmagic",
}

// alpineBuildTools are Alpine packages only a build uses: compilers,
// make, the C library's and the kernel's headers, pkg-config.
var alpineBuildTools = map[string]bool{
	"build-base": true, "gcc": true, "g++": true, "musl-dev": true, "libc-dev": true, "linux-headers": true,
	"make": true, "cmake": true, "pkgconf": true, "pkgconfig": true, "autoconf": true, "automake": true,
	"libtool": true, "python3-dev": true, "cargo": true, "rust": true, "clang": true, "swig": true,
	"bison": true, "flex": true, "git": true,
}

// AlpinePackageRole is DebianPackageRole for Alpine's apk names: "build"
// (builder only), "dev" with the runtime library it stands for, or
// "unknown" (kept in both stages).
func AlpinePackageRole(pkg string) (role, runtime string) {
	if i := strings.IndexAny(pkg, "=~<>"); i > 0 {
		pkg = pkg[:i]
	}
	if alpineBuildTools[pkg] {
		return "build", ""
	}
	if lib, ok := alpineRuntimeLibs[pkg]; ok {
		return "dev", lib
	}
	return "unknown", ""
}
