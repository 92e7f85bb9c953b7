package images

import (
	"strconv"
	"strings"
)

// UserPlansChecked is when the facts behind PlanUser were last checked
// against the images' documentation and their /etc/passwd (which users
// they ship, which tools create one). Update it with the table.
const UserPlansChecked = "2026-12-04"

// A UserPlan is how to make a container of an image run as an
// unprivileged user: the numeric USER to write and, when the image has
// no such user, the command that creates it.
type UserPlan struct {
	// Family is what the plan is based on: "node", "dotnet", "debian",
	// "alpine", "rhel", "distroless" or "scratch".
	Family string
	// UID and GID are the numeric ids: the USER line is UID:GID, so that
	// Kubernetes' runAsNonRoot can check it.
	UID, GID int
	// Name is the user's name: the image's own user ("node", "app",
	// "nonroot"), the one Create makes ("app"), or "" for scratch.
	Name string
	// Create is the shell command that creates the group and the user
	// (run as root, before USER); "" when the image already has the user.
	Create string
	// Shell tells whether the image has a shell, so that a RUN works in
	// it (scratch and distroless images have none).
	Shell bool
}

// User is the USER value of the plan: "10001:10001".
func (p UserPlan) User() string { return strconv.Itoa(p.UID) + ":" + strconv.Itoa(p.GID) }

// The user dockdoc creates when an image has none of its own: a system
// account with no home directory, a uid above every distribution's range
// of login users, below 65536 (useradd's lastlog would bloat the layer
// above it, and user namespaces commonly map 65536 ids).
const createdUID = 10001

// Creating commands by family. shadow's useradd (Debian, Ubuntu, and
// shadow-utils on the RHEL family) writes lastlog and faillog records
// unless --no-log-init / -l is given: a uid of 10001 would put about 3 MB
// of zeros in the layer. BusyBox's adduser -S (system user) implies -D
// (no password), so it never asks for one.
var (
	createDebian = "groupadd --system --gid 10001 app && " +
		"useradd --system --no-log-init --uid 10001 --gid app --no-create-home app"
	createRHEL   = "groupadd -r -g 10001 app && useradd -r -l -u 10001 -g app -M app"
	createAlpine = "addgroup -S -g 10001 app && adduser -S -u 10001 -G app -H app"
)

// debianRepos are official images built on Debian or Ubuntu in their
// default and slim variants, with groupadd and useradd (the passwd
// package is required in Debian and Ubuntu); their -alpine variants are
// Alpine. openjdk is not here: its newer tags are built on Oracle Linux.
var debianRepos = set("debian", "ubuntu", "python", "ruby", "golang", "rust", "perl", "php", "elixir", "erlang",
	"buildpack-deps", "eclipse-temurin", "haskell", "julia")

// alpineRepos are Alpine and BusyBox images, whose adduser and addgroup
// are BusyBox's.
var alpineRepos = set("alpine", "busybox")

// rhelRepos ship shadow-utils (groupadd, useradd) in their standard
// images. Not here: the minimal, micro and slim variants (ubi9-minimal,
// ubi-micro, oraclelinux:9-slim), which lack shadow-utils, and Amazon
// Linux, whose 2023 container image does not ship it either.
var rhelRepos = set("redhat/ubi8", "redhat/ubi9", "redhat/ubi10", "ubi8", "ubi9", "ubi10", "ubi8/ubi", "ubi9/ubi",
	"ubi10/ubi", "fedora", "rockylinux", "rockylinux/rockylinux", "almalinux", "oraclelinux", "centos",
	"centos/centos")

// dotnetRepos are the .NET images, which since .NET 8 ship a non-root
// user app with uid 1654 (the APP_UID variable of the image).
var dotnetRepos = set("dotnet/aspnet", "dotnet/runtime", "dotnet/runtime-deps", "dotnet/sdk")

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// PlanUser tells how to run a container of the image ref as an
// unprivileged user, when dockdoc knows the image's family (checked
// UserPlansChecked):
//
//   - the official node image has its own user node, uid and gid 1000;
//   - the .NET images (8 and later) have app, uid and gid 1654;
//   - distroless images have nonroot, 65532, and no shell;
//   - scratch has no users at all: a numeric 65532 needs no account;
//   - Debian and Ubuntu based official images get a system user app,
//     10001, made with groupadd and useradd; Alpine and BusyBox ones with
//     addgroup and adduser; UBI, Fedora, Rocky, Alma, Oracle Linux and
//     CentOS with shadow-utils' groupadd -r and useradd -r.
//
// Any other image, a Windows one, or a reference dockdoc cannot read
// (a variable) gives ok false.
func PlanUser(ref string) (plan UserPlan, ok bool) {
	ref, _, _ = strings.Cut(strings.ToLower(ref), "@")
	if ref == "" || strings.Contains(ref, "$") {
		return UserPlan{}, false
	}
	repo, tag := RepoTag(ref)
	words := strings.FieldsFunc(tag, func(r rune) bool { return r == '-' || r == '.' || r == '_' })
	has := func(w string) bool {
		for _, x := range words {
			if strings.HasPrefix(x, w) {
				return true
			}
		}
		return false
	}
	if has("windowsservercore") || has("nanoserver") || has("ltsc") {
		return UserPlan{}, false
	}
	switch {
	case repo == "scratch":
		return UserPlan{Family: "scratch", UID: 65532, GID: 65532}, true
	case strings.HasPrefix(repo, "distroless/") || strings.Contains(repo, "/distroless/"):
		return UserPlan{Family: "distroless", UID: 65532, GID: 65532, Name: "nonroot"}, true
	case repo == "node":
		return UserPlan{Family: "node", UID: 1000, GID: 1000, Name: "node", Shell: true}, true
	case dotnetRepos[repo]:
		major, err := strconv.Atoi(strings.SplitN(tag, ".", 2)[0])
		if err != nil || major < 8 {
			return UserPlan{}, false // untagged or older: the user came with .NET 8
		}
		return UserPlan{Family: "dotnet", UID: 1654, GID: 1654, Name: "app",
			Shell: !has("chiseled") && !has("distroless")}, true
	case alpineRepos[repo] || debianRepos[repo] && has("alpine"):
		return UserPlan{Family: "alpine", UID: createdUID, GID: createdUID, Name: "app", Create: createAlpine, Shell: true}, true
	case debianRepos[repo]:
		if has("ubi") || has("minimal") || has("corretto") {
			return UserPlan{}, false // eclipse-temurin's ubi9-minimal: no shadow-utils
		}
		return UserPlan{Family: "debian", UID: createdUID, GID: createdUID, Name: "app", Create: createDebian, Shell: true}, true
	case rhelRepos[repo] || strings.HasPrefix(repo, "ubi") && rhelRepos[strings.SplitN(repo, "/", 2)[0]]:
		if has("minimal") || has("micro") || has("slim") || strings.Contains(repo, "minimal") || strings.Contains(repo, "micro") {
			return UserPlan{}, false
		}
		return UserPlan{Family: "rhel", UID: createdUID, GID: createdUID, Name: "app", Create: createRHEL, Shell: true}, true
	}
	return UserPlan{}, false
}
