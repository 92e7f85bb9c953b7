package images

import "strings"

// nonRootImages are repositories whose images set a non-root USER in
// their own config, and that user, as their documentation gives it
// (checked 2026-12): a RUN in a stage built on one runs as that user
// until a USER says otherwise. Matched on the repository path without
// the registry host, so a mirror matches too.
var nonRootImages = []struct {
	prefix string // repository path, or its start when it ends in "/" or "-"
	user   string
}{
	{"gitpod/workspace-", "gitpod"},
	{"jenkins/jenkins", "jenkins"},
	{"jenkins/inbound-agent", "jenkins"},
	{"jenkins/agent", "jenkins"},
	{"cimg/", "circleci"},
	{"circleci/", "circleci"},
	{"jupyter/", "jovyan"},
	{"selenium/", "seluser"},
	{"codercom/code-server", "coder"},
	{"sonarqube", "sonarqube"},
	{"grafana/grafana", "grafana"},
	{"bitnami/", "1001"},
}

// DefaultUser tells whether the image ref is known to run as a non-root
// user by default, and which: the repositories above, and images whose
// name or tag says so (`distroless/static:nonroot`, `…-nonroot`,
// `…-rootless`, `…-unprivileged`). Any other image is not known to be
// non-root (most official images run as root).
func DefaultUser(ref string) (user string, nonRoot bool) {
	ref, _, _ = strings.Cut(strings.ToLower(ref), "@")
	for _, w := range []string{"nonroot", "non-root", "rootless", "unprivileged"} {
		if strings.Contains(ref, w) {
			return "nonroot", true
		}
	}
	repo, _ := RepoTag(ref)
	for _, n := range nonRootImages {
		if repo == n.prefix || (strings.HasSuffix(n.prefix, "/") || strings.HasSuffix(n.prefix, "-")) && strings.HasPrefix(repo, n.prefix) {
			return n.user, true
		}
	}
	return "", false
}

// UVImagePython reads uv's own images that bundle Python
// (`<registry>/astral-sh/uv:python3.12-bookworm-slim`), which are built
// on the official python image of the same version and Debian release or
// Alpine: it returns that image ("python:3.12-slim-bookworm"), or "" for
// any other reference.
func UVImagePython(ref string) string {
	name, tag, ok := strings.Cut(ref[strings.LastIndex(ref, "/")+1:], ":")
	if !ok || name != "uv" || !strings.Contains(ref, "astral-sh/uv") {
		return ""
	}
	tag, _, _ = strings.Cut(tag, "@")
	rest, ok := strings.CutPrefix(tag, "python")
	if !ok {
		return ""
	}
	ver, variant, ok := strings.Cut(rest, "-")
	if !ok || ver == "" {
		return ""
	}
	if distro, slim := strings.CutSuffix(variant, "-slim"); slim {
		variant = "slim-" + distro
	}
	return "python:" + ver + "-" + variant
}

// bashShImages are image families whose /bin/sh is bash (the Red Hat
// family): bash runs a lone simple command given with -c in its own place
// (it execs it), so a shell-form CMD of one command still gets signals.
var bashShImages = []string{"ubi", "ubi-minimal", "ubi8", "ubi9", "ubi10", "centos", "fedora", "rockylinux",
	"almalinux", "amazonlinux", "oraclelinux"}

// ShIsBash reports whether the image ref is known to have bash as
// /bin/sh (Red Hat family images: UBI, CentOS, Fedora, Rocky, Alma,
// Amazon Linux, Oracle Linux).
func ShIsBash(ref string) bool {
	r, _ := RepoTag(ref)
	last := r[strings.LastIndex(r, "/")+1:]
	for _, n := range bashShImages {
		if last == n || strings.HasPrefix(last, n+"-") {
			return true
		}
	}
	return false
}

// RepoTag splits an image reference into its repository, without the
// registry host (a first component with a dot, a colon or localhost), the
// digest and Docker Hub's library/ prefix, and its tag; both lower case.
func RepoTag(ref string) (repo, tag string) {
	repo, _, _ = strings.Cut(strings.ToLower(ref), "@")
	if i := strings.IndexByte(repo, '/'); i > 0 && (strings.ContainsAny(repo[:i], ".:") || repo[:i] == "localhost") {
		repo = repo[i+1:]
	}
	repo, tag, _ = strings.Cut(repo, ":")
	return strings.TrimPrefix(repo, "library/"), tag
}
