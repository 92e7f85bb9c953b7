package variables

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD076",
	Name:     "from-platform-constant",
	Severity: diagnose.Warning,
	Category: diagnose.Reproducibility,
	Aliases:  []string{"DL3029", "FromPlatformFlagConstDisallowed"},
	Summary:  "FROM --platform is a fixed value",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags `FROM --platform=` with a fixed platform such as `linux/amd64` or `arm64`. Values built from " +
			"variables (`$BUILDPLATFORM`, `$TARGETOS/$TARGETARCH`, an `ARG` of your own) are not flagged, and neither " +
			"is a stage whose name mentions the operating system or architecture (`AS build-amd64`), which is how " +
			"per-platform stages picked by `FROM build-${TARGETARCH}` are written. This follows BuildKit; hadolint's " +
			"DL3029 also flags `--platform=$MY_ARG`, although a build argument can be set for every build.",
		Why: "A fixed platform makes the stage ignore `docker build --platform`: a multi-platform build produces the " +
			"same amd64 content under every platform, and on an Apple silicon or other ARM machine the stage runs " +
			"emulated and slowly. The choice of platform usually belongs to whoever runs the build, not to the file.",
		Bad:  "FROM --platform=linux/amd64 node:22-alpine\nCOPY . .\nRUN npm ci",
		Good: "FROM node:22-alpine\nCOPY . .\nRUN npm ci",
		Fix: "No automatic fix, because the right change depends on why the platform was fixed. If the stage only " +
			"builds tools or cross-compiles, `--platform=$BUILDPLATFORM` runs it natively on the build machine. If " +
			"its content goes into the image, drop the flag and pass `--platform` to `docker build`. If the base " +
			"image exists for one architecture only (common for vendor images), keep it and name the stage after " +
			"the platform (`AS tools-amd64`), or suppress the finding. Removing it blindly changes the image you get " +
			"on an ARM machine, which is why dockdoc does not.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/",
			"https://github.com/hadolint/hadolint/wiki/DL3029",
			"https://docs.docker.com/build/building/multi-platform/",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		g := buildvars.Globals(d)
		for _, s := range d.Stages {
			v, sp, ok := buildvars.Flag(s.From, "platform")
			if !ok {
				continue
			}
			x, ok := buildvars.Expand(v, g.Env, d.Escape)
			if !ok || len(x.Matched) > 0 || len(x.Unmatched) > 0 {
				continue
			}
			pl, ok := buildvars.ParsePlatform(x.Result)
			if !ok {
				continue
			}
			name := strings.ToLower(s.Name)
			if strings.Contains(name, pl.OS) || strings.Contains(name, pl.Arch) {
				continue
			}
			p.Report(s.From.OrigSpan(sp), "FROM --platform=%s fixes the platform, so this stage ignores docker build --platform", x.Result)
		}
	},
})
