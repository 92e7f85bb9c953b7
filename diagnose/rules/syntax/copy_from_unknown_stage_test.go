package syntax

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

// nearestStageScan is the plain definition nearStages must agree with:
// scan every stage before before.
func nearestStageScan(d *diagnose.Document, name string, before int) *diagnose.Stage {
	var found *diagnose.Stage
	best, tie := 3, false
	for _, s := range d.Stages[:before] {
		if s.Name == "" {
			continue
		}
		dist := editDistance(strings.ToLower(name), strings.ToLower(s.Name))
		if dist > 2 || 2*dist >= len(name) {
			continue
		}
		switch {
		case dist < best:
			found, best, tie = s, dist, false
		case dist == best && !strings.EqualFold(found.Name, s.Name):
			tie = true
		}
	}
	if tie {
		return nil
	}
	return found
}

func TestNearStagesAgreesWithScan(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	words := []string{"build", "biuld", "builder", "Build", "test", "tset", "deps", "dep", "prod", "runtime", "base", "bse"}
	for round := 0; round < 200; round++ {
		var b strings.Builder
		n := 1 + rng.Intn(12)
		for i := 0; i < n; i++ {
			if rng.Intn(4) == 0 {
				b.WriteString("FROM alpine\n")
				continue
			}
			fmt.Fprintf(&b, "FROM alpine AS %s\n", words[rng.Intn(len(words))])
		}
		d, err := diagnose.Parse("Dockerfile", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		x := &nearStages{d: d}
		before := 0
		for q := 0; q < 10; q++ {
			before += rng.Intn(3) // the rule asks in file order
			if before > len(d.Stages) {
				before = len(d.Stages)
			}
			name := words[rng.Intn(len(words))]
			if got, want := x.nearestStage(name, before), nearestStageScan(d, name, before); got != want {
				t.Fatalf("file:\n%snearestStage(%q, %d) = %v, want %v", b.String(), name, before, got, want)
			}
		}
	}
}
