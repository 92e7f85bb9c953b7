package ospkg

import (
	"fmt"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD007",
	Name:     "apt-lists-not-removed",
	Severity: diagnose.Info,
	Category: diagnose.Size,
	Aliases:  []string{"DL3009"},
	Summary:  "apt package lists left in the image",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags a `RUN` (or an `ONBUILD RUN` trigger) that runs `apt-get update` or `apt-get install` (or `apt`) and does not remove " +
			"`/var/lib/apt/lists` later in the same `RUN`: with `rm -rf /var/lib/apt/lists/*` (any recursive " +
			"`rm` of them), `find /var/lib/apt/lists -delete`, or `apt-get dist-clean` (`apt dist-clean`; apt " +
			"2.7.8 and newer), which removes the lists along with the package cache. `apt-get clean` leaves the " +
			"lists and does not count. Only " +
			"stages whose files end up in an image are checked: the last stage, and stages that another " +
			"stage builds on with `FROM <stage>`. A `RUN` that mounts a cache or tmpfs on `/var/lib/apt` or " +
			"`/var/lib/apt/lists` is not flagged, since those files never reach the image.",
		Why: "`apt-get update` downloads the package index of every configured repository into " +
			"`/var/lib/apt/lists`, often tens of megabytes. Nothing in the running container needs it. Each " +
			"`RUN` makes an image layer, and a layer keeps every file that exists when its `RUN` ends: deleting " +
			"the lists in a later `RUN` only hides them, the bytes stay in the image. So they must be deleted " +
			"in the same `RUN` that downloaded them. It also stops a later `RUN` from silently installing from " +
			"an old, cached index instead of running `apt-get update` again.",
		Bad: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
		Good: "FROM debian:12\nRUN apt-get update \\\n" +
			"    && apt-get install -y --no-install-recommends curl \\\n" +
			"    && rm -rf /var/lib/apt/lists/*",
		Fix: "Appends `&& rm -rf /var/lib/apt/lists/*` to the end of the `RUN` (in a here-document that runs " +
			"with `set -e`, a new last line `rm -rf /var/lib/apt/lists/*`). Safe when nothing after it relies on " +
			"the lists. Unsafe when a later `RUN` of the stage, or of a stage built on it, runs `apt-get install` " +
			"without its own `apt-get update`: after the fix that install finds no packages; add `apt-get update` " +
			"to it. No fix is offered when the script ends in a background job, `exit` or `exec`, where an added " +
			"command would not run. A cache mount (`RUN --mount=type=cache,target=/var/lib/apt/lists ...`) is an " +
			"alternative that also speeds up rebuilds.",
		Refs: []string{
			"https://docs.docker.com/build/building/best-practices/#apt-get",
			"https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
			"https://github.com/hadolint/hadolint/wiki/DL3009",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, s := range d.Stages {
			if !s.Ships() {
				continue
			}
			for _, in := range s.Instrs {
				scripts, cmds, onbuild := runScripts(d, in)
				if len(scripts) == 0 {
					continue
				}
				// The apt commands after the last removal of the lists; the
				// update that downloads them is the one to point at.
				var first, update *diagnose.Command
				for _, c := range cmds {
					switch {
					case pkgmgr.RemovesAptLists(c):
						first, update = nil, nil
					case trigger(c):
						if first == nil {
							first = c
						}
						if update == nil && c.Words[pkgmgr.VerbIndex(c)] == "update" {
							update = c
						}
					}
				}
				var f *diagnose.Finding
				switch {
				case update != nil:
					f = p.Report(update.Script.Span(update.Call),
						"%s update downloads package lists that stay in this layer; remove /var/lib/apt/lists/* at the end of the same RUN", update.Name())
				case first != nil:
					f = p.Report(first.Script.Span(first.Call),
						"%s install runs here but /var/lib/apt/lists is not removed at the end of the same RUN", first.Name())
				default:
					continue
				}
				edit, ok := removalEdit(d, in, scripts[len(scripts)-1])
				if !ok {
					continue
				}
				title := "Remove /var/lib/apt/lists/* at the end of the RUN"
				if onbuild {
					// The trigger runs in a child build this file does not
					// show: a later RUN there may rely on the lists.
					fx := f.AddFix(title, fixes.Unsafe, edit)
					fx.Note = "The ONBUILD trigger runs in the build of every image made FROM this one; a RUN of those " +
						"builds that installs packages without apt-get update would rely on the lists it leaves."
					continue
				}
				later, readable := neededLater(d, in)
				switch {
				case later == nil:
					f.AddFix(title, fixes.Safe, edit)
				case readable:
					fx := f.AddFix(title, fixes.Unsafe, edit)
					fx.Note = fmt.Sprintf("The RUN on line %d uses apt without running apt-get update first, so it relies "+
						"on the lists this RUN leaves behind; after the fix it would fail to find packages. Add "+
						"apt-get update to that RUN too.", later.StartLine)
				default:
					fx := f.AddFix(title, fixes.Unsafe, edit)
					fx.Note = fmt.Sprintf("The RUN on line %d mentions apt but is not shell dockdoc can read; if it "+
						"installs packages without apt-get update first, it relies on the lists this RUN leaves behind.",
						later.StartLine)
				}
			}
		}
	},
})

// runScripts returns the scripts and commands of a RUN, or of the RUN an
// ONBUILD trigger runs in the child's build (onbuild true), unless it
// mounts a cache over the lists; none for other instructions and for a
// trigger with a here-document.
func runScripts(d *diagnose.Document, in *diagnose.Instruction) (scripts []*diagnose.Script, cmds []*diagnose.Command, onbuild bool) {
	switch in.Keyword {
	case "run":
		if mountedAway(in) {
			return nil, nil, false
		}
		return in.Scripts(d), in.Commands(d), false
	case "onbuild":
		trig := runscript.OnbuildTrigger(in)
		if trig == nil || mountedAway(trig) || len(in.Heredocs) > 0 {
			return nil, nil, false
		}
		if sc := runscript.OnbuildScript(d, in); sc != nil {
			return []*diagnose.Script{sc}, sc.Commands(), true
		}
	}
	return nil, nil, false
}

// mountedAway reports whether the RUN mounts a cache or tmpfs over
// the apt lists, so they are not in its layer.
func mountedAway(in *diagnose.Instruction) bool {
	for _, t := range diagnose.EphemeralMountTargets(in) {
		if t == "/var/lib/apt" || t == "/var/lib/apt/lists" {
			return true
		}
	}
	return false
}

// trigger reports whether c is an apt-get / apt update or install.
func trigger(c *diagnose.Command) bool {
	if n := c.Name(); n != "apt-get" && n != "apt" {
		return false
	}
	v := pkgmgr.VerbIndex(c)
	return v >= 0 && (c.Words[v] == "update" || c.Words[v] == "install")
}

// use reports whether c reads the apt lists (and would fail or
// misbehave without them), and whether it is an update that refreshes them.
func use(c *diagnose.Command) (needs, updates bool) {
	switch c.Name() {
	case "apt-cache":
		return true, false
	case "apt-get", "apt":
	default:
		return false, false
	}
	v := pkgmgr.VerbIndex(c)
	if v < 0 {
		return false, false
	}
	switch c.Words[v] {
	case "update":
		return false, true
	case "install", "reinstall", "build-dep", "source", "download", "satisfy",
		"upgrade", "dist-upgrade", "full-upgrade", "show", "search", "policy":
		return true, false
	}
	return false, false
}

// neededLater returns the first RUN after in, in its stage or a
// stage built on it, that uses the apt lists without refreshing them first,
// or that cannot be read and mentions apt (readable is then false); or nil.
func neededLater(d *diagnose.Document, in *diagnose.Instruction) (later *diagnose.Instruction, readable bool) {
	ix := d.Memo(laterKey{}, func() any { return newListsLater(d) }).(*listsLater)
	o := ix.next[in.Index]
	if o == nil {
		if t := ix.desc[in.Stage.Index]; t != nil {
			o = ix.first[t.Index]
		}
	}
	if o == nil {
		return nil, false
	}
	return o, ix.readable[o.Index]
}

type laterKey struct{}

// listsLater indexes, once per Document, the RUNs that use the apt
// lists without refreshing them, so that neededLater is answered
// without rescanning the rest of the file for every RUN.
type listsLater struct {
	next     []*diagnose.Instruction // by instruction: the first such RUN after it in its stage
	readable []bool                  // by instruction: the RUN is readable shell
	first    []*diagnose.Instruction // by stage: its first such RUN
	desc     []*diagnose.Stage       // by stage: the earliest stage built on it with one
}

func newListsLater(d *diagnose.Document) *listsLater {
	ix := &listsLater{
		next:     make([]*diagnose.Instruction, len(d.Instructions)),
		readable: make([]bool, len(d.Instructions)),
		first:    make([]*diagnose.Instruction, len(d.Stages)),
		desc:     make([]*diagnose.Stage, len(d.Stages)),
	}
	for _, s := range d.Stages {
		var hit *diagnose.Instruction
		for i := len(s.Instrs) - 1; i >= 0; i-- {
			o := s.Instrs[i]
			ix.next[o.Index] = hit
			if uses, readable := runUses(d, o); uses {
				hit, ix.readable[o.Index] = o, readable
			}
		}
		ix.first[s.Index] = hit
	}
	// Stages built on a stage come after it: fill the latest first.
	for i := len(d.Stages) - 1; i >= 0; i-- {
		var best *diagnose.Stage
		for _, c := range d.Stages[i].Children {
			cand := ix.desc[c.Index]
			if ix.first[c.Index] != nil {
				cand = c
			}
			if cand != nil && (best == nil || cand.Index < best.Index) {
				best = cand
			}
		}
		ix.desc[i] = best
	}
	return ix
}

// runUses reports whether o is a RUN that uses the apt lists
// before any apt-get update of its own, or that cannot be read and
// mentions apt (readable is then false).
func runUses(d *diagnose.Document, o *diagnose.Instruction) (uses, readable bool) {
	if o.Keyword != "run" {
		return false, false
	}
	if len(o.Scripts(d)) == 0 {
		return strings.Contains(o.Logical, "apt"), false
	}
	for _, c := range o.Commands(d) {
		needs, updates := use(c)
		if updates {
			return false, false
		}
		if needs {
			return true, true
		}
	}
	return false, false
}

// removalEdit builds the edit that removes the lists at the end of
// the RUN's script (see AppendCommandEdit for when it cannot).
func removalEdit(d *diagnose.Document, in *diagnose.Instruction, s *diagnose.Script) (fixes.Edit, bool) {
	return diagnose.AppendCommandEdit(d, in, s, "rm -rf /var/lib/apt/lists/*", true)
}
