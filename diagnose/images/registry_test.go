package images

import (
	"testing"
)

func TestRegistryOf(t *testing.T) {
	for ref, want := range map[string]string{
		"python:3.12":                 "",
		"library/python":              "",
		"team/app:1":                  "",
		"registry.example/app":        "registry.example",
		"registry.example:5000/a/b:1": "registry.example:5000",
		"localhost/app":               "localhost",
		"localhost:5000/app":          "localhost:5000",
		"Mirror/app":                  "Mirror",
		"app@sha256:abc":              "",
	} {
		reg, hub := RegistryOf(ref)
		if reg != want || hub != (want == "") {
			t.Errorf("RegistryOf(%q) = %q, %v; want %q", ref, reg, hub, want)
		}
	}
}
