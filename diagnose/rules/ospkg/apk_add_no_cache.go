package ospkg

import (
	"fmt"
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
	"strings"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD033",
	Name:     "apk-add-no-cache",
	Severity: diagnose.Info,
	Category: diagnose.Size,
	Aliases:  []string{"DL3019"},
	Summary:  "apk add without --no-cache",
	Fixable:  diagnose.FixAlways,
	Scope:    diagnose.ShippedStages,
	Doc: diagnose.Doc{
		What: "Flags `apk add` in a `RUN` or `ONBUILD RUN` without `--no-cache` (written before or after `add`). " +
			"Not flagged when the `RUN` mounts a cache or tmpfs on apk's cache (`--mount=type=cache,target=/var/cache/apk`, " +
			"or `/etc/apk/cache`): then the cache never reaches the image, and keeping it between builds is the point. " +
			"Nor is `apk add --no-network` (as in `apk add --no-network --virtual .rundeps $runDeps`), which fetches " +
			"nothing and only records packages that are already installed; hadolint flags it. Checked in stages the " +
			"image is made of: the last stage and the stages it is built `FROM`, directly or through others. A " +
			"builder stage that later stages only read with `COPY --from` is not checked (hadolint checks it): the " +
			"files copied out of it ship, its apk index does not.",
		Why: "Without `--no-cache`, apk needs a package index in `/var/cache/apk`, which is why such lines come with " +
			"`apk update` (or `--update`) before and `rm -rf /var/cache/apk/*` after. When the clean-up is forgotten " +
			"the index, a few megabytes, stays in the layer for good. With `--no-cache` apk fetches the index into " +
			"memory, installs, and leaves nothing behind: one flag replaces the update and the clean-up.",
		Bad:  "RUN apk update && apk add curl && rm -rf /var/cache/apk/*",
		Good: "RUN apk add --no-cache curl",
		Fix: "Inserts `--no-cache` right after `add`, and drops an `apk update &&` chained right before it (which " +
			"would write the index into the layer anyway). Safe: the same packages are installed from the same " +
			"repositories; apk only stops keeping its index. Once every `apk add` has it, a separate `apk update` " +
			"and the `rm -rf /var/cache/apk/*` are no longer needed, and you can delete them (an `apk update` alone " +
			"still writes the index into the layer).",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3019",
			"https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper",
			"https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, in := range p.Doc.Instructions {
			if cacheMounted(in) {
				continue
			}
			var update *diagnose.Command // the last apk update of the script before c
			for _, c := range runscript.InvokedCommands(p.Doc, in) {
				verb := pkgmgr.ApkVerb(c)
				if verb >= 0 && c.Words[verb] == "update" {
					update = c
					continue
				}
				if verb < 0 || c.Words[verb] != "add" || c.HasFlag("--no-cache") {
					continue
				}
				if c.HasFlag("--no-network") {
					continue // installs only what is already there: no index is fetched
				}
				f := p.Report(c.Script.Span(c.Call), "apk add without --no-cache keeps apk's package index in this layer")
				edits := []fixes.Edit{diagnose.Insert(c.ArgSpan(verb).End, " --no-cache")}
				title := "Add --no-cache to apk add"
				var note string
				if update != nil && update.Script == c.Script {
					// The update has already written the index: the flag alone
					// leaves it in the layer. Drop an update chained right
					// before with &&; otherwise say so.
					us, cs := update.Script.Span(update.Call), c.Script.Span(c.Call)
					between := strings.TrimSpace(strings.ReplaceAll(string(p.Doc.Src[us.End:cs.Start]), "\\\n", " "))
					if between == "&&" && !p.Doc.HasCommentLines(diagnose.Span{Start: us.Start, End: cs.Start}) {
						edits = append(edits, diagnose.Delete(diagnose.Span{Start: us.Start, End: cs.Start}))
						title = "Add --no-cache to apk add and drop the apk update before it"
					} else {
						l, _ := p.Doc.Position(us.Start)
						note = fmt.Sprintf("The apk update on line %d still writes the index into the layer: delete it too.", l)
					}
				}
				fx := f.AddFix(title, fixes.Safe, edits...)
				fx.Note = note
				update = nil
			}
		}
	},
})

// cacheMounted reports whether the RUN mounts a cache or tmpfs over
// apk's cache directory (or a directory holding it).
func cacheMounted(in *diagnose.Instruction) bool {
	for _, t := range runscript.RunMountTargets(in) {
		switch t {
		case "/var/cache/apk", "/etc/apk/cache", "/var/cache", "/var":
			return true
		}
	}
	return false
}
