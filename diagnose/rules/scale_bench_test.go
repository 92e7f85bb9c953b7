package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

// The two size shapes of issue 10: cost must grow linearly with a file's
// size, so each benchmark runs at N and 8N (compare the ns/op of the two
// sizes; the target is at most 12× for 8× the input). Both stay under the
// CLI's 2 MB limit.

// chainedStages is a file of n stages, each built FROM the one before it
// and installing a package.
func chainedStages(n int) []byte {
	var b strings.Builder
	b.WriteString("FROM debian:12 AS s0\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "FROM s%d AS s%d\nRUN apt-get update && apt-get install -y curl\n", i-1, i)
	}
	return []byte(b.String())
}

// manyRuns is one stage of n RUN lines: apt-get installs among plain
// commands.
func manyRuns(n int) []byte {
	var b strings.Builder
	b.WriteString("FROM debian:12\n")
	for i := 0; i < n; i++ {
		if i%4 == 0 {
			b.WriteString("RUN apt-get update && apt-get install -y curl\n")
		} else {
			fmt.Fprintf(&b, "RUN echo %d > /tmp/f%d\n", i, i)
		}
	}
	return []byte(b.String())
}

func benchDiagnose(b *testing.B, src []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for range b.N {
		doc, err := diagnose.Parse("Dockerfile", src)
		if err != nil {
			b.Fatal(err)
		}
		diagnose.Run(doc, diagnose.Options{})
	}
}

func BenchmarkScaleStages(b *testing.B) {
	for _, n := range []int{1000, 8000} {
		src := chainedStages(n)
		b.Run(fmt.Sprintf("stages=%d", n), func(b *testing.B) { benchDiagnose(b, src) })
	}
}

func BenchmarkScaleRuns(b *testing.B) {
	for _, n := range []int{2500, 20000} {
		src := manyRuns(n)
		b.Run(fmt.Sprintf("runs=%d", n), func(b *testing.B) { benchDiagnose(b, src) })
	}
}

// repeatedExample is rule r's Bad example n times over (with a FROM in
// front when the example has none), stage names numbered so they stay
// distinct: a large file of exactly what the rule looks for.
func repeatedExample(r *diagnose.Rule, n int) []byte {
	bad := r.Doc.Bad
	if !strings.Contains(bad, "FROM") {
		bad = "FROM debian:12\n" + bad
	}
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.ReplaceAll(bad, "AS builder", fmt.Sprintf("AS builder%d", i)))
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// BenchmarkScaleEachRule runs each rule alone on its Bad example repeated
// 300 and 2,400 times (the parse is outside the timing), so a rule whose
// cost grows faster than the file shows up by name: compare the two sizes
// of one rule (the target is at most 12x for 8x). Run it with
// -benchtime 3x; it has two sub-benchmarks per rule.
func BenchmarkScaleEachRule(b *testing.B) {
	for _, r := range diagnose.All() {
		for _, n := range []int{300, 2400} {
			src := repeatedExample(r, n)
			b.Run(fmt.Sprintf("%s/examples=%d", r.Code, n), func(b *testing.B) {
				opts := diagnose.Options{Only: []string{r.Code}}
				for range b.N {
					b.StopTimer()
					doc, err := diagnose.Parse("Dockerfile", src)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					diagnose.Run(doc, opts)
				}
			})
		}
	}
}
