package labels

import (
	"slices"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
)

func text(d *diagnose.Document, s diagnose.Span) string { return string(d.Src[s.Start:s.End]) }

func TestPairsKeyValue(t *testing.T) {
	doc := ruletest.MustParseClean(t, "FROM alpine\nLABEL a=b \"c d\"=\"e f\" \\\n      x=$V 'q'='it''s' empty=\n")
	ps := Pairs(doc, doc.Instructions[1])
	type want struct {
		keyRaw, valueRaw, key, value string
		valueKnown                   bool
	}
	wants := []want{
		{"a", "b", "a", "b", true},
		{`"c d"`, `"e f"`, "c d", "e f", true},
		{"x", "$V", "x", "", false},
		{"'q'", "'it''s'", "q", "its", true},
		{"empty", "", "empty", "", true},
	}
	if len(ps) != len(wants) {
		t.Fatalf("%d pairs, want %d", len(ps), len(wants))
	}
	for i, w := range wants {
		p := ps[i]
		if p.OnBuild || p.In != doc.Instructions[1] {
			t.Errorf("pair %d: OnBuild=%v In=%v", i, p.OnBuild, p.In)
		}
		if p.KeyRaw != w.keyRaw || p.ValueRaw != w.valueRaw {
			t.Errorf("pair %d raw = %q=%q, want %q=%q", i, p.KeyRaw, p.ValueRaw, w.keyRaw, w.valueRaw)
		}
		if !p.KeyKnown || p.Key != w.key {
			t.Errorf("pair %d key = %q (known %v), want %q", i, p.Key, p.KeyKnown, w.key)
		}
		if p.ValueKnown != w.valueKnown || (w.valueKnown && p.Value != w.value) {
			t.Errorf("pair %d value = %q (known %v), want %q (known %v)", i, p.Value, p.ValueKnown, w.value, w.valueKnown)
		}
		// The spans point at the pair as written in the original bytes,
		// also after the line continuation.
		if got := text(doc, p.KeySpan); got != w.keyRaw {
			t.Errorf("pair %d KeySpan covers %q, want %q", i, got, w.keyRaw)
		}
		if got := text(doc, p.ValueSpan); got != w.valueRaw {
			t.Errorf("pair %d ValueSpan covers %q, want %q", i, got, w.valueRaw)
		}
		if got := text(doc, p.PairSpan); got != w.keyRaw+"="+w.valueRaw {
			t.Errorf("pair %d PairSpan covers %q", i, got)
		}
	}
	// An empty value's span is the empty point just after its "=".
	if e := ps[4]; e.ValueSpan.Start != e.ValueSpan.End || doc.Src[e.ValueSpan.Start-1] != '=' {
		t.Errorf("empty value span %+v is not just after the =", e.ValueSpan)
	}
}

func TestPairsLegacyAndOnbuild(t *testing.T) {
	doc := ruletest.MustParseClean(t, "FROM alpine\nLABEL description A small image\nONBUILD LABEL stage=child\nENV a=b\n")
	ps := Pairs(doc, doc.Instructions[1])
	if len(ps) != 1 {
		t.Fatalf("legacy LABEL: %d pairs, want 1", len(ps))
	}
	if p := ps[0]; p.Key != "description" || p.Value != "A small image" || !p.ValueKnown {
		t.Errorf("legacy pair = %q=%q", p.Key, p.Value)
	}
	if got := text(doc, ps[0].ValueSpan); got != "A small image" {
		t.Errorf("legacy ValueSpan covers %q", got)
	}
	if got := text(doc, ps[0].PairSpan); got != "description A small image" {
		t.Errorf("legacy PairSpan covers %q", got)
	}

	ps = Pairs(doc, doc.Instructions[2])
	if len(ps) != 1 || !ps[0].OnBuild || ps[0].Key != "stage" || ps[0].Value != "child" {
		t.Fatalf("ONBUILD LABEL pairs = %+v", ps)
	}
	if got := text(doc, ps[0].PairSpan); got != "stage=child" {
		t.Errorf("ONBUILD PairSpan covers %q", got)
	}
	if ps := Pairs(doc, doc.Instructions[3]); ps != nil {
		t.Errorf("ENV has label pairs: %+v", ps)
	}
}

func TestEscapeLabelRoundTrips(t *testing.T) {
	for _, esc := range []string{"", "# escape=`\n"} {
		for _, s := range []string{`plain`, `say "hi"`, `costs $5 or ${X}`, `C:\path\to`, "back`tick", `trailing\`} {
			e := byte('\\')
			if esc != "" {
				e = '`'
			}
			doc := ruletest.MustParseClean(t, esc+"FROM alpine\nLABEL k=\""+EscapeLabel(s, e)+"\"\n")
			ps := Pairs(doc, doc.Instructions[1])
			if len(ps) != 1 || !ps[0].ValueKnown || ps[0].Value != s {
				t.Errorf("escape %q: LABEL k=\"%s\" reads back as %+v, want %q", e, EscapeLabel(s, e), ps, s)
			}
		}
	}
}

func TestStageHasAuthorsLabel(t *testing.T) {
	for src, want := range map[string]bool{
		"LABEL org.opencontainers.image.authors=me@example.com":            true,
		"LABEL a=b \"org.opencontainers.image.authors\"=\"Jane <j@x.io>\"": true,
		"LABEL org.opencontainers.image.authors Jane Doe":                  true,
		"LABEL org.opencontainers.image.title=x":                           false,
		"LABEL title=org.opencontainers.image.authors":                     false,
		"ENV org.opencontainers.image.authors=x":                           false,
	} {
		doc := ruletest.MustParseClean(t, "FROM alpine\n"+src+"\n")
		if got := StageHasAuthorsLabel(doc.Stages[0]); got != want {
			t.Errorf("%s: StageHasAuthorsLabel = %v, want %v", src, got, want)
		}
	}
	if StageHasAuthorsLabel(nil) {
		t.Error("nil stage has an authors label")
	}
	// Only the stage's own LABELs count.
	doc := ruletest.MustParseClean(t, "FROM alpine AS a\nLABEL org.opencontainers.image.authors=me\nFROM alpine\n")
	if StageHasAuthorsLabel(doc.Stages[1]) {
		t.Error("the second stage has the first stage's authors label")
	}
}

func TestSchema(t *testing.T) {
	doc := ruletest.MustParseClean(t, "FROM alpine\nLABEL org.opencontainers.image.source=https://example.com version=1.2.3\n")
	if Schema(doc) != nil {
		t.Error("no configuration: want no schema")
	}
	doc.Config = &diagnose.Config{LabelSchema: map[string]string{
		"version": " SemVer ", "org.opencontainers.image.source": "url", "release": "rfc3339",
	}}
	s := Schema(doc)
	if s["version"] != "semver" || s["org.opencontainers.image.source"] != "url" {
		t.Errorf("Schema = %v, want types lower case and trimmed", s)
	}
	if got := SchemaNames(s); !slices.Equal(got, []string{"org.opencontainers.image.source", "release", "version"}) {
		t.Errorf("SchemaNames = %q", got)
	}
}

func TestTyped(t *testing.T) {
	doc := ruletest.MustParseClean(t, "FROM alpine\n"+
		"LABEL version=1.2.3 other=1 build=$BUILD\n"+
		"LABEL version=\"  \"\n"+
		"ONBUILD LABEL version=2.0.0\n")
	doc.Config = &diagnose.Config{LabelSchema: map[string]string{"version": "semver", "build": "semver"}}
	var got []string
	Typed(&diagnose.Pass{Doc: doc}, "semver", func(lp Pair) {
		got = append(got, lp.Key+"="+lp.Value)
	})
	// other is not in the schema, build's value is only known at build
	// time, the blank version is left to DD086; the ONBUILD one counts.
	if want := []string{"version=1.2.3", "version=2.0.0"}; !slices.Equal(got, want) {
		t.Errorf("Typed(semver) = %q, want %q", got, want)
	}
	got = nil
	Typed(&diagnose.Pass{Doc: doc}, "url", func(lp Pair) { got = append(got, lp.Key) })
	if got != nil {
		t.Errorf("Typed(url) = %q, want none", got)
	}
}

func TestLicenseIDList(t *testing.T) {
	ids := strings.Fields(LicenseIDList)
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("%s listed twice", id)
		}
		seen[id] = true
	}
	for _, id := range []string{"MIT", "Apache-2.0", "GPL-3.0-or-later", "BSD-3-Clause", "0BSD", "GPL-2.0"} {
		if !seen[id] {
			t.Errorf("%s missing from the SPDX list", id)
		}
	}
	for _, notID := range []string{"Apache 2.0", "mit", "GPLv3"} {
		if seen[notID] {
			t.Errorf("%q is not an SPDX identifier", notID)
		}
	}
	if ListVersion == "" {
		t.Error("no list version")
	}
}
