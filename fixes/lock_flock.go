//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly || illumos

package fixes

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// lockWait is how long a writer waits for another writer's lock before it
// gives up (a write holds it for milliseconds).
var lockWait = 10 * time.Second

// lockFile takes an exclusive flock(2) on the file itself, the resolved
// target, rather than on a lock file beside it. A lock file would be
// litter in the user's project (and in git status) if it stayed; removing
// it after each write has the very race a lock must close: a writer that
// opened it just before the removal locks a file no one else will ask
// for, while the next writer creates and locks a new one, and both are
// "holding the lock".
//
// Locking the target has the same race, in another form: each write's
// rename replaces the file's inode, and a writer that was waiting on the
// old inode wakes up holding a lock on a file that is no longer there. So
// after it gets the lock, a writer checks that the path still names the
// inode it locked (fstat against stat); if not, it locks the file that is
// there now. A writer thus holds the lock of the very inode it then checks
// and replaces, which every other writer must lock to check it: no two
// writers are ever in the check-then-rename window of one file, and a
// writer that read the file before another's write finds it changed.
// Nothing is created, so nothing is left behind.
//
// The lock is advisory: only dockdoc writers take it. On a file system
// without flock (some network and FUSE mounts) the write goes on without
// it, as before: checked, then checked again just before the rename.
func lockFile(name string) (io.Closer, fs.FileInfo, error) {
	deadline := time.Now().Add(lockWait)
	for {
		f, err := os.Open(name)
		if err != nil {
			return nil, nil, err
		}
		if err := flock(f, deadline); err != nil {
			f.Close()
			return nil, nil, err
		}
		held, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		now, err := os.Stat(name)
		if err == nil && os.SameFile(held, now) {
			return f, held, nil
		}
		f.Close()
		if err != nil {
			return nil, nil, err // gone: the caller reports it changed
		}
		// Replaced while we waited: lock the file that is there now.
		if time.Now().After(deadline) {
			return nil, nil, fmt.Errorf("it kept being replaced while dockdoc waited for %v to lock it", lockWait)
		}
	}
}

func flock(f *os.File, deadline time.Time) error {
	fd := int(f.Fd())
	delay := time.Millisecond
	for {
		err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.ENOLCK), errors.Is(err, syscall.ENOTSUP), errors.Is(err, syscall.EOPNOTSUPP):
			return nil // no locks on this file system
		case !errors.Is(err, syscall.EWOULDBLOCK):
			return fmt.Errorf("cannot lock it for writing: %w", err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("another dockdoc has held its write lock for over %v", lockWait)
		}
		time.Sleep(delay)
		delay = min(2*delay, 20*time.Millisecond)
	}
}
