package buildvars

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

func TestEnvAt(t *testing.T) {
	src := "ARG BASE=https://example.com\n" + // 1
		"ARG VERSION=1.2\n" + // 2
		"FROM alpine:3.20 AS base\n" + // 3
		"ARG VERSION BASE\n" + // 4
		"ARG URL=${BASE}/v${VERSION}/app.tar.gz\n" + // 5
		"ENV A=1 B=$A\n" + // 6
		"ENV A=2\n" + // 7
		"ARG A=3\n" + // 8
		"ARG TARGETARCH\n" + // 9
		"ONBUILD ENV HIDDEN=x\n" + // 10
		"RUN true\n" + // 11
		"FROM base\n" + // 12
		"RUN true\n" + // 13
		"FROM alpine:3.20\n" + // 14
		"RUN true\n" // 15
	d, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	at := func(line int) *Env {
		for _, in := range d.Instructions {
			if in.StartLine == line {
				return EnvAt(d, in)
			}
		}
		t.Fatalf("no instruction at line %d", line)
		return nil
	}
	for _, c := range []struct {
		line      int
		key, want string
		set       bool
	}{
		{3, "VERSION", "1.2", true}, // FROM lines see the global scope
		{4, "VERSION", "", false},   // a stage sees a global ARG only after its own ARG
		{5, "VERSION", "1.2", true}, // ARG NAME takes the global default
		{6, "URL", "https://example.com/v1.2/app.tar.gz", true},
		{7, "B", "", true}, // the pairs of one ENV are expanded before any is set
		{8, "A", "2", true},
		{9, "A", "3", true}, // a later ARG wins over an earlier ENV
		{11, "TARGETARCH", "amd64", true},
		{11, "HIDDEN", "", false},                                // ONBUILD sets nothing in this build
		{13, "URL", "https://example.com/v1.2/app.tar.gz", true}, // a child stage starts from its parent's state
		{15, "URL", "", false},
		{15, "BASE", "", false}, // a stage not built on base has none of it
	} {
		v, ok := at(c.line).Get(c.key)
		if v != c.want || ok != c.set {
			t.Errorf("line %d: %s = %q, %v; want %q, %v", c.line, c.key, v, ok, c.want, c.set)
		}
	}
}

func TestScopeFromBuildArg(t *testing.T) {
	src := "ARG GLOBAL=x\n" + // 1
		"FROM alpine:3.20\n" + // 2
		"ARG TOKEN\n" + // 3
		"ENV A=$TOKEN B=plain C=$B\n" + // 4
		"ENV TOKEN=fixed\n" + // 5
		"RUN true\n" // 6
	d, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if sc := ScopeAt(d, d.Instructions[1]); !sc.FromBuildArg["GLOBAL"] {
		t.Errorf("FROM: global ARGs are build arguments")
	}
	sc := ScopeAt(d, d.Instructions[5])
	for k, want := range map[string]bool{"GLOBAL": false, "TOKEN": false, "A": true, "B": false, "C": false} {
		if sc.FromBuildArg[k] != want {
			t.Errorf("line 6: FromBuildArg[%s] = %v, want %v", k, sc.FromBuildArg[k], want)
		}
	}
}
