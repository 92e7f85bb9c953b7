package variables

import (
	"sort"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD061",
	Name:     "env-same-instruction-reference",
	Severity: diagnose.Error,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3044"},
	Summary:  "ENV uses a variable that the same ENV sets",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags an `ENV` with several `key=value` pairs where one value refers to a variable (`$A`, `${A}`, " +
			"`${A:-x}`) that another pair of the same `ENV` sets. A variable referring to itself " +
			"(`PATH=/opt/bin:$PATH`) is fine, and so is a pair that only passes a variable on " +
			"(`VERSION=${VERSION}`), since its value does not change. Escaped dollars (`\\$A`) and single-quoted " +
			"text are not references. Unlike hadolint, dockdoc also reports the case where the variable was set " +
			"earlier with another value (the reference then silently gets the old value), and does not stumble " +
			"over `\\$A` (hadolint issue #1062) or `${A:-default}`. A fragment without `FROM` is checked like the start " +
			"of a stage, as hadolint does.",
		Why: "Docker expands all the values of one `ENV` with the variables as they were before the instruction. " +
			"In `ENV APP_HOME=/app APP_DATA=$APP_HOME/data`, `APP_DATA` does not become `/app/data`: `$APP_HOME` is " +
			"still unset at that point, so it becomes `/data` (or uses whatever `APP_HOME` the base image had). The " +
			"file reads as if it worked, and the mistake only shows when the program looks in the wrong place.",
		Bad:  "FROM alpine:3.20\nENV APP_HOME=/app \\\n    APP_DATA=$APP_HOME/data",
		Good: "FROM alpine:3.20\nENV APP_HOME=/app\nENV APP_DATA=$APP_HOME/data",
		Fix: "No automatic fix: splitting the `ENV` in two gives the value the author probably meant, but that " +
			"changes what the image contains, and the author may have relied on the old value. Move the pairs that " +
			"use the variable to a second `ENV` after the first, or write the value out.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#environment-replacement",
			"https://docs.docker.com/reference/dockerfile/#env",
			"https://github.com/hadolint/hadolint/wiki/DL3044",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		ends := map[*diagnose.Stage]map[string]bool{} // ENV names set by the end of each stage
		// A fragment without FROM is read like the start of a stage, as
		// hadolint does (its ARGs here are global ones, which a stage does
		// not see, so they do not count).
		for _, in := range d.Instructions {
			if in.Stage != nil {
				break
			}
			if in.Keyword == "env" {
				checkEnv(p, in, map[string]bool{})
			}
		}
		for _, st := range d.Stages {
			known := map[string]bool{}
			if st.Parent != nil {
				for k := range ends[st.Parent] {
					known[k] = true
				}
			}
			for _, in := range st.Instrs {
				switch in.Keyword {
				case "arg":
					for n := in.Node.Next; n != nil; n = n.Next {
						name, _, _ := strings.Cut(n.Value, "=")
						known[name] = true
					}
				case "env":
					checkEnv(p, in, known)
				}
			}
			ends[st] = known
		}
	},
})

type envPair struct {
	key, raw string
	span     diagnose.Span // logical span of the value
}

// envNodes returns the (key, value, separator) triples of an ENV node.
func envNodes(in *diagnose.Instruction) [][3]string {
	var vals []string
	for n := in.Node.Next; n != nil; n = n.Next {
		vals = append(vals, n.Value)
	}
	if len(vals)%3 != 0 {
		return nil
	}
	var out [][3]string
	for k := 0; k < len(vals); k += 3 {
		out = append(out, [3]string{vals[k], vals[k+1], vals[k+2]})
	}
	return out
}

// envPairs lists the key=value pairs of an ENV with the logical span of
// each value, or nil when the text does not line up with BuildKit's parse
// (or is the legacy form ENV key value, which sets a single variable).
func envPairs(in *diagnose.Instruction) []envPair {
	var out []envPair
	cur := len(in.Node.Value)
	for _, t := range envNodes(in) {
		if t[2] != "=" {
			return nil
		}
		key, raw := t[0], t[1]
		i := strings.Index(in.Logical[cur:], key+"="+raw)
		if i < 0 {
			return nil
		}
		start := cur + i + len(key) + 1
		out = append(out, envPair{key: key, raw: raw, span: diagnose.Span{Start: start, End: start + len(raw)}})
		cur = start + len(raw)
	}
	return out
}

// checkEnv reports the pairs of an ENV that use a variable another pair
// of it sets, then records the keys as known.
func checkEnv(p *diagnose.Pass, in *diagnose.Instruction, known map[string]bool) {
	d := p.Doc
	pairs := envPairs(in)
	defer func() {
		for _, t := range envNodes(in) {
			known[t[0]] = true
		}
	}()
	if len(pairs) < 2 {
		return
	}
	setBy := map[string][]int{} // key -> the pairs that set it
	for i, pr := range pairs {
		setBy[pr.key] = append(setBy[pr.key], i)
	}
	// other returns the pair (not j) that sets v: the nearest before j,
	// else the first after it.
	other := func(v string, j int) int {
		found := -1
		for _, i := range setBy[v] {
			if i < j {
				found = i
			} else if i > j && found < 0 {
				return i
			}
		}
		return found
	}
	for j, pr := range pairs {
		refs := buildvars.VarRefs(pr.raw, d.Escape)
		sort.Strings(refs)
		var bad []string
		var from []int
		for _, v := range refs {
			i := other(v, j)
			if v == pr.key && i > j {
				continue // PATH=/opt/bin:$PATH refers to its own old value, as intended
			}
			if i < 0 || passesOn(pairs[i], d.Escape) {
				continue // not set here, or VERSION=${VERSION} (unchanged)
			}
			bad = append(bad, v)
			from = append(from, i)
		}
		if len(bad) == 0 {
			continue
		}
		v, i := bad[0], from[0]
		before := "still unset (or the base image's value)"
		if known[v] {
			before = "still the value from before this line"
		}
		others := ""
		if len(bad) > 1 {
			others = " (and $" + strings.Join(bad[1:], ", $") + ")"
		}
		p.Report(in.OrigSpan(pr.span), "%s uses $%s%s, set to %s by this same ENV; but ENV expands its values before "+
			"setting any, so here $%s is %s", pr.key, v, others, pairs[i].raw, v, before)
	}
}

// passesOn reports whether a pair only passes its own variable on
// (V=$V, V=${V}, V="${V}"), so that its value does not change.
func passesOn(pr envPair, esc byte) bool {
	val, _, ok := buildvars.Lex(pr.raw, esc)
	if !ok || val != "" {
		return false
	}
	refs := buildvars.VarRefs(pr.raw, esc)
	if len(refs) != 1 || refs[0] != pr.key {
		return false
	}
	r := strings.Trim(pr.raw, `"`)
	return r == "$"+pr.key || r == "${"+pr.key+"}"
}
