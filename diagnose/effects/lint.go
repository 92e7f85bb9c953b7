package effects

import (
	"context"
	"fmt"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/solver/pb"
)

// A Warning is one of BuildKit's build checks, as `docker build --check`
// reports it: the check's name, its message and the lines it points at.
type Warning struct {
	Rule    string
	Message string
	Lines   []int // 1-based start lines of its ranges
}

// Lint runs BuildKit's build checks on src offline (base images answer
// with an empty config, so checks that read a base image's environment
// see none), over every stage, as `docker build --check` does.
func Lint(name string, src []byte) (ws []Warning, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("BuildKit's checks failed: %v", r)
		}
	}()
	caps := pb.Caps.CapSet(pb.Caps.All())
	opt := dockerfile2llb.ConvertOpt{
		MetaResolver: offline{}, LLBCaps: &caps, SourceMap: llb.NewSourceMap(nil, name, "Dockerfile", src),
		AllStages: true, // every stage, as the checks do when no target is given
		Warn: func(rule, _, _, msg string, loc []parser.Range) {
			w := Warning{Rule: rule, Message: msg}
			for _, r := range loc {
				w.Lines = append(w.Lines, r.Start.Line)
			}
			ws = append(ws, w)
		},
	}
	if _, err := dockerfile2llb.Dockerfile2LLB(context.Background(), src, opt); err != nil {
		return ws, err
	}
	return ws, nil
}
