package diagnose

import (
	"path"
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

var _ = register(&Rule{
	Code:     "DD009",
	Name:     "pip-no-cache-dir",
	Severity: Warning,
	Category: Size,
	Aliases:  []string{"DL3042"},
	Summary:  "pip install keeps its download cache in the image",
	Fixable:  FixSometimes,
	Doc: Doc{
		What: "Flags `pip install` (also `pip3`, `pip3.12`, `python -m pip`, `python3 -m pip`) without " +
			"`--no-cache-dir`. Not flagged when the cache is off some other way: `PIP_NO_CACHE_DIR` set by `ENV` " +
			"earlier in the stage or in a stage it builds on, by an `ARG` with a value earlier in the stage, by " +
			"`export` earlier in the same `RUN`, or in front of the command (`PIP_NO_CACHE_DIR=1 pip install ...`); " +
			"or when the `RUN` mounts a cache or tmpfs on the pip cache (`/root/.cache` or `/root/.cache/pip`).",
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
	Check: func(p *Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			if in.Keyword != "run" || pipCacheMountedAway(in) || pipNoCacheFromEnv(d, in) {
				continue
			}
			for _, c := range in.Commands(d) {
				verb := pipInstallIndex(c)
				if verb < 0 || pipCacheOffInline(c) || pipCacheExported(c) {
					continue
				}
				if pipHasOption(c, verb, "--no-cache-dir") || pipHasOption(c, verb, "--help", "-h") {
					continue
				}
				f := p.Report(c.Script.Span(c.Call),
					"pip install without --no-cache-dir leaves pip's download cache in this layer")
				f.AddFix("Add --no-cache-dir to pip install", fixes.Safe, Insert(c.ArgSpan(verb).End, " --no-cache-dir"))
			}
		}
	},
})

var (
	pipProgram    = regexp.MustCompile(`^pip[0-9.]*$`)
	pythonProgram = regexp.MustCompile(`^python[0-9.]*$`)
)

// pipGlobalArgOptions are pip's general options that take a value as the
// next word.
var pipGlobalArgOptions = map[string]bool{
	"--python": true, "--log": true, "--log-file": true, "--local-log": true, "--keyring-provider": true,
	"--proxy": true, "--retries": true, "--timeout": true, "--exists-action": true, "--trusted-host": true,
	"--cert": true, "--client-cert": true, "--cache-dir": true, "--use-feature": true,
	"--use-deprecated": true, "--resume-retries": true,
}

// pipInstallIndex returns the index in c.Words of the `install` of a pip
// install (pip, pip3, pip3.12, python -m pip, python3 -m pip), or -1.
func pipInstallIndex(c *Command) int {
	i := c.Prog + 1
	switch name := c.Name(); {
	case pipProgram.MatchString(name):
	case pythonProgram.MatchString(name):
		// python [options] -m pip ...
		module := ""
		for ; i < len(c.Words) && module == ""; i++ {
			if !c.Lit[i] {
				return -1
			}
			w := c.Words[i]
			switch {
			case w == "-m":
				if i+1 >= len(c.Words) || !c.Lit[i+1] {
					return -1
				}
				i++
				module = c.Words[i]
			case strings.HasPrefix(w, "-m"):
				module = w[2:]
			case w == "-W" || w == "-X":
				i++
			case strings.HasPrefix(w, "-") && w != "-" && w != "-c":
			default:
				return -1 // a script, -c code or stdin: not pip
			}
		}
		if module != "pip" {
			return -1
		}
	default:
		return -1
	}
	for ; i < len(c.Words); i++ {
		if !c.Lit[i] {
			return -1
		}
		w := c.Words[i]
		if !strings.HasPrefix(w, "-") {
			if w == "install" {
				return i
			}
			return -1
		}
		if pipGlobalArgOptions[w] {
			i++
		}
	}
	return -1
}

// pipHasOption reports whether a literal argument after the verb is one
// of opts (or opt=value for a long option).
func pipHasOption(c *Command, verb int, opts ...string) bool {
	for i := verb + 1; i < len(c.Words); i++ {
		for _, o := range opts {
			if c.Lit[i] && (c.Words[i] == o || strings.HasPrefix(c.Words[i], o+"=")) {
				return true
			}
		}
	}
	// Before the verb, pip also accepts its general options.
	for i := c.Prog + 1; i < verb; i++ {
		for _, o := range opts {
			if c.Lit[i] && (c.Words[i] == o || strings.HasPrefix(c.Words[i], o+"=")) {
				return true
			}
		}
	}
	return false
}

// pipCacheOffInline reports whether PIP_NO_CACHE_DIR is set for this one
// command: `PIP_NO_CACHE_DIR=1 pip ...` or `env PIP_NO_CACHE_DIR=1 pip ...`.
func pipCacheOffInline(c *Command) bool {
	for _, a := range c.Call.Assigns {
		if a.Name != nil && a.Name.Value == "PIP_NO_CACHE_DIR" && a.Value != nil {
			if v, _ := LiteralWord(a.Value); v != "" {
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

// pipCacheExported reports whether the script exports PIP_NO_CACHE_DIR
// with a value before c runs (`export PIP_NO_CACHE_DIR=1 && pip ...`).
func pipCacheExported(c *Command) bool {
	found := false
	syntax.Walk(c.Script.File, func(n syntax.Node) bool {
		decl, ok := n.(*syntax.DeclClause)
		if found || !ok || decl.Variant == nil || decl.Variant.Value != "export" || decl.End().Offset() > c.Call.Pos().Offset() {
			return !found
		}
		for _, a := range decl.Args {
			if a.Name != nil && a.Name.Value == "PIP_NO_CACHE_DIR" && a.Value != nil {
				if v, _ := LiteralWord(a.Value); v != "" {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// pipCacheMountedAway reports whether the RUN mounts a cache or tmpfs on
// a pip cache directory, so the cache never reaches the image.
func pipCacheMountedAway(in *Instruction) bool {
	for _, t := range ephemeralMountTargets(in) {
		if path.Base(t) == ".cache" || strings.HasSuffix(t, "/.cache/pip") {
			return true
		}
	}
	return false
}

// pipNoCacheFromEnv reports whether PIP_NO_CACHE_DIR has a value in the
// environment of the RUN: an ENV earlier in its stage or in a stage it
// builds on, or an ARG with a default earlier in its stage.
func pipNoCacheFromEnv(d *Document, in *Instruction) bool {
	if in.Stage == nil {
		return false
	}
	return pipNoCacheEnvs(d)[in.Index]
}

type pipNoCacheEnvsKey struct{}

// pipNoCacheEnvs is, by instruction, whether PIP_NO_CACHE_DIR has a
// value before it, computed once per Document: each stage starts from
// the ENVs its parent ends with.
func pipNoCacheEnvs(d *Document) []bool {
	return d.Memo(pipNoCacheEnvsKey{}, func() any {
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
				if v, ok := pipNoCacheInstr(o); ok {
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

// pipNoCacheInstr reads whether an ENV or ARG instruction gives
// PIP_NO_CACHE_DIR a value (ok is false when it does not name it).
func pipNoCacheInstr(o *Instruction) (set, ok bool) {
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
