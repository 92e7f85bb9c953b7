package scripts

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// TestCdInRunCRLF checks that the WORKDIR line uses the file's CRLF line
// breaks and that joining a continuation leaves no stray "\r". (The later
// WORKDIR keeps the image's working directory, so the model of the build
// lets the fix through; without it the image would start in /app.)
func TestCdInRunCRLF(t *testing.T) {
	src := "FROM alpine\r\n\tRUN cd /app && \\\r\n    make\r\nWORKDIR /srv\r\n"
	want := "FROM alpine\r\n\tWORKDIR /app\r\n\tRUN make\r\nWORKDIR /srv\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD011"}}, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Out) != want {
		t.Errorf("got %q, want %q", res.Out, want)
	}
}
