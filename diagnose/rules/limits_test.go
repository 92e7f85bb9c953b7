package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// Pathological inputs: each must be diagnosed and fixed to completion (go
// test's timeout catches a hang) without a panic, or be refused with a
// clear finding. Their cost is measured by BenchmarkLimits, not here.
var limitCases = map[string]func() string{
	"100k lines": func() string {
		var b strings.Builder
		b.WriteString("FROM debian:12\n")
		for i := 0; i < 100_000; i++ {
			fmt.Fprintf(&b, "ENV V%d %d\n", i, i)
		}
		return b.String()
	},
	"5000 stages": func() string {
		var b strings.Builder
		for i := 0; i < 5000; i++ {
			fmt.Fprintf(&b, "FROM alpine:3.20 AS s%d\nCOPY --from=s%d /x /x\nRUN apk add curl\n", i, max(0, i-1))
		}
		return b.String()
	},
	"continuation chain of 20k lines": func() string {
		var b strings.Builder
		b.WriteString("FROM debian:12\nRUN true \\\n")
		for i := 0; i < 20_000; i++ {
			fmt.Fprintf(&b, "  && echo %d \\\n", i)
		}
		b.WriteString("  && apt-get install curl\n")
		return b.String()
	},
	"a 60 KB line": func() string {
		return "FROM debian:12\nRUN echo " + strings.Repeat("x", 60_000) + " && apt-get install curl\n"
	},
	"a line over the parser's 64 KB limit": func() string {
		return "FROM debian:12\nRUN echo " + strings.Repeat("x", 70_000) + "\n"
	},
	"deeply nested shell": func() string {
		return "FROM debian:12\nRUN " + strings.Repeat("( ", 500) + "apt-get install curl" + strings.Repeat(" )", 500) +
			" && " + strings.Repeat("$(echo ", 200) + "x" + strings.Repeat(")", 200) + "\n"
	},
	"deep if nesting": func() string {
		return "FROM debian:12\nRUN " + strings.Repeat("if true; then ", 300) + "pip install uv" + strings.Repeat("; fi", 300) + "\n"
	},
}

func TestLimits(t *testing.T) {
	for name, gen := range limitCases {
		t.Run(name, func(t *testing.T) {
			src := []byte(gen())
			doc, err := diagnose.Parse("Dockerfile", src)
			if err != nil {
				t.Fatal(err)
			}
			fs := diagnose.Run(doc, diagnose.Options{})
			for _, f := range fs {
				if strings.Contains(f.Message, "internal error") {
					t.Fatal(f.Message)
				}
			}
			if doc.ParseErr != nil {
				if len(fs) != 1 || fs[0].Rule.Code != "DD000" {
					t.Fatalf("a file that does not parse should give one DD000 finding, got %d", len(fs))
				}
				return
			}
			res, err := diagnose.FixAll("Dockerfile", src, diagnose.Options{}, fixes.Unsafe)
			if err != nil {
				t.Fatal(err)
			}
			if err := diagnose.Verify(res.Out); err != nil {
				t.Fatalf("fixed output does not parse: %v", err)
			}
		})
	}
}

func BenchmarkLimits(b *testing.B) {
	for name, gen := range limitCases {
		src := []byte(gen())
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				doc, err := diagnose.Parse("Dockerfile", src)
				if err == nil {
					diagnose.Run(doc, diagnose.Options{})
				}
			}
		})
	}
}
