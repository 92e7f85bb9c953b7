package diagnose

// DD094 reports suppressions that silence nothing. It is off unless asked
// for (check --report-unused), because it depends on which rules ran.
var ruleUnusedSuppression = Register(&Rule{
	Code:     "DD094",
	Name:     "unused-suppression",
	Severity: Info,
	Category: Maintainability,
	Summary:  "a suppression comment silences nothing",
	Fixable:  FixSometimes,
	Doc: Doc{
		What: "With `dockdoc check --report-unused`, flags `# dockdoc ignore=`, `# hadolint ignore=` (also `global` " +
			"and `stage`) and `# check=skip=` comments, or names in them, that silenced no finding in this run.",
		Why: "A suppression outlives the problem it hid: the line gets fixed or rewritten, the comment stays, and one " +
			"day it hides a new, real finding of the same rule on that instruction. Removing stale ones keeps " +
			"every remaining suppression meaningful.",
		Bad:  "# dockdoc ignore=DD005\nRUN apt-get install -y curl",
		Good: "RUN apt-get install -y curl",
		Fix: "When every name in the comment is unused, an unsafe fix deletes the comment line (unsafe only because " +
			"it deletes a comment). When some names are still used, remove the others by hand.",
		Refs: []string{"https://github.com/hadolint/hadolint#inline-ignores"},
	},
	Check: func(*Pass) {}, // computed by the runner from the other rules' results
})
