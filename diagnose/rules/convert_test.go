package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/effects"
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

// configFields are the image config BuildKit's conversion produces, by the
// names fixes declare in Changes (encoded as JSON for comparison).
func configFields(src []byte) (map[string]string, error) {
	var out map[string]string
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("BuildKit's conversion panicked: %v", r)
			}
		}()
		caps := pb.Caps.CapSet(pb.Caps.All())
		res, err := dockerfile2llb.Dockerfile2LLB(context.Background(), src, dockerfile2llb.ConvertOpt{MetaResolver: offlineImages{}, LLBCaps: &caps})
		if err != nil {
			return err
		}
		c := res.Image.Config
		j := func(v any) string { b, _ := json.Marshal(v); return string(b) }
		out = map[string]string{
			"Cmd": j(c.Cmd), "Entrypoint": j(c.Entrypoint), "Env": j(c.Env), "WorkingDir": c.WorkingDir,
			"User": c.User, "Labels": j(c.Labels), "ExposedPorts": j(c.ExposedPorts), "Volumes": j(c.Volumes),
			"StopSignal": c.StopSignal, "Shell": j(c.Shell), "Healthcheck": j(c.Healthcheck), "OnBuild": j(c.OnBuild),
		}
		return nil
	}()
	return out, err
}

// TestFixesChangeOnlyWhatTheyDeclare: each fix of each corpus file, applied
// alone, changes no field of the image config BuildKit builds except those
// the fix (or its rule) declares in Changes. This holds the declarations
// the model of the build trusts to BuildKit's own answer. (ONBUILD is left
// out: a fix to a trigger changes it by design, and the model does not
// judge child builds.)
func TestFixesChangeOnlyWhatTheyDeclare(t *testing.T) {
	var problems []string
	checked := 0
	for _, f := range corpus.Files(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		before, err := configFields(src)
		if err != nil {
			continue
		}
		doc, err := diagnose.Parse(f, src)
		if err != nil || doc.ParseErr != nil {
			continue
		}
		findings := diagnose.Run(doc, diagnose.Options{})
		for i := range findings {
			fd := &findings[i]
			for alt, fx := range fd.Fixes {
				if fx.Manual || fx.Applicability == fixes.DisplayOnly {
					continue
				}
				c := diagnose.Compose(doc, []diagnose.Choice{{Finding: fd, Alt: alt}})
				if c.Applied() == 0 {
					continue
				}
				after, err := configFields(c.Out)
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s: %s %q: the fixed file does not convert: %v", filepath.Base(f), fd.ID(), fx.Title, err))
					continue
				}
				checked++
				declared := map[string]bool{}
				for _, ch := range append(append([]string(nil), fx.Changes...), fd.Rule.Changes...) {
					declared[ch] = true
				}
				for k, v := range before {
					if k != "OnBuild" && after[k] != v && !declared[k] && !declared["*"] {
						problems = append(problems, fmt.Sprintf("%s: %s %q changes the image's %s (%s -> %s) without declaring it",
							filepath.Base(f), fd.ID(), fx.Title, k, v, after[k]))
					}
				}
			}
		}
	}
	t.Logf("%d fixes applied alone and converted", checked)
	if len(problems) > 0 {
		t.Errorf("%d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}

// TestTextOnlyFixesBuildTheSame: the fixes of rules that say they change
// only the text (Rule.TextOnly) leave BuildKit's build steps and image
// config exactly as they were, on every corpus file, applied alone.
func TestTextOnlyFixesBuildTheSame(t *testing.T) {
	var problems []string
	checked := 0
	for _, f := range corpus.Files(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := diagnose.Parse(f, src)
		if err != nil || doc.ParseErr != nil {
			continue
		}
		for _, fd := range diagnose.Run(doc, diagnose.Options{}) {
			if !fd.Rule.TextOnly {
				continue
			}
			for alt, fx := range fd.Fixes {
				if fx.Manual || fx.Applicability == fixes.DisplayOnly {
					continue
				}
				c := diagnose.Compose(doc, []diagnose.Choice{{Finding: &fd, Alt: alt}})
				if c.Applied() == 0 {
					continue
				}
				e, err := effects.Of(f, src, c.Out)
				if err != nil {
					continue // BuildKit does not convert the original
				}
				checked++
				if e.Build != "unchanged" || len(e.Config) > 0 {
					problems = append(problems, fmt.Sprintf("%s: %s %q: build %s, config %v, steps %v",
						filepath.Base(f), fd.ID(), fx.Title, e.Build, e.Config, e.Steps))
				}
			}
		}
	}
	t.Logf("%d text-only fixes converted before and after", checked)
	if checked == 0 {
		t.Skip("no text-only fix on a file BuildKit converts")
	}
	if len(problems) > 0 {
		t.Errorf("%d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}
