package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A rule may give one finding a lower severity than its own (DD013 makes
// a stage with no USER info): the explanation's and the lesson's headers
// show the finding's severity, as the list does, not the rule's.
func TestHeadersShowTheFindingsSeverity(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(p, []byte("FROM scratch\nCOPY app /app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m := start(t, 120, 40, p)
	cursorTo(t, m, "DD013")
	got := m.explainText(m.current(), 100)
	if head, _, _ := strings.Cut(got, "\n"); !strings.Contains(head, "(info)") || strings.Contains(head, "warning") {
		t.Errorf("explanation header %q, want the finding's (info)", head)
	}
	press(m, "t")
	for m.guide.g.Current != nil && m.guide.g.Current.Rule.Code != "DD013" {
		press(m, "n")
	}
	if m.guide.g.Current == nil {
		t.Fatal("no DD013 lesson")
	}
	got = m.guideContent(100)
	i := strings.Index(got, "DD013")
	if i < 0 {
		t.Fatalf("no DD013 header in the lesson:\n%s", got)
	}
	head, _, _ := strings.Cut(got[i:], "\n")
	if !strings.Contains(head, "info") || strings.Contains(head, "warning") {
		t.Errorf("lesson header %q, want the finding's info", head)
	}
}
