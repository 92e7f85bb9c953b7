package rules

import (
	"bytes"
	"os"
	"runtime"
	"sync"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/internal/corpus"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

func readCorpus(b *testing.B) [][]byte {
	files := corpus.Files(b)
	var srcs [][]byte
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	return srcs
}

// inParallel runs work over the corpus on every CPU, as check does.
func inParallel(srcs [][]byte, work func([]byte)) {
	var wg sync.WaitGroup
	ch := make(chan []byte)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for src := range ch {
				work(src)
			}
		}()
	}
	for _, s := range srcs {
		ch <- s
	}
	close(ch)
	wg.Wait()
}

// BenchmarkBuildKitCorpus is the yardstick: BuildKit's own parser plus its
// instruction parsing with the linter on (where four of its checks run; the
// other checks run during LLB conversion, which needs a build), over the
// whole corpus.
func BenchmarkBuildKitCorpus(b *testing.B) {
	srcs := readCorpus(b)
	b.ResetTimer()
	for range b.N {
		inParallel(srcs, func(src []byte) {
			res, err := parser.Parse(bytes.NewReader(src))
			if err != nil {
				return
			}
			lint := linter.New(&linter.Config{Warn: func(string, string, string, string, []parser.Range) {}})
			_, _, _ = instructions.Parse(res.AST, lint)
		})
	}
}

// BenchmarkParseCorpus is dockdoc's floor: BuildKit's parser plus the byte
// mapping of every instruction.
func BenchmarkParseCorpus(b *testing.B) {
	srcs := readCorpus(b)
	b.ResetTimer()
	for range b.N {
		inParallel(srcs, func(src []byte) { _, _ = diagnose.Parse("Dockerfile", src) })
	}
}

// BenchmarkDiagnoseCorpus is what dockdoc check does per file: parse and
// run every rule (the build context is read once per directory and left
// out here).
func BenchmarkDiagnoseCorpus(b *testing.B) {
	srcs := readCorpus(b)
	b.ResetTimer()
	for range b.N {
		inParallel(srcs, func(src []byte) {
			if doc, err := diagnose.Parse("Dockerfile", src); err == nil {
				diagnose.Run(doc, diagnose.Options{})
			}
		})
	}
}
