// Package resolve asks a container registry which digest an image tag
// points to, so that dockdoc fix --resolve can pin a base image as
// image:tag@sha256:... (rule DD095, base-image-digest).
//
// It is the only part of dockdoc that touches the network, and only when
// the user asks for it: the diagnose package never imports it, it receives
// a plain function (diagnose.Options.Resolve), and without --resolve that
// function is nil and no request is made.
//
// Why a dependency: talking to registries correctly is a protocol of its
// own (the OCI distribution API, bearer-token and basic authentication
// challenges, Docker Hub's name normalisation, manifest-list and OCI-index
// media types, credential helpers and the Docker configuration file).
// github.com/google/go-containerregistry implements all of it, is the
// library crane, ko and many scanners are built on, and its
// authn.DefaultKeychain reads the user's Docker credentials
// ($DOCKER_CONFIG/config.json and the credential helpers it names) exactly
// as the docker CLI does. It also ships an in-process registry
// (pkg/registry) that the tests use on loopback, so they never reach the
// internet. Writing this by hand would be more code than dockdoc's whole
// fix engine, and less correct.
package resolve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// DefaultTimeout bounds one resolution (every request it makes, the token
// exchange and retries included). A registry that does not answer in time
// is reported, never waited for.
const DefaultTimeout = 10 * time.Second

// Options configures resolution. The zero value is what the CLI uses.
type Options struct {
	// Timeout bounds each resolution; 0 means DefaultTimeout.
	Timeout time.Duration
	// Keychain finds credentials for a registry; nil means
	// authn.DefaultKeychain (the user's Docker configuration and
	// credential helpers).
	Keychain authn.Keychain
	// Transport sends the requests; nil means an HTTP transport whose
	// dial, TLS handshake and response-header timeouts are Timeout.
	Transport http.RoundTripper
	// UserAgent is sent with each request; "" means "dockdoc".
	UserAgent string
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

// Error is a resolution failure: Reason is a sentence for a person
// ("timeout after 10s: the registry 127.0.0.1:5000 did not answer"), Err
// the underlying error.
type Error struct {
	Ref      string // the reference as given
	Registry string // the registry host it names ("" when it does not parse)
	Reason   string
	Err      error
	// network is true for failures of the registry itself (unreachable,
	// timeout): other images on the same registry would fail the same way.
	network bool
}

func (e *Error) Error() string { return e.Reason }
func (e *Error) Unwrap() error { return e.Err }

// digestRe is the form of a digest dockdoc writes into a Dockerfile.
var digestRe = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// Resolve returns the digest the tag of ref points to now, as the
// registry reports it: for a multi-platform image, the digest of its index
// (manifest list), which keeps every platform buildable; for a
// single-platform image, the digest of its manifest. A reference that
// already names a digest is returned without a request. Failures are
// *Error values whose text is meant for the user.
func Resolve(ctx context.Context, ref string, opts Options) (string, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return "", &Error{Ref: ref, Reason: fmt.Sprintf("%q is not an image reference the registry API accepts (%v)", ref, err), Err: err}
	}
	if d, ok := r.(name.Digest); ok {
		return d.DigestStr(), nil
	}
	timeout := opts.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	keychain := opts.Keychain
	if keychain == nil {
		keychain = authn.DefaultKeychain
	}
	rt := opts.Transport
	if rt == nil {
		rt = newTransport(timeout)
	}
	ua := opts.UserAgent
	if ua == "" {
		ua = "dockdoc"
	}
	ropts := []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(keychain),
		remote.WithTransport(rt),
		remote.WithUserAgent(ua),
		// One quick retry for a flaky 5xx or 429; the context bounds the
		// total anyway.
		remote.WithRetryBackoff(remote.Backoff{Duration: 200 * time.Millisecond, Factor: 2, Steps: 2}),
	}

	// HEAD reads the registry's Docker-Content-Digest header without
	// downloading the manifest. Some registries answer HEAD badly (no
	// digest header, 405): GET then reads the manifest, whose sha256 is
	// the digest. GET also carries the error body a HEAD lacks.
	var digest string
	desc, err := remote.Head(r, ropts...)
	if err == nil {
		digest = desc.Digest.String()
	} else if ctx.Err() == nil && !isNetwork(err) {
		var full *remote.Descriptor
		full, err = remote.Get(r, ropts...)
		if err == nil {
			digest = full.Digest.String()
		}
	}
	if err != nil {
		return "", describe(ctx, ref, r, timeout, err)
	}
	if !digestRe.MatchString(digest) {
		return "", &Error{Ref: ref, Registry: r.Context().RegistryStr(),
			Reason: fmt.Sprintf("the registry %s gave %q, which is not a sha256 digest", r.Context().RegistryStr(), digest)}
	}
	return digest, nil
}

// newTransport is go-containerregistry's default transport with every
// network step bounded by the timeout, so that even a caller that forgets
// the context cannot hang on a dead registry.
func newTransport(timeout time.Duration) http.RoundTripper {
	t := remote.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = timeout
	t.ResponseHeaderTimeout = timeout
	return t
}

// isNetwork reports whether err means the registry could not be talked to
// at all (as opposed to an HTTP answer).
func isNetwork(err error) bool {
	var te *transport.Error
	if errors.As(err, &te) {
		return false
	}
	var ne net.Error
	var dns *net.DNSError
	var op *net.OpError
	return errors.As(err, &dns) || errors.As(err, &op) || (errors.As(err, &ne) && ne.Timeout()) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ECONNREFUSED)
}

// describe turns a go-containerregistry error into a sentence that says
// what went wrong and what to do.
func describe(ctx context.Context, ref string, r name.Reference, timeout time.Duration, err error) *Error {
	host := r.Context().RegistryStr()
	repo := r.Context().String()
	e := &Error{Ref: ref, Registry: host, Err: err}
	var te *transport.Error
	var dns *net.DNSError
	var ne net.Error
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	var badCert x509.CertificateInvalidError
	var tlsHeader tls.RecordHeaderError
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		e.network = true
		e.Reason = fmt.Sprintf("timeout after %s: the registry %s did not answer", timeout, host)
	case errors.As(err, &te):
		e.Reason = httpReason(te, host, repo, r.Identifier())
	case errors.Is(err, syscall.ECONNREFUSED):
		e.network = true
		e.Reason = fmt.Sprintf("cannot connect to the registry %s: connection refused (is the address right, and is the registry running?)", host)
	case errors.As(err, &dns):
		e.network = true
		e.Reason = fmt.Sprintf("cannot find the registry host %s (DNS lookup failed: %v)", host, dns.Err)
	case errors.As(err, &unknownCA), errors.As(err, &badHost), errors.As(err, &badCert), errors.As(err, &tlsHeader):
		e.network = true
		e.Reason = fmt.Sprintf("TLS problem with the registry %s: %v", host, err)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		e.network = true
		e.Reason = fmt.Sprintf("cannot reach the registry %s: %v", host, err)
	default:
		e.Reason = fmt.Sprintf("the registry %s: %v", host, err)
	}
	return e
}

// httpReason explains an HTTP error answer of the registry.
func httpReason(te *transport.Error, host, repo, tag string) string {
	codes := map[transport.ErrorCode]bool{}
	for _, d := range te.Errors {
		codes[d.Code] = true
	}
	login := fmt.Sprintf("log in with docker login %s (dockdoc uses your Docker credentials)", host)
	switch {
	case codes[transport.ManifestUnknownErrorCode] || (te.StatusCode == http.StatusNotFound && !codes[transport.NameUnknownErrorCode]):
		return fmt.Sprintf("tag %s not found in %s", tag, repo)
	case codes[transport.NameUnknownErrorCode]:
		return fmt.Sprintf("repository %s not found", repo)
	case te.StatusCode == http.StatusUnauthorized || codes[transport.UnauthorizedErrorCode]:
		return fmt.Sprintf("the registry %s refused access to %s (HTTP 401): %s; a repository that does not exist can answer this way too", host, repo, login)
	case te.StatusCode == http.StatusForbidden || codes[transport.DeniedErrorCode]:
		return fmt.Sprintf("the registry %s denied access to %s (HTTP 403): check that your account may pull it, or %s", host, repo, login)
	case te.StatusCode == http.StatusTooManyRequests || codes[transport.TooManyRequestsErrorCode]:
		return fmt.Sprintf("the registry %s is rate-limiting requests (HTTP 429): try again later, or %s", host, login)
	}
	msg := strings.TrimSpace(te.Error())
	return fmt.Sprintf("the registry %s answered HTTP %d (%s)", host, te.StatusCode, msg)
}

// Resolver resolves references with one set of options and remembers the
// answers for the rest of the run: each distinct image is asked for once,
// even when several files or several fix rounds name it, and once a
// registry has proved unreachable the other images on it fail at once
// instead of waiting out the timeout again. Its Resolve method has the
// signature of diagnose.Options.Resolve. It is safe for concurrent use.
type Resolver struct {
	opts Options
	ctx  context.Context

	mu   sync.Mutex
	refs map[string]*entry
	dead map[string]*Error // registry host -> the network failure seen
}

type entry struct {
	done   chan struct{}
	digest string
	err    error
}

// NewResolver returns a caching resolver. ctx (nil means Background)
// cancels every resolution it makes.
func NewResolver(ctx context.Context, opts Options) *Resolver {
	if ctx == nil {
		ctx = context.Background()
	}
	return &Resolver{opts: opts, ctx: ctx, refs: map[string]*entry{}, dead: map[string]*Error{}}
}

// Resolve returns the digest ref's tag points to (see the package
// function Resolve), from the cache when ref was resolved before.
func (r *Resolver) Resolve(ref string) (string, error) {
	key, host := ref, ""
	if p, err := name.ParseReference(ref); err == nil {
		key, host = p.Name(), p.Context().RegistryStr()
	}
	r.mu.Lock()
	if e, ok := r.refs[key]; ok {
		r.mu.Unlock()
		<-e.done
		return e.digest, e.err
	}
	e := &entry{done: make(chan struct{})}
	r.refs[key] = e
	dead := r.dead[host]
	r.mu.Unlock()

	if dead != nil {
		e.err = &Error{Ref: ref, Registry: host, Err: dead.Err, network: true,
			Reason: dead.Reason + " (earlier in this run; not asked again)"}
	} else {
		e.digest, e.err = Resolve(r.ctx, ref, r.opts)
		var re *Error
		if errors.As(e.err, &re) && re.network && host != "" {
			r.mu.Lock()
			if r.dead[host] == nil {
				r.dead[host] = re
			}
			r.mu.Unlock()
		}
	}
	close(e.done)
	return e.digest, e.err
}
