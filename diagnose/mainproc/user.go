package mainproc

import (
	"strconv"
	"strings"
)

// IsRootUser reports whether a USER value names root: user root or
// UID 0, with or without a group. Values holding a variable are unknown
// and count as not root.
func IsRootUser(v string) bool {
	user, _, _ := strings.Cut(v, ":")
	if strings.Contains(user, "$") {
		return false
	}
	if user == "root" {
		return true
	}
	n, err := strconv.ParseUint(user, 10, 64)
	return err == nil && n == 0
}
