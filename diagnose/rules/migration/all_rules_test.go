package migration_test

import (
	_ "github.com/dockdoc/dockdoc/diagnose/rules"
)
