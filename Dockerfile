# syntax=docker/dockerfile:1
# dockdoc in a container: a static binary on an empty base image.
#   docker build -t dockdoc .
#   docker run --rm -v "$PWD:/src" dockdoc check
# golang:1.26 follows go.mod's `go 1.26.x` line: the minor is pinned, patches come in.

FROM golang:1.26 AS build
WORKDIR /src
ENV CGO_ENABLED=0
# Dependencies first, so editing the source does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags="-s -w" -o /out/dockdoc . \
    && mkdir -p /out/tmp /out/src \
    && chmod 1777 /out/tmp

FROM scratch
LABEL org.opencontainers.image.title="dockdoc" \
      org.opencontainers.image.description="The Dockerfile doctor: lint, explain and fix Dockerfiles" \
      org.opencontainers.image.source="https://github.com/dockdoc/dockdoc"
# CA certificates, for the opt-in registry lookups (fix --resolve); /tmp,
# for dockdoc demo; /src, the mount point for the project to check.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/tmp /tmp
COPY --from=build --chown=65532:65532 /out/src /src
COPY --from=build /out/dockdoc /usr/local/bin/dockdoc
USER 65532:65532
WORKDIR /src
# A command-line tool, not a service: there is nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/dockdoc"]
CMD ["check"]
