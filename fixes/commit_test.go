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

// noTemps fails the test if a temporary file of the writer is left in dir.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(dir, ".*dockdoc-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func readString(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

// renameFailFS fails the rename onto one path, and the rename back of
// the others when failRestore is set.
type renameFailFS struct {
	OS
	failOnto    string
	failRestore bool
	renames     *[]string
}

func (f renameFailFS) Rename(a, b string) error {
	if b == f.failOnto {
		return errors.New("rename failed: input/output error")
	}
	*f.renames = append(*f.renames, b)
	if f.failRestore && len(*f.renames) > 1 {
		return errors.New("rename failed: device busy")
	}
	return os.Rename(a, b)
}

// twoFiles sets up a Dockerfile and a .dockerignore (created when
// existing is false) and returns their changes.
func twoFiles(t *testing.T, fsys FS, existing bool) (dir string, changes []Change) {
	t.Helper()
	dir = t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	di := filepath.Join(dir, ".dockerignore")
	os.WriteFile(df, []byte("FROM a\n"), 0o644)
	if existing {
		os.WriteFile(di, []byte(".git\n"), 0o600)
	}
	_, st, err := ReadFile(fsys, df)
	if err != nil {
		t.Fatal(err)
	}
	before := []byte(nil)
	if existing {
		before = []byte(".git\n")
	}
	other, err := OtherChange(fsys, di, before, !existing, []byte(".git\n.venv\n"))
	if err != nil {
		t.Fatal(err)
	}
	return dir, []Change{{Stamp: st, Data: []byte("FROM b\n")}, other}
}

func TestWriteAllWritesBoth(t *testing.T) {
	for _, existing := range []bool{true, false} {
		dir, changes := twoFiles(t, OS{}, existing)
		if err := WriteAll(OS{}, changes); err != nil {
			t.Fatal(err)
		}
		if got := readString(t, filepath.Join(dir, "Dockerfile")); got != "FROM b\n" {
			t.Errorf("Dockerfile = %q", got)
		}
		if got := readString(t, filepath.Join(dir, ".dockerignore")); got != ".git\n.venv\n" {
			t.Errorf(".dockerignore = %q", got)
		}
		if fi, _ := os.Stat(filepath.Join(dir, ".dockerignore")); existing && fi.Mode().Perm() != 0o600 {
			t.Errorf(".dockerignore mode %v, want 0600 kept", fi.Mode().Perm())
		}
		noTemps(t, dir)
	}
}

// A failure after the first rename puts the first file back and says so.
func TestWriteAllBothOrNeither(t *testing.T) {
	for _, existing := range []bool{true, false} {
		var renames []string
		fsys := renameFailFS{renames: &renames}
		dir, changes := twoFiles(t, fsys, existing)
		fsys.failOnto = filepath.Join(dir, "Dockerfile")
		err := WriteAll(fsys, changes)
		want := "was restored to its previous content"
		if !existing {
			want = "had already been created and was removed again"
		}
		if err == nil || !strings.Contains(err.Error(), "replacing the file failed") || !strings.Contains(err.Error(), want) {
			t.Fatalf("existing=%v: err = %v, want the failure and %q", existing, err, want)
		}
		if got := readString(t, filepath.Join(dir, "Dockerfile")); got != "FROM a\n" {
			t.Errorf("Dockerfile = %q", got)
		}
		di := filepath.Join(dir, ".dockerignore")
		if _, err := os.Stat(di); !existing && !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the created .dockerignore was not removed: %v", err)
		}
		if got := readString(t, di); existing && got != ".git\n" {
			t.Errorf(".dockerignore = %q", got)
		}
		if fi, err := os.Stat(filepath.Join(dir, ".dockerignore")); existing && (err != nil || fi.Mode().Perm() != 0o600) {
			t.Errorf("restored .dockerignore: %v %v", fi, err)
		}
		noTemps(t, dir)
	}
}

// When putting the first file back fails too, the error says what each
// file now holds.
func TestWriteAllSaysWhenRestoringFails(t *testing.T) {
	var renames []string
	fsys := renameFailFS{renames: &renames, failRestore: true}
	dir, changes := twoFiles(t, fsys, true)
	fsys.failOnto = filepath.Join(dir, "Dockerfile")
	err := WriteAll(fsys, changes)
	if err == nil || !strings.Contains(err.Error(), "could not be put back") || !strings.Contains(err.Error(), "it holds the new content") {
		t.Fatalf("err = %v", err)
	}
	if got := readString(t, filepath.Join(dir, "Dockerfile")); got != "FROM a\n" {
		t.Errorf("Dockerfile = %q", got)
	}
	noTemps(t, dir)
}

// A stamp that no longer holds, on either file, writes neither.
func TestWriteAllChecksEveryFileFirst(t *testing.T) {
	for _, c := range []struct {
		name     string
		existing bool
		change   func(dir string)
	}{
		{"the other file was edited", true, func(dir string) {
			os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("*.log\n"), 0o600)
		}},
		{"the other file was created", false, func(dir string) {
			os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("*.log\n"), 0o600)
		}},
		{"the Dockerfile was edited", true, func(dir string) {
			os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM z\n"), 0o644)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, changes := twoFiles(t, OS{}, c.existing)
			time.Sleep(time.Millisecond) // a later modification time
			c.change(dir)
			wantDF, wantDI := readString(t, filepath.Join(dir, "Dockerfile")), readString(t, filepath.Join(dir, ".dockerignore"))
			if err := WriteAll(OS{}, changes); !errors.Is(err, ErrChanged) {
				t.Fatalf("err = %v, want ErrChanged", err)
			}
			if got := readString(t, filepath.Join(dir, "Dockerfile")); got != wantDF {
				t.Errorf("Dockerfile = %q", got)
			}
			if got := readString(t, filepath.Join(dir, ".dockerignore")); got != wantDI {
				t.Errorf(".dockerignore = %q", got)
			}
			noTemps(t, dir)
		})
	}
}

// A file with two names is refused: a rename would cut the other name
// off with the old content.
func TestWriteAtomicRefusesHardLinks(t *testing.T) {
	p := writeTemp(t, "Dockerfile", "FROM a\n", 0o644)
	other := filepath.Join(filepath.Dir(p), "Dockerfile.copy")
	if err := os.Link(p, other); err != nil {
		t.Skip("no hard links here:", err)
	}
	_, st, err := ReadFile(OS{}, p)
	if err != nil {
		t.Fatal(err)
	}
	err = WriteAtomic(OS{}, st, []byte("FROM b\n"))
	if !errors.Is(err, ErrHardLinked) || !strings.Contains(err.Error(), "2 names share this file") {
		t.Fatalf("err = %v, want ErrHardLinked", err)
	}
	if readString(t, p) != "FROM a\n" || readString(t, other) != "FROM a\n" {
		t.Error("a hard-linked file was written")
	}
	noTemps(t, filepath.Dir(p))
	// Given a name of its own, it is written.
	os.Remove(other)
	_, st, _ = ReadFile(OS{}, p)
	if err := WriteAtomic(OS{}, st, []byte("FROM b\n")); err != nil {
		t.Fatal(err)
	}
}

// ownerFS fails every chown.
type ownerFS struct{ OS }

type noChownFile struct{ *os.File }

func (noChownFile) Chown(int, int) error { return fs.ErrPermission }

func (ownerFS) CreateTemp(dir, pattern string) (File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return noChownFile{f}, nil
}

func TestWriteAtomicKeepsOwnerOrRefuses(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the file another owner")
	}
	p := writeTemp(t, "Dockerfile", "FROM a\n", 0o644)
	if err := os.Chown(p, 1234, 2345); err != nil {
		t.Fatal(err)
	}
	_, st, _ := ReadFile(OS{}, p)
	if err := WriteAtomic(ownerFS{}, st, []byte("FROM b\n")); err == nil || !strings.Contains(err.Error(), "uid 1234, gid 2345") {
		t.Fatalf("err = %v, want a refusal naming the owner", err)
	}
	if readString(t, p) != "FROM a\n" {
		t.Error("written without its owner")
	}
	noTemps(t, filepath.Dir(p))
	if err := WriteAtomic(OS{}, st, []byte("FROM b\n")); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if uid, gid, _ := owner(fi); uid != 1234 || gid != 2345 || readString(t, p) != "FROM b\n" {
		t.Errorf("owner %d:%d, content %q", uid, gid, readString(t, p))
	}
}

// The lock: a writer waits for the one holding it, then finds the file
// replaced under it and refuses, instead of renaming over the new file.
func TestWriterWaitsForTheLockAndSeesTheChange(t *testing.T) {
	p := writeTemp(t, "Dockerfile", "FROM a\n", 0o644)
	_, st, _ := ReadFile(OS{}, p)
	l, _, err := OS{}.Lock(p)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- WriteAtomic(OS{}, st, []byte("FROM second\n")) }()
	select {
	case err := <-done:
		t.Fatalf("the second writer did not wait for the lock: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	// The holder replaces the file, as its write would, then unlocks.
	tmp := p + ".new"
	os.WriteFile(tmp, []byte("FROM first\n"), 0o644)
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
	l.Close()
	if err := <-done; !errors.Is(err, ErrChanged) {
		t.Fatalf("second writer: %v, want ErrChanged", err)
	}
	if got := readString(t, p); got != "FROM first\n" {
		t.Errorf("file = %q: the first write was lost", got)
	}
	noTemps(t, filepath.Dir(p))
}

// Each write releases its lock: the next write and a lock taken after
// them do not wait.
func TestLockIsReleased(t *testing.T) {
	p := writeTemp(t, "Dockerfile", "FROM a\n", 0o644)
	for i := range 3 {
		_, st, _ := ReadFile(OS{}, p)
		if err := WriteAtomic(OS{}, st, []byte("FROM "+string(rune('b'+i))+"\n")); err != nil {
			t.Fatal(err)
		}
	}
	l, _, err := OS{}.Lock(p)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if got := readString(t, p); got != "FROM d\n" {
		t.Errorf("file = %q", got)
	}
}
