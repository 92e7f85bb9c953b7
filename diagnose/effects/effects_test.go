package effects

import (
	"slices"
	"testing"
)

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		name, before, after string
		build               string
		config              []string
		steps               []int
	}{
		{"the same file twice (COPY from the context)",
			"FROM debian:12\nCOPY x .\nRUN make\n", "FROM debian:12\nCOPY x .\nRUN make\n", "unchanged", nil, nil},
		{"casing changes only the text",
			"FROM alpine:3.20\nrun echo hi\n", "FROM alpine:3.20\nRUN echo hi\n", "unchanged", nil, nil},
		{"legacy ENV form sets the same",
			"FROM alpine:3.20\nENV A hello world\n", "FROM alpine:3.20\nENV A=\"hello world\"\n", "unchanged", nil, nil},
		{"an option added to a RUN changes that step",
			"FROM debian:12\nRUN apt-get update\nRUN apt-get install curl\n", "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n",
			"changed", nil, []int{3}},
		{"exec form changes the config, not the build",
			"FROM python:3.12\nCMD python app.py\n", "FROM python:3.12\nCMD [\"python\", \"app.py\"]\n", "unchanged", []string{"Cmd"}, nil},
		{"USER changes the config",
			"FROM alpine:3.20\n", "FROM alpine:3.20\nUSER 10001:10001\n", "unchanged", []string{"User"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Of("Dockerfile", []byte(tc.before), []byte(tc.after))
			if err != nil {
				t.Fatal(err)
			}
			if e.Build != tc.build || !slices.Equal(e.Config, tc.config) || !slices.Equal(e.Steps, tc.steps) {
				t.Errorf("effect %+v, want build %s, config %v, steps %v", e, tc.build, tc.config, tc.steps)
			}
		})
	}
	if _, err := Of("Dockerfile", []byte("FROM a\n"), []byte("FROM a\nCOPY https://example.com/x /x\n")); err == nil {
		t.Error("a COPY of a URL converted; BuildKit rejects it")
	}
}

// Two conversions of one file give the same steps, however BuildKit names
// its context source and in whatever order maps are walked.
func TestOfIsStable(t *testing.T) {
	src := []byte("FROM debian:12\nCOPY a /a\nCOPY --chown=1:1 b c /d/\nADD e.tar.gz /e\nRUN make\n")
	for i := 0; i < 30; i++ {
		e, err := Of("Dockerfile", src, src)
		if err != nil {
			t.Fatal(err)
		}
		if e.Build != "unchanged" || len(e.Config) > 0 {
			t.Fatalf("round %d: the same file gives %+v", i, e)
		}
	}
}
