package buildmodel

import "github.com/dockdoc/dockdoc/diagnose"

// The model judges every composition (see diagnose.BuildCheck).
func init() { diagnose.RegisterBuildCheck(check) }

type modelKey struct{}

// Of returns the model of d, built once per Document.
func Of(d *diagnose.Document) *Model {
	return d.Memo(modelKey{}, func() any { return Build(d) }).(*Model)
}

func check(before, after *diagnose.Document, declared map[string]bool) error {
	if b := Compare(Of(before), Build(after), declared); b != nil {
		return b
	}
	return nil
}
