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
