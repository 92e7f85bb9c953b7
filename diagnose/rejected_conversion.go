package diagnose

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/containerd/platforms"
	"github.com/distribution/reference"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/buildkit/util/suggest"
)

// What BuildKit's conversion (frontend/dockerfile/dockerfile2llb, the step
// docker build takes after parsing and before building) rejects in a file
// whose instructions all parse, found without converting: dockdoc asks the
// same BuildKit functions the conversion asks (shell.Lex with the global
// ARG defaults, the reference and platform parsers, the mount parser) and
// walks the stage graph the conversion builds, in the same order. A full
// conversion (diagnose/effects) is only run for `check --effects`.
//
// The verdict is that of a plain `docker build`: no --build-arg, no
// --target, no --build-context, on a linux/amd64 machine. What a
// --build-arg could change is left to DD075: a FROM whose image is
// empty only because a global ARG has no default is a file meant to be
// built with --build-arg, not a broken one. A rejection here is certain:
// every variable it depends on is one no --build-arg can set.

// emptyImage is the name BuildKit gives the empty image.
const emptyImage = "scratch"

// convState is one of the conversion's dispatch states: a stage, or an
// image (or the empty one) that a COPY --from or a RUN --mount from=
// names without naming a stage.
type convState struct {
	index   int
	stage   *instructions.Stage // nil for an image
	in      *Instruction        // the stage's FROM; for an image, the instruction naming it
	cmds    []*Instruction      // the stage's instructions, parallel to stage.Commands
	name    string              // BuildKit's stage name ("stage-N" when unnamed)
	image   string              // the image's reference as written (images only)
	base    *convState          // the earlier stage this stage is built FROM
	unknown bool                // its base depends on a --build-arg: it may be a stage
	deps    []convEdge
}

// convEdge is a stage's use of another state's files.
type convEdge struct {
	to   *convState
	in   *Instruction
	what string // "COPY --from=build", "RUN --mount from=build"
}

// convJudge holds what the walk knows about one file.
type convJudge struct {
	d        *Document
	lex      *shell.Lex
	global   *argEnv
	settable map[string]bool // names a --build-arg (or another machine) can change
	states   []*convState
	byName   map[string]*convState
	nStages  int
}

// argEnv is an ordered set of variables with their values, as BuildKit's
// shell.EnvGetter.
type argEnv struct {
	keys []string
	vals map[string]string
}

func (e *argEnv) Get(k string) (string, bool) { v, ok := e.vals[k]; return v, ok }
func (e *argEnv) Keys() []string              { return e.keys }
func (e *argEnv) set(k, v string) {
	if _, ok := e.vals[k]; !ok {
		e.keys = append(e.keys, k)
	}
	e.vals[k] = v
}

// everySet answers every variable with a value: with it, the lexer fails
// only on what no value can repair (an unsupported ${...} form, an
// unclosed quote or brace).
type everySet struct{}

func (everySet) Get(string) (string, bool) { return "x", true }
func (everySet) Keys() []string            { return nil }

// judgeConversion adds the Rejections of BuildKit's conversion. parsed
// holds BuildKit's parse of each of d.Instructions.
func (d *Document) judgeConversion(parsed []any) {
	c := &convJudge{d: d, lex: shell.NewLex(rune(d.Escape)), settable: map[string]bool{}, byName: map[string]*convState{}}
	var metaArgs []*instructions.ArgCommand
	var metaIns []*Instruction
	var cur *convState
	for i, v := range parsed {
		in := d.Instructions[i]
		switch x := v.(type) {
		case *instructions.Stage:
			cur = &convState{index: len(c.states), stage: x, in: in}
			c.states = append(c.states, cur)
		case *instructions.ArgCommand:
			if cur == nil {
				metaArgs, metaIns = append(metaArgs, x), append(metaIns, in)
				continue
			}
			cur.stage.AddCommand(x)
			cur.cmds = append(cur.cmds, in)
		case instructions.Command:
			if cur == nil {
				return // BuildKit stops at "no build stage in current context" (DD064's)
			}
			cur.stage.AddCommand(x)
			cur.cmds = append(cur.cmds, in)
		}
	}
	c.nStages = len(c.states)
	if c.nStages == 0 || c.nStages != len(d.Stages) {
		return
	}
	c.globals(metaArgs, metaIns)
	for _, st := range c.states[:c.nStages] {
		c.from(st)
	}
	for _, st := range c.states[:c.nStages] {
		c.dependencies(st)
	}
	for _, st := range c.states[c.nStages:] {
		c.checkImage(st)
	}
	onCycle := c.cycles()
	reached := c.reachable()
	for _, st := range c.states[:c.nStages] {
		if reached[st] {
			c.dispatch(st, onCycle)
		}
	}
	slices.SortStableFunc(d.Rejections, func(a, b Rejection) int {
		return a.Instr.Span.Start - b.Instr.Span.Start
	})
}

func (c *convJudge) reject(in *Instruction, msg, why string, cause Span) {
	c.d.Rejections = append(c.d.Rejections, Rejection{Instr: in, Msg: msg, Why: why, Cause: cause})
}

// globals reads the global ARGs the way BuildKit's buildMetaArgs does,
// after BuildKit's platform arguments for a linux/amd64 build.
func (c *convJudge) globals(args []*instructions.ArgCommand, ins []*Instruction) {
	target := c.states[c.nStages-1].stage.Name
	if target == "" {
		target = "default"
	}
	c.global = &argEnv{vals: map[string]string{}}
	for _, kv := range [][2]string{
		{"BUILDPLATFORM", "linux/amd64"}, {"BUILDOS", "linux"}, {"BUILDOSVERSION", ""}, {"BUILDARCH", "amd64"}, {"BUILDVARIANT", ""},
		{"TARGETPLATFORM", "linux/amd64"}, {"TARGETOS", "linux"}, {"TARGETOSVERSION", ""}, {"TARGETARCH", "amd64"}, {"TARGETVARIANT", ""},
		{"TARGETSTAGE", target},
	} {
		c.global.set(kv[0], kv[1])
		if kv[1] == "" {
			c.settable[kv[0]] = true // a variant or OS version other machines have
		}
	}
	for i, a := range args {
		for _, kp := range a.Args {
			c.settable[kp.Key] = true
			if kp.Value == nil {
				continue
			}
			r, err := c.lex.ProcessWordWithMatches(*kp.Value, c.global)
			if err != nil {
				if c.syntaxError(*kp.Value) {
					c.reject(ins[i], err.Error(), fmt.Sprintf("the default of ARG %s cannot be expanded: %s", kp.Key, expandWhy(err)), Span{})
				}
				continue
			}
			c.global.set(kp.Key, r.Result)
		}
	}
}

// syntaxError reports whether the lexer rejects word whatever the values
// of its variables.
func (c *convJudge) syntaxError(word string) bool {
	_, err := c.lex.ProcessWordWithMatches(word, everySet{})
	return err != nil
}

// fixed reports whether no --build-arg can change word's expansion, and
// lists the variables it uses that no ARG before the first FROM declares.
func (c *convJudge) fixed(word string) (bool, []string) {
	r, _ := c.lex.ProcessWordWithMatches(word, everySet{})
	var undeclared []string
	for k := range r.Matched {
		if c.settable[k] {
			return false, nil
		}
		if _, ok := c.global.Get(k); !ok {
			undeclared = append(undeclared, "$"+k)
		}
	}
	slices.Sort(undeclared)
	return true, undeclared
}

// emptyBecause says why a word's variables are empty: "" when it has none.
func emptyBecause(undeclared []string) string {
	switch len(undeclared) {
	case 0:
		return ""
	case 1:
		return ": " + undeclared[0] + " is declared by no ARG before the first FROM, so it is always empty here"
	}
	return ": " + strings.Join(undeclared, ", ") + " are declared by no ARG before the first FROM, so they are always empty here"
}

// from judges a stage's FROM as buildDispatchStates and resolveBaseImage
// do, and registers the stage's name as addState does.
func (c *convJudge) from(st *convState) {
	s, in := st.stage, st.in
	var sd *Stage
	if in.Stage != nil && in.Stage.From == in {
		sd = in.Stage
	}
	imageCause := Span{}
	if sd != nil {
		imageCause = in.OrigSpan(sd.ImageSpan)
	}
	base := ""
	r, err := c.lex.ProcessWordWithMatches(s.BaseName, c.global)
	fixed, undeclared := c.fixed(s.BaseName)
	switch {
	case err != nil:
		if fixed || c.syntaxError(s.BaseName) {
			c.reject(in, err.Error(), fmt.Sprintf("FROM %s cannot be expanded: %s", s.BaseName, expandWhy(err)), imageCause)
		}
		st.unknown = true
	case r.Result == "":
		if fixed {
			c.reject(in, fmt.Sprintf("base name (%s) should not be blank", s.BaseName),
				fmt.Sprintf("FROM %s names no image%s", s.BaseName, emptyBecause(undeclared)), imageCause)
		}
		st.unknown = true
	case !fixed:
		st.unknown = true
	default:
		base = r.Result
	}
	if s.Platform != "" {
		c.platform(in, s.Platform)
	}
	st.name = s.Name
	if st.name == "" {
		st.name = fmt.Sprintf("stage-%d", st.index)
	}
	if base != "" {
		if b, ok := c.byName[base]; ok {
			st.base = b
		} else if base != emptyImage {
			if _, err := reference.ParseNormalizedNamed(base); err != nil {
				why := fmt.Sprintf("FROM %s is no valid image name (%s)", s.BaseName, refWhy(err))
				if b, ok := c.byName[strings.ToLower(base)]; ok {
					why = fmt.Sprintf("FROM %s names no stage: BuildKit keeps stage names in lower case (the stage on line %d is %q) but looks FROM up as written, so it reads %q as an image name, which must be lower case; write FROM %s",
						s.BaseName, b.in.StartLine, b.name, base, b.name)
				} else if e := emptyBecause(undeclared); e != "" {
					why = fmt.Sprintf("FROM %s gives %q, no valid image name%s", s.BaseName, base, e)
				}
				c.reject(in, fmt.Sprintf("failed to parse stage name %q: %v", base, err), why, imageCause)
			}
		}
	}
	if s.Name != "" {
		c.byName[strings.ToLower(s.Name)] = st
	}
}

// platform judges FROM --platform= as buildDispatchStates does.
func (c *convJudge) platform(in *Instruction, v string) {
	cause := Span{}
	for _, w := range in.Words()[1:] {
		if !strings.HasPrefix(w.Text, "--") {
			break
		}
		if strings.HasPrefix(strings.ToLower(w.Text), "--platform=") {
			cause = in.OrigSpan(Span{w.Span.Start + len("--platform="), w.Span.End})
		}
	}
	r, err := c.lex.ProcessWordWithMatches(v, c.global)
	fixed, undeclared := c.fixed(v)
	switch {
	case err != nil:
		if fixed || c.syntaxError(v) {
			c.reject(in, fmt.Sprintf("failed to process arguments for platform %s: %v", r.Result, err),
				fmt.Sprintf("FROM --platform=%s cannot be expanded: %s", v, expandWhy(err)), cause)
		}
	case !fixed:
	case r.Result == "":
		c.reject(in, c.suggest(fmt.Sprintf("empty platform value from expression %s", v), r.Unmatched),
			fmt.Sprintf("FROM --platform=%s names no platform%s", v, emptyBecause(undeclared)), cause)
	default:
		if _, err := platforms.Parse(r.Result); err != nil {
			c.reject(in, c.suggest(fmt.Sprintf("failed to parse platform %s: %v", v, err), r.Unmatched),
				fmt.Sprintf("FROM --platform=%s gives %q, which is no platform (write os/arch, such as linux/amd64)%s", v, r.Result, emptyBecause(undeclared)), cause)
		}
	}
}

// suggest adds BuildKit's "did you mean" for an unmatched name close to a
// global one, as the conversion does for platforms.
func (c *convJudge) suggest(msg string, unmatched map[string]struct{}) string {
	names := make([]string, 0, len(unmatched))
	for k := range unmatched {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if m, ok := suggest.Search(k, c.global.Keys(), true); ok {
			return msg + " (did you mean " + m + "?)"
		}
	}
	return msg
}

// dependencies adds a stage's uses of other states, as toCommand and
// detectRunMount do: COPY --from and RUN --mount from=.
func (c *convJudge) dependencies(st *convState) {
	for i, cmd := range st.stage.Commands {
		in := st.cmds[i]
		switch x := cmd.(type) {
		case *instructions.CopyCommand:
			if x.From == "" {
				continue
			}
			r, err := c.lex.ProcessWordWithMatches(x.From, &argEnv{vals: map[string]string{}})
			if err != nil {
				c.reject(in, err.Error(), fmt.Sprintf("COPY --from=%s cannot be read: %s", x.From, expandWhy(err)), Span{})
				continue
			}
			if r.Result != x.From {
				c.reject(in, "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
					fmt.Sprintf("COPY --from=%s uses a variable, and BuildKit does not expand --from: name the image in a stage instead (ARG before the first FROM, then FROM ${NAME} AS src, then COPY --from=src)", x.From), Span{})
				continue
			}
			var src *convState
			if n, err := strconv.Atoi(x.From); err == nil {
				if n < 0 || n >= len(c.states) {
					c.reject(in, fmt.Sprintf("invalid stage index %d", n),
						fmt.Sprintf("COPY --from=%s names stage %d, but there is no such stage (stages are numbered from 0, in file order)", x.From, n), Span{})
					continue
				}
				src = c.states[n]
			} else {
				src = c.state(x.From, in)
			}
			st.deps = append(st.deps, convEdge{to: src, in: in, what: "COPY --from=" + x.From})
		case *instructions.RunCommand:
			for _, m := range instructions.GetMounts(x) {
				from := m.From
				if from == "" {
					from = emptyImage
				}
				src := c.state(from, in)
				if m.From != "" {
					st.deps = append(st.deps, convEdge{to: src, in: in, what: "RUN --mount from=" + m.From})
				} else {
					st.deps = append(st.deps, convEdge{to: src, in: in})
				}
			}
		}
	}
}

// state finds the stage a --from or from= value names (case-insensitive,
// as findStateByName), or adds the image it names.
func (c *convJudge) state(name string, in *Instruction) *convState {
	if s, ok := c.byName[strings.ToLower(name)]; ok {
		return s
	}
	s := &convState{index: len(c.states), in: in, image: name}
	c.states = append(c.states, s)
	return s
}

// checkImage judges an image a --from or from= names, as resolveBaseImage
// does for every state that is no stage.
func (c *convJudge) checkImage(st *convState) {
	if st.image == emptyImage {
		return
	}
	if _, err := reference.ParseNormalizedNamed(st.image); err != nil {
		c.reject(st.in, fmt.Sprintf("failed to parse stage name %q: %v", st.image, err),
			fmt.Sprintf("%s names no stage, so BuildKit reads %q as an image name, and it is no valid one (%s)", c.naming(st), st.image, refWhy(err)), Span{})
	}
}

// naming is how an instruction names an image state: "COPY --from=X".
func (c *convJudge) naming(st *convState) string {
	if st.in.Keyword == "run" {
		return "RUN --mount from=" + st.image
	}
	return "COPY --from=" + st.image
}

// cycles reports the uses that lie on a circle of stages
// (validateCircularDependency) and returns them.
func (c *convJudge) cycles() map[*Instruction]bool {
	comp := components(c.states)
	on := map[*Instruction]bool{}
	for _, st := range c.states {
		for _, e := range st.deps {
			if comp[e.to.index] != comp[st.index] || on[e.in] {
				continue
			}
			on[e.in] = true
			var members []string
			first := st
			for _, o := range c.states {
				if comp[o.index] == comp[st.index] {
					members = append(members, o.name)
					if o.index < first.index {
						first = o
					}
				}
			}
			why := fmt.Sprintf("%s uses the stage it is in (%s), which is not built yet", e.what, st.name)
			if e.to != st {
				why = fmt.Sprintf("%s makes stage %s wait for stage %s, and the stages %s wait for each other in a circle, so none of them can be built first",
					e.what, st.name, e.to.name, andList(members))
			}
			c.reject(e.in, "circular dependency detected on stage: "+first.name, why, Span{})
		}
	}
	return on
}

// andList joins names as "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// components numbers the strongly connected components of the states'
// uses (Tarjan's algorithm, iterative): two states share a number when
// each reaches the other.
func components(states []*convState) []int {
	n := len(states)
	index, low, comp := make([]int, n), make([]int, n), make([]int, n)
	for i := range index {
		index[i], comp[i] = -1, -1
	}
	onStack := make([]bool, n)
	var stack []int
	next, ncomp := 0, 0
	type frame struct{ v, e int }
	for root := range states {
		if index[root] >= 0 {
			continue
		}
		call := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			if f.e < len(states[f.v].deps) {
				w := states[f.v].deps[f.e].to.index
				f.e++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, 0})
				} else if onStack[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
		}
	}
	return comp
}

// reachable is the set of stages a plain docker build builds: the last
// stage and what it uses, through FROM and the uses (allReachableStages).
// A stage whose base a --build-arg decides is followed no further.
func (c *convJudge) reachable() map[*convState]bool {
	seen := map[*convState]bool{}
	todo := []*convState{c.states[c.nStages-1]}
	for len(todo) > 0 {
		s := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[s] {
			continue
		}
		seen[s] = true
		if s.base != nil {
			todo = append(todo, s.base)
		}
		for _, e := range s.deps {
			todo = append(todo, e.to)
		}
	}
	return seen
}

// lexError is an error of the lexer, as the conversion's expansion gets it.
type lexError struct{ err error }

func (e *lexError) Error() string { return e.err.Error() }
func (e *lexError) Unwrap() error { return e.err }

// dispatch judges a stage docker build builds, instruction by
// instruction, as dispatch does: the expansion of each word (whatever the
// values: the stage's variables come from its base image too, which
// dockdoc cannot see), the RUN --mount options, and the uses of stages
// further down.
func (c *convJudge) dispatch(st *convState, onCycle map[*Instruction]bool) {
	for i, cmd := range st.stage.Commands {
		in := st.cmds[i]
		kw := strings.ToUpper(in.Keyword)
		if a, ok := cmd.(*instructions.ArgCommand); ok {
			for _, kp := range a.Args {
				if kp.Value == nil {
					continue
				}
				if _, _, err := c.lex.ProcessWord(*kp.Value, everySet{}); err != nil {
					c.reject(in, err.Error(), fmt.Sprintf("the default of ARG %s cannot be expanded: %s", kp.Key, expandWhy(err)), Span{})
				}
			}
			continue
		}
		unknown := false
		expander := func(lex *shell.Lex) instructions.SingleWordExpander {
			return func(word string) (string, error) {
				r, err := lex.ProcessWordWithMatches(word, everySet{})
				if err != nil {
					return "", &lexError{err}
				}
				if len(r.Matched) > 0 {
					unknown = true // its value is not known here: keep the word
					return word, nil
				}
				return r.Result, nil
			}
		}
		var err error
		if ex, ok := cmd.(instructions.SupportsSingleWordExpansion); ok {
			err = ex.Expand(expander(c.lex))
		}
		if x, ok := cmd.(*instructions.ExposeCommand); ok { // dispatchExpose expands each port
			for _, p := range x.Ports {
				if _, perr := c.lex.ProcessWords(p, everySet{}); perr != nil && err == nil {
					err = &lexError{perr}
				}
			}
		}
		if ex, ok := cmd.(instructions.SupportsSingleWordExpansionRaw); ok && err == nil {
			raw := shell.NewLex('\\')
			raw.SkipProcessQuotes = true
			err = ex.ExpandRaw(expander(raw))
		}
		var le *lexError
		switch {
		case errors.As(err, &le):
			c.reject(in, le.err.Error(), fmt.Sprintf("BuildKit cannot expand the variables of this %s: %s", kw, expandWhy(le.err)), Span{})
			continue
		case err != nil && !unknown:
			why := fmt.Sprintf("docker build rejects this %s", kw)
			if in.Keyword == "run" {
				why = mountWhy(err)
			}
			c.reject(in, err.Error(), why, Span{})
			continue
		}
		if onCycle[in] {
			continue
		}
		for _, e := range st.deps {
			if e.in != in || e.to.stage == nil || e.to.index <= st.index {
				continue
			}
			why := fmt.Sprintf("%s uses stage %s, which is defined further down (line %d): BuildKit builds the stages in file order, so a stage can only use the stages above it",
				e.what, e.to.name, e.to.in.StartLine)
			if x, ok := cmd.(*instructions.CopyCommand); ok {
				c.reject(in, fmt.Sprintf("cannot copy from stage %q, it needs to be defined before current stage %q", x.From, st.name), why, Span{})
				break
			}
			if x, ok := cmd.(*instructions.RunCommand); ok {
				target := ""
				for _, m := range instructions.GetMounts(x) {
					if m.From != "" && c.byName[strings.ToLower(m.From)] == e.to {
						target = m.Target
						if unknown {
							target = ""
						}
						break
					}
				}
				c.reject(in, fmt.Sprintf("cannot mount from stage %q to %q, stage needs to be defined before current command", strings.TrimPrefix(e.what, "RUN --mount from="), target), why, Span{})
				break
			}
		}
	}
}

// mountWhy says in plain words why BuildKit's mount parser rejects a
// RUN --mount.
func mountWhy(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "invalid field "):
		return "each RUN --mount option is key=value; only ro, rw, readonly and readwrite (and required, for secret and ssh mounts) stand alone"
	case strings.HasPrefix(msg, "unsupported mount type "):
		return "a RUN --mount type is bind, cache, tmpfs, secret or ssh"
	case strings.HasPrefix(msg, "unexpected key "):
		return "this RUN --mount has an option its mount type does not have"
	case strings.HasPrefix(msg, "invalid value"):
		return "a RUN --mount option has a value of the wrong kind"
	}
	return "docker build rejects this RUN's --mount"
}

// expandWhy says in plain words why the lexer rejects a word.
func expandWhy(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "\": "); strings.HasPrefix(msg, "failed to process \"") && i > 0 {
		msg = msg[i+3:]
	}
	switch {
	case strings.HasPrefix(msg, "unsupported modifier ("):
		form := strings.TrimSuffix(strings.TrimPrefix(msg, "unsupported modifier ("), ") in substitution")
		return fmt.Sprintf("a ${...} reference uses %q after the name, a form BuildKit does not know (it knows ${NAME:-default}, ${NAME:+other}, ${NAME:?message} and the #, %% and / pattern forms); a template placeholder must be filled in first", form)
	case strings.Contains(msg, "missing '}'"):
		return "a ${ is never closed with }"
	case strings.Contains(msg, "bad substitution"):
		return "a ${...} reference holds no variable name"
	case strings.Contains(msg, "matching single-quote"):
		return "a single quote is never closed (inside single quotes a backslash does not escape the quote)"
	case strings.Contains(msg, "matching double-quote"):
		return "a double quote is never closed"
	case strings.HasPrefix(msg, "invalid pattern"):
		return "the pattern of a ${...} reference is not valid"
	case strings.Contains(msg, ": "):
		return "a ${NAME?message} requires a variable that nothing sets"
	}
	return "BuildKit's lexer cannot read it"
}

// refWhy says in plain words why an image reference is invalid.
func refWhy(err error) string {
	switch msg := err.Error(); {
	case errors.Is(err, reference.ErrNameContainsUppercase) || strings.Contains(msg, "must be lowercase"):
		return "an image's repository name must be lower case"
	case errors.Is(err, reference.ErrNameEmpty):
		return "the repository name is empty"
	case errors.Is(err, reference.ErrNameTooLong):
		return "the repository name is too long"
	case errors.Is(err, reference.ErrTagInvalidFormat):
		return "the tag is not valid"
	case errors.Is(err, reference.ErrDigestInvalidFormat):
		return "the digest is not valid"
	case strings.Contains(msg, "64-byte hexadecimal"):
		return "a bare 64-digit hexadecimal string is an image ID, which FROM cannot name"
	}
	return "a reference is [host/]name[:tag][@digest], in lower case, with a tag after a colon"
}
