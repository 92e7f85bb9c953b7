package files

import (
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"github.com/dockdoc/dockdoc/diagnose/images"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD067",
	Name:     "copy-whole-filesystem",
	Severity: diagnose.Warning,
	Category: diagnose.Size,
	Aliases:  []string{"DL3067"},
	Summary:  "COPY --from copies a whole filesystem with / /",
	Fixable:  diagnose.FixNone,
	Scope:    diagnose.ShippedStages,
	Doc: diagnose.Doc{
		What: "Flags `COPY --from=<stage or image> / /`: a copy of the entire root filesystem of another stage or " +
			"image over this one. Not flagged when the source stage is built `FROM scratch` (directly, through " +
			"earlier stages, or as `FROM bin-${TARGETOS}` where every stage the variable can pick is one): such a " +
			"stage holds only what was copied into it, which is the usual way to collect build outputs, so copying " +
			"all of it is the point. The same goes for `tonistiigi/xx`, a helper image made to be copied whole. " +
			"(hadolint flags these cases too.) Checked in stages the image is made of: the last stage and the " +
			"stages it is built `FROM`, directly or through others. A copy into a builder stage that later stages " +
			"only read with `COPY --from` is not flagged: only the files copied out of that stage ship.",
		Why: "A whole filesystem brings everything with it: compilers, package manager caches, source code, " +
			"credentials a build step left behind, and the other image's `/etc/passwd`, `/etc/os-release` and " +
			"libraries laid over this image's. The result is large, mixes two distributions, and undoes the point " +
			"of a multi-stage build, which is to ship only the files the program needs.",
		Bad: "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\nFROM registry.example/distroless/static-debian12\n" +
			"COPY --from=build / /",
		Good: "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\nFROM registry.example/distroless/static-debian12\n" +
			"COPY --from=build /out/app /app",
		Fix: "No automatic fix: only you know which files the image needs. Copy those paths one by one, or have " +
			"the build stage put its outputs in one directory (or in a `FROM scratch` stage) and copy that.",
		Refs: []string{
			"https://docs.docker.com/build/building/multi-stage/",
			"https://github.com/hadolint/hadolint/wiki/DL3067",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Keyword != "copy" || in.Stage == nil {
				continue
			}
			from, ok := buildvars.FlagValue(in, "from")
			if !ok || from == "" {
				continue
			}
			args := buildvars.ArgWords(d, in)
			if len(args) < 2 {
				continue
			}
			dest := args[len(args)-1]
			if !dest.OK || dest.HasVar || dest.Value != "/" {
				continue
			}
			for _, src := range args[:len(args)-1] {
				if !src.OK || src.HasVar || (src.Value != "/" && src.Value != "/.") {
					continue
				}
				what := "image " + from
				if strings.Contains(from, "$") {
					what = from
				}
				if st := images.StageRef(d, in.Stage, from); st != nil {
					if scratchRooted(d, st, 0) {
						break // a collector stage: it holds only what was put there
					}
					what = "stage " + from
				} else if copyWholeImage(from) {
					break
				}
				span := in.OrigSpan(diagnose.Span{Start: src.Span.Start, End: dest.Span.End})
				p.Report(span, "COPY --from=%s / / lays the entire filesystem of %s over this image's, tools, "+
					"caches and all; copy only the paths the image needs", from, what)
				break
			}
		}
	},
})

// scratchRooted reports whether a stage is built FROM scratch, directly
// or through earlier stages. A FROM naming a stage through a variable
// (FROM binaries-${TARGETOS}) counts when every earlier stage it can name
// is built FROM scratch.
func scratchRooted(d *diagnose.Document, st *diagnose.Stage, depth int) bool {
	if depth > 32 {
		return false
	}
	if strings.EqualFold(st.Image, "scratch") || copyWholeImage(st.Image) {
		return true
	}
	if st.Parent != nil {
		return scratchRooted(d, st.Parent, depth+1)
	}
	if !strings.Contains(st.Image, "$") {
		return false
	}
	var pat strings.Builder
	pat.WriteString("(?i)^")
	for i, part := range varInWord.Split(st.Image, -1) {
		if i > 0 {
			pat.WriteString(".*")
		}
		pat.WriteString(regexp.QuoteMeta(part))
	}
	pat.WriteString("$")
	re, err := regexp.Compile(pat.String())
	if err != nil {
		return false
	}
	found := false
	for _, o := range d.Stages[:st.Index] {
		if o.Name == "" || !re.MatchString(o.Name) {
			continue
		}
		if !scratchRooted(d, o, depth+1) {
			return false
		}
		found = true
	}
	return found
}

var varInWord = regexp.MustCompile(`\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)

// copyWholeImage reports images made to be copied whole into another
// (tonistiigi/xx, Docker's cross-compilation helpers, built FROM scratch).
func copyWholeImage(ref string) bool {
	if i := strings.IndexAny(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i] // the tag, not a registry port
	}
	// With or without a registry host in front.
	return strings.EqualFold(ref, "tonistiigi/xx") || strings.HasSuffix(strings.ToLower(ref), "/tonistiigi/xx")
}
