package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/dockdoc/dockdoc/internal/corpus"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// corpusCopies copies the corpus n times into a temporary directory (one
// folder per copy, as a monorepo has) and returns it with the number of
// files; it skips the benchmark when there is no corpus.
func corpusCopies(b *testing.B, n int) (string, int) {
	b.Helper()
	src := corpus.Dir()
	files, _ := filepath.Glob(filepath.Join(src, "*"))
	if src == "" || len(files) == 0 {
		b.Skip("no corpus of Dockerfiles found (set DOCKDOC_CORPUS)")
	}
	dir := b.TempDir()
	count := 0
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("copy%02d", i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			b.Fatal(err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				continue // a folder or an unreadable file: not a Dockerfile
			}
			if err := os.WriteFile(filepath.Join(sub, filepath.Base(f)), data, 0o644); err != nil {
				b.Fatal(err)
			}
			count++
		}
	}
	return dir, count
}

// peakMemory samples the memory the Go runtime holds from the OS (mapped
// and not released: what RSS counts of the heap, stacks and runtime
// structures) and the live heap, every half millisecond, until stop is
// called; it returns the peaks in bytes. It starts from a collected heap
// returned to the OS, so an earlier run's garbage does not count.
func peakMemory() (stop func() (held, heap uint64)) {
	runtime.GC()
	debug.FreeOSMemory()
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
	}
	var held, heap uint64
	sample := func() {
		metrics.Read(samples)
		held = max(held, samples[0].Value.Uint64()-samples[1].Value.Uint64())
		heap = max(heap, samples[2].Value.Uint64())
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(500 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				sample()
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		wg.Wait()
		return held, heap
	}
}

func reportPeak(b *testing.B, held, heap uint64) {
	b.ReportMetric(float64(held)/(1<<20), "peak-MB")
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
}

// BenchmarkCheckCorpus is dockdoc check over one and ten copies of the
// corpus (728 and 7,280 files), report written (text, discarded), with
// the CLI's GC setting; peak-MB is the most memory the Go runtime held
// during a run. Memory must stay flat in the number of files.
func BenchmarkCheckCorpus(b *testing.B) {
	for _, n := range []int{1, 10} {
		b.Run(fmt.Sprintf("copies=%d", n), func(b *testing.B) {
			dir, files := corpusCopies(b, n)
			defer debug.SetGCPercent(debug.SetGCPercent(cliGCPercent))
			var held, heap uint64
			b.ResetTimer()
			for range b.N {
				stop := peakMemory()
				c := &cli{stdout: io.Discard, stderr: io.Discard, fsys: fixes.OS{}}
				c.dispatch([]string{"check", dir})
				h, hp := stop()
				held, heap = max(held, h), max(heap, hp)
			}
			b.ReportMetric(float64(files), "files")
			reportPeak(b, held, heap)
		})
	}
}

// BenchmarkBuildKitCheckCorpus is the yardstick for the same files:
// BuildKit's parser plus its instruction parsing with the linter on (the
// checks that run without a build), each file read, checked and dropped,
// on every CPU, at Go's default GC setting as BuildKit runs.
func BenchmarkBuildKitCheckCorpus(b *testing.B) {
	for _, n := range []int{1, 10} {
		b.Run(fmt.Sprintf("copies=%d", n), func(b *testing.B) {
			dir, files := corpusCopies(b, n)
			paths, err := diagnose.Discover([]string{dir})
			if err != nil {
				b.Fatal(err)
			}
			var held, heap uint64
			b.ResetTimer()
			for range b.N {
				stop := peakMemory()
				buildkitCheck(paths)
				h, hp := stop()
				held, heap = max(held, h), max(heap, hp)
			}
			b.ReportMetric(float64(files), "files")
			reportPeak(b, held, heap)
		})
	}
}

func buildkitCheck(paths []string) {
	ch := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range ch {
				src, err := os.ReadFile(p)
				if err != nil {
					continue
				}
				res, err := parser.Parse(bytes.NewReader(src))
				if err != nil {
					continue
				}
				lint := linter.New(&linter.Config{Warn: func(string, string, string, string, []parser.Range) {}})
				_, _, _ = instructions.Parse(res.AST, lint)
			}
		}()
	}
	for _, p := range paths {
		ch <- p
	}
	close(ch)
	wg.Wait()
}
