package images

import "testing"

func TestDefaultUser(t *testing.T) {
	for ref, want := range map[string]string{
		"gitpod/workspace-python":                    "gitpod",
		"jenkins/jenkins:lts-jdk17":                  "jenkins",
		"registry.example:5000/jenkins/jenkins:2":    "jenkins",
		"cimg/python:3.12":                           "circleci",
		"registry.example/distroless/static:nonroot": "nonroot",
		"nginxinc/nginx-unprivileged:1.27":           "nonroot",
		"python:3.12":                                "",
		"jenkinsci/blueocean":                        "",
		"bitnami/postgresql:16":                      "1001",
		"node:22":                                    "",
	} {
		got, nonRoot := DefaultUser(ref)
		if got != want || nonRoot != (want != "") {
			t.Errorf("DefaultUser(%q) = %q, %v; want %q", ref, got, nonRoot, want)
		}
	}
}

func TestUVImagePython(t *testing.T) {
	for ref, want := range map[string]string{
		"registry.example/astral-sh/uv:python3.12-bookworm-slim": "python:3.12-slim-bookworm",
		"registry.example/astral-sh/uv:python3.13-alpine":        "python:3.13-alpine",
		"registry.example/astral-sh/uv:python3.11-bookworm":      "python:3.11-bookworm",
		"registry.example/astral-sh/uv:bookworm-slim":            "",
		"registry.example/astral-sh/uv:0.5.11":                   "",
		"python:3.12":                                            "",
	} {
		if got := UVImagePython(ref); got != want {
			t.Errorf("UVImagePython(%q) = %q, want %q", ref, got, want)
		}
	}
}

func TestShIsBash(t *testing.T) {
	for ref, want := range map[string]bool{
		"registry.example/ubi9/ubi-minimal:9.4": true,
		"rockylinux:9":                          true,
		"amazonlinux:2023":                      true,
		"debian:12":                             false,
		"python:3.12-slim":                      false,
		"alpine:3.20":                           false,
	} {
		if got := ShIsBash(ref); got != want {
			t.Errorf("ShIsBash(%q) = %v, want %v", ref, got, want)
		}
	}
}

func TestRepoTag(t *testing.T) {
	for ref, want := range map[string]string{
		"registry.example:5000/Team/App:1.2@sha256:00": "team/app 1.2",
		"library/python:3.12":                          "python 3.12",
		"localhost/x":                                  "x ",
		"ubuntu":                                       "ubuntu ",
	} {
		if r, tag := RepoTag(ref); r+" "+tag != want {
			t.Errorf("RepoTag(%q) = %q, %q; want %s", ref, r, tag, want)
		}
	}
}
