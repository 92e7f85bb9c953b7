package buildvars

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// Scope is what the words of one instruction are expanded with.
type Scope struct {
	// Env holds the values BuildKit expands with when the build gets no
	// --build-arg.
	Env *Env
	// FromBuildArg holds the names whose value a --build-arg sets or
	// feeds: the ARGs in scope (with a default or not), and the ENVs whose
	// value refers to one of them.
	FromBuildArg map[string]bool
}

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
// not known offline, so names it may set are absent. For a FROM line or
// an instruction outside any stage it is the global scope (Globals).
func EnvAt(d *diagnose.Document, in *diagnose.Instruction) *Env {
	return ScopeAt(d, in).Env
}

// ScopeAt is EnvAt with the names a --build-arg reaches.
func ScopeAt(d *diagnose.Document, in *diagnose.Instruction) *Scope {
	g := Globals(d)
	if in.Stage == nil || in == in.Stage.From {
		sc := &Scope{Env: g.Env.Clone(), FromBuildArg: map[string]bool{}}
		for k := range g.Keys {
			sc.FromBuildArg[k] = true
		}
		return sc
	}
	var chain []*diagnose.Stage
	for s := in.Stage; s != nil && len(chain) < 64; s = s.Parent {
		chain = append(chain, s)
	}
	sc := &Scope{Env: NewEnv(), FromBuildArg: map[string]bool{}}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, x := range chain[i].Instrs {
			if x == in {
				return sc
			}
			sc.apply(d, g, x)
		}
	}
	return sc
}

// apply applies the definitions of one instruction of a stage.
func (sc *Scope) apply(d *diagnose.Document, g *Global, in *diagnose.Instruction) {
	expand := func(raw string) string {
		x, _ := Expand(raw, sc.Env, d.Escape)
		return x.Result
	}
	switch in.Keyword {
	case "env":
		// BuildKit expands every pair before it sets any (ENV a=1 b=$a
		// sees the a from before); ARG sets one argument after another.
		pairs := Pairs(in.Node)
		vals := make([]string, len(pairs))
		fed := make([]bool, len(pairs))
		for i, p := range pairs {
			vals[i] = expand(p.Value)
			for _, r := range VarRefs(p.Value, d.Escape) {
				fed[i] = fed[i] || sc.FromBuildArg[r]
			}
		}
		for i, p := range pairs {
			if !strings.Contains(p.Key, "$") {
				sc.Env.Set(p.Key, vals[i])
				sc.FromBuildArg[p.Key] = fed[i]
			}
		}
	case "arg":
		for _, a := range Args(in.Node) {
			if NonEnvArgs[a.Key] || strings.Contains(a.Key, "$") {
				continue
			}
			sc.FromBuildArg[a.Key] = true
			if a.Value != nil {
				sc.Env.Set(a.Key, expand(*a.Value))
			} else if v, ok := g.Env.Get(a.Key); ok {
				sc.Env.Set(a.Key, v)
			}
		}
	}
}
