package fixes

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// copyXattrs gives dst every extended attribute of src (user.*, the
// SELinux label, ACLs: system.posix_acl_access), or says which it cannot.
func copyXattrs(src, dst string) error {
	list, err := xattr(func(b []byte) (int, error) { return syscall.Listxattr(src, b) })
	if errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EOPNOTSUPP) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot read its extended attributes (%v)", err)
	}
	for _, name := range strings.Split(string(list), "\x00") {
		if name == "" {
			continue
		}
		val, err := xattr(func(b []byte) (int, error) { return syscall.Getxattr(src, name, b) })
		if errors.Is(err, syscall.ENODATA) {
			continue // removed meanwhile
		}
		if err != nil {
			return fmt.Errorf("cannot read its extended attribute %s (%v)", name, err)
		}
		if cur, err := xattr(func(b []byte) (int, error) { return syscall.Getxattr(dst, name, b) }); err == nil && bytes.Equal(cur, val) {
			continue // inherited already (the SELinux label, usually)
		}
		if err := syscall.Setxattr(dst, name, val, 0); err != nil {
			return fmt.Errorf("cannot keep its extended attribute %s (%v)", name, err)
		}
	}
	return nil
}

// xattr calls get with a buffer large enough for the answer.
func xattr(get func([]byte) (int, error)) ([]byte, error) {
	for {
		n, err := get(nil)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, nil
		}
		b := make([]byte, n)
		n, err = get(b)
		if errors.Is(err, syscall.ERANGE) {
			continue // grew meanwhile
		}
		if err != nil {
			return nil, err
		}
		return b[:n], nil
	}
}
