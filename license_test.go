package main

import (
	"os"
	"strings"
	"testing"
)

// The licence dockdoc --version names is the one in LICENSE, whole.
func TestLicense(t *testing.T) {
	b, err := os.ReadFile("LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{
		"Apache License\n                           Version 2.0, January 2004",
		"TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
		"9. Accepting Warranty or Additional Liability.",
		"END OF TERMS AND CONDITIONS",
		"Copyright 2026 The dockdoc Authors",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("LICENSE lacks %q", want)
		}
	}
	if strings.Contains(text, "[yyyy]") {
		t.Error("LICENSE still has the appendix's placeholder")
	}
	if license != "Apache-2.0" {
		t.Errorf("license = %q, but LICENSE is the Apache License 2.0", license)
	}
	for _, arg := range []string{"--version", "version"} {
		code, out, _ := runCLI(t, nil, arg)
		if code != exitClean || !strings.HasPrefix(out, "dockdoc ") || !strings.HasSuffix(out, " (Apache-2.0)\n") {
			t.Errorf("dockdoc %s: exit %d %q", arg, code, out)
		}
	}
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	module := strings.TrimPrefix(strings.SplitN(string(mod), "\n", 2)[0], "module ")
	readme, _ := os.ReadFile("README.md")
	for _, want := range []string{"go install " + module + "@latest", "[LICENSE](LICENSE)", "Apache-2.0"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README lacks %q", want)
		}
	}
}
