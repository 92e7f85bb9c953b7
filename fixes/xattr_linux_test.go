package fixes

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
)

func TestWriteAtomicKeepsExtendedAttributes(t *testing.T) {
	p := writeTemp(t, "Dockerfile", "FROM a\n", 0o644)
	if err := syscall.Setxattr(p, "user.dockdoc-test", []byte("kept"), 0); errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EOPNOTSUPP) {
		t.Skip("no user extended attributes on this file system")
	} else if err != nil {
		t.Fatal(err)
	}
	_, st, _ := ReadFile(OS{}, p)
	if err := WriteAtomic(OS{}, st, []byte("FROM b\n")); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 64)
	n, err := syscall.Getxattr(p, "user.dockdoc-test", b)
	if err != nil || string(b[:n]) != "kept" {
		t.Errorf("user.dockdoc-test = %q, %v", b[:max(n, 0)], err)
	}
	if readString(t, p) != "FROM b\n" {
		t.Errorf("not written: %q", readString(t, p))
	}
	noTemps(t, filepath.Dir(p))
}
