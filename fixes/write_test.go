package fixes

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeTemp(t *testing.T, name, content string, mode fs.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWriteAtomicKeepsModeAndReplaces(t *testing.T) {
	p := writeTemp(t, "Dockerfile", "FROM a\n", 0o640)
	_, st, err := ReadFile(OS{}, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(OS{}, st, []byte("FROM b\n")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(b) != "FROM b\n" || fi.Mode().Perm() != 0o640 {
		t.Errorf("content %q mode %v", b, fi.Mode().Perm())
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".*dockdoc-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestWriteAtomicThroughSymlink(t *testing.T) {
	target := writeTemp(t, "real.Dockerfile", "FROM a\n", 0o644)
	link := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	_, st, err := ReadFile(OS{}, link)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(OS{}, st, []byte("FROM b\n")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link is no longer a symlink: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(target); string(b) != "FROM b\n" {
		t.Errorf("target = %q", b)
	}
}

func TestWriteAtomicRefusesChangedFile(t *testing.T) {
	for _, change := range []struct {
		name string
		do   func(p string)
	}{
		{"content, same size and mtime", func(p string) {
			fi, _ := os.Stat(p)
			os.WriteFile(p, []byte("FROM z\n"), 0o644)
			os.Chtimes(p, fi.ModTime(), fi.ModTime())
		}},
		{"appended", func(p string) {
			f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("RUN x\n")
			f.Close()
		}},
		{"replaced by another file", func(p string) {
			os.Remove(p)
			os.WriteFile(p, []byte("FROM a\n"), 0o644)
			os.Chtimes(p, time.Now().Add(time.Hour), time.Now().Add(time.Hour))
		}},
		{"deleted", func(p string) { os.Remove(p) }},
	} {
		t.Run(change.name, func(t *testing.T) {
			p := writeTemp(t, "Dockerfile", "FROM a\n", 0o644)
			_, st, err := ReadFile(OS{}, p)
			if err != nil {
				t.Fatal(err)
			}
			change.do(p)
			before, _ := os.ReadFile(p)
			err = WriteAtomic(OS{}, st, []byte("FROM b\n"))
			if !errors.Is(err, ErrChanged) {
				t.Fatalf("err = %v, want ErrChanged", err)
			}
			after, _ := os.ReadFile(p)
			if string(after) != string(before) {
				t.Errorf("file was written: %q", after)
			}
		})
	}
}

func TestWriteAtomicReadOnlyFile(t *testing.T) {
	p := writeTemp(t, "Dockerfile", "FROM a\n", 0o444)
	_, st, err := ReadFile(OS{}, p)
	if err != nil {
		t.Fatal(err)
	}
	err = WriteAtomic(OS{}, st, []byte("FROM b\n"))
	if err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "FROM a\n" {
		t.Errorf("file changed: %q", b)
	}
}

func TestWriteAtomicUnwritableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "Dockerfile")
	os.WriteFile(p, []byte("FROM a\n"), 0o644)
	_, st, _ := ReadFile(OS{}, p)
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	if err := WriteAtomic(OS{}, st, []byte("FROM b\n")); err == nil {
		t.Fatal("expected an error")
	}
	if b, _ := os.ReadFile(p); string(b) != "FROM a\n" {
		t.Errorf("file changed: %q", b)
	}
}

// faultFS injects failures into the real file system.
type faultFS struct {
	OS
	failWrite, failRename, failCreate bool
}

type faultFile struct {
	*os.File
	fail bool
}

func (f faultFile) Write(b []byte) (int, error) {
	if f.fail {
		n, _ := f.File.Write(b[:len(b)/2])
		return n, errors.New("no space left on device")
	}
	return f.File.Write(b)
}

func (f faultFS) CreateTemp(dir, pattern string) (File, error) {
	if f.failCreate {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: fs.ErrPermission}
	}
	tf, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return faultFile{tf, f.failWrite}, nil
}

func (f faultFS) Rename(a, b string) error {
	if f.failRename {
		return errors.New("rename failed: device busy")
	}
	return os.Rename(a, b)
}

func TestWriteAtomicFaults(t *testing.T) {
	for name, fsys := range map[string]faultFS{
		"disk full":         {failWrite: true},
		"rename fails":      {failRename: true},
		"permission denied": {failCreate: true},
	} {
		t.Run(name, func(t *testing.T) {
			p := writeTemp(t, "Dockerfile", "FROM a\nRUN x\n", 0o644)
			_, st, err := ReadFile(fsys, p)
			if err != nil {
				t.Fatal(err)
			}
			err = WriteAtomic(fsys, st, []byte(strings.Repeat("FROM b\n", 100)))
			if err == nil || !strings.Contains(err.Error(), p) {
				t.Fatalf("err = %v, want an error naming the file", err)
			}
			if b, _ := os.ReadFile(p); string(b) != "FROM a\nRUN x\n" {
				t.Errorf("original damaged: %q", b)
			}
			left, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".*dockdoc-*"))
			if len(left) != 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
		})
	}
}

func TestReadFileRefusals(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := ReadFile(OS{}, dir); err == nil {
		t.Error("a directory was read")
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, MaxFileSize+1), 0o644)
	if _, _, err := ReadFile(OS{}, big); err == nil || !strings.Contains(err.Error(), "MB") {
		t.Errorf("big file: %v", err)
	}
	if _, _, err := ReadFile(OS{}, filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzWriteAtomic: whatever the bytes and wherever the file system fails,
// the file ends up either exactly the new content or exactly the old, and
// no temporary file is left behind.
func FuzzWriteAtomic(f *testing.F) {
	f.Add([]byte("FROM a\n"), []byte("FROM b\r\n"), uint8(0))
	f.Add([]byte(""), []byte("x"), uint8(1))
	f.Add([]byte("\xEF\xBB\xBFFROM a"), []byte{}, uint8(2))
	f.Fuzz(func(t *testing.T, old, data []byte, fault uint8) {
		dir := t.TempDir()
		p := filepath.Join(dir, "Dockerfile")
		if err := os.WriteFile(p, old, 0o644); err != nil {
			t.Fatal(err)
		}
		fsys := faultFS{failWrite: fault%4 == 1, failRename: fault%4 == 2, failCreate: fault%4 == 3}
		_, st, err := ReadFile(fsys, p)
		if err != nil {
			t.Fatal(err)
		}
		err = WriteAtomic(fsys, st, data)
		got, _ := os.ReadFile(p)
		switch {
		case err == nil && string(got) != string(data):
			t.Fatalf("write succeeded but the file holds %q", got)
		case err != nil && string(got) != string(old):
			t.Fatalf("write failed (%v) and the original is damaged: %q", err, got)
		}
		left, _ := filepath.Glob(filepath.Join(dir, ".*dockdoc-*"))
		if len(left) != 0 {
			t.Fatalf("temporary files left: %v", left)
		}
	})
}
