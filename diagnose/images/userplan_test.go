package images

import "testing"

func TestPlanUser(t *testing.T) {
	for ref, want := range map[string]string{ // family user name create?
		"node:22":                                "node 1000:1000 node -",
		"node:22-alpine":                         "node 1000:1000 node -",
		"registry.example/library/node:lts-slim": "node 1000:1000 node -",
		"python:3.12-slim":                       "debian 10001:10001 app +",
		"debian:12-slim":                         "debian 10001:10001 app +",
		"registry.example/ubuntu:24.04":          "debian 10001:10001 app +",
		"golang:1.22":                            "debian 10001:10001 app +",
		"ruby:3.3@sha256:0123":                   "debian 10001:10001 app +",
		"eclipse-temurin:21-jre":                 "debian 10001:10001 app +",
		"python:3.12-alpine3.20":                 "alpine 10001:10001 app +",
		"alpine":                                 "alpine 10001:10001 app +",
		"busybox:1.36":                           "alpine 10001:10001 app +",
		"redhat/ubi9":                            "rhel 10001:10001 app +",
		"registry.example/ubi9/ubi:9.4":          "rhel 10001:10001 app +",
		"fedora:41":                              "rhel 10001:10001 app +",
		"rockylinux:9":                           "rhel 10001:10001 app +",
		"scratch":                                "scratch 65532:65532  -",
		"registry.example/distroless/static":     "distroless 65532:65532 nonroot -",
		"registry.example/dotnet/aspnet:8.0":     "dotnet 1654:1654 app -",
		// Not known: no useradd in the image, no user before .NET 8,
		// Windows, variables, images of other families.
		"redhat/ubi9-minimal":                    "",
		"registry.example/ubi9/ubi-minimal":      "",
		"oraclelinux:9-slim":                     "",
		"amazonlinux:2023":                       "",
		"eclipse-temurin:21-jre-ubi9-minimal":    "",
		"registry.example/dotnet/aspnet:6.0":     "",
		"python:3.12-windowsservercore-ltsc2022": "",
		"python:${PY}-slim":                      "",
		"nginx:1.27":                             "",
		"registry.example/team/app:1":            "",
		"openjdk:21":                             "",
	} {
		p, ok := PlanUser(ref)
		got := ""
		if ok {
			c := "-"
			if p.Create != "" {
				c = "+"
			}
			got = p.Family + " " + p.User() + " " + p.Name + " " + c
		}
		if got != want {
			t.Errorf("PlanUser(%q) = %q, want %q", ref, got, want)
		}
		if ok && (p.Create != "") != (p.Shell && p.Family != "node" && p.Family != "dotnet") {
			t.Errorf("PlanUser(%q): a plan creates a user exactly when the image has a shell and no user of its own", ref)
		}
	}
	if p, _ := PlanUser("registry.example/dotnet/runtime:9.0-noble-chiseled"); p.Shell {
		t.Errorf("chiseled .NET images have no shell")
	}
}
