package ospkg

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// Removing the upgrade keeps CRLF line breaks and continuations intact.
func TestDD008CRLF(t *testing.T) {
	src := "FROM debian:12\r\n" +
		"RUN apt-get update && \\\r\n    apt-get upgrade -y && \\\r\n    apt-get install -y curl\r\n" +
		"RUN apt-get update \\\r\n    && apt-get upgrade -y\r\n"
	want := "FROM debian:12\r\n" +
		"RUN apt-get update && \\\r\n    apt-get install -y curl\r\n" +
		"RUN apt-get update\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD008"}}, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Out); got != want {
		t.Errorf("fixed output:\n%q\nwant:\n%q", got, want)
	}
}
