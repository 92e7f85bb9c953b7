package deps

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD009",
	Name:     "pip-no-cache-dir",
	Severity: diagnose.Warning,
	Category: diagnose.Size,
	Aliases:  []string{"DL3042"},
	Summary:  "pip install keeps its download cache in the image",
	Fixable:  diagnose.FixSometimes,
	Scope:    diagnose.ShippedStages,
	Doc: diagnose.Doc{
		What: "Flags `pip install` (also `pip3`, `pip3.12`, `python -m pip`, `python3 -m pip`; in a `RUN` or an `ONBUILD RUN` trigger) without " +
			"`--no-cache-dir`. Not flagged when the cache is off some other way: `PIP_NO_CACHE_DIR` set by `ENV` " +
			"earlier in the stage or in a stage it builds on, by an `ARG` with a value earlier in the stage, by " +
			"`export` earlier in the same `RUN`, or in front of the command (`PIP_NO_CACHE_DIR=1 pip install ...`); " +
			"or when the `RUN` mounts a cache or tmpfs on the pip cache (`/root/.cache` or `/root/.cache/pip`). " +
			"Checked in stages the image is made of: the last stage and the stages it is built `FROM`, directly or " +
			"through others. A builder stage that later stages only read with `COPY --from` is not checked " +
			"(hadolint checks it): the files copied out of it ship, its pip cache does not. Any value of " +
			"`PIP_NO_CACHE_DIR` turns the cache off, `0` and `false` included: pip keeps that behaviour on purpose " +
			"for compatibility (its option handler says so), so dockdoc, unlike hadolint's DL3042, does not flag " +
			"`PIP_NO_CACHE_DIR=0`.",
		Why: "pip keeps every package it downloads or builds in `~/.cache/pip`, so that the next install on the " +
			"same machine is faster. In an image there is no next install: the cache is just a second copy of " +
			"the packages, often tens or hundreds of megabytes, shipped in the layer of that `RUN` and never " +
			"used again.",
		Bad:  "RUN pip install -r requirements.txt",
		Good: "RUN pip install --no-cache-dir -r requirements.txt",
		Fix: "Inserts `--no-cache-dir` right after `install`. Safe: pip installs exactly the same packages; it " +
			"only stops keeping a copy of the downloads. If you rebuild often, a cache mount " +
			"(`RUN --mount=type=cache,target=/root/.cache/pip pip install ...`) keeps the speed-up without " +
			"putting the cache in the image.",
		Refs: []string{
			"https://pip.pypa.io/en/stable/topics/caching/",
			"https://pip.pypa.io/en/stable/cli/pip/#cmdoption-no-cache-dir",
			"https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
			"https://github.com/hadolint/hadolint/wiki/DL3042",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			run := in // the RUN, or the RUN an ONBUILD trigger runs in the child's build
			if in.Keyword == "onbuild" {
				if run = runscript.OnbuildTrigger(in); run == nil {
					continue
				}
			}
			if run.Keyword != "run" || cacheMountedAway(run) || noCacheFromEnv(d, in) {
				continue
			}
			for _, c := range runscript.RunOrOnbuildCommands(d, in) {
				verb := pkgmgr.PipInstallIndex(c)
				if verb < 0 || cacheOffInline(c) || cacheExported(c) {
					continue
				}
				if pkgmgr.PipHasOption(c, verb, "--no-cache-dir") || pkgmgr.PipHasOption(c, verb, "--help", "-h") {
					continue
				}
				f := p.Report(c.Script.Span(c.Call),
					"pip install without --no-cache-dir leaves pip's download cache in this layer")
				f.AddFix("Add --no-cache-dir to pip install", fixes.Safe, diagnose.Insert(c.ArgSpan(verb).End, " --no-cache-dir"))
			}
		}
	},
})

// cacheOffInline reports whether PIP_NO_CACHE_DIR is set for this one
// command: `PIP_NO_CACHE_DIR=1 pip ...` or `env PIP_NO_CACHE_DIR=1 pip ...`.
func cacheOffInline(c *diagnose.Command) bool {
	for _, a := range c.Call.Assigns {
		if a.Name != nil && a.Name.Value == "PIP_NO_CACHE_DIR" && a.Value != nil {
			if v, _ := diagnose.LiteralWord(a.Value); v != "" {
				return true
			}
		}
	}
	for i := 0; i < c.Prog && i < len(c.Words); i++ {
		if v, ok := strings.CutPrefix(c.Words[i], "PIP_NO_CACHE_DIR="); ok && c.Lit[i] && v != "" {
			return true
		}
	}
	return false
}

// cacheExported reports whether the script exports PIP_NO_CACHE_DIR
// with a value before c runs (`export PIP_NO_CACHE_DIR=1 && pip ...`).
func cacheExported(c *diagnose.Command) bool {
	found := false
	syntax.Walk(c.Script.File, func(n syntax.Node) bool {
		decl, ok := n.(*syntax.DeclClause)
		if found || !ok || decl.Variant == nil || decl.Variant.Value != "export" || decl.End().Offset() > c.Call.Pos().Offset() {
			return !found
		}
		for _, a := range decl.Args {
			if a.Name != nil && a.Name.Value == "PIP_NO_CACHE_DIR" && a.Value != nil {
				if v, _ := diagnose.LiteralWord(a.Value); v != "" {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// cacheMountedAway reports whether the RUN mounts a cache or tmpfs on
// a pip cache directory, so the cache never reaches the image.
func cacheMountedAway(in *diagnose.Instruction) bool {
	for _, t := range diagnose.EphemeralMountTargets(in) {
		if path.Base(t) == ".cache" || strings.HasSuffix(t, "/.cache/pip") {
			return true
		}
	}
	return false
}

// noCacheFromEnv reports whether PIP_NO_CACHE_DIR has a value in the
// environment of the RUN: an ENV earlier in its stage or in a stage it
// builds on, or an ARG with a default earlier in its stage.
func noCacheFromEnv(d *diagnose.Document, in *diagnose.Instruction) bool {
	if in.Stage == nil {
		return false
	}
	return noCacheEnvs(d)[in.Index]
}

type noCacheEnvsKey struct{}

// noCacheEnvs is, by instruction, whether PIP_NO_CACHE_DIR has a
// value before it, computed once per Document: each stage starts from
// the ENVs its parent ends with.
func noCacheEnvs(d *diagnose.Document) []bool {
	return d.Memo(noCacheEnvsKey{}, func() any {
		before := make([]bool, len(d.Instructions))
		ends := make([]bool, len(d.Stages)) // ENVs only: an ARG ends with its stage
		for i, s := range d.Stages {
			set, envSet := false, false
			if s.Parent != nil {
				set = ends[s.Parent.Index]
				envSet = set
			}
			for _, o := range s.Instrs {
				before[o.Index] = set
				if v, ok := noCacheInstr(o); ok {
					set = v
					if o.Keyword == "env" {
						envSet = v
					}
				}
			}
			ends[i] = envSet
		}
		return before
	}).([]bool)
}

// noCacheInstr reads whether an ENV or ARG instruction gives
// PIP_NO_CACHE_DIR a value (ok is false when it does not name it).
func noCacheInstr(o *diagnose.Instruction) (set, ok bool) {
	switch o.Keyword {
	case "env":
		// The parser gives ENV as (name, value, separator) triples.
		for n := o.Node.Next; n != nil && n.Next != nil; {
			if n.Value == "PIP_NO_CACHE_DIR" {
				set, ok = strings.Trim(n.Next.Value, `"'`) != "", true
			}
			sep := n.Next.Next
			if sep == nil {
				break
			}
			n = sep.Next
		}
	case "arg":
		for n := o.Node.Next; n != nil; n = n.Next {
			if name, v, found := strings.Cut(n.Value, "="); found && name == "PIP_NO_CACHE_DIR" {
				set, ok = strings.Trim(v, `"'`) != "", true
			}
		}
	}
	return set, ok
}
