package buildctx

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The context learns the Ruby, PHP and Go lock state: the Gemfile's
// groups, composer.json's require-dev, composer.lock and go.sum.
func TestLockfiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"Gemfile":       "gem \"rack\"\ngroup :development, :test do\n  gem \"rspec\"\nend\ngroup(:ci) do\nend\n",
		"Gemfile.lock":  "GEM\n",
		"composer.json": `{"require-dev": {"phpunit/phpunit": "^11"}}`,
		"composer.lock": "{}",
		"go.sum":        "",
		"Cargo.lock":    "version = 4\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := Load(dir, "")
	if !c.Gemfile || !c.GemfileLock || !slices.Equal(c.GemGroups, []string{"ci", "development", "test"}) {
		t.Errorf("Gemfile %v, lock %v, groups %v", c.Gemfile, c.GemfileLock, c.GemGroups)
	}
	if c.ComposerJSON == nil || len(c.ComposerJSON.RequireDev) != 1 || !c.ComposerLock {
		t.Errorf("composer.json %+v, lock %v", c.ComposerJSON, c.ComposerLock)
	}
	if !c.GoSum || !c.CargoLock {
		t.Errorf("go.sum %v, Cargo.lock %v", c.GoSum, c.CargoLock)
	}
	empty := Load(t.TempDir(), "")
	if empty.Gemfile || empty.ComposerJSON != nil || empty.ComposerLock || empty.GoSum {
		t.Errorf("an empty context has %+v", empty)
	}
}
