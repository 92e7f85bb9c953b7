package sources

import (
	"strings"
)

// IsRemote reports whether an ADD source is a URL or a Git reference.
func IsRemote(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "://") || strings.HasPrefix(l, "git@") || strings.HasSuffix(l, ".git")
}

// archiveExts are the names of files ADD would unpack (local tar
// archives, possibly compressed).
var archiveExts = []string{
	".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz",
	".tar.zst", ".tzst", ".gz", ".bz2", ".xz", ".zst",
}

// IsArchive reports whether an ADD source looks like an archive that
// ADD unpacks (.zip is not one: ADD copies zip files as they are).
func IsArchive(s string) bool {
	l := strings.ToLower(s)
	for _, ext := range archiveExts {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}
