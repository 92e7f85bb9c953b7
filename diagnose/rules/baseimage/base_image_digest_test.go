package baseimage

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/dockdoc/dockdoc/resolve"
	"github.com/dockdoc/dockdoc/resolve/registrytest"
)

const fakeDigest = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

// fakeResolver answers from a table and counts the questions.
type fakeResolver struct {
	digests map[string]string
	asked   map[string]int
}

func (f *fakeResolver) resolve(img string) (string, error) {
	f.asked[img]++
	if d, ok := f.digests[img]; ok {
		return d, nil
	}
	return "", errors.New("tag not found")
}

func TestDD095WithResolver(t *testing.T) {
	src := `ARG BASE=alpine:3.20
FROM scratch AS empty
FROM registry.example/team/base:1.4 AS build
RUN make
FROM build AS again
FROM ${BASE}
FROM alpine:3.20@` + fakeDigest + `
FROM python
FROM node:latest
FROM registry.example/team/base:1.4
FROM registry.example/team/missing:2
FROM registry.example/team/bad:1
`
	fr := &fakeResolver{
		digests: map[string]string{
			"registry.example/team/base:1.4": fakeDigest,
			"registry.example/team/bad:1":    "latest", // a resolver that answers nonsense is not believed
		},
		asked: map[string]int{},
	}
	opts := diagnose.Options{Only: []string{"DD095"}, Resolve: fr.resolve}
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := ruletest.FormatFindings(diagnose.Run(doc, opts))
	want := `3:6-3:36 DD095 base image "registry.example/team/base:1.4" is not pinned by digest: the tag can be moved to other content at any time; it points to sha256:9f86d081884c now
  fix (safe): Pin registry.example/team/base:1.4 to its current digest sha256:9f86d081884c
8:6-8:12 DD095 base image "python" is not pinned by digest, and it names no version: choose a version tag first (DD001), then pin its digest
9:6-9:17 DD095 base image "node:latest" is not pinned by digest, and it names no version: choose a version tag first (DD001), then pin its digest
10:6-10:36 DD095 base image "registry.example/team/base:1.4" is not pinned by digest: the tag can be moved to other content at any time; it points to sha256:9f86d081884c now
  fix (safe): Pin registry.example/team/base:1.4 to its current digest sha256:9f86d081884c
11:6-11:37 DD095 base image "registry.example/team/missing:2" is not pinned by digest; could not resolve its digest: tag not found
12:6-12:33 DD095 base image "registry.example/team/bad:1" is not pinned by digest; could not resolve its digest: the resolver gave "latest", which is not a sha256 digest
`
	if got != want {
		t.Errorf("findings:\n%s\nwant:\n%s", got, want)
	}
	for img, n := range fr.asked {
		if n != 1 {
			t.Errorf("%s asked %d times in one run", img, n)
		}
	}
	if _, ok := fr.asked["python"]; ok || len(fr.asked) != 3 {
		t.Errorf("asked %v; want only the three tagged registry images", fr.asked)
	}

	res, err := diagnose.FixAll("Dockerfile", []byte(src), opts, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	wantOut := strings.ReplaceAll(src, "FROM registry.example/team/base:1.4", "FROM registry.example/team/base:1.4@"+fakeDigest)
	if string(res.Out) != wantOut {
		t.Errorf("fixed:\n%s", fixes.Unified("Dockerfile", []byte(src), res.Out))
	}
	if again, _ := diagnose.FixAll("Dockerfile", res.Out, opts, fixes.Safe); string(again.Out) != string(res.Out) {
		t.Error("fixing the pinned file changed it again")
	}
}

// Without a resolver the rule is silent, even when the configuration or
// --rule asks for it: dockdoc makes no request unless told to.
func TestDD095OfflineBySilence(t *testing.T) {
	src := []byte("FROM registry.example/team/base:1.4\nFROM python\n")
	for _, opts := range []diagnose.Options{
		{Only: []string{"DD095"}},
		{Config: &diagnose.Config{Enabled: []string{"base-image-digest"}}},
	} {
		doc, _ := diagnose.Parse("Dockerfile", src)
		for _, f := range diagnose.Run(doc, opts) {
			if f.Rule.Code == "DD095" {
				t.Errorf("offline run reported %s", f.Message)
			}
		}
	}
	// Optional: a resolver alone does not turn it on (dockdoc --resolve
	// enables it explicitly).
	called := false
	doc, _ := diagnose.Parse("Dockerfile", src)
	for _, f := range diagnose.Run(doc, diagnose.Options{Resolve: func(string) (string, error) { called = true; return fakeDigest, nil }}) {
		if f.Rule.Code == "DD095" {
			t.Errorf("DD095 ran without being enabled: %s", f.Message)
		}
	}
	if called {
		t.Error("the resolver was called while DD095 was off")
	}
}

// End to end against an in-process registry on loopback: the fix writes
// the digest of the multi-platform index the test pushed.
func TestDD095AgainstLoopbackRegistry(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", t.TempDir()) // no credentials of the developer's
	reg := registrytest.Start(t, nil)
	ref := reg.Host + "/test/app:1.0"
	digest := registrytest.PushIndex(t, ref)
	closed := registrytest.Closed(t)
	hanging := registrytest.Hanging(t)

	src := "FROM " + ref + " AS app\n" +
		"FROM " + reg.Host + "/test/app:2.0 AS missing\n" +
		"FROM " + closed + "/test/app:1.0 AS down\n" +
		"FROM " + hanging + "/test/app:1.0 AS slow\n" +
		"FROM " + ref + "\n"
	r := resolve.NewResolver(context.Background(), resolve.Options{Timeout: 500 * time.Millisecond})
	opts := diagnose.Options{Only: []string{"DD095"}, Resolve: r.Resolve}
	start := time.Now()
	res, err := diagnose.FixAll("Dockerfile", []byte(src), opts, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s with a 500ms timeout", d)
	}
	want := "FROM " + ref + "@" + digest + " AS app\n" +
		"FROM " + reg.Host + "/test/app:2.0 AS missing\n" +
		"FROM " + closed + "/test/app:1.0 AS down\n" +
		"FROM " + hanging + "/test/app:1.0 AS slow\n" +
		"FROM " + ref + "@" + digest + "\n"
	if string(res.Out) != want {
		t.Errorf("fixed:\n%s", fixes.Unified("Dockerfile", []byte(src), res.Out))
	}
	msgs := map[int]string{}
	for _, f := range res.Remaining {
		msgs[f.Line] = f.Message
		if len(f.Fixes) > 0 {
			t.Errorf("line %d: a failed resolution offers a fix: %s", f.Line, f.Fixes[0].Title)
		}
	}
	wantMsgs := map[int]string{
		2: `base image "` + reg.Host + `/test/app:2.0" is not pinned by digest; could not resolve its digest: tag 2.0 not found in ` + reg.Host + `/test/app`,
		3: `base image "` + closed + `/test/app:1.0" is not pinned by digest; could not resolve its digest: cannot connect to the registry ` + closed + `: connection refused (is the address right, and is the registry running?)`,
		4: `base image "` + hanging + `/test/app:1.0" is not pinned by digest; could not resolve its digest: timeout after 500ms: the registry ` + hanging + ` did not answer`,
	}
	for line, m := range wantMsgs {
		if msgs[line] != m {
			t.Errorf("line %d:\n got %q\nwant %q", line, msgs[line], m)
		}
	}
	if len(res.Remaining) != len(wantMsgs) {
		t.Errorf("%d findings remain, want %d", len(res.Remaining), len(wantMsgs))
	}
}

// When another rule rewrites the tag in the same round (DD001 pinning
// python:slim to a version), DD095's edit overlaps it, so the two never
// combine into a new tag with the old tag's digest: the digest pinned is
// the one of the tag that ends up in the file.
func TestDD095NeverPinsAnotherTagsDigest(t *testing.T) {
	v := images.NewestStable["python"]
	other := "sha256:" + strings.Repeat("ab", 32)
	fr := &fakeResolver{
		digests: map[string]string{"python:slim": fakeDigest, "python:" + v + "-slim": other},
		asked:   map[string]int{},
	}
	opts := diagnose.Options{Only: []string{"DD001", "DD095"}, Resolve: fr.resolve}
	res, err := diagnose.FixAll("Dockerfile", []byte("FROM python:slim\n"), opts, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if want := "FROM python:" + v + "-slim@" + other + "\n"; string(res.Out) != want {
		t.Errorf("got %q, want %q", res.Out, want)
	}
	// Safe fixes only: DD001's unsafe pin is not applied, DD095 pins the
	// tag as written.
	res, _ = diagnose.FixAll("Dockerfile", []byte("FROM python:slim\n"), opts, fixes.Safe)
	if want := "FROM python:slim@" + fakeDigest + "\n"; string(res.Out) != want {
		t.Errorf("safe: got %q, want %q", res.Out, want)
	}
}
