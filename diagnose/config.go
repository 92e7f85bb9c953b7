package diagnose

import (
	"strings"
)

// Config is the project's dockdoc configuration: from .dockdoc.yaml, or
// from .hadolint.yaml so hadolint users keep their settings.
type Config struct {
	// Path is the file it was read from ("" for defaults).
	Path string
	// Ignored rules (codes, names or aliases).
	Ignored []string
	// Enabled turns on optional rules (off by default).
	Enabled []string
	// Severity overrides: rule (code, name or alias) -> severity; "off"
	// is expressed by Ignored.
	Override map[string]Severity
	// FailLevel, when set, is the default --fail-level.
	FailLevel string
	// TrustedRegistries are the registries base images may come from
	// (globs such as *.example.com); empty means no restriction.
	TrustedRegistries []string
	// LabelSchema maps required label names to a type: text, url, semver,
	// hash, rfc3339, spdx, email.
	LabelSchema map[string]string
	// StrictLabels reports labels outside the schema.
	StrictLabels bool
	// AllowedSecretNames are ARG / ENV names (globs such as *_AUTH_MODE,
	// matched without regard to case) that secret-in-arg-or-env (DD074)
	// must not flag: names the project knows hold no secret.
	AllowedSecretNames []string
	// DisableIgnorePragma turns every inline suppression off.
	DisableIgnorePragma bool
}

// IsIgnored reports whether the configuration turns rule r off.
func (c *Config) IsIgnored(r *Rule) bool {
	if c == nil {
		return false
	}
	for _, s := range c.Ignored {
		if r.Matches(strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}

// IsEnabled reports whether the configuration turns optional rule r on.
func (c *Config) IsEnabled(r *Rule) bool {
	if c == nil {
		return false
	}
	for _, s := range c.Enabled {
		if r.Matches(strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}

// SeverityFor is the overridden severity of rule r, if any.
func (c *Config) SeverityFor(r *Rule) (Severity, bool) {
	if c == nil {
		return 0, false
	}
	for k, s := range c.Override {
		if r.Matches(k) {
			return s, true
		}
	}
	return 0, false
}
