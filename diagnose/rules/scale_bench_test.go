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
