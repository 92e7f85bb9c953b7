// Package effects tells what a change to a Dockerfile does to the image,
// by BuildKit's own conversion (frontend/dockerfile/dockerfile2llb, the
// step docker build takes before it builds), offline: the build graph
// (LLB) either stays the same or some of its steps change, and image
// config fields (Cmd, Env, User, ...) change or not.
package effects

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
	"google.golang.org/protobuf/proto"
)

// Effect is what a change does to the image.
type Effect struct {
	// Build is "unchanged" when the build graph is the same, step for
	// step, and "changed" otherwise.
	Build string `json:"build"`
	// Config names the image config fields that change.
	Config []string `json:"config,omitempty"`
	// Steps are the lines (in the changed file) of the instructions whose
	// build steps are new.
	Steps []int `json:"steps,omitempty"`
}

// offline answers every base image with an empty linux/amd64 config: the
// comparison needs no network, and both sides see the same bases.
type offline struct{}

func (offline) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg := []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers"},"config":{}}`)
	return ref, digest.FromBytes([]byte(ref)), cfg, nil
}

// converted is one file as BuildKit builds it: the digests of its build
// steps (with the lines each comes from) and its image config.
type converted struct {
	steps  map[digest.Digest][]int
	config map[string]string
}

func convert(name string, src []byte) (c converted, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("BuildKit's conversion failed: %v", r)
		}
	}()
	caps := pb.Caps.CapSet(pb.Caps.All())
	sm := llb.NewSourceMap(nil, name, "Dockerfile", src)
	res, err := dockerfile2llb.Dockerfile2LLB(context.Background(), src, dockerfile2llb.ConvertOpt{
		MetaResolver: offline{}, LLBCaps: &caps, SourceMap: sm,
	})
	if err != nil {
		return c, err
	}
	def, err := res.State.Marshal(context.Background())
	if err != nil {
		return c, err
	}
	// Each conversion names the local context with a random
	// "local.unique" attribute; without it, and with the digests of the
	// steps that build on it recomputed, two conversions of one file give
	// the same steps.
	renamed := map[digest.Digest]digest.Digest{}
	c.steps = map[digest.Digest][]int{}
	for _, b := range def.Def {
		var op pb.Op
		if err := op.UnmarshalVT(b); err != nil {
			return c, err
		}
		if src := op.GetSource(); src != nil {
			delete(src.Attrs, "local.unique")
		}
		for _, in := range op.Inputs {
			if d, ok := renamed[digest.Digest(in.Digest)]; ok {
				in.Digest = string(d)
			}
		}
		nb, err := proto.MarshalOptions{Deterministic: true}.Marshal(&op) // map attributes in a fixed order
		if err != nil {
			return c, err
		}
		d := digest.FromBytes(nb)
		renamed[digest.FromBytes(b)] = d
		c.steps[d] = nil
	}
	if def.Source != nil {
		for dg, locs := range def.Source.Locations {
			d := renamed[digest.Digest(dg)]
			for _, l := range locs.Locations {
				for _, r := range l.Ranges {
					c.steps[d] = append(c.steps[d], int(r.Start.Line))
				}
			}
		}
	}
	cfg := res.Image.Config
	j := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	c.config = map[string]string{
		"Cmd": j(cfg.Cmd), "Entrypoint": j(cfg.Entrypoint), "Env": j(cfg.Env), "WorkingDir": cfg.WorkingDir,
		"User": cfg.User, "Labels": j(cfg.Labels), "ExposedPorts": j(cfg.ExposedPorts), "Volumes": j(cfg.Volumes),
		"StopSignal": cfg.StopSignal, "Shell": j(cfg.Shell), "Healthcheck": j(cfg.Healthcheck), "OnBuild": j(cfg.OnBuild),
	}
	return c, nil
}

// Converts reports whether BuildKit converts src (nil), or why not.
func Converts(name string, src []byte) error {
	_, err := convert(name, src)
	return err
}

// Config is the image config BuildKit's conversion gives src, by the OCI
// field names fixes declare in Changes (values as JSON text).
func Config(name string, src []byte) (map[string]string, error) {
	c, err := convert(name, src)
	return c.config, err
}

// Of compares after, a changed file, with before: what the change does to
// the image. An error means BuildKit does not convert one of them.
func Of(name string, before, after []byte) (Effect, error) {
	b, err := convert(name, before)
	if err != nil {
		return Effect{}, fmt.Errorf("the file as it is: %w", err)
	}
	a, err := convert(name, after)
	if err != nil {
		return Effect{}, fmt.Errorf("the changed file: %w", err)
	}
	e := Effect{Build: "unchanged"}
	lines := map[int]bool{}
	for dg, ls := range a.steps {
		if _, ok := b.steps[dg]; !ok {
			e.Build = "changed"
			for _, l := range ls {
				lines[l] = true
			}
		}
	}
	if len(a.steps) != len(b.steps) {
		e.Build = "changed"
	}
	for l := range lines {
		e.Steps = append(e.Steps, l)
	}
	sort.Ints(e.Steps)
	for f, v := range b.config {
		if a.config[f] != v {
			e.Config = append(e.Config, f)
		}
	}
	sort.Strings(e.Config)
	return e, nil
}

// Summary says the effect in words: "the image is built the same way (only
// the text changes)", or which build steps change (by line) and which
// image config fields.
func (e Effect) Summary() string {
	if e.Build == "unchanged" && len(e.Config) == 0 {
		return "the image is built the same way (only the text changes)"
	}
	var parts []string
	if e.Build == "changed" {
		ls := make([]string, len(e.Steps))
		for i, l := range e.Steps {
			ls[i] = strconv.Itoa(l)
		}
		if len(ls) > 0 {
			parts = append(parts, "build steps change (lines "+strings.Join(ls, ", ")+")")
		} else {
			parts = append(parts, "build steps change")
		}
	} else {
		parts = append(parts, "the same build steps")
	}
	if len(e.Config) > 0 {
		parts = append(parts, "the image config changes ("+strings.Join(e.Config, ", ")+")")
	}
	return "effect on the image: " + strings.Join(parts, "; ")
}
