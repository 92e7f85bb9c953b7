package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
)

func TestConfigFilesAndErrors(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "svc", "api")
	os.MkdirAll(sub, 0o755)
	df := filepath.Join(sub, "Dockerfile")
	os.WriteFile(df, []byte("FROM debian\nRUN apt-get install curl\n"), 0o644)

	// No config at all.
	if c, err := diagnose.FindConfig(df); err != nil || c != nil {
		t.Fatalf("no config: %v %v", c, err)
	}
	// hadolint's config is honoured when there is no .dockdoc.yaml.
	os.WriteFile(filepath.Join(root, ".hadolint.yaml"), []byte("ignored: [DL3014, SC2086]\nfailure-threshold: warning\noverride:\n  error: [DL3006]\ntrustedRegistries: registry.example\nno-color: true\n"), 0o644)
	c, err := diagnose.FindConfig(df)
	if err != nil || c == nil || !strings.HasSuffix(c.Path, ".hadolint.yaml") {
		t.Fatalf("hadolint config: %v %v", c, err)
	}
	doc, _ := diagnose.Parse(df, []byte("FROM debian\nRUN apt-get install curl\n"))
	fs := diagnose.Run(doc, diagnose.Options{Config: c, Only: []string{"DD001", "DD005"}})
	if len(fs) != 1 || fs[0].Rule.Code != "DD001" || fs[0].Severity != diagnose.Error || c.FailLevel != "warning" || c.TrustedRegistries[0] != "registry.example" {
		t.Errorf("hadolint settings not applied: %+v / %s", c, ruletest.FormatFindings(fs))
	}
	// .dockdoc.yaml wins over .hadolint.yaml, wherever each is.
	os.WriteFile(filepath.Join(root, "svc", ".dockdoc.yaml"), []byte("ignore: [DD001]\nseverity:\n  apt-get-install-yes: error\nfail-level: error\n"), 0o644)
	c, err = diagnose.FindConfig(df)
	if err != nil || !strings.HasSuffix(c.Path, ".dockdoc.yaml") {
		t.Fatalf("dockdoc config: %v %v", c, err)
	}
	doc, _ = diagnose.Parse(df, []byte("FROM debian\nRUN apt-get install curl\n"))
	fs = diagnose.Run(doc, diagnose.Options{Config: c, Only: []string{"DD001", "DD005"}})
	if len(fs) != 1 || fs[0].Rule.Code != "DD005" || fs[0].Severity != diagnose.Error {
		t.Errorf(".dockdoc.yaml not applied: %s", ruletest.FormatFindings(fs))
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
		"allowed-secret-names: [\"[\"]\n":  ".dockdoc.yaml: allowed-secret-names: \"[\" is not a name or a glob",
	} {
		p := filepath.Join(t.TempDir(), ".dockdoc.yaml")
		os.WriteFile(p, []byte(content), 0o644)
		_, err := diagnose.LoadConfig(p)
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
	doc := ruletest.MustParse(t, src)
	fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD005", "DD013", "DD002", "DD094"}, ReportUnused: true})
	got := ruletest.FormatFindings(fs)
	if !strings.Contains(got, "9:5-9:25 DD005") || strings.Count(got, "DD005") != 1 {
		t.Errorf("only the unsuppressed install should remain:\n%s", got)
	}
	if !strings.Contains(got, "13:1-13:23 DD094 suppression of DD002 silences nothing here") {
		t.Errorf("unused suppression not reported:\n%s", got)
	}
	// The config can turn pragmas off.
	doc = ruletest.MustParse(t, src)
	fs = diagnose.Run(doc, diagnose.Options{Only: []string{"DD005"}, Config: &diagnose.Config{DisableIgnorePragma: true}})
	if len(fs) != 5 {
		t.Errorf("with pragmas disabled: %s", ruletest.FormatFindings(fs))
	}
	// "Suppress here" inserts the pragma, or extends the one above.
	doc = ruletest.MustParse(t, "FROM debian:12\n# dockdoc ignore=DD013\nRUN apt-get install curl\nCMD x\n")
	fs = diagnose.Run(doc, diagnose.Options{Only: []string{"DD005", "DD002"}, SuppressFix: true})
	for _, f := range fs {
		last := f.Fixes[len(f.Fixes)-1]
		if !last.Manual {
			t.Fatalf("%s has no suppress alternative", f.ID())
		}
		c := diagnose.Compose(doc, []diagnose.Choice{{Finding: &f, Alt: len(f.Fixes) - 1}})
		again := diagnose.Run(ruletest.MustParse(t, string(c.Out)), diagnose.Options{Only: []string{f.Rule.Code}})
		if len(again) != 0 {
			t.Errorf("%s still reported after suppressing:\n%s", f.ID(), c.Out)
		}
		if f.Rule.Code == "DD005" && !strings.Contains(string(c.Out), "# dockdoc ignore=DD013,DD005\n") {
			t.Errorf("the pragma above was not extended:\n%s", c.Out)
		}
	}
}
