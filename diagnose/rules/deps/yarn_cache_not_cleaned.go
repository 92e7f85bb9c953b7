package deps

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD052",
	Name:     "yarn-cache-not-cleaned",
	Severity: diagnose.Info,
	Category: diagnose.Size,
	Aliases:  []string{"DL3060"},
	Summary:  "yarn install leaves its package cache in the image",
	Fixable:  diagnose.FixSometimes,
	Scope:    diagnose.ShippedStages,
	Doc: diagnose.Doc{
		What: "Flags a `RUN` that runs `yarn install` (also a bare `yarn`, `yarn add` and `yarn global add`) " +
			"without `yarn cache clean` later in the same `RUN`. Checked in stages the image is made of: the " +
			"last stage and the stages it is built `FROM`, directly or through others; a builder stage that " +
			"later stages only read with `COPY --from` is not checked (its files ship, its cache does not), " +
			"and neither are its `ONBUILD RUN` triggers. Removing the cache directory with `rm -rf` counts as " +
			"cleaning, and a `RUN` that mounts a cache or tmpfs on the yarn cache (a target containing `yarn`, " +
			"such as `/usr/local/share/.cache/yarn`) is not flagged. Projects on Yarn 2 or later (a berry " +
			"yarn.lock or `packageManager` in the build context, `yarn set version`, a copied `.yarnrc.yml`) are " +
			"only flagged when they use the `node-modules` linker (`YARN_NODE_LINKER=node-modules` or " +
			"`yarn config set nodeLinker node-modules`): with Plug'n'Play, the default, the cache holds the " +
			"installed packages themselves and must stay.",
		Why: "Yarn keeps a copy of every package it downloads in its cache (`/usr/local/share/.cache/yarn` for " +
			"root with Yarn 1), so that the next install on the same machine is faster. In an image there is no " +
			"next install: the cache is a second copy of all of node_modules, often hundreds of megabytes, " +
			"shipped in the layer of that `RUN`. Cleaning it in a later `RUN` does not help, because the earlier " +
			"layer keeps the files.",
		Bad:  "RUN yarn install --frozen-lockfile",
		Good: "RUN yarn install --frozen-lockfile && yarn cache clean\n# or keep the cache out of the image and reuse it between builds\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile",
		Fix: "Appends `&& yarn cache clean` to the end of the `RUN`. Safe when the build context shows a Yarn 1 " +
			"project (a classic yarn.lock, or `packageManager: yarn@1...`), or the Dockerfile sets the " +
			"node-modules linker: node_modules is complete without the cache. Otherwise unsafe: if the project " +
			"actually uses Yarn 2 or later with Plug'n'Play, the packages are read from the cache at run time and " +
			"cleaning it breaks the application. No fix is offered when the script ends in a background job, " +
			"`exit` or `exec`, where an added command would not run.",
		Refs: []string{
			"https://classic.yarnpkg.com/en/docs/cli/cache",
			"https://yarnpkg.com/features/pnp",
			"https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
			"https://github.com/hadolint/hadolint/wiki/DL3060",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			run := in // the instruction carrying the RUN flags
			var scripts []*diagnose.Script
			switch in.Keyword {
			case "run":
				scripts = in.Scripts(d)
			case "onbuild":
				run = runscript.OnbuildTrigger(in)
				if s := runscript.OnbuildScript(d, in); s != nil {
					scripts = []*diagnose.Script{s}
				}
			}
			if len(scripts) == 0 || yarnCacheMounted(run) {
				continue
			}
			var install *diagnose.Command
			var verb string
			for _, s := range scripts {
				for _, c := range s.Commands() {
					if v := yarnInstallVerb(c); v != "" {
						if install == nil {
							install, verb = c, v
						}
					} else if yarnCacheCleaned(c) {
						install = nil
					}
				}
			}
			if install == nil {
				continue
			}
			kind := yarnKind(d, in, install)
			if kind == "pnp" {
				continue
			}
			f := p.Report(install.Script.Span(install.Call),
				"%s leaves yarn's package cache, a second copy of every downloaded package, in this layer; run yarn cache clean at the end of the same RUN", verb)
			edit, ok := appendToScript(scripts[len(scripts)-1], " && yarn cache clean")
			if !ok {
				continue
			}
			const title = "Append yarn cache clean to the RUN"
			if kind == "classic" || kind == "node-modules" {
				f.AddFix(title, fixes.Safe, edit)
				continue
			}
			fx := f.AddFix(title, fixes.Unsafe, edit)
			fx.Note = "dockdoc cannot tell which Yarn this project uses. With Yarn 1, or Yarn 2+ with the " +
				"node-modules linker, node_modules is complete without the cache. With Yarn 2+ and Plug'n'Play " +
				"(the default there), the cache holds the packages the application loads: do not apply the fix."
		}
	},
})

// yarnInstallVerb returns how a yarn command that fills the package cache
// reads in a message ("yarn install", "yarn", "yarn add", "yarn global
// add"), or "".
func yarnInstallVerb(c *diagnose.Command) string {
	if c.Name() != "yarn" {
		return ""
	}
	sub := pkgmgr.Sub(c, pkgmgr.YarnValueOpts)
	if sub < 0 {
		if c.HasFlag("-v", "--version", "-h", "--help") {
			return ""
		}
		return "yarn" // a bare yarn installs
	}
	if !c.Lit[sub] {
		return ""
	}
	switch c.Words[sub] {
	case "install", "add":
		return "yarn " + c.Words[sub]
	case "global":
		rest := pkgmgr.Positionals(c, sub, pkgmgr.YarnValueOpts)
		if len(rest) > 0 && c.Words[rest[0]] == "add" {
			return "yarn global add"
		}
	}
	return ""
}

// yarnCacheCleaned reports whether c empties yarn's cache: `yarn cache
// clean`, or `rm -r` of a yarn cache directory.
func yarnCacheCleaned(c *diagnose.Command) bool {
	switch c.Name() {
	case "yarn":
		sub := pkgmgr.Sub(c, pkgmgr.YarnValueOpts)
		if sub < 0 || c.Words[sub] != "cache" {
			return false
		}
		rest := pkgmgr.Positionals(c, sub, pkgmgr.YarnValueOpts)
		return len(rest) > 0 && c.Words[rest[0]] == "clean"
	case "rm":
		if !c.HasFlag("-r", "-R", "--recursive") {
			return false
		}
		for i := c.Prog + 1; i < len(c.Call.Args); i++ {
			w := c.Script.Text(c.Call.Args[i])
			if strings.Contains(w, "yarn cache dir") || strings.Contains(w, ".cache/yarn") ||
				strings.Contains(w, ".yarn/berry/cache") || strings.Contains(w, ".yarn/cache") {
				return true
			}
		}
	}
	return false
}

// yarnCacheMounted reports whether the RUN mounts a cache or tmpfs on a
// yarn cache directory.
func yarnCacheMounted(run *diagnose.Instruction) bool {
	if run == nil {
		return false
	}
	for _, t := range diagnose.EphemeralMountTargets(run) {
		if strings.Contains(strings.ToLower(t), "yarn") {
			return true
		}
	}
	return false
}

// yarnKind tells what dockdoc knows of the project's Yarn when c runs:
// "classic" (Yarn 1), "node-modules" (Yarn 2+ with the node-modules
// linker), "pnp" (Yarn 2+ with Plug'n'Play or an unknown linker) or ""
// (unknown).
func yarnKind(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command) string {
	if v, ok := pkgmgr.Env(d, in, c, "YARN_NODE_LINKER"); ok && (v == "node-modules" || v == "pnpm") {
		return "node-modules"
	}
	berry := false
	for _, s := range in.Stage.Lineage() {
		for _, o := range s.Instrs {
			if s == in.Stage && o.Index > in.Index {
				break
			}
			switch o.Keyword {
			case "copy", "add":
				for _, w := range o.Words()[1:] {
					if strings.Contains(w.Text, ".yarnrc.yml") || strings.Contains(w.Text, ".yarn/") {
						berry = true
					}
				}
			case "run":
				for _, oc := range o.Commands(d) {
					if oc.Script.In == in && oc.Call.Pos().Offset() > c.Call.Pos().Offset() {
						break
					}
					switch yarnConfig(oc) {
					case "berry":
						berry = true
					case "node-modules":
						return "node-modules"
					}
				}
			}
		}
	}
	if ctx := d.Ctx; ctx != nil {
		switch ctx.NodeTool() {
		case "yarn-berry":
			berry = true
		case "yarn-classic":
			if !berry {
				return "classic"
			}
		}
	}
	if berry {
		return "pnp"
	}
	return ""
}

// yarnConfig reads a command that sets up Yarn: "berry" for one that
// switches to Yarn 2 or later (`yarn set version stable`, `corepack
// prepare yarn@4`), "node-modules" for `yarn config set nodeLinker
// node-modules`, else "".
func yarnConfig(c *diagnose.Command) string {
	var args []string
	for i := c.Prog + 1; i < len(c.Words); i++ {
		if c.Lit[i] && !strings.HasPrefix(c.Words[i], "-") {
			args = append(args, c.Words[i])
		}
	}
	switch c.Name() {
	case "yarn":
		if len(args) >= 3 && args[0] == "set" && args[1] == "version" {
			v := args[2]
			if v != "classic" && !strings.HasPrefix(v, "1.") && v != "1" {
				return "berry"
			}
		}
		if len(args) >= 4 && args[0] == "config" && args[1] == "set" && args[2] == "nodeLinker" &&
			(args[3] == "node-modules" || args[3] == "pnpm") {
			return "node-modules"
		}
	case "corepack":
		for _, a := range args {
			if v, ok := strings.CutPrefix(a, "yarn@"); ok && !strings.HasPrefix(v, "1.") && v != "1" {
				return "berry"
			}
		}
	}
	return ""
}

// appendToScript is the edit that appends text (" && cmd") after the
// last statement of a script, or false when an appended command would not
// run (a background job, exit, exec) or the script is empty.
func appendToScript(s *diagnose.Script, text string) (fixes.Edit, bool) {
	stmts := s.File.Stmts
	if len(stmts) == 0 {
		return fixes.Edit{}, false
	}
	last := stmts[len(stmts)-1]
	if last.Background || last.Coprocess || last.Disown {
		return fixes.Edit{}, false
	}
	for _, c := range s.Commands() {
		if c.Stmt == last || (c.Call.Pos().Offset() >= last.Pos().Offset() && c.Call.End().Offset() <= last.End().Offset()) {
			if n := c.Name(); n == "exit" || (len(c.Words) > 0 && c.Lit[0] && c.Words[0] == "exec") {
				return fixes.Edit{}, false
			}
		}
	}
	end := runscript.StmtEnd(last)
	return diagnose.Insert(s.SpanOf(end-1, end).End, text), true
}
