// Package migration holds the rule that migrates a one-stage image that
// builds with its toolchain to a builder and a runtime stage.
package migration
