package pkgmgr

import "github.com/dockdoc/dockdoc/diagnose"

// CargoValueOpts are cargo's options (global, and of build, install and
// cargo-chef's cook) that take the next word as their value.
var CargoValueOpts = map[string]bool{
	"-p": true, "--package": true, "--bin": true, "--example": true, "--test": true, "--bench": true,
	"-F": true, "--features": true, "--target": true, "--target-dir": true, "--manifest-path": true,
	"--profile": true, "-j": true, "--jobs": true, "--message-format": true, "--color": true,
	"--config": true, "-Z": true, "-C": true, "--root": true, "--version": true, "--vers": true,
	"--git": true, "--branch": true, "--tag": true, "--rev": true, "--path": true, "--registry": true,
	"--index": true, "--lockfile-path": true, "--recipe-path": true, "--exclude": true,
}

// CargoKind tells what a cargo command builds.
type CargoKind int

const (
	// CargoOther is any other cargo command.
	CargoOther CargoKind = iota
	// CargoProject builds the project of the build context: cargo build
	// (b), cargo install --path, cargo chef cook. Its lockfile is the
	// project's Cargo.lock.
	CargoProject
	// CargoTool installs a published crate or a git repository: cargo
	// install <crate> or --git. Its lockfile is the one the crate ships.
	CargoTool
)

// CargoBuild classifies a cargo command and returns the index of the word
// after which a flag such as --locked goes (the verb; for cargo chef, its
// cook) and how messages name it ("cargo build").
func CargoBuild(c *diagnose.Command) (kind CargoKind, at int, what string) {
	if c.Name() != "cargo" {
		return CargoOther, -1, ""
	}
	sub := Sub(c, CargoValueOpts)
	if sub < 0 || !c.Lit[sub] {
		return CargoOther, -1, ""
	}
	switch c.Words[sub] {
	case "build", "b":
		return CargoProject, sub, "cargo " + c.Words[sub]
	case "chef":
		pos := Positionals(c, sub, CargoValueOpts)
		if len(pos) > 0 && c.Lit[pos[0]] && c.Words[pos[0]] == "cook" {
			return CargoProject, pos[0], "cargo chef cook"
		}
	case "install":
		if HasOpt(c, sub, "--list", "--help", "-h") {
			return CargoOther, -1, ""
		}
		if HasOpt(c, sub, "--path") {
			return CargoProject, sub, "cargo install --path"
		}
		if HasOpt(c, sub, "--git") || len(Positionals(c, sub, CargoValueOpts)) > 0 {
			return CargoTool, sub, "cargo install"
		}
	}
	return CargoOther, -1, ""
}

// CargoLocked reports whether a cargo command insists on its lockfile:
// --locked, or --frozen (which is --locked and --offline).
func CargoLocked(c *diagnose.Command) bool {
	return HasOpt(c, c.Prog, "--locked", "--frozen")
}

// CargoEditsLock reports whether a cargo command rewrites Cargo.toml or
// Cargo.lock on purpose (cargo update, add, remove, generate-lockfile), so
// that a later --locked build no longer matches the committed lock.
func CargoEditsLock(c *diagnose.Command) bool {
	if c.Name() != "cargo" {
		return false
	}
	sub := Sub(c, CargoValueOpts)
	if sub < 0 || !c.Lit[sub] {
		return false
	}
	switch c.Words[sub] {
	case "update", "add", "remove", "rm", "generate-lockfile":
		return true
	}
	return false
}
