package fixes

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Stamp records what a file looked like when it was read, so a later write
// can refuse if someone changed it meanwhile.
type Stamp struct {
	Path     string // the path as the user gave it
	Resolved string // symlinks resolved: the file actually written
	Size     int64
	ModTime  time.Time
	Mode     fs.FileMode
	SHA256   [32]byte
}

// FS is the file-system seam used by the writer. The default is the real
// operating system; tests inject failures (full disk, failed rename).
type FS interface {
	Stat(name string) (fs.FileInfo, error)
	ReadFile(name string) ([]byte, error)
	CreateTemp(dir, pattern string) (File, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	SyncDir(dir string) error
}

// File is the subset of *os.File the writer needs.
type File interface {
	io.Writer
	Name() string
	Chmod(fs.FileMode) error
	Sync() error
	Close() error
}

// OS is the real file system.
type OS struct{}

func (OS) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }
func (OS) ReadFile(name string) ([]byte, error)  { return os.ReadFile(name) }
func (OS) CreateTemp(dir, pattern string) (File, error) {
	return os.CreateTemp(dir, pattern)
}
func (OS) Rename(a, b string) error { return os.Rename(a, b) }
func (OS) Remove(name string) error { return os.Remove(name) }
func (OS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// MaxFileSize is the largest Dockerfile dockdoc reads (2 MiB; real ones are
// under 200 KB).
// are refused with a clear message rather than parsed slowly.
const MaxFileSize = 2 << 20

// ErrChanged is returned (wrapped) when the file changed on disk since it
// was read.
var ErrChanged = errors.New("changed on disk since it was read")

// ReadFile reads path through its symlinks and returns its bytes with a
// stamp for WriteAtomic.
func ReadFile(fsys FS, path string) ([]byte, Stamp, error) {
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, Stamp{}, err
	}
	fi, err := fsys.Stat(resolved)
	if err != nil {
		return nil, Stamp{}, err
	}
	if fi.IsDir() {
		return nil, Stamp{}, fmt.Errorf("is a directory")
	}
	if !fi.Mode().IsRegular() {
		return nil, Stamp{}, fmt.Errorf("not a regular file")
	}
	if fi.Size() > MaxFileSize {
		return nil, Stamp{}, fmt.Errorf("file is %.1f MB; dockdoc reads Dockerfiles up to %d MB", float64(fi.Size())/1e6, MaxFileSize>>20)
	}
	b, err := fsys.ReadFile(resolved)
	if err != nil {
		return nil, Stamp{}, err
	}
	return b, Stamp{
		Path: path, Resolved: resolved, Size: fi.Size(), ModTime: fi.ModTime(),
		Mode: fi.Mode(), SHA256: sha256.Sum256(b),
	}, nil
}

// Check reports ErrChanged when the file under st no longer matches it
// (size, modification time or content).
func Check(fsys FS, st Stamp) error {
	fi, err := fsys.Stat(st.Resolved)
	if err != nil {
		return fmt.Errorf("%s: %w (%v)", st.Path, ErrChanged, err)
	}
	if fi.Size() != st.Size || !fi.ModTime().Equal(st.ModTime) {
		return fmt.Errorf("%s: %w", st.Path, ErrChanged)
	}
	b, err := fsys.ReadFile(st.Resolved)
	if err != nil {
		return fmt.Errorf("%s: %w (%v)", st.Path, ErrChanged, err)
	}
	if sha256.Sum256(b) != st.SHA256 {
		return fmt.Errorf("%s: %w", st.Path, ErrChanged)
	}
	return nil
}

// WriteAtomic replaces the file read under st with data: it refuses if the
// file changed since st was taken, writes a temporary file in the same
// directory as the resolved target, gives it the original mode, fsyncs it,
// renames it over the target and fsyncs the directory. A symlink stays a
// symlink (its target is written). On any failure the original is intact
// and the temporary file is removed. Writing identical bytes is a no-op.
func WriteAtomic(fsys FS, st Stamp, data []byte) (err error) {
	if err := Check(fsys, st); err != nil {
		return err
	}
	if sha256.Sum256(data) == st.SHA256 && int64(len(data)) == st.Size {
		return nil
	}
	if st.Mode.Perm()&0o200 == 0 {
		return fmt.Errorf("%s: the file is read-only (mode %v); dockdoc does not change permissions to write it", st.Path, st.Mode.Perm())
	}
	dir, base := filepath.Split(st.Resolved)
	if dir == "" {
		dir = "."
	}
	tmp, err := fsys.CreateTemp(dir, "."+base+".dockdoc-*")
	if err != nil {
		return fmt.Errorf("%s: cannot create a temporary file next to it: %w", st.Path, err)
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			_ = fsys.Remove(name)
		}
	}()
	if _, err = io.Copy(tmp, bytes.NewReader(data)); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: writing failed, original left unchanged: %w", st.Path, err)
	}
	if err = tmp.Chmod(st.Mode.Perm()); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: cannot keep the file mode: %w", st.Path, err)
	}
	if err = tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: syncing failed, original left unchanged: %w", st.Path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("%s: closing failed, original left unchanged: %w", st.Path, err)
	}
	// Last look just before the rename narrows the window for a lost update.
	if err = Check(fsys, st); err != nil {
		return err
	}
	if err = fsys.Rename(name, st.Resolved); err != nil {
		return fmt.Errorf("%s: replacing the file failed, original left unchanged: %w", st.Path, err)
	}
	_ = fsys.SyncDir(dir) // best effort: the data itself is already synced
	return nil
}

// WriteOther writes a second file a fix changes (such as .dockerignore):
// it creates it when create is set (refusing if it appeared meanwhile), or
// replaces it atomically after checking it still holds before.
func WriteOther(fsys FS, path string, before []byte, create bool, after []byte) error {
	if create {
		if _, err := fsys.Stat(path); err == nil {
			return fmt.Errorf("%s: %w (it was created by someone else)", path, ErrChanged)
		}
		dir, base := filepath.Split(path)
		if dir == "" {
			dir = "."
		}
		tmp, err := fsys.CreateTemp(dir, "."+base+".dockdoc-*")
		if err != nil {
			return fmt.Errorf("%s: cannot create it: %w", path, err)
		}
		name := tmp.Name()
		_, err = io.Copy(tmp, bytes.NewReader(after))
		if err == nil {
			err = tmp.Chmod(0o644)
		}
		if err == nil {
			err = tmp.Sync()
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = fsys.Rename(name, path)
		}
		if err != nil {
			_ = fsys.Remove(name)
			return fmt.Errorf("%s: cannot create it: %w", path, err)
		}
		_ = fsys.SyncDir(dir)
		return nil
	}
	cur, st, err := ReadFile(fsys, path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if !bytes.Equal(cur, before) {
		return fmt.Errorf("%s: %w", path, ErrChanged)
	}
	return WriteAtomic(fsys, st, after)
}
