package diagnose

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
)

// InputError is a file dockdoc cannot diagnose (missing, unreadable,
// binary, empty, too big). Its message names the file and the problem.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Load reads and parses a Dockerfile through the given file system. A file
// BuildKit cannot parse still loads (Document.ParseErr is set); anything
// that is not a Dockerfile at all is an *InputError.
func Load(fsys fixes.FS, path string) (*Document, fixes.Stamp, error) {
	src, st, err := fixes.ReadFile(fsys, path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			err = errors.New("no such file")
		case errors.Is(err, fs.ErrPermission):
			err = errors.New("permission denied")
		}
		return nil, st, &InputError{path, err}
	}
	doc, err := Parse(path, src)
	if err != nil {
		return nil, st, &InputError{path, err}
	}
	return doc, st, nil
}

// skipDirs are never searched for Dockerfiles.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".hg": true, ".svn": true}

// IsDockerfileName reports whether a file name is one dockdoc looks for
// when given a directory: Dockerfile, Containerfile, Dockerfile.*,
// Containerfile.*, *.Dockerfile, *.dockerfile. Per-Dockerfile ignore files
// (Dockerfile.dockerignore) and dockdoc's own temporary files are not.
func IsDockerfileName(name string) bool {
	if strings.HasSuffix(name, ".dockerignore") || strings.Contains(name, ".dockdoc-") {
		return false
	}
	switch {
	case name == "Dockerfile", name == "Containerfile":
		return true
	case strings.HasPrefix(name, "Dockerfile."), strings.HasPrefix(name, "Containerfile."):
		return true
	case strings.HasSuffix(name, ".Dockerfile"), strings.HasSuffix(name, ".dockerfile"):
		return true
	}
	return false
}

// Discover expands paths into Dockerfiles: a file is taken as given, a
// directory is searched recursively (skipping .git, node_modules and
// vendor). The result is sorted and has no duplicates. A directory with no
// Dockerfile is an error, as is a path that does not exist.
func Discover(paths []string) ([]string, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, &InputError{p, errors.New("no such file or directory")}
			}
			return nil, &InputError{p, err}
		}
		if !fi.IsDir() {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
			continue
		}
		found := 0
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if path == p {
					return err
				}
				return nil // unreadable subdirectory: skip it
			}
			if d.IsDir() {
				if path != p && skipDirs[d.Name()] {
					return filepath.SkipDir
				}
				return nil
			}
			if IsDockerfileName(d.Name()) && (d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0) {
				found++
				if !seen[path] {
					seen[path] = true
					out = append(out, path)
				}
			}
			return nil
		})
		if err != nil {
			return nil, &InputError{p, err}
		}
		if found == 0 {
			return nil, &InputError{p, fmt.Errorf("no Dockerfile found in this directory (looked for Dockerfile, Containerfile, Dockerfile.*, *.Dockerfile)")}
		}
	}
	sort.Strings(out)
	return out, nil
}
