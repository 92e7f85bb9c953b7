package main

// Paths for CI consumers (SARIF and GitHub annotations).

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// pathMapper turns the paths dockdoc was given into the paths code scanning
// and annotations need: relative to the current directory (the checkout, in
// CI), with forward slashes, symlinks resolved (GitHub cannot show a result
// inside a symlinked path). A file outside the current directory keeps an
// absolute path.
type pathMapper struct {
	wd string // the current directory, symlinks resolved; "" if unknown
}

func newPathMapper() *pathMapper {
	wd, err := os.Getwd()
	if err != nil {
		return &pathMapper{}
	}
	if r, err := filepath.EvalSymlinks(wd); err == nil {
		wd = r
	}
	return &pathMapper{wd: wd}
}

// rel returns p relative to the current directory with forward slashes and
// true, or p absolute (forward slashes) and false when it is outside.
func (m *pathMapper) rel(p string) (string, bool) {
	abs, err := filepath.Abs(p)
	if err != nil || m.wd == "" {
		return filepath.ToSlash(p), !filepath.IsAbs(p)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	rel, err := filepath.Rel(m.wd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(abs), false
	}
	return filepath.ToSlash(rel), true
}

// fileURI is an absolute path (forward slashes) as a file:// URI.
func fileURI(abs string) string {
	if !strings.HasPrefix(abs, "/") {
		abs = "/" + abs // a Windows drive: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: abs}).String()
}
