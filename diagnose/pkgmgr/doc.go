// Package pkgmgr knows package managers' command lines: apt-get and apt,
// apk, the rpm family (yum, dnf, microdnf, zypper), pip, npm, yarn, pnpm,
// uv, Poetry, cargo, Bundler (and its settings), Composer and the go
// command's module flags. It tells which words are verbs, options, option
// values and packages, whether a package is pinned, which caches a command fills and
// which command or mount empties them, and which environment variables
// change a tool's behaviour. The rpm family's three shared checks (assume
// yes, cache cleaned, versions pinned) live here so that each rpm rule is a
// few lines.
package pkgmgr
