package buildvars

import (
	"strings"
	"testing"
)

func TestValidImageRef(t *testing.T) {
	hex64 := strings.Repeat("0123456789abcdef", 4)
	for ref, want := range map[string]bool{
		"alpine":                               true,
		"alpine:3.20":                          true,
		"registry.example/library/alpine:3.20": true,
		"localhost:5000/team/app":              true,
		"Registry.Example.com/team/app:1.0":    true,
		"UPPER/app":                            true, // an upper-case first part is a registry host
		"registry.example/a/b@sha256:" + hex64: true,
		"alpine:3.20@sha256:" + hex64:          true,
		"[::1]:5000/app:tag":                   true,
		"registry.example/minio/minio:RELEASE.2025-09-07T16-13-09Z": true, // a tag may hold upper case
		"alpine:Edge_Latest":              true,
		"localhost:5000/app:V1":           true,
		"registry.example/App:V1":         false,
		"":                                false,
		"alpine:":                         false,
		":":                               false,
		"My-App":                          false,
		"registry.example.com/My-App:1.0": false,
		"registry.example//skaffold-builder:latest": false,
		hex64:                                  false,
		"alpine@sha256:abc":                    false,
		"app-":                                 false,
		"alpine:" + strings.Repeat("x", 129):   false,
		"team/app/" + strings.Repeat("a", 250): false,
	} {
		if got := ValidImageRef(ref); got != want {
			t.Errorf("ValidImageRef(%q) = %v, want %v", ref, got, want)
		}
	}
}

func TestParsePlatform(t *testing.T) {
	for in, want := range map[string]string{
		"linux/amd64":               "linux/amd64/",
		"arm64":                     "linux/arm64/",
		"linux":                     "linux/amd64/",
		"windows/amd64":             "windows/amd64/",
		"linux/arm/v7":              "linux/arm/v7",
		"linux/arm":                 "linux/arm/v7",
		"linux/x86_64":              "linux/amd64/",
		"linux/aarch64":             "linux/arm64/",
		"windows(10.0.17763)/amd64": "windows/amd64/",
		"foo":                       "",
		"not/a/valid/platform":      "",
		"linux/":                    "",
		"":                          "",
	} {
		p, ok := ParsePlatform(in)
		got := ""
		if ok {
			got = p.OS + "/" + p.Arch + "/" + p.Variant
		}
		if got != want {
			t.Errorf("ParsePlatform(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFindVar(t *testing.T) {
	for _, c := range []struct {
		s, name, want string
	}{
		{"COPY $A /b", "A", "$A"},
		{"COPY $AB $A", "A", "$A"},
		{"COPY ${A}/x", "A", "${A}"},
		{"COPY ${A:-x}", "A", "${A"},
		{`COPY \$A $A`, "A", "$A"},
		{"COPY ${AB}", "A", ""},
	} {
		sp, ok := FindVar(c.s, c.name, 0)
		got := ""
		if ok {
			got = c.s[sp.Start:sp.End]
		}
		if got != c.want {
			t.Errorf("FindVar(%q, %q) = %q, want %q", c.s, c.name, got, c.want)
		}
		if c.want == "$A" && strings.HasPrefix(c.s, `COPY \$A`) && sp.Start != 9 {
			t.Errorf("FindVar(%q) matched the escaped reference", c.s)
		}
	}
}

func TestSuggest(t *testing.T) {
	opts := []string{"BUILDPLATFORM", "DIR_ASSETS", "PATH", "TARGETARCH"}
	for val, want := range map[string]string{
		"BULIDPLATFORM": "BUILDPLATFORM", "DIR_ASSET": "DIR_ASSETS", "PAHT": "PATH", "FOO": "", "PATH": "",
	} {
		if got := Suggest(val, opts, true); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", val, got, want)
		}
	}
}
