package images

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

func TestPythonSpec(t *testing.T) {
	for _, tc := range []struct {
		spec  string
		allow string // lines allowed, space separated
		deny  string
		low   string // lowest line ("" when none)
	}{
		{">=3.10", "3.10 3.14 3.10.0", "3.9 3.9.18", "3.10"},
		{">=3.10,<3.13", "3.10 3.12", "3.13 3.9", "3.10"},
		{">= 3.11", "3.11 3.12", "3.10", "3.11"},
		{"<3.13", "3.10 3.12", "3.13", ""},
		{"<=3.12", "3.11 3.12.0", "3.12", ""}, // python:3.12 ships 3.12.x > 3.12
		{"==3.11.*", "3.11 3.11.4", "3.10 3.12", "3.11"},
		{"~=3.10", "3.10 3.14", "3.9", "3.10"},
		{"~=3.10.2", "3.10 3.10.4", "3.11 3.10.1", "3.10"},
		{">=3.8,!=3.9.*", "3.8 3.10", "3.9", "3.8"},
		{"^3.10", "3.10 3.14", "3.9", "3.10"},
		{"~3.10", "3.10", "3.11 3.9", "3.10"},
		{">=3.10.4", "3.10 3.10.4", "3.10.2", "3.10"},
		{">3.10", "3.10 3.11", "3.9", "3.10"},
		{"3.9.* || 3.11.*", "3.9 3.11", "3.10", "3.9"},
		{"*", "3.10", "", ""},
	} {
		rng, ok := parsePythonSpec(tc.spec)
		if !ok {
			t.Errorf("%q: not parsed", tc.spec)
			continue
		}
		for _, v := range strings.Fields(tc.allow) {
			l, _ := LineOf(v)
			if !rng.Allows(l) {
				t.Errorf("%q should allow %s", tc.spec, v)
			}
		}
		for _, v := range strings.Fields(tc.deny) {
			l, _ := LineOf(v)
			if rng.Allows(l) {
				t.Errorf("%q should not allow %s", tc.spec, v)
			}
		}
		got := ""
		if lb, ok := rng.lowerBound(); ok {
			if t2, ok := LineTarget("python", lb); ok {
				got = t2.String()
			}
		}
		if got != tc.low {
			t.Errorf("%q: lowest line %q, want %q", tc.spec, got, tc.low)
		}
	}
	for _, bad := range []string{"", "python3", ">=3.10;os_name=='nt'", ">=foo"} {
		if _, ok := parsePythonSpec(bad); ok {
			t.Errorf("%q should not parse", bad)
		}
	}
}

func TestNodeRange(t *testing.T) {
	for _, tc := range []struct {
		spec, allow, deny, low string
	}{
		{">=20", "20 22 24", "18", "20"},
		{">=20.9.0", "20 22", "18", "20"},
		{"^20.9.0", "20", "22 18", "20"},
		{"20.x", "20", "22", "20"},
		{"20", "20", "22", "20"},
		{"<=20", "18 20", "22", ""},
		{">20", "22", "20", "21"},
		{"^18 || ^20", "18 20", "22", "18"},
		{">=18 <21", "18 20", "22", "18"},
		{"18 - 20", "18 20", "22", "18"},
		{"~20.9", "", "20 22", "20"}, // node:20 ships 20.x newer than 20.9
		{"*", "20", "", ""},
		{"v22.3.0", "22", "20", "22"},
	} {
		rng, ok := parseNodeRange(tc.spec)
		if !ok {
			t.Errorf("%q: not parsed", tc.spec)
			continue
		}
		for _, v := range strings.Fields(tc.allow) {
			if !rng.Allows(VerLine{Nums: []int{atoiMust(v)}, Open: true}) {
				t.Errorf("%q should allow %s", tc.spec, v)
			}
		}
		for _, v := range strings.Fields(tc.deny) {
			if rng.Allows(VerLine{Nums: []int{atoiMust(v)}, Open: true}) {
				t.Errorf("%q should not allow %s", tc.spec, v)
			}
		}
		got := ""
		if lb, ok := rng.lowerBound(); ok {
			if t2, ok := LineTarget("node", lb); ok {
				got = t2.String()
			}
		}
		if got != tc.low {
			t.Errorf("%q: lowest line %q, want %q", tc.spec, got, tc.low)
		}
	}
	for _, bad := range []string{"", "lts/*", "node", ">=abc"} {
		if _, ok := parseNodeRange(bad); ok {
			t.Errorf("%q should not parse", bad)
		}
	}
}

func atoiMust(s string) int {
	nums, _ := leadingNums(s)
	return nums[0]
}

func TestOfficialBase(t *testing.T) {
	for _, tc := range []struct {
		from, floating, version, variant string
	}{
		{"FROM python", "untagged", "", ""},
		{"FROM python:latest", "latest", "", ""},
		{"FROM library/python:3.12-slim-bookworm", "", "3.12", "-slim-bookworm"},
		{"FROM python:3.14.0rc1-alpine", "", "3.14.0", "-alpine"},
		{"FROM python:3.15-rc-slim", "", "3.15", "-rc-slim"},
		{"FROM python:3-slim", "major", "3", "-slim"},
		{"FROM python:slim-bookworm", "variant", "", "-slim-bookworm"},
		{"FROM node:alpine3.20", "variant", "", "-alpine3.20"},
		{"FROM node:lts-alpine", "lts", "", "-alpine"},
		{"FROM node:current", "current", "", ""},
		{"FROM node:20.11.1-bookworm-slim", "", "20.11.1", "-bookworm-slim"},
		{"FROM node:jod-slim", "unknown", "", ""},
		{"FROM golang:1.22@sha256:abc", "", "1.22", ""},
	} {
		d, err := diagnose.Parse("Dockerfile", []byte(tc.from+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		b := OfficialBase(d, d.Stages[0])
		if b == nil {
			t.Errorf("%s: not an official base", tc.from)
			continue
		}
		v := VerLine{Nums: b.Version}.String()
		if b.Floating != tc.floating || v != tc.version || b.variant != tc.variant {
			t.Errorf("%s: got floating %q version %q variant %q", tc.from, b.Floating, v, b.variant)
		}
	}
	for _, from := range []string{"FROM pythonista:3", "FROM myorg/python:3.12", "FROM ${IMG}", "FROM localhost:5000/python:3.12"} {
		d, _ := diagnose.Parse("Dockerfile", []byte(from+"\n"))
		if OfficialBase(d, d.Stages[0]) != nil {
			t.Errorf("%s: taken for an official image", from)
		}
	}
}
