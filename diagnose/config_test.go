package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigFilesAndErrors(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "svc", "api")
	os.MkdirAll(sub, 0o755)
	df := filepath.Join(sub, "Dockerfile")
	os.WriteFile(df, []byte("FROM debian\nRUN apt-get install curl\n"), 0o644)

	// No config at all.
	if c, err := FindConfig(df); err != nil || c != nil {
		t.Fatalf("no config: %v %v", c, err)
	}
	// hadolint's config is honoured when there is no .dockdoc.yaml.
	os.WriteFile(filepath.Join(root, ".hadolint.yaml"), []byte("ignored: [DL3014, SC2086]\nfailure-threshold: warning\noverride:\n  error: [DL3006]\ntrustedRegistries: registry.example\nno-color: true\n"), 0o644)
	c, err := FindConfig(df)
	if err != nil || c == nil || !strings.HasSuffix(c.Path, ".hadolint.yaml") {
		t.Fatalf("hadolint config: %v %v", c, err)
	}
	doc, _ := Parse(df, []byte("FROM debian\nRUN apt-get install curl\n"))
	fs := Run(doc, Options{Config: c, Only: []string{"DD001", "DD005"}})
	if len(fs) != 1 || fs[0].Rule.Code != "DD001" || fs[0].Severity != Error || c.FailLevel != "warning" || c.TrustedRegistries[0] != "registry.example" {
		t.Errorf("hadolint settings not applied: %+v / %s", c, formatFindings(fs))
	}
	// .dockdoc.yaml wins over .hadolint.yaml, wherever each is.
	os.WriteFile(filepath.Join(root, "svc", ".dockdoc.yaml"), []byte("ignore: [DD001]\nseverity:\n  apt-get-install-yes: error\nfail-level: error\n"), 0o644)
	c, err = FindConfig(df)
	if err != nil || !strings.HasSuffix(c.Path, ".dockdoc.yaml") {
		t.Fatalf("dockdoc config: %v %v", c, err)
	}
	doc, _ = Parse(df, []byte("FROM debian\nRUN apt-get install curl\n"))
	fs = Run(doc, Options{Config: c, Only: []string{"DD001", "DD005"}})
	if len(fs) != 1 || fs[0].Rule.Code != "DD005" || fs[0].Severity != Error {
		t.Errorf(".dockdoc.yaml not applied: %s", formatFindings(fs))
	}
	// Errors name the file, the key and what was expected.
	for content, want := range map[string]string{
		"ignore: [DD999]\n":                ".dockdoc.yaml: ignore: no rule \"DD999\"",
		"severity:\n  DD005: loud\n":       ".dockdoc.yaml: severity.DD005: \"loud\" is not error",
		"fail-level: sometimes\n":          ".dockdoc.yaml: fail-level:",
		"label-schema:\n  owner: person\n": ".dockdoc.yaml: label-schema.owner:",
		"ignroe: [DD001]\n":                ".dockdoc.yaml: ignroe: unknown key",
		"ignore: DD001: x\n":               ".dockdoc.yaml: not valid YAML",
		"trusted-registries: {a: b}\n":     ".dockdoc.yaml",
		"strict-labels: maybe\n":           ".dockdoc.yaml",
	} {
		p := filepath.Join(t.TempDir(), ".dockdoc.yaml")
		os.WriteFile(p, []byte(content), 0o644)
		_, err := LoadConfig(p)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to contain %q", content, err, want)
		}
	}
}

func TestSuppressions(t *testing.T) {
	src := `# dockdoc global ignore=DD013
FROM debian:12 AS base
# hadolint ignore=DL3014
RUN apt-get install curl
# dockdoc ignore=apt-get-install-yes  reason: the image pins a config
RUN apt-get install git
# check=skip=DD005
RUN apt-get install vim
RUN apt-get install nano
# hadolint stage ignore=DL3014
FROM base
RUN apt-get install jq
# dockdoc ignore=DD002
RUN true
`
	doc := mustParse(t, src)
	fs := Run(doc, Options{Only: []string{"DD005", "DD013", "DD002", "DD094"}, ReportUnused: true})
	got := formatFindings(fs)
	if !strings.Contains(got, "9:5-9:25 DD005") || strings.Count(got, "DD005") != 1 {
		t.Errorf("only the unsuppressed install should remain:\n%s", got)
	}
	if !strings.Contains(got, "13:1-13:23 DD094 suppression of DD002 silences nothing here") {
		t.Errorf("unused suppression not reported:\n%s", got)
	}
	// The config can turn pragmas off.
	doc = mustParse(t, src)
	fs = Run(doc, Options{Only: []string{"DD005"}, Config: &Config{DisableIgnorePragma: true}})
	if len(fs) != 5 {
		t.Errorf("with pragmas disabled: %s", formatFindings(fs))
	}
	// "Suppress here" inserts the pragma, or extends the one above.
	doc = mustParse(t, "FROM debian:12\n# dockdoc ignore=DD013\nRUN apt-get install curl\nCMD x\n")
	fs = Run(doc, Options{Only: []string{"DD005", "DD002"}, SuppressFix: true})
	for _, f := range fs {
		last := f.Fixes[len(f.Fixes)-1]
		if !last.Manual {
			t.Fatalf("%s has no suppress alternative", f.ID())
		}
		c := Compose(doc, []Choice{{Finding: &f, Alt: len(f.Fixes) - 1}})
		again := Run(mustParse(t, string(c.Out)), Options{Only: []string{f.Rule.Code}})
		if len(again) != 0 {
			t.Errorf("%s still reported after suppressing:\n%s", f.ID(), c.Out)
		}
		if f.Rule.Code == "DD005" && !strings.Contains(string(c.Out), "# dockdoc ignore=DD013,DD005\n") {
			t.Errorf("the pragma above was not extended:\n%s", c.Out)
		}
	}
}
