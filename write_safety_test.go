package main

// The writer's promises seen from the command line: two fix processes
// racing on one file lose nothing, a fix that edits two files writes both
// or neither, check --output never overwrites an input.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dockdoc/dockdoc/fixes"
)

// raceSrc has two findings with safe fixes on different lines; each
// racing process fixes one of them.
const raceSrc = "FROM python:3.12\nRUN apt-get update && apt-get install -y curl\nCMD python app.py\n"

var raceRules = [2]string{"DD002", "DD007"}

const raceChildEnv = "DOCKDOC_TEST_RACE_CHILD"

// TestFixRaceChild is one of TestFixRace's processes: for each line
// "RULE PATH" on stdin it runs dockdoc fix --rule RULE PATH and answers
// with one line: wrote, changed (refused: changed on disk) or what else
// happened.
func TestFixRaceChild(t *testing.T) {
	if os.Getenv(raceChildEnv) == "" {
		t.Skip("run by TestFixRace")
	}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		rule, path, _ := strings.Cut(in.Text(), " ")
		var out, errb bytes.Buffer
		c := &cli{stdout: &out, stderr: &errb, fsys: fixes.OS{}}
		code := c.dispatch([]string{"fix", "--rule", rule, path})
		switch e := errb.String(); {
		case code == exitClean || code == exitFindings && strings.Contains(e, "wrote 1 file"):
			fmt.Println("result: wrote")
		case code == exitError && strings.Contains(e, "changed on disk since it was read"):
			fmt.Println("result: changed")
		default:
			fmt.Printf("result: exit %d %q %q\n", code, out.String(), e)
		}
	}
}

// raceChild is a running TestFixRaceChild.
type raceChild struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	results chan string
}

func startRaceChild(t *testing.T) *raceChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFixRaceChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), raceChildEnv+"=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &raceChild{cmd: cmd, in: in, results: make(chan string, 1)}
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if r, ok := strings.CutPrefix(lines.Text(), "result: "); ok {
				c.results <- r
			}
		}
		close(c.results)
	}()
	t.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	return c
}

// TestFixRace runs two dockdoc processes, each fixing a different finding
// of the same file at the same moment, round after round. Whatever the
// interleaving, a process that says it wrote really did (its fix is in
// the file), the other either wrote after it or said the file changed on
// disk, and a reader looking at the file meanwhile only ever sees a
// whole file: the original, one fix or both.
func TestFixRace(t *testing.T) {
	const rounds = 300
	dir := t.TempDir()
	p := filepath.Join(dir, "Dockerfile")
	// The four files a reader may see, and the line each fix leaves.
	valid := map[string]bool{raceSrc: true}
	var fixed [2]string
	for i, rule := range raceRules {
		q := write(t, t.TempDir(), "Dockerfile", raceSrc)
		if code, out, errs := runCLI(t, nil, "fix", "--rule", rule, q); !strings.Contains(errs, "wrote 1 file") {
			t.Fatalf("fix --rule %s: exit %d\n%s%s", rule, code, out, errs)
		}
		b, _ := os.ReadFile(q)
		valid[string(b)] = true
		for _, l := range strings.Split(string(b), "\n") {
			if !strings.Contains(raceSrc, l+"\n") {
				fixed[i] = l
			}
		}
		runCLI(t, nil, "fix", "--rule", raceRules[1-i], q)
		b, _ = os.ReadFile(q)
		valid[string(b)] = true
	}
	if len(valid) != 4 || fixed[0] == "" || fixed[1] == "" {
		t.Fatalf("the two fixes do not make four distinct files: %v", valid)
	}

	kids := [2]*raceChild{startRaceChild(t), startRaceChild(t)}
	var torn atomic.Value
	var lost, refused int
	for round := 0; round < rounds; round++ {
		if err := os.WriteFile(p, []byte(raceSrc), 0o644); err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		var reader sync.WaitGroup
		reader.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if b, err := os.ReadFile(p); err == nil && !valid[string(b)] {
					torn.Store(string(b))
				}
				time.Sleep(100 * time.Microsecond)
			}
		})
		for i, k := range kids {
			fmt.Fprintf(k.in, "%s %s\n", raceRules[i], p)
		}
		var got [2]string
		for i, k := range kids {
			select {
			case r, ok := <-k.results:
				if !ok {
					t.Fatal("a fix process ended early")
				}
				got[i] = r
			case <-time.After(30 * time.Second):
				t.Fatalf("round %d: no answer from %s's process", round, raceRules[i])
			}
		}
		close(stop)
		reader.Wait()
		b, _ := os.ReadFile(p)
		for i, r := range got {
			switch r {
			case "wrote":
				if !strings.Contains(string(b), fixed[i]+"\n") {
					lost++
					t.Errorf("round %d: %s's process said it wrote, but its fix is not in the file:\n%s", round, raceRules[i], b)
				}
			case "changed":
				refused++
				if strings.Contains(string(b), fixed[i]+"\n") {
					t.Errorf("round %d: %s's process refused, yet its fix is in the file", round, raceRules[i])
				}
			default:
				t.Fatalf("round %d: %s's process: %s", round, raceRules[i], r)
			}
		}
		if got[0] != "wrote" && got[1] != "wrote" {
			t.Errorf("round %d: neither process wrote", round)
		}
		if s, ok := torn.Load().(string); ok {
			t.Fatalf("round %d: a reader saw a file that is neither the old nor a new one: %q", round, s)
		}
	}
	t.Logf("%d rounds: %d refused as changed on disk, %d lost", rounds, refused, lost)
}

// renameFailFS fails every rename onto one path.
type renameFailFS struct {
	fixes.OS
	onto string
}

func (f renameFailFS) Rename(a, b string) error {
	if b == f.onto {
		return errors.New("input/output error")
	}
	return os.Rename(a, b)
}

// A fix that edits the Dockerfile and creates .dockerignore writes both
// or neither.
func TestFixWritesBothFilesOrNeither(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "Dockerfile", "FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD python app.py\n")
	write(t, dir, "app.py", "")
	code, out, errs := runCLI(t, &cli{fsys: renameFailFS{onto: p}}, "fix", "--unsafe", "--rule", "DD028,DD002", p)
	if code != exitError || !strings.Contains(errs, "replacing the file failed") || !strings.Contains(errs, ".dockerignore had already been created and was removed again") {
		t.Errorf("exit %d:\n%s%s", code, out, errs)
	}
	if b, _ := os.ReadFile(p); !strings.Contains(string(b), "CMD python app.py") {
		t.Errorf("the Dockerfile was written:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(dir, ".dockerignore")); err == nil {
		t.Error(".dockerignore was left behind")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*dockdoc-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// Without the failure, both are written.
	code, out, errs = runCLI(t, nil, "fix", "--unsafe", "--rule", "DD028,DD002", p)
	b, _ := os.ReadFile(p)
	ig, err := os.ReadFile(filepath.Join(dir, ".dockerignore"))
	if code == exitError || err != nil || strings.Contains(string(b), "CMD python app.py") || !strings.Contains(string(ig), ".git") {
		t.Errorf("exit %d, .dockerignore %q (%v), Dockerfile:\n%s\n%s%s", code, ig, err, b, out, errs)
	}
}

// check --output refuses a file it reads, however it is named.
func TestCheckOutputRefusesAnInput(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "Dockerfile", dirty)
	cfg := write(t, dir, "dockdoc.yaml", "")
	link := filepath.Join(dir, "report.txt")
	if err := os.Symlink(p, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.txt")
	if err := os.Link(p, hard); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		args   []string
		victim string
	}{
		{"the Dockerfile", []string{"check", "-o", p, p}, p},
		{"another spelling", []string{"check", "--output", filepath.Join(dir, ".", "Dockerfile"), p}, p},
		{"found in a directory", []string{"check", "-f", "sarif", "-o", p, dir}, p},
		{"a symlink to it", []string{"check", "-o", link, p}, p},
		{"a hard link to it", []string{"check", "-o", hard, p}, p},
		{"when another path is missing", []string{"check", "-f", "json", "-o", p, p, filepath.Join(dir, "missing")}, p},
		{"the configuration", []string{"check", "--config", cfg, "-o", cfg, p}, cfg},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := os.ReadFile(c.victim)
			code, _, errs := runCLI(t, nil, c.args...)
			if code != exitError || !strings.Contains(errs, "which check reads; refusing to overwrite it") {
				t.Errorf("exit %d: %s", code, errs)
			}
			if after, _ := os.ReadFile(c.victim); !bytes.Equal(before, after) {
				t.Errorf("%s was overwritten:\n%s", c.victim, after)
			}
		})
	}
	// A new file, or one that is not an input, is written as before.
	out := filepath.Join(dir, "out", "report.sarif")
	os.Mkdir(filepath.Dir(out), 0o755)
	for range 2 {
		if code, _, errs := runCLI(t, nil, "check", "-f", "sarif", "-o", out, p); code != exitFindings {
			t.Errorf("exit %d: %s", code, errs)
		}
	}
	if b, _ := os.ReadFile(out); !bytes.Contains(b, []byte(`"version": "2.1.0"`)) {
		t.Errorf("report:\n%s", b)
	}
}
