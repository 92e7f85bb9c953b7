package buildvars

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// EnvAt is the environment BuildKit expands the words of instruction in
// with, when the build gets no --build-arg: what the ARGs (with a value)
// and ENVs of its stage set before it, in order, the later one winning,
// after what the earlier stages it is built FROM set (a stage starts from
// its parent's build state, ARGs included: dockerfile2llb's
// dispatchState.init).
//
// An `ARG NAME` without a default takes the global ARG's default, or the
// platform argument's value as on a linux/amd64 machine (dispatchArg);
// ONBUILD triggers set nothing here. The base image's own environment is
// not known offline, so names it may set are absent. For an instruction
// outside any stage it is the global scope (Globals).
func EnvAt(d *diagnose.Document, in *diagnose.Instruction) *Env {
	g := Globals(d)
	if in.Stage == nil || in == in.Stage.From {
		return g.Env.Clone() // FROM lines expand with the global scope
	}
	var chain []*diagnose.Stage
	for s := in.Stage; s != nil && len(chain) < 64; s = s.Parent {
		chain = append(chain, s)
	}
	env := NewEnv()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, x := range chain[i].Instrs {
			if x == in {
				return env
			}
			applyScope(d, g, x, env)
		}
	}
	return env
}

// applyScope applies the definitions of one instruction of a stage to env.
func applyScope(d *diagnose.Document, g *Global, in *diagnose.Instruction, env *Env) {
	expand := func(raw string) string {
		x, _ := Expand(raw, env, d.Escape)
		return x.Result
	}
	switch in.Keyword {
	case "env":
		// BuildKit expands every pair before it sets any (ENV a=1 b=$a
		// sees the a from before); ARG sets one argument after another.
		pairs := Pairs(in.Node)
		vals := make([]string, len(pairs))
		for i, p := range pairs {
			vals[i] = expand(p.Value)
		}
		for i, p := range pairs {
			if !strings.Contains(p.Key, "$") {
				env.Set(p.Key, vals[i])
			}
		}
	case "arg":
		for _, a := range Args(in.Node) {
			if NonEnvArgs[a.Key] || strings.Contains(a.Key, "$") {
				continue
			}
			if a.Value != nil {
				env.Set(a.Key, expand(*a.Value))
			} else if v, ok := g.Env.Get(a.Key); ok {
				env.Set(a.Key, v)
			}
		}
	}
}
