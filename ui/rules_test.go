package ui

// The doctor's tests run with every rule registered, as the dockdoc
// command does.
import _ "github.com/dockdoc/dockdoc/diagnose/rules"
