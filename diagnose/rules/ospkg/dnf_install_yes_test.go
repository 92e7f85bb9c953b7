package ospkg

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

// microdnf without -y is advice (info): the versions images use today go
// ahead without asking; dnf without -y fails (the rule's warning).
func TestDD046MicrodnfIsInfo(t *testing.T) {
	src := "FROM registry.example/minimal:9\n" +
		"RUN dnf install httpd\n" +
		"RUN microdnf install jq\n"
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD046"}})
	if len(fs) != 2 {
		t.Fatalf("got %d findings, want 2", len(fs))
	}
	if fs[0].Line != 2 || fs[0].Severity != diagnose.Warning {
		t.Errorf("dnf: line %d severity %s, want line 2 warning", fs[0].Line, fs[0].Severity)
	}
	if fs[1].Line != 3 || fs[1].Severity != diagnose.Info {
		t.Errorf("microdnf: line %d severity %s, want line 3 info", fs[1].Line, fs[1].Severity)
	}
}
