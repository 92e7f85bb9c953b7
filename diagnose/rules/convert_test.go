package rules

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/dockdoc/dockdoc/internal/corpus"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

// offlineImages answers every image lookup with an empty linux/amd64
// config, so BuildKit's conversion runs without a network or a daemon.
type offlineImages struct{}

func (offlineImages) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg := []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers"},"config":{}}`)
	return ref, digest.FromBytes([]byte(ref)), cfg, nil
}

// convert runs BuildKit's own conversion of a Dockerfile to its build graph
// (what docker build does before it builds), offline.
func convert(src []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("BuildKit's conversion panicked: %v", r)
		}
	}()
	caps := pb.Caps.CapSet(pb.Caps.All()) // a current BuildKit, as docker build talks to
	_, err = dockerfile2llb.Dockerfile2LLB(context.Background(), src, dockerfile2llb.ConvertOpt{MetaResolver: offlineImages{}, LLBCaps: &caps})
	return err
}

// TestCorpusFixesConvert: for every corpus file BuildKit converts, the
// file fix --unsafe writes converts too. Parsing is not building; this is
// the part of building that needs no daemon.
func TestCorpusFixesConvert(t *testing.T) {
	var problems []string
	converted := 0
	for _, f := range corpus.Files(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if convert(src) != nil {
			continue // BuildKit rejects the original: nothing to hold the fixes to
		}
		converted++
		res, err := diagnose.FixAll(f, src, diagnose.Options{}, fixes.Unsafe)
		if err != nil {
			continue
		}
		if err := convert(res.Out); err != nil {
			problems = append(problems, fmt.Sprintf("%s: BuildKit converts the original but not the fixed file: %v", filepath.Base(f), err))
		}
	}
	t.Logf("%d corpus files convert; their fixed files checked", converted)
	if len(problems) > 0 {
		t.Errorf("%d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}
