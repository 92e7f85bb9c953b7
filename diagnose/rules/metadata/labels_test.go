package metadata

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/ruletest"
	"github.com/dockdoc/dockdoc/fixes"
)

var testSchema = map[string]string{
	"org.opencontainers.image.source":   "url",
	"org.opencontainers.image.created":  "rfc3339",
	"org.opencontainers.image.licenses": "spdx",
	"org.opencontainers.image.revision": "hash",
	"org.opencontainers.image.version":  "semver",
	"com.example.contact":               "email",
	"com.example.team":                  "text",
}

// Keys the label schema declares are the names the user wants: DD083
// leaves them alone (hadolint issue #1100).
func TestDD083SchemaKeysExempt(t *testing.T) {
	src := "FROM alpine:3.20\nLABEL IMAGEPRIVACY=true Owner=ops\n"
	ruletest.CheckLabels(t, src, &diagnose.Config{LabelSchema: map[string]string{"IMAGEPRIVACY": "text"}},
		`2:25-2:30 DD083 label key "Owner" has upper-case letters; label keys are written in lower case
`, "DD083")
}

func TestDD084StagesAndInheritance(t *testing.T) {
	cfg := &diagnose.Config{LabelSchema: map[string]string{"com.example.team": "text", "a.b": "url"}}
	cases := []struct{ name, src, want string }{
		{"single stage, nothing", "FROM alpine:3.20\n",
			`1:1-1:17 DD084 the image has no label "a.b", which the label schema requires (type url)
  fix (display-only): Add a LABEL a.b placeholder
1:1-1:17 DD084 the image has no label "com.example.team", which the label schema requires (type text)
  fix (display-only): Add a LABEL com.example.team placeholder
`},
		{"single stage, all set (legacy form too)", "FROM alpine:3.20\nLABEL \"a.b\"=https://x.example\nLABEL com.example.team core\n", ""},
		{"ONBUILD LABEL does not label this image", "FROM alpine:3.20\nLABEL a.b=https://x.example\nONBUILD LABEL com.example.team=core\n",
			`1:1-1:17 DD084 the image has no label "com.example.team", which the label schema requires (type text)
  fix (display-only): Add a LABEL com.example.team placeholder
`},
		{"a key from a variable may be any label", "FROM alpine:3.20\nARG K\nLABEL ${K}=x\n", ""},
		{"labels are inherited from the parent stage", "FROM alpine:3.20 AS base\nLABEL a.b=u com.example.team=t\nFROM base\n", ""},
		{"a parent is reported through its children only",
			"FROM alpine:3.20 AS base\nFROM base AS one\nLABEL a.b=u\nFROM base AS two\nLABEL a.b=u com.example.team=t\n",
			`2:1-2:17 DD084 stage "one" has no label "com.example.team", which the label schema requires (type text)
  fix (display-only): Add a LABEL com.example.team placeholder
`},
		{"copy and mount sources are build helpers",
			"FROM golang:1.23 AS build\nFROM alpine:3.20 AS cache\nFROM alpine:3.20 AS tools\nFROM alpine:3.20\nLABEL a.b=u com.example.team=t\n" +
				"COPY --from=build /a /b\nCOPY --from=2 /c /d\nRUN --mount=type=cache,from=cache,target=/x true\n", ""},
		{"two shipped stages",
			"FROM alpine:3.20 AS a\nLABEL a.b=u com.example.team=t\nFROM debian:12 AS b\nLABEL com.example.team=t\n",
			`3:1-3:20 DD084 stage "b" has no label "a.b", which the label schema requires (type url)
  fix (display-only): Add a LABEL a.b placeholder
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { ruletest.CheckLabels(t, c.src, cfg, c.want, "DD084") })
	}
	ruletest.CheckLabels(t, "FROM alpine:3.20\n", nil, "", "DL3049")
}

// The display-only fix shows the LABEL after the stage's last LABEL (or
// its FROM), indented like it, with the file's line ending.
func TestDD084AdviceText(t *testing.T) {
	cfg := &diagnose.Config{LabelSchema: map[string]string{"org.example.url": "url", "odd key": "text"}}
	for _, c := range []struct{ src, want string }{
		{"FROM alpine:3.20 AS a\n  LABEL x=1 \\\n    y=2\nRUN true\n",
			"FROM alpine:3.20 AS a\n  LABEL x=1 \\\n    y=2\n  LABEL \"odd key\"=\"<text>\"\nRUN true\n"},
		{"FROM alpine:3.20\r\nRUN true\r\n", "FROM alpine:3.20\r\nLABEL \"odd key\"=\"<text>\"\r\nRUN true\r\n"},
		{"FROM alpine:3.20", "FROM alpine:3.20\nLABEL \"odd key\"=\"<text>\""},
	} {
		doc, err := diagnose.Parse("Dockerfile", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD084"}, Config: cfg})
		if len(fs) != 2 || len(fs[0].Fixes) != 1 || fs[0].Fixes[0].Applicability != fixes.DisplayOnly {
			t.Fatalf("want two findings with one display-only fix each, got:\n%s", ruletest.FormatFindings(fs))
		}
		out, err := fixes.Apply(doc.Src, fs[0].Fixes[0].Edits)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != c.want {
			t.Errorf("advice applied to %q gives %q, want %q", c.src, out, c.want)
		}
		if err := diagnose.Verify(out); err != nil {
			t.Errorf("advice does not parse: %v", err)
		}
		if !strings.Contains(fs[1].Fixes[0].Edits[0].New, `LABEL org.example.url="<url>"`) {
			t.Errorf("second advice: %q", fs[1].Fixes[0].Edits[0].New)
		}
	}
}

func TestDD085StrictLabels(t *testing.T) {
	src := "FROM alpine:3.20\nLABEL com.example.team=x other=1 \\\n  third=2\nONBUILD LABEL fourth=4\nARG K\nLABEL ${K}=1\n"
	ruletest.CheckLabels(t, src, &diagnose.Config{LabelSchema: map[string]string{"com.example.team": "text"}, StrictLabels: true},
		`2:26-2:31 DD085 label "other" is not in the label schema, and strict labels are on
3:3-3:8 DD085 label "third" is not in the label schema, and strict labels are on
`, "DD085")
	// Strict labels without a schema: every label is extra, as in hadolint.
	ruletest.CheckLabels(t, "FROM alpine:3.20\nLABEL a=1\n", &diagnose.Config{StrictLabels: true},
		`2:7-2:8 DD085 label "a" is not in the label schema, and strict labels are on
`, "DD085")
	// Not strict: nothing.
	ruletest.CheckLabels(t, src, &diagnose.Config{LabelSchema: map[string]string{"com.example.team": "text"}}, "", "DD085")
}

func TestDD086EmptyLabels(t *testing.T) {
	src := "FROM alpine:3.20\n" +
		"LABEL com.example.team= org.opencontainers.image.source=\"\" org.opencontainers.image.version=\"  \" other=\n" +
		"ARG EMPTY\nLABEL com.example.contact $EMPTY\nONBUILD LABEL org.opencontainers.image.revision=''\n"
	// An empty value is reported once, by DD086, not again by the type rules.
	ruletest.CheckLabels(t, src, &diagnose.Config{LabelSchema: testSchema},
		`2:7-2:24 DD086 label "com.example.team" is empty; the label schema expects a value
2:25-2:59 DD086 label "org.opencontainers.image.source" is empty; the label schema expects a value of type url
2:60-2:97 DD086 label "org.opencontainers.image.version" is empty; the label schema expects a value of type semver
5:15-5:51 DD086 label "org.opencontainers.image.revision" is empty; the label schema expects a value of type hash
`, "DD086", "DD087", "DD090", "DD091", "DD092")
}

func TestDD087To092Values(t *testing.T) {
	cfg := &diagnose.Config{LabelSchema: testSchema}
	cases := []struct{ code, src, want string }{
		{"DD087", "FROM alpine:3.20\nLABEL org.opencontainers.image.source=github.com/org/app \\\n" +
			"  org.opencontainers.image.source=\"https://x.example/a b\" \\\n" +
			"  org.opencontainers.image.source=https:foo \\\n" +
			"  org.opencontainers.image.source=https://git.example.com/team/app \\\n" +
			"  org.opencontainers.image.source=ssh://git@x.example/r.git \\\n" +
			"  org.opencontainers.image.source=http://x.example/%zz \\\n" +
			"  org.opencontainers.image.source=$REPO_URL\n",
			`2:39-2:57 DD087 label "org.opencontainers.image.source" is not a valid URL: it has no scheme (such as https://)
3:35-3:58 DD087 label "org.opencontainers.image.source" is not a valid URL: it contains ' ', which must be percent-encoded
4:35-4:44 DD087 label "org.opencontainers.image.source" is not a valid URL: it names no host (write https://host/...)
7:35-7:55 DD087 label "org.opencontainers.image.source" is not a valid URL: a % must be followed by two hexadecimal digits
`},
		{"DD088", "FROM alpine:3.20\nLABEL org.opencontainers.image.created=2024-05-01 \\\n" +
			"  org.opencontainers.image.created=2024-05-01T12:30:00 \\\n" +
			"  org.opencontainers.image.created=\"2024-05-01 12:30\" \\\n" +
			"  org.opencontainers.image.created=2024-05-01t12:30:00.5z \\\n" +
			"  org.opencontainers.image.created=2024-05-01T12:30:00+02:00 \\\n" +
			"  org.opencontainers.image.created=05/01/2024 \\\n" +
			"  org.opencontainers.image.created=2024-05-01T25:30:00Z \\\n" +
			"  org.opencontainers.image.created=$BUILD_DATE\n",
			`2:40-2:50 DD088 label "org.opencontainers.image.created" is not an RFC 3339 timestamp: it is a date without a time; write it as 2024-05-01T00:00:00Z (or with your UTC offset)
3:36-3:55 DD088 label "org.opencontainers.image.created" is not an RFC 3339 timestamp: it has no UTC offset; add Z for UTC, or an offset such as +02:00
4:36-4:54 DD088 label "org.opencontainers.image.created" is not an RFC 3339 timestamp: the date and the time must be joined by T, with seconds and a UTC offset, as in 2024-05-01T12:30:00Z
7:36-7:46 DD088 label "org.opencontainers.image.created" is not an RFC 3339 timestamp: expected a valid date and time such as 2024-05-01T12:30:00Z
8:36-8:56 DD088 label "org.opencontainers.image.created" is not an RFC 3339 timestamp: expected a valid date and time such as 2024-05-01T12:30:00Z
`},
		{"DD089", "FROM alpine:3.20\n" +
			"LABEL org.opencontainers.image.licenses=MIT\n" +
			"LABEL org.opencontainers.image.licenses=\"Apache-2.0 OR MIT\"\n" +
			"LABEL org.opencontainers.image.licenses=\"Apache 2.0\"\n" +
			"LABEL org.opencontainers.image.licenses=\"(MIT AND BSD-3-Clause) or GPL-2.0+ WITH Classpath-exception-2.0\"\n" +
			"LABEL org.opencontainers.image.licenses=LicenseRef-Acme-1.0\n" +
			"LABEL org.opencontainers.image.licenses=GPLv3\n" +
			"LABEL org.opencontainers.image.licenses=\"MIT AND\"\n" +
			"LABEL org.opencontainers.image.licenses=\"(MIT\"\n" +
			"LABEL org.opencontainers.image.licenses=\"MIT)\"\n" +
			"LABEL org.opencontainers.image.licenses=\"MIT License\"\n" +
			"LABEL org.opencontainers.image.licenses=\"mit And apache-2.0\"\n" +
			"LABEL org.opencontainers.image.licenses=DocumentRef-x:LicenseRef-y\n" +
			"LABEL org.opencontainers.image.licenses=\"MIT WITH\"\n" +
			"LABEL org.opencontainers.image.licenses=\"Apache License 2.0\"\n",
			`4:41-4:53 DD089 label "org.opencontainers.image.licenses" is not a valid SPDX license expression: "Apache" is not a license identifier of the SPDX License List 3.0.23 (use LicenseRef-... for your own license) (did you mean Apache-2.0?)
7:41-7:46 DD089 label "org.opencontainers.image.licenses" is not a valid SPDX license expression: "GPLv3" is not a license identifier of the SPDX License List 3.0.23 (use LicenseRef-... for your own license)
8:41-8:50 DD089 label "org.opencontainers.image.licenses" is not a valid SPDX license expression: a license identifier must follow "AND"
9:41-9:47 DD089 label "org.opencontainers.image.licenses" is not a valid SPDX license expression: a ( is never closed
10:41-10:47 DD089 label "org.opencontainers.image.licenses" is not a valid SPDX license expression: a ) closes no (
11:41-11:54 DD089 label "org.opencontainers.image.licenses" is not a valid SPDX license expression: unexpected "License"; join licenses with AND or OR (did you mean MIT?)
12:41-12:61 DD089 label "org.opencontainers.image.licenses" is not a valid SPDX license expression: unexpected "And"; join licenses with AND or OR
14:41-14:51 DD089 label "org.opencontainers.image.licenses" is not a valid SPDX license expression: WITH must be followed by a license exception identifier (such as Classpath-exception-2.0)
15:41-15:61 DD089 label "org.opencontainers.image.licenses" is not a valid SPDX license expression: "Apache" is not a license identifier of the SPDX License List 3.0.23 (use LicenseRef-... for your own license) (did you mean Apache-2.0?)
`},
		{"DD090", "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=main \\\n" +
			" org.opencontainers.image.revision=abc12 \\\n" +
			" org.opencontainers.image.revision=0123456789ab \\\n" +
			" org.opencontainers.image.revision=ABCDEF0 \\\n" +
			" org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567ff \\\n" +
			" org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567 \\\n" +
			" org.opencontainers.image.revision=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
			`2:41-2:45 DD090 label "org.opencontainers.image.revision" is not a git commit hash: it contains 'm', which is not a hexadecimal digit
3:36-3:41 DD090 label "org.opencontainers.image.revision" is not a git commit hash: 5 digits is too short; an abbreviated hash has at least 7
5:36-5:43 DD090 label "org.opencontainers.image.revision" is not a git commit hash: git writes hashes in lower case
6:36-6:78 DD090 label "org.opencontainers.image.revision" is not a git commit hash: it has 42 digits; a full hash has 40 (SHA-1) or 64 (SHA-256)
`},
		{"DD091", "FROM alpine:3.20\n" +
			"LABEL org.opencontainers.image.version=v1.4.0\n" +
			"LABEL org.opencontainers.image.version=\"v1.4.0-rc.1\"\n" +
			"LABEL org.opencontainers.image.version=1.4\n" +
			"LABEL org.opencontainers.image.version=1.04.0\n" +
			"LABEL org.opencontainers.image.version=1.4.0-rc.01+build..1\n" +
			"LABEL org.opencontainers.image.version=1.4.0-rc.1+build.007\n" +
			"LABEL org.opencontainers.image.version v2.0.0\n" +
			"LABEL org.opencontainers.image.version=v1.4\n" +
			"LABEL org.opencontainers.image.version=\\v1.0.0\n",
			`2:40-2:46 DD091 label "org.opencontainers.image.version" is not a semantic version: the leading v belongs to tag names, the version is 1.4.0
  fix (unsafe): Remove the leading v
3:40-3:53 DD091 label "org.opencontainers.image.version" is not a semantic version: the leading v belongs to tag names, the version is 1.4.0-rc.1
  fix (unsafe): Remove the leading v
4:40-4:43 DD091 label "org.opencontainers.image.version" is not a semantic version: it needs three numbers, MAJOR.MINOR.PATCH (such as 1.4.0); "1.4" has 2
5:40-5:46 DD091 label "org.opencontainers.image.version" is not a semantic version: the number "04" has a leading zero
6:40-6:60 DD091 label "org.opencontainers.image.version" is not a semantic version: the numeric pre-release identifier "01" has a leading zero
8:40-8:46 DD091 label "org.opencontainers.image.version" is not a semantic version: the leading v belongs to tag names, the version is 2.0.0
  fix (unsafe): Remove the leading v
9:40-9:44 DD091 label "org.opencontainers.image.version" is not a semantic version: it needs three numbers, MAJOR.MINOR.PATCH (such as 1.4.0); "v1.4" has 2
10:40-10:47 DD091 label "org.opencontainers.image.version" is not a semantic version: the leading v belongs to tag names, the version is 1.0.0
`},
		{"DD092", "FROM alpine:3.20\n" +
			"LABEL com.example.contact=\"platform team\"\n" +
			"LABEL com.example.contact=\"Platform Team <p@example.com>\"\n" +
			"LABEL com.example.contact=p@example.com\n" +
			"LABEL com.example.contact=\"a@example.com, b@example.com\"\n" +
			"LABEL com.example.contact=p@\n" +
			"ONBUILD LABEL com.example.contact=nobody\n",
			`2:27-2:42 DD092 label "com.example.contact" is not an email address: it has no @; an address looks like name@example.com or Name <name@example.com>
5:27-5:57 DD092 label "com.example.contact" is not an email address: it does not read as name@domain or Name <name@domain> (expected single address, got ", b@example.com")
6:27-6:29 DD092 label "com.example.contact" is not an email address: it does not read as name@domain or Name <name@domain> (missing '@' or angle-addr)
7:35-7:41 DD092 label "com.example.contact" is not an email address: it has no @; an address looks like name@example.com or Name <name@example.com>
`},
	}
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			ruletest.CheckLabels(t, c.src, cfg, c.want, c.code)
			ruletest.CheckLabels(t, c.src, nil, "", c.code) // no schema, no check
			// A label of another type is not checked as this one.
			other := &diagnose.Config{LabelSchema: map[string]string{}}
			for k := range testSchema {
				other.LabelSchema[k] = "text"
			}
			ruletest.CheckLabels(t, c.src, other, "", c.code)
		})
	}
}

// The semver fix removes the v, and the fixed file is clean.
func TestDD091FixRemovesV(t *testing.T) {
	src := "FROM alpine:3.20\nLABEL org.opencontainers.image.version=\"v1.4.0\" \\\n    org.opencontainers.image.source=https://x.example/r\n"
	opts := diagnose.Options{Only: []string{"DD091"}, Config: &diagnose.Config{LabelSchema: testSchema}}
	safe, err := diagnose.FixAll("Dockerfile", []byte(src), opts, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if string(safe.Out) != src {
		t.Errorf("a safe run changed the file:\n%s", safe.Out)
	}
	res, err := diagnose.FixAll("Dockerfile", []byte(src), opts, fixes.Unsafe)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(src, `"v1.4.0"`, `"1.4.0"`, 1)
	if string(res.Out) != want || len(res.Remaining) != 0 {
		t.Errorf("got %q (remaining %d), want %q", res.Out, len(res.Remaining), want)
	}
}

func TestSPDXExpressions(t *testing.T) {
	for v, ok := range map[string]bool{
		"MIT":               true,
		"mit":               true,
		"Apache-2.0 OR MIT": true,
		"apache-2.0 or mit": true,
		"GPL-2.0-or-later WITH Classpath-exception-2.0": true,
		"(MIT OR Apache-2.0) AND BSD-3-Clause":          true,
		"((MIT))":                                       true,
		"GPL-2.0+":                                      true,
		"GPL-2.0":                                       true, // deprecated but still an identifier
		"LicenseRef-Acme":                               true,
		"DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2": true,
		"":                   false,
		"MIT OR":             false,
		"OR MIT":             false,
		"MIT Apache-2.0":     false,
		"MIT AnD Apache-2.0": false,
		"LicenseRef-":        false,
		"LicenseRef-a b":     false,
		"LicenseRef-Acme+":   false,
		"NOASSERTION":        false,
		"Proprietary":        false,
		"(MIT OR Apache-2.0": false,
		"MIT WITH (Foo)":     false,
	} {
		if got := problem(v) == ""; got != ok {
			t.Errorf("problem(%q) = %q, want valid=%v", v, problem(v), ok)
		}
	}
}
