package pkgmgr

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// Shared knowledge of the command lines of the RPM package managers (yum,
// dnf, microdnf, tdnf) and of SUSE's zypper, used by rules DD039–DD048.

// family maps a program name to the package manager it is: "yum",
// "dnf" (also dnf5 and dnf-3), "microdnf", "tdnf" or "zypper"; "" for any
// other program.
func family(name string) string {
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

// opt is one option of a package manager command line.
type opt struct {
	Name   string // without its dashes: "y", "assumeyes", "setopt"
	Value  string // the option's value, if it takes one
	Index  int    // index in Command.Words
	Global bool   // written before the subcommand
}

// RPMCall is a yum / dnf / microdnf / tdnf / zypper command, read the way
// the program reads its arguments.
type RPMCall struct {
	*diagnose.Command
	Family string
	Verb   int // index in Words of the subcommand; -1 when there is none
	// Sub is, for `module install` / `group install` of yum and dnf, the
	// index of the second word; -1 otherwise.
	Sub  int
	Opts []opt
	Args []int // indexes of the operands after the subcommand
	// Opaque is set when a word that is not literal ($VAR, $(...)) stands
	// before the subcommand, where it may hold options.
	Opaque bool
}

// longValue are the long options of yum, dnf, microdnf and tdnf that
// take the next word as their value when written without "=".
var longValue = map[string]bool{
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

// shortValue are the short options of yum / dnf that take a value.
const shortValue = "cdeRx"

// zypper's global options (before the command) that take a value.
var zypperGlobalLongValue = map[string]bool{
	"config": true, "root": true, "installroot": true, "reposd-dir": true, "cache-dir": true,
	"raw-cache-dir": true, "solv-cache-dir": true, "pkg-cache-dir": true, "userdata": true,
	"table-style": true,
}

const zypperGlobalShortValue = "cRDCs"

// zypper's command options (after the command) that take a value.
var zypperCmdLongValue = map[string]bool{
	"repo": true, "type": true, "from": true, "download": true, "plus-content": true, "plus-repo": true,
	"bugzilla": true, "bz": true, "cve": true, "category": true, "severity": true, "date": true,
	"priority": true,
}

const zypperCmdShortValue = "rtpgb"

// ParseRPM reads c as a package manager command, or returns nil when c
// runs another program.
func ParseRPM(c *diagnose.Command) *RPMCall {
	fam := family(c.Name())
	if fam == "" {
		return nil
	}
	r := &RPMCall{Command: c, Family: fam, Verb: -1, Sub: -1}
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
		longValue, shortValue := longValue, shortValue
		if fam == "zypper" {
			if global {
				longValue, shortValue = zypperGlobalLongValue, zypperGlobalShortValue
			} else {
				longValue, shortValue = zypperCmdLongValue, zypperCmdShortValue
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
			o := opt{Name: name, Value: val, Index: i, Global: global}
			if !eq && longValue[name] && i+1 < len(c.Words) {
				i++
				o.Value = c.Words[i]
			}
			r.Opts = append(r.Opts, o)
		default:
			for j := 1; j < len(w); j++ {
				o := opt{Name: w[j : j+1], Index: i, Global: global}
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
func (r *RPMCall) VerbText() string {
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
func (r *RPMCall) LastVerb() int {
	if r.Sub >= 0 {
		return r.Sub
	}
	return r.Verb
}

// Has reports whether one of the named options is given.
func (r *RPMCall) Has(names ...string) bool {
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
func (r *RPMCall) Value(names ...string) (string, bool) {
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
	// promptVerbs change packages and ask for confirmation.
	promptVerbs = set("install in groupinstall localinstall reinstall rei remove rm erase autoremove " +
		"update upgrade up update-minimal upgrade-minimal up-min downgrade dg distro-sync distribution-synchronization " +
		"dsync groupupdate groupremove grouperase localupdate swap builddep " +
		"module:install module:remove module:enable module:disable module:reset module:update module:upgrade " +
		"module:switch-to group:install group:remove group:upgrade group:update group:erase " +
		"groups:install groups:remove groups:upgrade groups:update")
	// cacheVerbs download repository metadata or packages into the
	// package manager's cache.
	cacheVerbs = set("install in groupinstall localinstall reinstall rei update upgrade up " +
		"update-minimal upgrade-minimal up-min downgrade dg distro-sync distribution-synchronization dsync " +
		"groupupdate localupdate swap builddep makecache mc check-update check-upgrade " +
		"module:install module:enable module:update module:upgrade module:switch-to " +
		"group:install group:upgrade group:update groups:install groups:upgrade groups:update")
	// installVerbs install packages named on the command line.
	installVerbs = set("install in module:install")

	zypperPromptVerbs = set("install in remove rm source-install si patch update up dist-upgrade dup " +
		"install-new-recommends inr verify ve")
	zypperCacheVerbs = set("install in update up dist-upgrade dup patch refresh ref source-install si " +
		"install-new-recommends inr")
	zypperInstallVerbs = set("install in")
)

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(s) {
		m[f] = true
	}
	return m
}

// verbKey is the key of the subcommand in the verb sets: "install",
// "module:install"; "module" alone when the second word is missing.
func (r *RPMCall) verbKey() string {
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
func (r *RPMCall) Prompts() bool {
	if r.Family == "zypper" {
		return zypperPromptVerbs[r.verbKey()]
	}
	return promptVerbs[r.verbKey()]
}

// FillsCache reports whether the command downloads metadata or packages
// into the package manager's cache.
func (r *RPMCall) FillsCache() bool {
	if r.Has("help", "h", "version") {
		return false
	}
	if r.Family == "zypper" {
		return zypperCacheVerbs[r.verbKey()]
	}
	return cacheVerbs[r.verbKey()]
}

// Installs reports whether the command installs the packages it names.
func (r *RPMCall) Installs() bool {
	if r.Has("help", "h") {
		return false
	}
	if r.Family == "zypper" {
		return zypperInstallVerbs[r.verbKey()]
	}
	return installVerbs[r.verbKey()]
}

// RPMAssumesYes reports whether a yum / dnf / microdnf / tdnf command
// answers its own prompt: -y, --assumeyes, --setopt=assumeyes=1, or never
// asks (--assumeno, --help).
func RPMAssumesYes(r *RPMCall) bool {
	for _, o := range r.Opts {
		switch o.Name {
		case "y", "assumeyes", "assumeno", "help", "h", "version":
			return true
		case "setopt":
			k, v, _ := strings.Cut(o.Value, "=")
			if strings.TrimSpace(k) == "assumeyes" && confTruthy(v) {
				return true
			}
		}
	}
	return false
}

func confTruthy(v string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(v), `"'`)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
