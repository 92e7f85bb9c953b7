// Package demo holds the sample project `dockdoc demo` diagnoses: a small
// Python web service whose Dockerfile has many of the problems dockdoc
// finds, with the context files (.python-version, pyproject.toml,
// .dockerignore) the context-aware rules read.
package demo

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed all:project
var project embed.FS

// Files returns the sample project's files (paths relative to its root).
func Files() fs.FS {
	sub, err := fs.Sub(project, "project")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// Extract copies the sample project into dir (created if needed) and
// returns the path of its Dockerfile.
func Extract(dir string) (string, error) {
	src := Files()
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "Dockerfile"), nil
}
