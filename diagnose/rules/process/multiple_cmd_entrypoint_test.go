package process

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// Deleting whole lines keeps the file's CRLF line breaks intact.
func TestMultipleCmdCRLF(t *testing.T) {
	src := "FROM alpine:3.20\r\nCMD a \\\r\n  b\r\n# keep\r\nCMD c\r\n"
	want := "FROM alpine:3.20\r\n# keep\r\nCMD c\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD012"}}, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Out) != want {
		t.Errorf("got %q, want %q", res.Out, want)
	}
}
