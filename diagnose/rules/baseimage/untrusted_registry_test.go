package baseimage

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
)

func TestDD082TrustedRegistries(t *testing.T) {
	src := `ARG REG=registry.example
ARG OTHER=ghcr.example
ARG NOPE
FROM ${REG}/base:1 AS base
FROM python:3.12
FROM base
FROM scratch
FROM $NOPE/x
FROM ${OTHER}/team/app:2
FROM gcr.example:5000/a/b:1
FROM a.example.com/x:1
FROM a.b.example.com/x:1
FROM example.com/x:1
FROM localhost/x
COPY --from=base /a /b
COPY --from=0 /a /b
COPY --from=ghcr.example/tool:1 /a /b
COPY --from=registry.example/tool:1 /a /b
RUN --mount=type=cache,target=/root/.cache,from=quay.example/c:1 \
    --mount=type=bind,from=base,target=/x \
    --mount=from=evil/img,target=/y \
    --mount=type=secret,id=tok true
`
	cfg := &diagnose.Config{TrustedRegistries: []string{"registry.example", "*.example.com"}}
	const trusted = "which is not a trusted registry (trusted: registry.example, *.example.com)"
	want := strings.NewReplacer("TRUSTED", trusted).Replace(
		`5:6-5:17 DD082 base image "python:3.12" comes from Docker Hub (it names no registry host), TRUSTED
9:6-9:25 DD082 base image "${OTHER}/team/app:2" (ghcr.example/team/app:2 with the ARG defaults) comes from registry ghcr.example, TRUSTED
10:6-10:28 DD082 base image "gcr.example:5000/a/b:1" comes from registry gcr.example:5000, TRUSTED
13:6-13:21 DD082 base image "example.com/x:1" comes from registry example.com, TRUSTED
14:6-14:17 DD082 base image "localhost/x" comes from registry localhost, TRUSTED
17:13-17:32 DD082 COPY --from image "ghcr.example/tool:1" comes from registry ghcr.example, TRUSTED
19:49-19:65 DD082 RUN --mount image "quay.example/c:1" comes from registry quay.example, TRUSTED
21:18-21:26 DD082 RUN --mount image "evil/img" comes from Docker Hub (it names no registry host), TRUSTED
`)
	ruletest.CheckLabels(t, src, cfg, want, "DD082")

	// Without the configuration, or with an empty list, nothing is checked.
	ruletest.CheckLabels(t, src, nil, "", "DD082")
	ruletest.CheckLabels(t, src, &diagnose.Config{}, "", "DL3026")
}

func TestDD082DockerHub(t *testing.T) {
	src := "FROM python:3.12\nFROM library/nginx:1.27\nFROM registry.example/x:1\n"
	// Docker Hub's own names (assembled, never written out) trust images
	// without a registry host, as in hadolint.
	for _, hub := range images.HubNames {
		ruletest.CheckLabels(t, src, &diagnose.Config{TrustedRegistries: []string{hub}},
			`3:6-3:26 DD082 base image "registry.example/x:1" comes from registry registry.example, which is not a trusted registry (trusted: `+hub+`)
`, "DD082")
	}
	// A glob matching everything, or the Hub's top-level domain, trusts it too.
	ruletest.CheckLabels(t, src, &diagnose.Config{TrustedRegistries: []string{"*"}}, "", "DD082")
	tld := images.HubNames[0][strings.LastIndexByte(images.HubNames[0], '.'):]
	ruletest.CheckLabels(t, "FROM python:3.12\n", &diagnose.Config{TrustedRegistries: []string{"*" + tld}}, "", "DD082")
	// A long list is shortened in the message.
	ruletest.CheckLabels(t, "FROM python:3.12\n", &diagnose.Config{TrustedRegistries: []string{"a.example", "b.example", "c.example", "d.example", "e.example", "f.example"}},
		`1:6-1:17 DD082 base image "python:3.12" comes from Docker Hub (it names no registry host), which is not a trusted registry (trusted: a.example, b.example, c.example, d.example and 2 more)
`, "DD082")
	// Names compare without regard to case; a prefix glob covers a port.
	ruletest.CheckLabels(t, "FROM Registry.Example:5000/x:1\n", &diagnose.Config{TrustedRegistries: []string{"registry.example*"}}, "", "DD082")
	ruletest.CheckLabels(t, "FROM registry.example:5000/x:1\n", &diagnose.Config{TrustedRegistries: []string{"registry.example"}},
		`1:6-1:31 DD082 base image "registry.example:5000/x:1" comes from registry registry.example:5000, which is not a trusted registry (trusted: registry.example)
`, "DD082")
}
