package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dockdoc/dockdoc/resolve/registrytest"
)

// Every registry here is go-containerregistry's in-process registry on
// 127.0.0.1, or a closed loopback port: the tests never reach the
// internet, and DOCKER_CONFIG points at an empty directory so the
// developer's credentials are not read.

func TestFixResolvePinsIndexDigest(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	reg := registrytest.Start(t, nil)
	ref := reg.Host + "/test/app:1.0"
	digest := registrytest.PushIndex(t, ref)
	p := write(t, t.TempDir(), "Dockerfile", "FROM "+ref+"\nUSER 65532\nCMD [\"sh\"]\n")

	code, out, errs := runCLI(t, nil, "check", "--resolve", p)
	if code != exitFindings || !strings.Contains(out, "DD095 info: base image \""+ref+"\" is not pinned by digest") ||
		!strings.Contains(out, "points to "+digest[:len("sha256:")+12]+" now [*]") {
		t.Errorf("check --resolve: exit %d\n%s%s", code, out, errs)
	}

	code, out, errs = runCLI(t, nil, "fix", "--resolve", p)
	if code != exitClean || !strings.Contains(out, "DD095 fixed: Pin "+ref+" to its current digest") {
		t.Errorf("fix --resolve: exit %d\n%s%s", code, out, errs)
	}
	b, _ := os.ReadFile(p)
	if want := "FROM " + ref + "@" + digest + "\nUSER 65532\nCMD [\"sh\"]\n"; string(b) != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", b, want)
	}
	if code, out, errs := runCLI(t, nil, "check", "--resolve", p); code != exitClean || strings.Contains(out, "DD095") {
		t.Errorf("check --resolve after fixing: exit %d\n%s%s", code, out, errs)
	}
}

// Without --resolve no request is made, even when the configuration
// enables DD095.
func TestNoNetworkWithoutResolve(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	reg := registrytest.Start(t, nil)
	ref := reg.Host + "/test/app:1.0"
	registrytest.PushIndex(t, ref)
	before := reg.Requests()
	dir := t.TempDir()
	p := write(t, dir, "Dockerfile", "FROM "+ref+"\nUSER 65532\nCMD [\"sh\"]\n")
	write(t, dir, ".dockdoc.yaml", "enable: [DD095]\n")
	for _, args := range [][]string{
		{"check", p},
		{"check", "--rule", "DD095", p},
		{"fix", p},
		{"fix", "--unsafe", "--rule", "DD095", p},
	} {
		code, out, errs := runCLI(t, nil, args...)
		if code != exitClean || strings.Contains(out, "DD095") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errs)
		}
	}
	if n := reg.Requests() - before; n != 0 {
		t.Errorf("%d requests reached the registry without --resolve", n)
	}
	// --resolve with a --rule that leaves DD095 out says so.
	if _, _, errs := runCLI(t, nil, "check", "--resolve", "--rule", "DD001", p); !strings.Contains(errs, "--rule leaves out") {
		t.Errorf("--resolve --rule DD001: %s", errs)
	}
}

// A registry that cannot be reached is a message on the finding, fast,
// and the file is left alone.
func TestFixResolveUnreachableRegistry(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	host := registrytest.Closed(t)
	src := "FROM " + host + "/test/app:1.0\nUSER 65532\nCMD [\"sh\"]\n"
	p := write(t, t.TempDir(), "Dockerfile", src)
	start := time.Now()
	code, out, errs := runCLI(t, nil, "fix", "--resolve", p)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
	want := "could not resolve its digest: cannot connect to the registry " + host + ": connection refused"
	if code != exitFindings || !strings.Contains(out, want) || !strings.Contains(errs, "Applied 0 fixes") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if b, _ := os.ReadFile(p); string(b) != src {
		t.Errorf("file changed:\n%s", b)
	}
}
