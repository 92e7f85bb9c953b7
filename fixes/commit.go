package fixes

// WriteAll, the one way dockdoc changes files, and what it promises:
//
//   - Readers see the old file or the new one, never a mix: the new
//     content is written to a temporary file beside the target, synced,
//     and renamed over it.
//   - A second writer never silently overwrites: every dockdoc writer
//     takes an exclusive lock on each file (Lock, lock_flock.go), then
//     checks its stamp, then renames, then unlocks. A writer that read
//     the file before another's write finds it changed and refuses
//     (ErrChanged). A last look just before the rename covers writers
//     that take no lock (an editor saving the file).
//   - A write of several files (a Dockerfile and the .dockerignore a fix
//     edits) writes all of them or none: every file is locked and checked
//     and every temporary file prepared before the first rename; if a
//     rename fails after another succeeded, the files already replaced
//     get their previous content back (from a copy prepared beforehand)
//     and the error says so.
//   - SIGINT, SIGTERM or SIGHUP during a write removes its temporary
//     files and leaves the originals as they were; then the signal goes
//     on as if dockdoc had not caught it (signals.go).
//   - Mode, owner and extended attributes of a replaced file are kept, or
//     the write is refused saying which could not be. A file with other
//     hard links is refused: the rename would leave the other names with
//     the old content, and writing in place would break the promise to
//     readers.

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"sync"
)

// Change is one file of a write.
type Change struct {
	// Stamp is the file as it was read (ReadFile). For a file to create,
	// Path and Resolved are the path to create and nothing else is set.
	Stamp Stamp
	// Create: the file did not exist when it was read; it is created, and
	// the write is refused if it has appeared since.
	Create bool
	Data   []byte
}

// ErrInterrupted is returned (wrapped) when a signal arrived during the
// write: nothing was written.
var ErrInterrupted = errors.New("interrupted by a signal; nothing written")

// ErrHardLinked is returned (wrapped) for a file that has other names
// (hard links): replacing it would leave them with the old content.
var ErrHardLinked = errors.New("has other hard links")

// WriteAtomic replaces the file read under st with data: WriteAll with
// one change. A symlink stays a symlink (its target is written). Writing
// identical bytes is a no-op (after checking the file is unchanged).
func WriteAtomic(fsys FS, st Stamp, data []byte) error {
	return WriteAll(fsys, []Change{{Stamp: st, Data: data}})
}

// OtherChange makes the Change for a second file a fix edits (such as
// .dockerignore): before is what the fix saw in it; if it holds something
// else now, the error is ErrChanged. With create, the file did not exist.
func OtherChange(fsys FS, path string, before []byte, create bool, after []byte) (Change, error) {
	if create {
		return Change{Stamp: Stamp{Path: path, Resolved: path}, Create: true, Data: after}, nil
	}
	cur, st, err := ReadFile(fsys, path)
	if errors.Is(err, fs.ErrNotExist) {
		return Change{}, fmt.Errorf("%s: %w (it was removed)", path, ErrChanged)
	}
	if err != nil {
		return Change{}, fmt.Errorf("%s: %w", path, err)
	}
	if !bytes.Equal(cur, before) {
		return Change{}, fmt.Errorf("%s: %w", path, ErrChanged)
	}
	return Change{Stamp: st, Data: after}, nil
}

// step is one Change on its way to disk.
type step struct {
	*Change
	target string      // the file written: symlinks resolved
	info   fs.FileInfo // the locked file (nil for a file to create)
	old    []byte      // its content, read under the lock
	noop   bool        // the change writes the bytes already there
	tmp    string      // the new content, ready to be renamed
	backup string      // the old content, ready to be renamed back
}

// WriteAll writes every change or none (see the top of this file). On
// failure the files are as they were, every temporary file is removed,
// and the error names the file and says what happened.
func WriteAll(fsys FS, changes []Change) error {
	var steps []*step
	seen := map[string]bool{}
	for i := range changes {
		c := &changes[i]
		s := &step{Change: c, target: c.Stamp.Resolved}
		if s.target == "" || seen[s.target] {
			return fmt.Errorf("%s: dockdoc tried to write it twice or without reading it; nothing written (please report this)", c.Stamp.Path)
		}
		seen[s.target] = true
		s.noop = !c.Create && int64(len(c.Data)) == c.Stamp.Size && sha256.Sum256(c.Data) == c.Stamp.SHA256
		if !c.Create && !s.noop && c.Stamp.Mode.Perm()&0o200 == 0 {
			return fmt.Errorf("%s: the file is read-only (mode %v); dockdoc does not change permissions to write it", c.Stamp.Path, c.Stamp.Mode.Perm())
		}
		steps = append(steps, s)
	}
	// Locks are taken in one order (by path), so two writers that both
	// write two files cannot each wait for the other.
	sort.Slice(steps, func(i, j int) bool { return steps[i].target < steps[j].target })
	var pending []*step
	for _, s := range steps {
		if !s.noop {
			pending = append(pending, s)
		}
	}
	if len(pending) == 0 {
		for _, s := range steps {
			if err := Check(fsys, s.Stamp); err != nil {
				return err
			}
		}
		return nil
	}
	t := begin(fsys)
	defer t.end()
	for _, s := range steps {
		if s.Create {
			continue
		}
		l, fi, err := fsys.Lock(s.target)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w (it was removed)", s.Stamp.Path, ErrChanged)
		}
		if err != nil {
			return fmt.Errorf("%s: %v; nothing written", s.Stamp.Path, err)
		}
		t.locks = append(t.locks, l)
		s.info = fi
	}
	if err := t.checkAll(steps, true); err != nil {
		return err
	}
	// Creations first: a file someone else created meanwhile is the
	// likeliest failure, and it is found before anything is replaced.
	sort.SliceStable(pending, func(i, j int) bool { return pending[i].Create && !pending[j].Create })
	for _, s := range pending {
		if err := t.prepare(s, len(pending) > 1); err != nil {
			return err
		}
	}
	// The last look, for writers that take no lock.
	if err := t.checkAll(steps, false); err != nil {
		return err
	}
	return t.commit(pending)
}

// txn is one WriteAll in progress: what it holds and what it must undo.
type txn struct {
	fsys  FS
	locks []io.Closer
	// mu guards temps and aborted; it is held while temporary files are
	// created and while the renames run, so that a signal (abort) comes
	// before a write's renames or after all of them.
	mu      sync.Mutex
	temps   map[string]bool
	aborted bool
}

func begin(fsys FS) *txn {
	t := &txn{fsys: fsys, temps: map[string]bool{}}
	watch(t)
	return t
}

// end removes what is left of the temporary files and releases the locks.
func (t *txn) end() {
	t.mu.Lock()
	t.removeTemps()
	t.mu.Unlock()
	for _, l := range t.locks {
		l.Close()
	}
	unwatch(t)
}

// abort is called when a signal arrives: no temporary file stays and no
// rename happens after it.
func (t *txn) abort() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.aborted = true
	t.removeTemps()
}

func (t *txn) removeTemps() {
	for name := range t.temps {
		_ = t.fsys.Remove(name)
		delete(t.temps, name)
	}
}

// checkAll checks every file against its stamp (and that each file to
// create is still absent). The first time, under the locks, it keeps each
// file's content for a rollback and refuses hard-linked files.
func (t *txn) checkAll(steps []*step, first bool) error {
	for _, s := range steps {
		if s.Create {
			if _, err := t.fsys.Lstat(s.target); !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("%s: %w (it was created by someone else)", s.Stamp.Path, ErrChanged)
			}
			continue
		}
		old, err := check(t.fsys, s.Stamp)
		if err != nil {
			return err
		}
		if !first || s.noop {
			continue
		}
		s.old = old
		if n := links(s.info); n > 1 {
			return fmt.Errorf("%s: %w (%d names share this file, and replacing it would leave the others with the old content); nothing written — copy it to a file of its own to let dockdoc write it", s.Stamp.Path, ErrHardLinked, n)
		}
	}
	return nil
}

// prepare writes s's new content to a temporary file beside it with the
// original's mode, owner and extended attributes, and, when the write has
// several files, its old content too, for a rollback.
func (t *txn) prepare(s *step, backup bool) error {
	var err error
	if s.tmp, err = t.temp(s, s.Data); err != nil {
		return err
	}
	if backup && !s.Create {
		if s.backup, err = t.temp(s, s.old); err != nil {
			return fmt.Errorf("%w (while keeping a copy of the original to restore it if a later file fails)", err)
		}
	}
	return nil
}

func (t *txn) temp(s *step, data []byte) (string, error) {
	path := s.Stamp.Path
	dir, base := filepath.Split(s.target)
	if dir == "" {
		dir = "."
	}
	t.mu.Lock()
	if t.aborted {
		t.mu.Unlock()
		return "", fmt.Errorf("%s: %w", path, ErrInterrupted)
	}
	f, err := t.fsys.CreateTemp(dir, "."+base+".dockdoc-*")
	if err == nil {
		t.temps[f.Name()] = true
	}
	t.mu.Unlock()
	if err != nil {
		return "", fmt.Errorf("%s: cannot create a temporary file next to it: %w", path, err)
	}
	if _, err = io.Copy(f, bytes.NewReader(data)); err != nil {
		f.Close()
		return "", fmt.Errorf("%s: writing failed, original left unchanged: %w", path, err)
	}
	mode := fs.FileMode(0o644)
	if s.info != nil {
		if err = keepOwner(t.fsys, f, s.info); err != nil {
			f.Close()
			return "", fmt.Errorf("%s: %v; nothing written", path, err)
		}
		mode = s.Stamp.Mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	}
	if err = f.Chmod(mode); err != nil {
		f.Close()
		return "", fmt.Errorf("%s: cannot keep the file mode: %w", path, err)
	}
	if s.info != nil {
		if err = copyXattrs(s.target, f.Name()); err != nil {
			f.Close()
			return "", fmt.Errorf("%s: %v; nothing written", path, err)
		}
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return "", fmt.Errorf("%s: syncing failed, original left unchanged: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return "", fmt.Errorf("%s: closing failed, original left unchanged: %w", path, err)
	}
	return f.Name(), nil
}

// keepOwner gives the temporary file the owner and group of the file it
// replaces, or says why it cannot.
func keepOwner(fsys FS, f File, orig fs.FileInfo) error {
	uid, gid, ok := owner(orig)
	if !ok {
		return nil
	}
	if fi, err := fsys.Stat(f.Name()); err == nil {
		if u, g, ok := owner(fi); ok && u == uid && g == gid {
			return nil
		}
	}
	if err := f.Chown(uid, gid); err != nil {
		return fmt.Errorf("it belongs to uid %d, gid %d, and dockdoc cannot give its replacement the same owner (%v)", uid, gid, err)
	}
	return nil
}

// commit renames the prepared files into place, all under t.mu; if one
// fails, the ones already in place are put back.
func (t *txn) commit(pending []*step) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.aborted {
		return fmt.Errorf("%s: %w", pending[0].Stamp.Path, ErrInterrupted)
	}
	for i, s := range pending {
		if err := t.place(s); err != nil {
			return fmt.Errorf("%w%s", err, t.rollback(pending[:i]))
		}
	}
	dirs := map[string]bool{}
	for _, s := range pending {
		if dir := filepath.Dir(s.target); !dirs[dir] {
			dirs[dir] = true
			_ = t.fsys.SyncDir(dir) // best effort: the data itself is synced
		}
	}
	return nil
}

// place puts one prepared file into place.
func (t *txn) place(s *step) error {
	if !s.Create {
		if err := t.fsys.Rename(s.tmp, s.target); err != nil {
			return fmt.Errorf("%s: replacing the file failed, original left unchanged: %w", s.Stamp.Path, err)
		}
		delete(t.temps, s.tmp)
		return nil
	}
	// A link fails if the name exists, so a file created meanwhile is
	// never replaced; where links are not supported, look, then rename.
	err := t.fsys.Link(s.tmp, s.target)
	if err == nil {
		_ = t.fsys.Remove(s.tmp) // the file keeps its new name only
		delete(t.temps, s.tmp)
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s: %w (it was created by someone else)", s.Stamp.Path, ErrChanged)
	}
	if _, err := t.fsys.Lstat(s.target); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w (it was created by someone else)", s.Stamp.Path, ErrChanged)
	}
	if err := t.fsys.Rename(s.tmp, s.target); err != nil {
		return fmt.Errorf("%s: cannot create it: %w", s.Stamp.Path, err)
	}
	delete(t.temps, s.tmp)
	return nil
}

// rollback undoes the steps already in place, last first, and says what
// it did, for the error message.
func (t *txn) rollback(done []*step) string {
	var msg string
	for i := len(done) - 1; i >= 0; i-- {
		s := done[i]
		var err error
		if s.Create {
			err = t.fsys.Remove(s.target)
		} else if err = t.fsys.Rename(s.backup, s.target); err == nil {
			delete(t.temps, s.backup)
		}
		if err != nil {
			msg += fmt.Sprintf("; %s had already been written and could not be put back (%v): it holds the new content", s.Stamp.Path, err)
		} else if s.Create {
			msg += fmt.Sprintf("; %s had already been created and was removed again", s.Stamp.Path)
		} else {
			msg += fmt.Sprintf("; %s had already been written and was restored to its previous content", s.Stamp.Path)
		}
	}
	return msg
}
