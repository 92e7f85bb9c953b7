package diagnose

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	pathpkg "path"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ConfigError names the file, the key and what was expected.
type ConfigError struct {
	Path, Key, Msg string
}

func (e *ConfigError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.Path, e.Key, e.Msg)
}

// configNames are searched from the Dockerfile's directory upward:
// dockdoc's own first, then hadolint's so its users keep their settings.
var configNames = [][]string{{".dockdoc.yaml", ".dockdoc.yml"}, {".hadolint.yaml", ".hadolint.yml"}}

// FindConfig returns the configuration for a Dockerfile: the nearest
// .dockdoc.yaml from its directory upward, or failing that the nearest
// .hadolint.yaml; nil when there is none.
func FindConfig(dockerfile string) (*Config, error) {
	dir, err := filepath.Abs(filepath.Dir(dockerfile))
	if err != nil {
		return nil, err
	}
	for _, names := range configNames {
		for d := dir; ; {
			for _, n := range names {
				p := filepath.Join(d, n)
				if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
					return LoadConfig(p)
				}
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	return nil, nil
}

// LoadConfig reads a .dockdoc.yaml, or a .hadolint.yaml (by its name).
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &ConfigError{Path: path, Msg: err.Error()}
	}
	if strings.HasPrefix(filepath.Base(path), ".hadolint") {
		return parseHadolintConfig(path, b)
	}
	return parseDockdocConfig(path, b)
}

// yamlErr turns a YAML decoding error into a ConfigError naming the key.
func yamlErr(path string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg := te.Errors[0]
		// "line 3: field foo not found in type ..." -> name the key
		if i := strings.Index(msg, "field "); i >= 0 && strings.Contains(msg, "not found") {
			key := strings.Fields(msg[i+len("field "):])[0]
			return &ConfigError{Path: path, Key: key, Msg: "unknown key (" + strings.SplitN(msg, ":", 2)[0] + ")"}
		}
		return &ConfigError{Path: path, Msg: msg}
	}
	return &ConfigError{Path: path, Msg: "not valid YAML: " + err.Error()}
}

func decodeStrict(path string, b []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && err.Error() != "EOF" {
		return yamlErr(path, err)
	}
	return nil
}

type dockdocFile struct {
	Ignore              []string          `yaml:"ignore"`
	Enable              []string          `yaml:"enable"`
	Severity            map[string]string `yaml:"severity"`
	FailLevel           string            `yaml:"fail-level"`
	TrustedRegistries   []string          `yaml:"trusted-registries"`
	LabelSchema         map[string]string `yaml:"label-schema"`
	StrictLabels        bool              `yaml:"strict-labels"`
	DisableIgnorePragma bool              `yaml:"disable-ignore-pragma"`
	AllowedSecretNames  []string          `yaml:"allowed-secret-names"`
}

func parseDockdocConfig(path string, b []byte) (*Config, error) {
	var f dockdocFile
	if err := decodeStrict(path, b, &f); err != nil {
		return nil, err
	}
	c := &Config{Path: path, Ignored: f.Ignore, Enabled: f.Enable, FailLevel: f.FailLevel, TrustedRegistries: f.TrustedRegistries,
		LabelSchema: f.LabelSchema, StrictLabels: f.StrictLabels, DisableIgnorePragma: f.DisableIgnorePragma,
		AllowedSecretNames: f.AllowedSecretNames, Override: map[string]Severity{}}
	for key, list := range map[string][]string{"ignore": f.Ignore, "enable": f.Enable} {
		for _, r := range list {
			if Lookup(r) == nil {
				return nil, &ConfigError{Path: path, Key: key, Msg: fmt.Sprintf("no rule %q (dockdoc rules lists them)", r)}
			}
		}
	}
	keys := make([]string, 0, len(f.Severity))
	for k := range f.Severity {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if Lookup(k) == nil {
			return nil, &ConfigError{Path: path, Key: "severity." + k, Msg: "no such rule (dockdoc rules lists them)"}
		}
		s, err := ParseSeverity(f.Severity[k])
		if err != nil || s > Error {
			return nil, &ConfigError{Path: path, Key: "severity." + k, Msg: fmt.Sprintf("%q is not error, warning, info or style (use ignore: to turn a rule off)", f.Severity[k])}
		}
		c.Override[k] = s
	}
	if err := c.check(path, "fail-level"); err != nil {
		return nil, err
	}
	return c, nil
}

// hadolintFile is the subset of hadolint's configuration dockdoc honours;
// its other keys are accepted and ignored.
type hadolintFile struct {
	Ignored             []string            `yaml:"ignored"`
	TrustedRegistries   stringOrList        `yaml:"trustedRegistries"`
	FailureThreshold    string              `yaml:"failure-threshold"`
	Override            map[string][]string `yaml:"override"`
	LabelSchema         map[string]string   `yaml:"label-schema"`
	StrictLabels        bool                `yaml:"strict-labels"`
	DisableIgnorePragma bool                `yaml:"disable-ignore-pragma"`
	NoFail              bool                `yaml:"no-fail"`
	NoColor             bool                `yaml:"no-color"`
	Verbose             bool                `yaml:"verbose"`
	Format              string              `yaml:"format"`
	Formats             []string            `yaml:"formats"`
}

// stringOrList accepts `key: a` and `key: [a, b]`.
type stringOrList []string

func (s *stringOrList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = []string{n.Value}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return fmt.Errorf("expected a registry or a list of registries")
	}
	*s = l
	return nil
}

func parseHadolintConfig(path string, b []byte) (*Config, error) {
	var f hadolintFile
	if err := decodeStrict(path, b, &f); err != nil {
		return nil, err
	}
	c := &Config{Path: path, Ignored: f.Ignored, TrustedRegistries: f.TrustedRegistries, LabelSchema: f.LabelSchema,
		StrictLabels: f.StrictLabels, DisableIgnorePragma: f.DisableIgnorePragma, Override: map[string]Severity{}}
	// hadolint's ignore level is "ignore"; dockdoc's is "none".
	switch ft := strings.ToLower(f.FailureThreshold); ft {
	case "ignore":
		c.FailLevel = "none"
	default:
		c.FailLevel = ft
	}
	if f.NoFail {
		c.FailLevel = "none"
	}
	for level, rules := range f.Override {
		s, err := ParseSeverity(level)
		if err != nil || s > Error {
			return nil, &ConfigError{Path: path, Key: "override." + level, Msg: "expected one of error, warning, info, style"}
		}
		for _, r := range rules {
			c.Override[r] = s
			c.Enabled = append(c.Enabled, r) // hadolint turns an off-by-default rule on by giving it a level
		}
	}
	if err := c.check(path, "failure-threshold"); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) check(path, key string) error {
	if c.FailLevel != "" {
		if _, err := ParseSeverity(c.FailLevel); err != nil {
			return &ConfigError{Path: path, Key: key, Msg: fmt.Sprintf("%q is not error, warning, info, style or none", c.FailLevel)}
		}
	}
	for _, pat := range c.AllowedSecretNames {
		if _, err := pathpkg.Match(pat, ""); err != nil || strings.TrimSpace(pat) == "" {
			return &ConfigError{Path: path, Key: "allowed-secret-names", Msg: fmt.Sprintf("%q is not a name or a glob (*, ?, [...])", pat)}
		}
	}
	for name, typ := range c.LabelSchema {
		switch typ {
		case "text", "url", "semver", "hash", "rfc3339", "spdx", "email":
		default:
			return &ConfigError{Path: path, Key: "label-schema." + name, Msg: fmt.Sprintf("%q is not a label type (text, url, semver, hash, rfc3339, spdx, email)", typ)}
		}
	}
	return nil
}
