// Package rules registers every rule family with the core: a program or
// test that imports it (for its side effect) has dockdoc's whole rule set
// in diagnose.All. The families live in the packages below this one, one
// rule per file; see docs/architecture.md.
//
// The tests here run every rule together: the txtar harness
// (testdata/rules/<CODE>/*.txtar), the acceptance projects, the corpus
// sweep, the fuzzers and the benchmarks.
package rules

import (
	// The model of the build judges every composition of fixes.
	_ "github.com/dockdoc/dockdoc/diagnose/buildmodel"

	_ "github.com/dockdoc/dockdoc/diagnose/rules/baseimage"
	_ "github.com/dockdoc/dockdoc/diagnose/rules/deps"
	_ "github.com/dockdoc/dockdoc/diagnose/rules/files"
	_ "github.com/dockdoc/dockdoc/diagnose/rules/metadata"
	_ "github.com/dockdoc/dockdoc/diagnose/rules/migration"
	_ "github.com/dockdoc/dockdoc/diagnose/rules/ospkg"
	_ "github.com/dockdoc/dockdoc/diagnose/rules/process"
	_ "github.com/dockdoc/dockdoc/diagnose/rules/scripts"
	_ "github.com/dockdoc/dockdoc/diagnose/rules/syntax"
	_ "github.com/dockdoc/dockdoc/diagnose/rules/variables"
)
