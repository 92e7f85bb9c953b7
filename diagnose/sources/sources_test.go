package sources

import (
	"testing"
)

func TestIsRemote(t *testing.T) {
	for s, want := range map[string]bool{
		"https://example.com/app.tar.gz":          true,
		"HTTP://EXAMPLE.COM/x":                    true,
		"git@github.com:moby/buildkit.git":        true,
		"https://github.com/moby/buildkit.git#v1": true,
		"git://example.com/repo":                  true,
		"ssh://git@example.com/repo":              true,
		"src/":                                    false,
		".":                                       false,
		"app.tar.gz":                              false,
		"https:relative":                          false,
		// BuildKit reads a github.com/ path without a scheme as local
		// (IndistinguishableFromLocal): ADD copies that directory.
		"github.com/moby/buildkit": false,
	} {
		if got := IsRemote(s); got != want {
			t.Errorf("IsRemote(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestIsRemoteLocalDotGit(t *testing.T) {
	t.Skip("suspected bug: IsRemote treats any source ending in .git as remote, but BuildKit's ParseGitRef reads a path without scheme or git@ (vendor/lib.git) as a local context path")
	for _, s := range []string{"vendor/lib.git", "repo.git", "./mirror.git"} {
		if IsRemote(s) {
			t.Errorf("IsRemote(%q) = true; it is a context path", s)
		}
	}
}

func TestIsArchive(t *testing.T) {
	for s, want := range map[string]bool{
		"app.tar":           true,
		"app.tar.gz":        true,
		"APP.TGZ":           true,
		"rootfs.tar.xz":     true,
		"rootfs.txz":        true,
		"data.tar.bz2":      true,
		"data.tbz2":         true,
		"layer.tar.zst":     true,
		"dist/bundle.tzst":  true,
		"app.zip":           false, // ADD copies zip files as they are
		"app.jar":           false,
		"src/":              false,
		"tarball":           false,
		"notes.targz":       false,
		"requirements.txt":  false,
		"archive.tar.gz/":   false, // a directory
		"site.tar.gz.asc":   false,
		"config/app.tar.gz": true,
	} {
		if got := IsArchive(s); got != want {
			t.Errorf("IsArchive(%q) = %v, want %v", s, got, want)
		}
	}
}
