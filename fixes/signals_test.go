//go:build unix

package fixes

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// stallFS is a file system on which a write stalls after its temporary
// file is written: it says so on stdout and waits, so that the test can
// signal the process mid-write.
type stallFS struct{ OS }

type stallFile struct{ *os.File }

func (f stallFile) Sync() error {
	fmt.Println("stalled", f.Name())
	time.Sleep(time.Minute)
	return f.File.Sync()
}

func (stallFS) CreateTemp(dir, pattern string) (File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return stallFile{f}, nil
}

const signalChildEnv = "DOCKDOC_TEST_SIGNAL_CHILD"

// TestSignalChild is the process TestSignalMidWrite signals: it writes
// the file named in its environment on a stalling file system.
func TestSignalChild(t *testing.T) {
	p := os.Getenv(signalChildEnv)
	if p == "" {
		t.Skip("run by TestSignalMidWrite")
	}
	_, st, err := ReadFile(OS{}, p)
	if err != nil {
		t.Fatal(err)
	}
	err = WriteAtomic(stallFS{}, st, []byte("FROM new\n"))
	fmt.Println("write returned:", err)
}

// A signal in the middle of a write removes the temporary file, leaves the
// original as it was, and ends the process as the signal would have.
func TestSignalMidWrite(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "Dockerfile")
			os.WriteFile(p, []byte("FROM old\n"), 0o644)
			cmd := exec.Command(os.Args[0], "-test.run=^TestSignalChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), signalChildEnv+"="+p)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(out)
			var tmp string
			for lines.Scan() {
				if name, ok := strings.CutPrefix(lines.Text(), "stalled "); ok {
					tmp = name
					break
				}
				t.Log("child:", lines.Text())
			}
			if tmp == "" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatal("the child never got to the middle of its write")
			}
			if _, err := os.Stat(tmp); err != nil {
				t.Fatalf("no temporary file mid-write: %v", err)
			}
			cmd.Process.Signal(sig)
			for lines.Scan() {
				t.Log("child:", lines.Text())
			}
			err = cmd.Wait()
			ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if !ok || !ws.Signaled() || ws.Signal() != sig {
				t.Errorf("the child did not end by %v: %v", sig, err)
			}
			if got := readString(t, p); got != "FROM old\n" {
				t.Errorf("original = %q", got)
			}
			noTemps(t, dir)
		})
	}
}
