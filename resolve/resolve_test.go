package resolve

import (
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/dockdoc/dockdoc/resolve/registrytest"
)

// No test here reaches beyond loopback: every registry is an in-process
// go-containerregistry registry on 127.0.0.1, and the keychain is either
// anonymous or a Docker configuration written into a temporary directory.

// anonymous is a keychain that never finds credentials, so the tests do
// not read the developer's Docker configuration.
var anonymous = authn.NewMultiKeychain()

func TestResolveIndexDigest(t *testing.T) {
	host := registrytest.Start(t, nil).Host
	ref := host + "/test/app:1.0"
	want := registrytest.PushIndex(t, ref)
	got, err := Resolve(context.Background(), ref, Options{Keychain: anonymous})
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("digest %s, want the index digest %s", got, want)
	}
	// A reference that already names a digest needs no request.
	if d, err := Resolve(context.Background(), "127.0.0.1:1/x@"+want, Options{}); err != nil || d != want {
		t.Errorf("digest reference: %q %v", d, err)
	}
}

func TestResolveSinglePlatformImage(t *testing.T) {
	host := registrytest.Start(t, nil).Host
	ref, _ := name.ParseReference(host + "/test/single:2")
	img, err := random.Image(128, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	want, _ := img.Digest()
	got, err := Resolve(context.Background(), ref.String(), Options{Keychain: anonymous})
	if err != nil || got != want.String() {
		t.Errorf("got %q %v, want %s", got, err, want)
	}
}

func TestResolveMissingTagAndRepository(t *testing.T) {
	host := registrytest.Start(t, nil).Host
	registrytest.PushIndex(t, host+"/test/app:1.0")
	_, err := Resolve(context.Background(), host+"/test/app:9.9", Options{Keychain: anonymous})
	if err == nil || err.Error() != "tag 9.9 not found in "+host+"/test/app" {
		t.Errorf("missing tag: %v", err)
	}
	_, err = Resolve(context.Background(), host+"/test/nothing:1", Options{Keychain: anonymous})
	if err == nil || !strings.Contains(err.Error(), "not found") || !strings.Contains(err.Error(), host+"/test/nothing") {
		t.Errorf("missing repository: %v", err)
	}
	if _, err := Resolve(context.Background(), "Not A Ref", Options{}); err == nil || !strings.Contains(err.Error(), "not an image reference") {
		t.Errorf("bad reference: %v", err)
	}
}

func TestResolveUnreachableRegistry(t *testing.T) {
	host := registrytest.Closed(t) // nothing listens on the port any more
	start := time.Now()
	_, err := Resolve(context.Background(), host+"/test/app:1.0", Options{Keychain: anonymous, Timeout: 5 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "cannot connect to the registry "+host+": connection refused") {
		t.Errorf("closed server: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s, more than the timeout", d)
	}
}

// A registry that accepts the connection and never answers is a timeout,
// reported within the timeout, not a hang.
func TestResolveHangingRegistry(t *testing.T) {
	host := registrytest.Hanging(t)
	start := time.Now()
	_, err := Resolve(context.Background(), host+"/test/app:1.0", Options{Keychain: anonymous, Timeout: 300 * time.Millisecond})
	elapsed := time.Since(start)
	want := "timeout after 300ms: the registry " + host + " did not answer"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	if elapsed > 3*time.Second {
		t.Errorf("took %s with a 300ms timeout", elapsed)
	}
}

// The user's Docker credentials are used: a registry that demands basic
// authentication accepts the request when $DOCKER_CONFIG holds the login,
// and the refusal without it says how to log in.
func TestResolveUsesDockerCredentials(t *testing.T) {
	const user, pass = "dockdoc", "s3cret"
	authed := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if u, p, ok := r.BasicAuth(); !ok || u != user || p != pass {
				w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	host := registrytest.Start(t, authed).Host
	ref := host + "/private/app:1.0"
	want := registrytest.PushIndex(t, ref, remote.WithAuth(&authn.Basic{Username: user, Password: pass}))

	empty := t.TempDir()
	t.Setenv("DOCKER_CONFIG", empty)
	_, err := Resolve(context.Background(), ref, Options{})
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") || !strings.Contains(err.Error(), "docker login "+host) {
		t.Errorf("without credentials: %v", err)
	}

	dir := t.TempDir()
	cfg := `{"auths":{"` + host + `":{"auth":"` + base64.StdEncoding.EncodeToString([]byte(user+":"+pass)) + `"}}}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
	got, err := Resolve(context.Background(), ref, Options{}) // DefaultKeychain
	if err != nil || got != want {
		t.Errorf("with credentials: %q %v, want %s", got, err, want)
	}
}

// The Resolver asks once per distinct image, and once a registry is found
// dead it does not wait for it again.
func TestResolverCaches(t *testing.T) {
	var manifests atomic.Int32
	counting := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "/manifests/") && (r.Method == http.MethodHead || r.Method == http.MethodGet) {
				manifests.Add(1)
			}
			h.ServeHTTP(w, r)
		})
	}
	host := registrytest.Start(t, counting).Host
	want := registrytest.PushIndex(t, host+"/test/app:1.0")
	manifests.Store(0)
	res := NewResolver(context.Background(), Options{Keychain: anonymous})
	for i := 0; i < 3; i++ {
		for _, ref := range []string{host + "/test/app:1.0", host + "/test/app:2.0"} {
			d, err := res.Resolve(ref)
			if ref == host+"/test/app:1.0" && (err != nil || d != want) {
				t.Fatalf("%s: %q %v", ref, d, err)
			}
			if ref == host+"/test/app:2.0" && err == nil {
				t.Fatalf("%s: resolved to %s", ref, d)
			}
		}
	}
	// HEAD for 1.0; HEAD then GET (for the error body) for 2.0.
	if n := manifests.Load(); n != 3 {
		t.Errorf("%d manifest requests for two images asked three times each, want 3", n)
	}

	dead := registrytest.Closed(t)
	_, err1 := res.Resolve(dead + "/a:1")
	_, err2 := res.Resolve(dead + "/b:1")
	if err1 == nil || err2 == nil || !strings.Contains(err2.Error(), "connection refused") || !strings.Contains(err2.Error(), "earlier in this run") {
		t.Errorf("dead registry: %v / %v", err1, err2)
	}
}
