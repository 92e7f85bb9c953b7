package diagnose

import (
	"path"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

// Shared knowledge of the command lines of the RPM package managers (yum,
// dnf, microdnf, tdnf) and of SUSE's zypper, used by rules DD039–DD048.

// rpmFamily maps a program name to the package manager it is: "yum",
// "dnf" (also dnf5 and dnf-3), "microdnf", "tdnf" or "zypper"; "" for any
// other program.
func rpmFamily(name string) string {
	switch name {
	case "yum":
		return "yum"
	case "dnf", "dnf5", "dnf-3", "dnf4":
		return "dnf"
	case "microdnf", "tdnf", "zypper":
		return name
	}
	return ""
}

// rpmOpt is one option of a package manager command line.
type rpmOpt struct {
	Name   string // without its dashes: "y", "assumeyes", "setopt"
	Value  string // the option's value, if it takes one
	Index  int    // index in Command.Words
	Global bool   // written before the subcommand
}

// rpmCall is a yum / dnf / microdnf / tdnf / zypper command, read the way
// the program reads its arguments.
type rpmCall struct {
	*Command
	Family string
	Verb   int // index in Words of the subcommand; -1 when there is none
	// Sub is, for `module install` / `group install` of yum and dnf, the
	// index of the second word; -1 otherwise.
	Sub  int
	Opts []rpmOpt
	Args []int // indexes of the operands after the subcommand
	// Opaque is set when a word that is not literal ($VAR, $(...)) stands
	// before the subcommand, where it may hold options.
	Opaque bool
}

// rpmLongValue are the long options of yum, dnf, microdnf and tdnf that
// take the next word as their value when written without "=".
var rpmLongValue = map[string]bool{
	"config": true, "debuglevel": true, "errorlevel": true, "installroot": true, "releasever": true,
	"setopt": true, "setvar": true, "exclude": true, "excludepkgs": true, "includepkgs": true,
	"disablerepo": true, "enablerepo": true, "disable-repo": true, "enable-repo": true, "repo": true,
	"repoid": true, "repofrompath": true, "disableplugin": true, "enableplugin": true,
	"disable-plugin": true, "enable-plugin": true, "color": true, "destdir": true, "downloaddir": true,
	"comment": true, "advisory": true, "advisories": true, "bz": true, "bzs": true, "cve": true,
	"cves": true, "sec-severity": true, "secseverity": true, "forcearch": true, "rpmverbosity": true,
	"randomwait": true, "from-repo": true, "releasever-major": true, "releasever-minor": true,
	"exclude-pkgs": true, "platform-module": true,
}

// rpmShortValue are the short options of yum / dnf that take a value.
const rpmShortValue = "cdeRx"

// zypper's global options (before the command) that take a value.
var rpmZypperGlobalLongValue = map[string]bool{
	"config": true, "root": true, "installroot": true, "reposd-dir": true, "cache-dir": true,
	"raw-cache-dir": true, "solv-cache-dir": true, "pkg-cache-dir": true, "userdata": true,
	"table-style": true,
}

const rpmZypperGlobalShortValue = "cRDCs"

// zypper's command options (after the command) that take a value.
var rpmZypperCmdLongValue = map[string]bool{
	"repo": true, "type": true, "from": true, "download": true, "plus-content": true, "plus-repo": true,
	"bugzilla": true, "bz": true, "cve": true, "category": true, "severity": true, "date": true,
	"priority": true,
}

const rpmZypperCmdShortValue = "rtpgb"

// rpmParse reads c as a package manager command, or returns nil when c
// runs another program.
func rpmParse(c *Command) *rpmCall {
	fam := rpmFamily(c.Name())
	if fam == "" {
		return nil
	}
	r := &rpmCall{Command: c, Family: fam, Verb: -1, Sub: -1}
	operands := false // after "--"
	for i := c.Prog + 1; i < len(c.Words); i++ {
		w := c.Words[i]
		if !c.Lit[i] {
			if r.Verb < 0 {
				r.Opaque = true
			} else {
				r.Args = append(r.Args, i)
			}
			continue
		}
		global := r.Verb < 0
		longValue, shortValue := rpmLongValue, rpmShortValue
		if fam == "zypper" {
			if global {
				longValue, shortValue = rpmZypperGlobalLongValue, rpmZypperGlobalShortValue
			} else {
				longValue, shortValue = rpmZypperCmdLongValue, rpmZypperCmdShortValue
			}
		}
		switch {
		case operands || w == "-" || !strings.HasPrefix(w, "-"):
			switch {
			case r.Verb < 0:
				r.Verb = i
			case r.Sub < 0 && len(r.Args) == 0 && fam != "zypper" &&
				(c.Words[r.Verb] == "module" || c.Words[r.Verb] == "group" || c.Words[r.Verb] == "groups"):
				r.Sub = i
			default:
				r.Args = append(r.Args, i)
			}
		case w == "--":
			operands = true
		case strings.HasPrefix(w, "--"):
			name, val, eq := strings.Cut(w[2:], "=")
			o := rpmOpt{Name: name, Value: val, Index: i, Global: global}
			if !eq && longValue[name] && i+1 < len(c.Words) {
				i++
				o.Value = c.Words[i]
			}
			r.Opts = append(r.Opts, o)
		default:
			for j := 1; j < len(w); j++ {
				o := rpmOpt{Name: w[j : j+1], Index: i, Global: global}
				if strings.IndexByte(shortValue, w[j]) >= 0 {
					if j+1 < len(w) {
						o.Value = w[j+1:]
					} else if i+1 < len(c.Words) {
						o.Value = c.Words[i+1]
						i++
					}
					r.Opts = append(r.Opts, o)
					break
				}
				r.Opts = append(r.Opts, o)
			}
		}
	}
	return r
}

// VerbText is the subcommand as the user wrote it: "install",
// "module install".
func (r *rpmCall) VerbText() string {
	if r.Verb < 0 {
		return ""
	}
	if r.Sub >= 0 {
		return r.Words[r.Verb] + " " + r.Words[r.Sub]
	}
	return r.Words[r.Verb]
}

// LastVerb is the index of the last word of the subcommand (the `install`
// of `module install`).
func (r *rpmCall) LastVerb() int {
	if r.Sub >= 0 {
		return r.Sub
	}
	return r.Verb
}

// Has reports whether one of the named options is given.
func (r *rpmCall) Has(names ...string) bool {
	for _, o := range r.Opts {
		for _, n := range names {
			if o.Name == n {
				return true
			}
		}
	}
	return false
}

// Value returns the value of the last of the named options given.
func (r *rpmCall) Value(names ...string) (string, bool) {
	v, ok := "", false
	for _, o := range r.Opts {
		for _, n := range names {
			if o.Name == n {
				v, ok = o.Value, true
			}
		}
	}
	return v, ok
}

// rpmVerbSets: which subcommands do what. Aliases of dnf (in, up, rei, ...)
// are listed with the full names. For module and group the key is
// "module install" etc.
var (
	// rpmPromptVerbs change packages and ask for confirmation.
	rpmPromptVerbs = rpmSet("install in groupinstall localinstall reinstall rei remove rm erase autoremove " +
		"update upgrade up update-minimal upgrade-minimal up-min downgrade dg distro-sync distribution-synchronization " +
		"dsync groupupdate groupremove grouperase localupdate swap builddep " +
		"module:install module:remove module:enable module:disable module:reset module:update module:upgrade " +
		"module:switch-to group:install group:remove group:upgrade group:update group:erase " +
		"groups:install groups:remove groups:upgrade groups:update")
	// rpmCacheVerbs download repository metadata or packages into the
	// package manager's cache.
	rpmCacheVerbs = rpmSet("install in groupinstall localinstall reinstall rei update upgrade up " +
		"update-minimal upgrade-minimal up-min downgrade dg distro-sync distribution-synchronization dsync " +
		"groupupdate localupdate swap builddep makecache mc check-update check-upgrade " +
		"module:install module:enable module:update module:upgrade module:switch-to " +
		"group:install group:upgrade group:update groups:install groups:upgrade groups:update")
	// rpmInstallVerbs install packages named on the command line.
	rpmInstallVerbs = rpmSet("install in module:install")

	rpmZypperPromptVerbs = rpmSet("install in remove rm source-install si patch update up dist-upgrade dup " +
		"install-new-recommends inr verify ve")
	rpmZypperCacheVerbs = rpmSet("install in update up dist-upgrade dup patch refresh ref source-install si " +
		"install-new-recommends inr")
	rpmZypperInstallVerbs = rpmSet("install in")
)

func rpmSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(s) {
		m[f] = true
	}
	return m
}

// verbKey is the key of the subcommand in the verb sets: "install",
// "module:install"; "module" alone when the second word is missing.
func (r *rpmCall) verbKey() string {
	if r.Verb < 0 {
		return ""
	}
	if r.Sub >= 0 {
		return r.Words[r.Verb] + ":" + r.Words[r.Sub]
	}
	return r.Words[r.Verb]
}

// Prompts reports whether the command asks for confirmation before it
// changes packages (unless told not to).
func (r *rpmCall) Prompts() bool {
	if r.Family == "zypper" {
		return rpmZypperPromptVerbs[r.verbKey()]
	}
	return rpmPromptVerbs[r.verbKey()]
}

// FillsCache reports whether the command downloads metadata or packages
// into the package manager's cache.
func (r *rpmCall) FillsCache() bool {
	if r.Has("help", "h", "version") {
		return false
	}
	if r.Family == "zypper" {
		return rpmZypperCacheVerbs[r.verbKey()]
	}
	return rpmCacheVerbs[r.verbKey()]
}

// Installs reports whether the command installs the packages it names.
func (r *rpmCall) Installs() bool {
	if r.Has("help", "h") {
		return false
	}
	if r.Family == "zypper" {
		return rpmZypperInstallVerbs[r.verbKey()]
	}
	return rpmInstallVerbs[r.verbKey()]
}

// rpmAssumesYes reports whether a yum / dnf / microdnf / tdnf command
// answers its own prompt: -y, --assumeyes, --setopt=assumeyes=1, or never
// asks (--assumeno, --help).
func rpmAssumesYes(r *rpmCall) bool {
	for _, o := range r.Opts {
		switch o.Name {
		case "y", "assumeyes", "assumeno", "help", "h", "version":
			return true
		case "setopt":
			k, v, _ := strings.Cut(o.Value, "=")
			if strings.TrimSpace(k) == "assumeyes" && rpmTruthy(v) {
				return true
			}
		}
	}
	return false
}

func rpmTruthy(v string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(v), `"'`)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// rpmRun is a RUN instruction, or the RUN trigger of an ONBUILD, with its
// shell scripts.
type rpmRun struct {
	In      *Instruction
	Scripts []*Script
	Flags   []string // the RUN's flags (--mount=...)
	OnBuild bool
}

// Commands lists the commands of the run's scripts in source order.
func (r rpmRun) Commands() []*Command {
	var out []*Command
	for _, s := range r.Scripts {
		out = append(out, s.Commands()...)
	}
	return out
}

// rpmRuns lists the RUN instructions and ONBUILD RUN triggers whose shell
// dockdoc can read.
func rpmRuns(d *Document) []rpmRun {
	var out []rpmRun
	for _, in := range d.Instructions {
		switch in.Keyword {
		case "run":
			if s := in.Scripts(d); len(s) > 0 {
				out = append(out, rpmRun{In: in, Scripts: s, Flags: in.Node.Flags})
			}
		case "onbuild":
			if r, ok := rpmOnBuildRun(d, in); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// rpmOnBuildRun parses the shell-form RUN trigger of an ONBUILD.
func rpmOnBuildRun(d *Document, in *Instruction) (rpmRun, bool) {
	if in.Node.Next == nil || len(in.Node.Next.Children) != 1 {
		return rpmRun{}, false
	}
	n := in.Node.Next.Children[0]
	if !strings.EqualFold(n.Value, "run") || n.Attributes["json"] || len(in.Heredocs) > 0 || len(n.Heredocs) > 0 {
		return rpmRun{}, false
	}
	if d.Escape != '\\' || !in.HasPOSIXShell() {
		return rpmRun{}, false
	}
	words := in.Words()
	if len(words) < 3 || !strings.EqualFold(words[1].Text, "run") {
		return rpmRun{}, false
	}
	i := 2
	for i < len(words) && strings.HasPrefix(words[i].Text, "--") {
		i++
	}
	if i >= len(words) {
		return rpmRun{}, false
	}
	start := words[i].Span.Start
	s := parseScript(in.Logical[start:], func(o int) int { return in.Orig(start + o) })
	if s == nil {
		return rpmRun{}, false
	}
	s.In = in
	return rpmRun{In: in, Scripts: []*Script{s}, Flags: n.Flags, OnBuild: true}, true
}

// rpmMountTargets returns the cleaned targets of the cache and tmpfs
// mounts among a RUN's flags.
func rpmMountTargets(flags []string) []string { return EphemeralTargets(ParseMounts(flags)) }

// rpmCacheDirs are the cache directories of each package manager.
var rpmCacheDirs = map[string][]string{
	"yum":      {"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"},
	"dnf":      {"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"},
	"microdnf": {"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"},
	"tdnf":     {"/var/cache/tdnf"},
	"zypper":   {"/var/cache/zypp"},
}

// rpmCacheMounted reports whether the run mounts a cache or tmpfs over the
// package cache of fam, so nothing it downloads reaches the layer.
func rpmCacheMounted(run rpmRun, fam string) bool {
	for _, t := range rpmMountTargets(run.Flags) {
		if t == "/var/cache" || (strings.HasSuffix(t, "/.cache/libdnf5") && fam != "zypper" && fam != "tdnf") {
			return true
		}
		for _, dir := range rpmCacheDirs[fam] {
			if t == dir {
				return true
			}
		}
	}
	return false
}

// rpmRemovesCache reports whether c is an `rm -r` of fam's cache
// directory, its contents, or /var/cache.
func rpmRemovesCache(c *Command, fam string) bool {
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
		for _, dir := range rpmCacheDirs[fam] {
			if p == dir || p == dir+"/*" || p == dir+"*" {
				return true
			}
		}
	}
	return false
}

// rpmCleanTools are the programs whose `clean all` empties fam's cache.
var rpmCleanTools = map[string]map[string]bool{
	"yum":      {"yum": true, "dnf": true},
	"dnf":      {"yum": true, "dnf": true},
	"microdnf": {"microdnf": true},
	"tdnf":     {"tdnf": true},
}

// rpmCleansCache reports whether c empties the cache that fam's commands
// fill: `yum clean all` (or `clean metadata`), `dnf clean all`,
// `microdnf clean all`, `tdnf clean all`, or an rm -r of the cache
// directory. zypper is handled by rpmZypperClean.
func rpmCleansCache(c *Command, fam string) bool {
	if rpmRemovesCache(c, fam) {
		return true
	}
	r := rpmParse(c)
	if r == nil || r.Verb < 0 || r.Words[r.Verb] != "clean" || !rpmCleanTools[fam][r.Family] {
		return false
	}
	for _, i := range r.Args {
		if r.Words[i] == "all" || r.Words[i] == "metadata" {
			return true
		}
	}
	return false
}

// rpmZypperClean reports whether c is a `zypper clean` (or `cc`), and whether
// it removes the repository metadata too: -a / --all, or both the parsed
// (-m, --metadata) and the raw metadata (-M, --raw-metadata).
func rpmZypperClean(c *Command) (clean, all bool) {
	r := rpmParse(c)
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

// rpmAssumeYesConfigured reports whether a RUN up to and including in,
// in its stage or a stage it is built on, writes assumeyes into a
// yum / dnf configuration (`echo assumeyes=1 >> /etc/dnf/dnf.conf`), so the
// package manager never asks.
func rpmAssumeYesConfigured(d *Document, in *Instruction) bool {
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
				if rpmFamily(c.Name()) != "" {
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

// rpmPinned reports whether a yum / dnf package argument names a version
// (name-version, name-version-release, name-epoch:version, a comparison
// such as `pkg >= 1.2`), or is something that carries its own version or
// none at all: a local .rpm, a path or URL, an @group or @module, a
// capability in parentheses.
func rpmPinned(w string) bool {
	if strings.HasSuffix(w, ".rpm") || strings.ContainsAny(w, "/()=<>") || strings.HasPrefix(w, "@") {
		return true
	}
	parts := strings.Split(w, "-")
	if len(parts) < 2 {
		return false
	}
	last := parts[len(parts)-1]
	if !rpmVersionLike(last) {
		return false
	}
	if strings.Trim(last, "0123456789") == "" {
		// A bare number (gcc-toolset-12, java-17) is part of the name,
		// unless a version comes before it (name-1.2-3).
		return len(parts) >= 3 && rpmVersionLike(parts[len(parts)-2])
	}
	return true
}

// rpmVersionLike reports whether s can be an RPM version or release: it
// starts with a digit and holds only characters versions use.
func rpmVersionLike(s string) bool {
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

// rpmUnpinned lists the package operands of an install that name no
// version. Operands that are not literal ($VAR) are left out: the variable
// may hold the version. Module installs need a `:stream`.
func rpmUnpinned(r *rpmCall) []string {
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
		if !rpmPinned(w) {
			out = append(out, w)
		}
	}
	return out
}

// rpmZypperUnpinned lists the operands of a zypper install that name no
// version (`name=1.2`, `name>=1.2`, `name-1.2-3` and .rpm files do). A
// --type other than package (patterns, patches, products) has no versions
// to pin.
func rpmZypperUnpinned(r *rpmCall) []string {
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
		if !rpmPinned(w) {
			out = append(out, w)
		}
	}
	return out
}

// rpmListPackages formats package names for a message.
func rpmListPackages(names []string) string {
	const max = 4
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + " and " + strconv.Itoa(len(names)-max) + " more"
}

// rpmUncleaned returns the commands of the run that fill the cache after
// the last command that cleans it. isFam selects the commands of the
// family; cleans recognises a clean.
func rpmUncleaned(cmds []*Command, isFam func(*rpmCall) bool, cleans func(*Command) bool) []*rpmCall {
	var out []*rpmCall
	for _, c := range cmds {
		if cleans(c) {
			out = nil
			continue
		}
		if r := rpmParse(c); r != nil && isFam(r) && r.FillsCache() {
			out = append(out, r)
		}
	}
	return out
}

// rpmUnconditional reports whether c always runs when its script gets to
// it: it is a top-level statement of the script or part of a top-level &&
// chain, not inside if, case, ||, a pipe or a function.
func rpmUnconditional(c *Command) bool {
	for _, top := range c.Script.File.Stmts {
		for _, st := range aptUpgradeChain(top) {
			if st == c.Stmt && st.Cmd == c.Call {
				return true
			}
		}
	}
	return false
}

// rpmAppendEdit builds the edit that adds cmd at the end of the run's
// last script (see AppendCommandEdit; an ONBUILD trigger never gets the
// heredoc form).
func rpmAppendEdit(d *Document, run rpmRun, cmd string) (fixes.Edit, bool) {
	return AppendCommandEdit(d, run.In, run.Scripts[len(run.Scripts)-1], cmd, !run.OnBuild)
}

// rpmRunsAfter lists the runs that come after run in its stage and in the
// stages built on that stage (nil for an ONBUILD trigger, which runs in
// images dockdoc cannot see).
func rpmRunsAfter(d *Document, runs []rpmRun, run rpmRun) []rpmRun {
	if run.OnBuild || run.In.Stage == nil {
		return nil
	}
	stages := map[*Stage]bool{run.In.Stage: true}
	for _, s := range run.In.Stage.Descendants() {
		stages[s] = true
	}
	var out []rpmRun
	for _, o := range runs {
		if !o.OnBuild && o.In.Index > run.In.Index && stages[o.In.Stage] {
			out = append(out, o)
		}
	}
	return out
}

// rpmCacheNeededLater returns a later RUN that relies on what the cache
// of fam holds: a package manager run from the cache only (dnf -C,
// --cacheonly, zypper --no-refresh), or a command naming the cache
// directory.
func rpmCacheNeededLater(d *Document, runs []rpmRun, run rpmRun, fam string) *Instruction {
	for _, o := range rpmRunsAfter(d, runs, run) {
		for _, c := range o.Commands() {
			if r := rpmParse(c); r != nil {
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
				for _, dir := range rpmCacheDirs[fam] {
					if strings.Contains(w, dir) {
						return o.In
					}
				}
			}
		}
	}
	return nil
}

// rpmStageShipped reports whether the files of the run's stage end up in
// an image (ONBUILD triggers always do).
func rpmStageShipped(d *Document, run rpmRun) bool {
	if run.OnBuild || run.In.Stage == nil {
		return true
	}
	return run.In.Stage.Ships()
}

// rpmSudoPrefix returns "sudo " when the command runs through sudo, so an
// added clean runs with the same rights.
func rpmSudoPrefix(c *Command) string {
	for i := 0; i < c.Prog; i++ {
		if c.Lit[i] && path.Base(c.Words[i]) == "sudo" {
			return "sudo "
		}
	}
	return ""
}

// rpmCheckAssumeYes reports the commands of the given families that
// change packages without -y (DD039, DD046).
func rpmCheckAssumeYes(p *Pass, fams ...string) {
	d := p.Doc
	want := map[string]bool{}
	for _, f := range fams {
		want[f] = true
	}
	for _, run := range rpmRuns(d) {
		configured := -1 // unknown yet
		for _, c := range run.Commands() {
			r := rpmParse(c)
			if r == nil || !want[r.Family] || r.Opaque || !r.Prompts() || rpmAssumesYes(r) {
				continue
			}
			if configured < 0 {
				configured = 0
				if !run.OnBuild && rpmAssumeYesConfigured(d, run.In) {
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
				what = "waits forever at its confirmation prompt during a build"
			case "tdnf":
				what = "stops at its confirmation prompt during a build"
			}
			f := p.Report(c.Script.Span(c.Call), "%s %s without -y %s", c.Name(), verb, what)
			f.AddFix("Add -y to "+c.Name()+" "+verb, fixes.Safe, Insert(c.ArgSpan(r.LastVerb()).End, " -y"))
		}
	}
}

// rpmCleanProgram is the program whose `clean all` the fix adds after r.
func rpmCleanProgram(r *rpmCall) string {
	switch r.Family {
	case "dnf":
		return r.Name()
	default:
		return r.Family
	}
}

// rpmCheckCache reports, for each family, the RUNs of shipped stages that
// fill the family's package cache and do not clean it (DD040, DD047).
func rpmCheckCache(p *Pass, fams ...string) {
	d := p.Doc
	runs := rpmRuns(d)
	for _, run := range runs {
		if !rpmStageShipped(d, run) {
			continue
		}
		cmds := run.Commands()
		for _, fam := range fams {
			if rpmCacheMounted(run, fam) {
				continue
			}
			left := rpmUncleaned(cmds,
				func(r *rpmCall) bool { return r.Family == fam },
				func(c *Command) bool { return rpmCleansCache(c, fam) })
			if len(left) == 0 {
				continue
			}
			first := left[0]
			clean := rpmCleanProgram(first) + " clean all"
			f := p.Report(first.Script.Span(first.Call),
				"%s %s downloads repository metadata into %s's cache and no %s follows in the same RUN, so the cache stays in this layer",
				first.Name(), first.VerbText(), first.Name(), clean)
			rpmAddCleanFix(p, f, runs, run, fam, left, rpmSudoPrefix(first.Command)+clean)
		}
	}
}

// rpmAddCleanFix offers to append clean to the end of the run.
func rpmAddCleanFix(p *Pass, f *Finding, runs []rpmRun, run rpmRun, fam string, left []*rpmCall, clean string) {
	edit, ok := rpmAppendEdit(p.Doc, run, clean)
	if !ok {
		return
	}
	rpmAddFixChecked(p, f, runs, run, fam, left, "Run "+clean+" at the end of the RUN", edit)
}

// rpmAddFixChecked adds a fix that empties the cache, unless the commands
// use another root (whose cache the clean would not reach). The fix is
// unsafe when a later RUN relies on the cache, when the commands download
// packages on purpose (--downloadonly), or when one of them only runs
// under a condition (the clean would run always).
func rpmAddFixChecked(p *Pass, f *Finding, runs []rpmRun, run rpmRun, fam string, left []*rpmCall, title string, edit fixes.Edit) {
	d := p.Doc
	for _, r := range left {
		otherRoot := r.Has("installroot")
		if fam == "zypper" {
			otherRoot = r.Has("installroot", "root", "R")
		}
		if otherRoot {
			return
		}
	}
	if later := rpmCacheNeededLater(d, runs, run, fam); later != nil {
		fx := f.AddFix(title, fixes.Unsafe, edit)
		fx.Note = "The RUN on line " + strconv.Itoa(later.StartLine) + " reads the package cache (it runs from the " +
			"cache only, or names the cache directory); after the fix it finds the cache empty."
		return
	}
	for _, r := range left {
		if rpmDownloadsOnly(r) {
			fx := f.AddFix(title, fixes.Unsafe, edit)
			fx.Note = "The " + r.Name() + " " + r.VerbText() + " on line " + strconv.Itoa(rpmLine(d, r)) +
				" only downloads packages into the cache; the clean deletes them again."
			return
		}
	}
	for _, r := range left {
		if !rpmUnconditional(r.Command) {
			fx := f.AddFix(title, fixes.Unsafe, edit)
			fx.Note = "The " + r.Name() + " " + r.VerbText() + " on line " + strconv.Itoa(rpmLine(d, r)) +
				" only runs under a condition (if, ||, a pipe), but the added clean always runs; it fails where " +
				r.Name() + " is not installed."
			return
		}
	}
	f.AddFix(title, fixes.Safe, edit)
}

// rpmLine is the line where a command starts.
func rpmLine(d *Document, r *rpmCall) int {
	l, _ := d.Position(r.Script.Span(r.Call).Start)
	return l
}

// rpmDownloadsOnly reports whether r downloads packages into the cache
// without installing them: yum / dnf --downloadonly without a download
// directory, zypper install -d / --download-only / --download only.
func rpmDownloadsOnly(r *rpmCall) bool {
	if r.Family != "zypper" {
		return r.Has("downloadonly") && !r.Has("downloaddir", "destdir")
	}
	for _, o := range r.Opts {
		if !o.Global && (o.Name == "d" || o.Name == "download-only" || (o.Name == "download" && o.Value == "only")) {
			return true
		}
	}
	return false
}

// rpmCheckPins reports the installs of the given families that name
// packages without a version (DD041, DD045, DD048).
func rpmCheckPins(p *Pass, fams ...string) {
	want := map[string]bool{}
	for _, f := range fams {
		want[f] = true
	}
	for _, run := range rpmRuns(p.Doc) {
		for _, c := range run.Commands() {
			r := rpmParse(c)
			if r == nil || !want[r.Family] || !r.Installs() {
				continue
			}
			var names []string
			if r.Family == "zypper" {
				names = rpmZypperUnpinned(r)
			} else {
				names = rpmUnpinned(r)
			}
			if len(names) == 0 {
				continue
			}
			span := c.Script.Span(c.Call)
			switch {
			case r.Family == "zypper":
				hint := ""
				if rpmZypperRangeRedirect(c) {
					hint = "; an unquoted > or < is a shell redirection, so quote a range ('name>=1.2')"
				}
				p.Report(span, "%s %s names no version for %s; pin each package as name=version (%s=<version>)%s",
					c.Name(), r.VerbText(), rpmListPackages(names), names[0], hint)
			case r.Sub >= 0:
				p.Report(span, "%s %s names no stream for %s; name each module as module:stream (%s:<stream>)",
					c.Name(), r.VerbText(), rpmListPackages(names), names[0])
			default:
				p.Report(span, "%s %s names no version for %s; pin each package as name-version (%s-<version>)",
					c.Name(), r.VerbText(), rpmListPackages(names), names[0])
			}
		}
	}
}

// rpmZypperRangeRedirect reports whether the command's statement redirects to
// or from a word that looks like the rest of a version range
// (`zypper in pkg>=1.2` runs `zypper in pkg` with its output sent to a file
// named "=1.2").
func rpmZypperRangeRedirect(c *Command) bool {
	if c.Stmt == nil || c.Stmt.Cmd != c.Call {
		return false
	}
	for _, rd := range c.Stmt.Redirs {
		if rd.Op != syntax.RdrOut && rd.Op != syntax.AppOut && rd.Op != syntax.RdrIn {
			continue
		}
		if rd.Word == nil {
			continue
		}
		if w, ok := LiteralWord(rd.Word); ok && w != "" && (w[0] == '=' || (w[0] >= '0' && w[0] <= '9')) {
			return true
		}
	}
	return false
}
