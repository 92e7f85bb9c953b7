package diagnose

import (
	"strings"
	"testing"
)

const scopeFile = `ARG BASE=python:3.12
FROM ${BASE} AS build
RUN build-it
FROM build AS tests
RUN test-it
FROM python:3.12-slim AS base
RUN base-it
# a comment between stages
FROM base AS mid
RUN mid-it
FROM mid
COPY --from=build /out /out
RUN --mount=from=tools,target=/t final-it
`

// A stage ships when the last stage is built on it, directly or through
// other stages; COPY --from and RUN --mount=from= do not make it ship, nor
// does a child stage that does not ship itself.
func TestStageShips(t *testing.T) {
	d := mustParse(t, scopeFile)
	want := map[string]bool{"build": false, "tests": false, "base": true, "mid": true, "": true}
	if len(d.Stages) != len(want) {
		t.Fatalf("%d stages, want %d", len(d.Stages), len(want))
	}
	for _, s := range d.Stages {
		if got := s.Ships(); got != want[s.Name] {
			t.Errorf("stage %q (line %d): Ships() = %v, want %v", s.Name, s.From.StartLine, got, want[s.Name])
		}
	}
	if one := mustParse(t, "FROM scratch\nCOPY a /a\n"); !one.Stages[0].Ships() {
		t.Error("the only stage does not ship")
	}
	var nilStage *Stage
	if nilStage.Ships() {
		t.Error("a nil stage ships")
	}
}

func TestStageAt(t *testing.T) {
	d := mustParse(t, scopeFile)
	at := func(text string) *Stage {
		i := strings.Index(scopeFile, text)
		if i < 0 {
			t.Fatalf("%q not in the file", text)
		}
		return d.StageAt(i)
	}
	if s := at("ARG BASE"); s != nil {
		t.Errorf("the global ARG is in stage %q", s.Name)
	}
	for text, name := range map[string]string{"build-it": "build", "test-it": "tests", "# a comment": "base", "FROM base": "mid", "final-it": ""} {
		if s := at(text); s == nil || s.Name != name {
			t.Errorf("%q: StageAt gives %v, want stage %q", text, s, name)
		}
	}
}

// The runner drops the findings of a ShippedStages rule that lie in a stage
// no image is made of, and keeps those of other rules.
func TestShippedStagesScope(t *testing.T) {
	d := mustParse(t, scopeFile)
	report := func(p *Pass) {
		for _, in := range p.Doc.Instructions {
			if in.Keyword == "run" || in.Keyword == "arg" {
				p.Report(in.Span, "%s", in.Keyword)
			}
		}
	}
	lines := func(fs []Finding) []int {
		var out []int
		for _, f := range fs {
			out = append(out, f.Line)
		}
		return out
	}
	all := runRule(d, &Rule{Code: "DD998", Name: "every-stage", Check: report})
	if got := lines(all); len(got) != 6 {
		t.Errorf("an AllStages rule reported on lines %v, want the ARG and all 5 RUNs", got)
	}
	shipped := runRule(d, &Rule{Code: "DD999", Name: "shipped-only", Scope: ShippedStages, Check: report})
	got, want := lines(shipped), []int{1, 7, 10, 13}
	if len(got) != len(want) {
		t.Fatalf("a ShippedStages rule reported on lines %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("a ShippedStages rule reported on lines %v, want %v", got, want)
		}
	}
}
