package fixes

import (
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
	Lstat(name string) (fs.FileInfo, error)
	ReadFile(name string) ([]byte, error)
	CreateTemp(dir, pattern string) (File, error)
	Rename(oldpath, newpath string) error
	// Link makes newpath a second name of oldpath, failing if newpath
	// exists: the writer creates a new file with it, so that a file
	// someone else created meanwhile is never replaced.
	Link(oldpath, newpath string) error
	Remove(name string) error
	SyncDir(dir string) error
	// Lock takes the exclusive advisory lock every dockdoc writer takes
	// before it checks and replaces a file (see lock_flock.go), and
	// returns the locked file's information; closing the Closer releases
	// it.
	Lock(name string) (io.Closer, fs.FileInfo, error)
}

// File is the subset of *os.File the writer needs.
type File interface {
	io.Writer
	Name() string
	Chmod(fs.FileMode) error
	Chown(uid, gid int) error
	Sync() error
	Close() error
}

// OS is the real file system.
type OS struct{}

func (OS) Stat(name string) (fs.FileInfo, error)  { return os.Stat(name) }
func (OS) Lstat(name string) (fs.FileInfo, error) { return os.Lstat(name) }
func (OS) ReadFile(name string) ([]byte, error)   { return os.ReadFile(name) }
func (OS) CreateTemp(dir, pattern string) (File, error) {
	return os.CreateTemp(dir, pattern)
}
func (OS) Rename(a, b string) error { return os.Rename(a, b) }
func (OS) Link(a, b string) error   { return os.Link(a, b) }
func (OS) Remove(name string) error { return os.Remove(name) }
func (OS) Lock(name string) (io.Closer, fs.FileInfo, error) {
	return lockFile(name)
}
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
	_, err := check(fsys, st)
	return err
}

// check is Check returning the file's current bytes.
func check(fsys FS, st Stamp) ([]byte, error) {
	fi, err := fsys.Stat(st.Resolved)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (%v)", st.Path, ErrChanged, err)
	}
	if fi.Size() != st.Size || !fi.ModTime().Equal(st.ModTime) {
		return nil, fmt.Errorf("%s: %w", st.Path, ErrChanged)
	}
	b, err := fsys.ReadFile(st.Resolved)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (%v)", st.Path, ErrChanged, err)
	}
	if sha256.Sum256(b) != st.SHA256 {
		return nil, fmt.Errorf("%s: %w", st.Path, ErrChanged)
	}
	return b, nil
}
