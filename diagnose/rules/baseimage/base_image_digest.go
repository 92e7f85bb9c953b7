package baseimage

import (
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/fixes"
)

// DD095 is the one rule that needs the network: it asks the registry
// which digest a tag points to. The asking is not done here: the run's
// Options.Resolve does it (dockdoc --resolve passes a caching
// resolve.Resolver), and without it the rule says nothing, so dockdoc
// stays offline by default.

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD095",
	Name:     "base-image-digest",
	Severity: diagnose.Info,
	Category: diagnose.Reproducibility,
	Summary:  "base image tag is not pinned by digest",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Off by default and offline by default: it runs only with `--resolve` (`dockdoc check --resolve`, " +
			"`dockdoc fix --resolve`), which also turns it on; `enable: [DD095]` in .dockdoc.yaml alone does not " +
			"make dockdoc touch the network, so without `--resolve` the rule is silent. With it, dockdoc asks each " +
			"base image's registry which digest the tag points to now, and flags every `FROM image:tag` that is not " +
			"pinned as `image:tag@sha256:...`. `scratch`, references to an earlier stage, images built from an " +
			"`ARG` (`FROM ${BASE}`) and images already pinned by digest are skipped. An image with no tag or the " +
			"`latest` tag is flagged without a fix: give it a version first (DD001). Only `FROM` is checked, not " +
			"`COPY --from=image` or `RUN --mount=from=image`. Each distinct image is asked for once per run, " +
			"with the credentials of your Docker configuration (`docker login`), and each request is bounded by a " +
			"10-second timeout: a registry that is down, slow or refuses access becomes the finding's message, " +
			"never a hang and never a guessed digest.",
		Why: "A tag is a name the publisher can move: `python:3.12-slim` is rebuilt for every patch release and " +
			"every Debian security update, and a registry account that is compromised can point any tag at " +
			"anything. Two builds of the same Dockerfile a week apart can get different base images, so a bug " +
			"can appear that nobody changed, and a build cannot be reproduced later. A digest names the exact " +
			"content: the build gets those bytes or fails. Docker's best practices, hadolint and image scanners " +
			"recommend pinning base images by digest, and tools such as Renovate and Dependabot keep a " +
			"`tag@digest` pin up to date with reviewable pull requests, which is how pinned images still get " +
			"their security fixes.",
		Bad: "FROM registry.example/team/base:1.4\nRUN make",
		Good: "FROM registry.example/team/base:1.4@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n" +
			"RUN make",
		Fix: "Safe: the fix appends the digest the registry reports for the tag now, `image:tag` becoming " +
			"`image:tag@sha256:...`, so a build today gets exactly the image it got a minute ago; what changes is " +
			"that later builds keep getting it instead of whatever the tag is moved to. The tag stays, for " +
			"readers and for update bots. For a multi-platform image the digest is that of its index (manifest " +
			"list), not of one platform's image, so every platform still builds. A local build that used an " +
			"older copy of the tag from the Docker cache now gets the registry's current image. dockdoc never " +
			"writes a digest it did not get from the registry: when resolution fails (timeout, missing tag, no " +
			"access) the finding says why and has no fix. Pinning means updates stop until you (or a bot) move " +
			"the pin: re-run `dockdoc fix --resolve` after removing the digest, or let Renovate or Dependabot do " +
			"it.",
		Refs: []string{
			"https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
			"https://docs.docker.com/reference/dockerfile/#from",
			"https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests",
			"https://docs.renovatebot.com/docker/#digest-pinning",
		},
	},
	Optional: true,
	Check: func(p *diagnose.Pass) {
		resolve := p.Doc.Resolve
		if resolve == nil {
			return // offline: never guess, never ask
		}
		type answer struct {
			digest string
			err    error
		}
		asked := map[string]answer{} // each distinct image once per run
		for _, s := range p.Doc.Stages {
			img := s.Image
			if img == "" || strings.EqualFold(img, "scratch") || strings.Contains(img, "$") || strings.Contains(img, "@") {
				continue
			}
			if p.Doc.StageByName(img, s.Index) != nil {
				continue
			}
			span := s.From.OrigSpan(s.ImageSpan)
			_, tag, _ := images.SplitImageRef(img)
			if tag == "" || tag == "latest" {
				p.Report(span, "base image %q is not pinned by digest, and it names no version: choose a version tag "+
					"first (DD001), then pin its digest", img)
				continue
			}
			a, ok := asked[img]
			if !ok {
				a.digest, a.err = resolve(img)
				asked[img] = a
			}
			if a.err != nil {
				p.Report(span, "base image %q is not pinned by digest; could not resolve its digest: %v", img, a.err)
				continue
			}
			if !digestFormRe.MatchString(a.digest) {
				p.Report(span, "base image %q is not pinned by digest; could not resolve its digest: the resolver "+
					"gave %q, which is not a sha256 digest", img, a.digest)
				continue
			}
			short := shortDigest(a.digest)
			f := p.Report(span, "base image %q is not pinned by digest: the tag can be moved to other content at "+
				"any time; it points to %s now", img, short)
			if string(p.Doc.Src[span.Start:span.End]) != img {
				continue // the reference is split by a line continuation: no fix
			}
			fx := f.AddFix("Pin "+img+" to its current digest "+short, fixes.Safe, diagnose.Replace(span, img+"@"+a.digest))
			fx.Note = "The digest is what the registry reports for the tag now (for a multi-platform image, its index). " +
				"Later builds keep this image until the pin is moved."
		}
	},
})

// digestFormRe is the only form of digest DD095 writes.
var digestFormRe = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// shortDigest abbreviates sha256:<64 hex> to sha256:<12 hex> for messages
// and titles; the edit writes the whole digest.
func shortDigest(d string) string {
	if len(d) > len("sha256:")+12 {
		return d[:len("sha256:")+12]
	}
	return d
}
