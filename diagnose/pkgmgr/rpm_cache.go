package pkgmgr

import (
	"path"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// RPMRun is a RUN instruction, or the RUN trigger of an ONBUILD, with its
// shell scripts.
type RPMRun struct {
	In      *diagnose.Instruction
	Scripts []*diagnose.Script
	Flags   []string // the RUN's flags (--mount=...)
	OnBuild bool
}

// Commands lists the commands of the run's scripts in source order.
func (r RPMRun) Commands() []*diagnose.Command {
	var out []*diagnose.Command
	for _, s := range r.Scripts {
		out = append(out, s.Commands()...)
	}
	return out
}

// RPMRuns lists the RUN instructions and ONBUILD RUN triggers whose shell
// dockdoc can read.
func RPMRuns(d *diagnose.Document) []RPMRun {
	var out []RPMRun
	for _, in := range d.Instructions {
		switch in.Keyword {
		case "run":
			if s := in.Scripts(d); len(s) > 0 {
				out = append(out, RPMRun{In: in, Scripts: s, Flags: in.Node.Flags})
			}
		case "onbuild":
			if r, ok := onBuildRun(d, in); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// onBuildRun parses the shell-form RUN trigger of an ONBUILD.
func onBuildRun(d *diagnose.Document, in *diagnose.Instruction) (RPMRun, bool) {
	if in.Node.Next == nil || len(in.Node.Next.Children) != 1 {
		return RPMRun{}, false
	}
	n := in.Node.Next.Children[0]
	if !strings.EqualFold(n.Value, "run") || n.Attributes["json"] || len(in.Heredocs) > 0 || len(n.Heredocs) > 0 {
		return RPMRun{}, false
	}
	if d.Escape != '\\' || !in.HasPOSIXShell() {
		return RPMRun{}, false
	}
	words := in.Words()
	if len(words) < 3 || !strings.EqualFold(words[1].Text, "run") {
		return RPMRun{}, false
	}
	i := 2
	for i < len(words) && strings.HasPrefix(words[i].Text, "--") {
		i++
	}
	if i >= len(words) {
		return RPMRun{}, false
	}
	start := words[i].Span.Start
	s := diagnose.ParseScript(in.Logical[start:], func(o int) int { return in.Orig(start + o) })
	if s == nil {
		return RPMRun{}, false
	}
	s.In = in
	return RPMRun{In: in, Scripts: []*diagnose.Script{s}, Flags: n.Flags, OnBuild: true}, true
}

// mountTargets returns the cleaned targets of the cache and tmpfs
// mounts among a RUN's flags.
func mountTargets(flags []string) []string {
	return diagnose.EphemeralTargets(diagnose.ParseMounts(flags))
}

// cacheDirs are the cache directories of each package manager.
var cacheDirs = map[string][]string{
	"yum":      {"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"},
	"dnf":      {"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"},
	"microdnf": {"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"},
	"tdnf":     {"/var/cache/tdnf"},
	"zypper":   {"/var/cache/zypp"},
}

// RPMCacheMounted reports whether the run mounts a cache or tmpfs over the
// package cache of fam, so nothing it downloads reaches the layer.
func RPMCacheMounted(run RPMRun, fam string) bool {
	for _, t := range mountTargets(run.Flags) {
		if t == "/var/cache" || (strings.HasSuffix(t, "/.cache/libdnf5") && fam != "zypper" && fam != "tdnf") {
			return true
		}
		for _, dir := range cacheDirs[fam] {
			if t == dir {
				return true
			}
		}
	}
	return false
}

// RemovesRPMCache reports whether c is an `rm -r` of fam's cache
// directory, its contents, or /var/cache.
func RemovesRPMCache(c *diagnose.Command, fam string) bool {
	if c.Name() != "rm" || !c.HasFlag("-r", "-R", "--recursive") {
		return false
	}
	opts := true
	for i := c.Prog + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		if opts && w == "--" {
			opts = false
			continue
		}
		if (opts && strings.HasPrefix(w, "-")) || !c.Lit[i] {
			continue
		}
		p := path.Clean(w)
		if p == "/var/cache" || p == "/var/cache/*" {
			return true
		}
		for _, dir := range cacheDirs[fam] {
			if p == dir || p == dir+"/*" || p == dir+"*" {
				return true
			}
		}
	}
	return false
}

// cleanTools are the programs whose `clean all` empties fam's cache.
var cleanTools = map[string]map[string]bool{
	"yum":      {"yum": true, "dnf": true},
	"dnf":      {"yum": true, "dnf": true},
	"microdnf": {"microdnf": true},
	"tdnf":     {"tdnf": true},
}

// cleansCache reports whether c empties the cache that fam's commands
// fill: `yum clean all` (or `clean metadata`), `dnf clean all`,
// `microdnf clean all`, `tdnf clean all`, or an rm -r of the cache
// directory. zypper is handled by ZypperClean.
func cleansCache(c *diagnose.Command, fam string) bool {
	if RemovesRPMCache(c, fam) {
		return true
	}
	r := ParseRPM(c)
	if r == nil || r.Verb < 0 || r.Words[r.Verb] != "clean" || !cleanTools[fam][r.Family] {
		return false
	}
	for _, i := range r.Args {
		if r.Words[i] == "all" || r.Words[i] == "metadata" {
			return true
		}
	}
	return false
}

// ZypperClean reports whether c is a `zypper clean` (or `cc`), and whether
// it removes the repository metadata too: -a / --all, or both the parsed
// (-m, --metadata) and the raw metadata (-M, --raw-metadata).
func ZypperClean(c *diagnose.Command) (clean, all bool) {
	r := ParseRPM(c)
	if r == nil || r.Family != "zypper" || r.Verb < 0 {
		return false, false
	}
	if v := r.Words[r.Verb]; v != "clean" && v != "cc" {
		return false, false
	}
	meta, raw := false, false
	for _, o := range r.Opts {
		if o.Global {
			continue
		}
		switch o.Name {
		case "a", "all":
			return true, true
		case "m", "metadata":
			meta = true
		case "M", "raw-metadata":
			raw = true
		}
	}
	return true, meta && raw
}

// assumeYesConfigured reports whether a RUN up to and including in,
// in its stage or a stage it is built on, writes assumeyes into a
// yum / dnf configuration (`echo assumeyes=1 >> /etc/dnf/dnf.conf`), so the
// package manager never asks.
func assumeYesConfigured(d *diagnose.Document, in *diagnose.Instruction) bool {
	if in.Stage == nil {
		return false
	}
	for _, s := range in.Stage.Lineage() {
		for _, o := range s.Instrs {
			if s == in.Stage && o.Index > in.Index {
				break
			}
			if o.Keyword != "run" {
				continue
			}
			for _, c := range o.Commands(d) {
				if family(c.Name()) != "" {
					continue
				}
				for i, w := range c.Words {
					if c.Lit[i] && strings.Contains(strings.ToLower(w), "assumeyes") {
						return true
					}
				}
			}
		}
	}
	return false
}

// RPMPinned reports whether a yum / dnf package argument names a version
// (name-version, name-version-release, name-epoch:version, a comparison
// such as `pkg >= 1.2`), or is something that carries its own version or
// none at all: a local .rpm, a path or URL, an @group or @module, a
// capability in parentheses.
func RPMPinned(w string) bool {
	if strings.HasSuffix(w, ".rpm") || strings.ContainsAny(w, "/()=<>") || strings.HasPrefix(w, "@") {
		return true
	}
	parts := strings.Split(w, "-")
	if len(parts) < 2 {
		return false
	}
	last := parts[len(parts)-1]
	if !versionLike(last) {
		return false
	}
	if strings.Trim(last, "0123456789") == "" {
		// A bare number (gcc-toolset-12, java-17) is part of the name,
		// unless a version comes before it (name-1.2-3).
		return len(parts) >= 3 && versionLike(parts[len(parts)-2])
	}
	return true
}

// versionLike reports whether s can be an RPM version or release: it
// starts with a digit and holds only characters versions use.
func versionLike(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case strings.ContainsRune(".~^_:+*", r):
		default:
			return false
		}
	}
	return true
}

// unpinned lists the package operands of an install that name no
// version. Operands that are not literal ($VAR) are left out: the variable
// may hold the version. Module installs need a `:stream`.
func unpinned(r *RPMCall) []string {
	var out []string
	module := r.Sub >= 0 && r.Words[r.Verb] == "module"
	for _, i := range r.Args {
		if !r.Lit[i] || r.Words[i] == "" {
			continue
		}
		w := r.Words[i]
		if module {
			if !strings.Contains(w, ":") {
				out = append(out, w)
			}
			continue
		}
		if !RPMPinned(w) {
			out = append(out, w)
		}
	}
	return out
}

// zypperUnpinned lists the operands of a zypper install that name no
// version (`name=1.2`, `name>=1.2`, `name-1.2-3` and .rpm files do). A
// --type other than package (patterns, patches, products) has no versions
// to pin.
func zypperUnpinned(r *RPMCall) []string {
	if t, ok := r.Value("t", "type"); ok && t != "package" {
		return nil
	}
	var out []string
	for _, i := range r.Args {
		if !r.Lit[i] || r.Words[i] == "" {
			continue
		}
		w := r.Words[i]
		if kind, rest, ok := strings.Cut(w, ":"); ok && !strings.ContainsAny(kind, "=<>") {
			if kind != "package" {
				continue // pattern:, patch:, product:, srcpackage:
			}
			w = rest
		}
		if !RPMPinned(w) {
			out = append(out, w)
		}
	}
	return out
}

// listPackages formats package names for a message.
func listPackages(names []string) string {
	const max = 4
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + " and " + strconv.Itoa(len(names)-max) + " more"
}

// uncleaned returns the commands of the run that fill the cache after
// the last command that cleans it. isFam selects the commands of the
// family; cleans recognises a clean.
func uncleaned(cmds []*diagnose.Command, isFam func(*RPMCall) bool, cleans func(*diagnose.Command) bool) []*RPMCall {
	var out []*RPMCall
	for _, c := range cmds {
		if cleans(c) {
			out = nil
			continue
		}
		if r := ParseRPM(c); r != nil && isFam(r) && r.FillsCache() {
			out = append(out, r)
		}
	}
	return out
}

// unconditional reports whether c always runs when its script gets to
// it: it is a top-level statement of the script or part of a top-level &&
// chain, not inside if, case, ||, a pipe or a function.
func unconditional(c *diagnose.Command) bool {
	for _, top := range c.Script.File.Stmts {
		for _, st := range upgradeChain(top) {
			if st == c.Stmt && st.Cmd == c.Call {
				return true
			}
		}
	}
	return false
}

// appendEdit builds the edit that adds cmd at the end of the run's
// last script (see AppendCommandEdit; an ONBUILD trigger never gets the
// heredoc form).
func appendEdit(d *diagnose.Document, run RPMRun, cmd string) (fixes.Edit, bool) {
	return diagnose.AppendCommandEdit(d, run.In, run.Scripts[len(run.Scripts)-1], cmd, !run.OnBuild)
}

// runsAfter lists the runs that come after run in its stage and in the
// stages built on that stage (nil for an ONBUILD trigger, which runs in
// images dockdoc cannot see).
func runsAfter(d *diagnose.Document, runs []RPMRun, run RPMRun) []RPMRun {
	if run.OnBuild || run.In.Stage == nil {
		return nil
	}
	stages := map[*diagnose.Stage]bool{run.In.Stage: true}
	for _, s := range run.In.Stage.Descendants() {
		stages[s] = true
	}
	var out []RPMRun
	for _, o := range runs {
		if !o.OnBuild && o.In.Index > run.In.Index && stages[o.In.Stage] {
			out = append(out, o)
		}
	}
	return out
}

// cacheNeededLater returns a later RUN that relies on what the cache
// of fam holds: a package manager run from the cache only (dnf -C,
// --cacheonly, zypper --no-refresh), or a command naming the cache
// directory.
func cacheNeededLater(d *diagnose.Document, runs []RPMRun, run RPMRun, fam string) *diagnose.Instruction {
	for _, o := range runsAfter(d, runs, run) {
		for _, c := range o.Commands() {
			if r := ParseRPM(c); r != nil {
				if r.Family == "zypper" && fam == "zypper" && r.Has("no-refresh") {
					return o.In
				}
				if r.Family != "zypper" && fam != "zypper" && r.Has("C", "cacheonly") {
					return o.In
				}
			}
			for i, w := range c.Words {
				if !c.Lit[i] {
					continue
				}
				for _, dir := range cacheDirs[fam] {
					if strings.Contains(w, dir) {
						return o.In
					}
				}
			}
		}
	}
	return nil
}

// SudoPrefix returns "sudo " when the command runs through sudo, so an
// added clean runs with the same rights.
func SudoPrefix(c *diagnose.Command) string {
	for i := 0; i < c.Prog; i++ {
		if c.Lit[i] && path.Base(c.Words[i]) == "sudo" {
			return "sudo "
		}
	}
	return ""
}

// CheckRPMAssumeYes reports the commands of the given families that
// change packages without -y (DD039, DD046).
func CheckRPMAssumeYes(p *diagnose.Pass, fams ...string) {
	d := p.Doc
	want := map[string]bool{}
	for _, f := range fams {
		want[f] = true
	}
	for _, run := range RPMRuns(d) {
		configured := -1 // unknown yet
		for _, c := range run.Commands() {
			r := ParseRPM(c)
			if r == nil || !want[r.Family] || r.Opaque || !r.Prompts() || RPMAssumesYes(r) {
				continue
			}
			if configured < 0 {
				configured = 0
				if !run.OnBuild && assumeYesConfigured(d, run.In) {
					configured = 1
				}
			}
			if configured == 1 {
				continue
			}
			verb := r.VerbText()
			what := "fails at its confirmation prompt during a build"
			switch r.Family {
			case "microdnf":
				// Older microdnf never asks and images use it without -y
				// today; newer versions (and dnf5 in its place) ask, which
				// a build cannot answer. Advice, not a broken build.
				what = "counts on microdnf not asking: versions that ask for confirmation get no answer during a build"
			case "tdnf":
				what = "stops at its confirmation prompt during a build"
			}
			f := p.Report(c.Script.Span(c.Call), "%s %s without -y %s", c.Name(), verb, what)
			if r.Family == "microdnf" {
				f.SetSeverity(diagnose.Info)
			}
			f.AddFix("Add -y to "+c.Name()+" "+verb, fixes.Safe, diagnose.Insert(c.ArgSpan(r.LastVerb()).End, " -y"))
		}
	}
}

// cleanProgram is the program whose `clean all` the fix adds after r.
func cleanProgram(r *RPMCall) string {
	switch r.Family {
	case "dnf":
		return r.Name()
	default:
		return r.Family
	}
}
