package pkgmgr

import (
	"strconv"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"mvdan.cc/sh/v3/syntax"
)

// CheckRPMCache reports, for each family, the RUNs that fill the family's
// package cache and do not clean it (DD040, DD047; the rules' Scope
// keeps the findings to the stages that ship).
func CheckRPMCache(p *diagnose.Pass, fams ...string) {
	d := p.Doc
	runs := RPMRuns(d)
	for _, run := range runs {
		cmds := run.Commands()
		for _, fam := range fams {
			if RPMCacheMounted(run, fam) {
				continue
			}
			left := uncleaned(cmds,
				func(r *RPMCall) bool { return r.Family == fam },
				func(c *diagnose.Command) bool { return cleansCache(c, fam) })
			if len(left) == 0 {
				continue
			}
			first := left[0]
			clean := cleanProgram(first) + " clean all"
			f := p.Report(first.Script.Span(first.Call),
				"%s %s downloads repository metadata into %s's cache and no %s follows in the same RUN, so the cache stays in this layer",
				first.Name(), first.VerbText(), first.Name(), clean)
			AddRPMCleanFix(p, f, runs, run, fam, left, SudoPrefix(first.Command)+clean)
		}
	}
}

// AddRPMCleanFix offers to append clean to the end of the run.
func AddRPMCleanFix(p *diagnose.Pass, f *diagnose.Finding, runs []RPMRun, run RPMRun, fam string, left []*RPMCall, clean string) {
	edit, ok := appendEdit(p.Doc, run, clean)
	if !ok {
		return
	}
	AddRPMFixChecked(p, f, runs, run, fam, left, "Run "+clean+" at the end of the RUN", edit)
}

// AddRPMFixChecked adds a fix that empties the cache, unless the commands
// use another root (whose cache the clean would not reach). The fix is
// unsafe when a later RUN relies on the cache, when the commands download
// packages on purpose (--downloadonly), or when one of them only runs
// under a condition (the clean would run always).
func AddRPMFixChecked(p *diagnose.Pass, f *diagnose.Finding, runs []RPMRun, run RPMRun, fam string, left []*RPMCall, title string, edit fixes.Edit) {
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
	if later := cacheNeededLater(d, runs, run, fam); later != nil {
		fx := f.AddFix(title, fixes.Unsafe, edit)
		fx.Note = "The RUN on line " + strconv.Itoa(later.StartLine) + " reads the package cache (it runs from the " +
			"cache only, or names the cache directory); after the fix it finds the cache empty."
		return
	}
	for _, r := range left {
		if downloadsOnly(r) {
			fx := f.AddFix(title, fixes.Unsafe, edit)
			fx.Note = "The " + r.Name() + " " + r.VerbText() + " on line " + strconv.Itoa(line(d, r)) +
				" only downloads packages into the cache; the clean deletes them again."
			return
		}
	}
	for _, r := range left {
		if !unconditional(r.Command) {
			fx := f.AddFix(title, fixes.Unsafe, edit)
			fx.Note = "The " + r.Name() + " " + r.VerbText() + " on line " + strconv.Itoa(line(d, r)) +
				" only runs under a condition (if, ||, a pipe), but the added clean always runs; it fails where " +
				r.Name() + " is not installed."
			return
		}
	}
	f.AddFix(title, fixes.Safe, edit)
}

// line is the line where a command starts.
func line(d *diagnose.Document, r *RPMCall) int {
	l, _ := d.Position(r.Script.Span(r.Call).Start)
	return l
}

// downloadsOnly reports whether r downloads packages into the cache
// without installing them: yum / dnf --downloadonly without a download
// directory, zypper install -d / --download-only / --download only.
func downloadsOnly(r *RPMCall) bool {
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

// CheckRPMPins reports the installs of the given families that name
// packages without a version (DD041, DD045, DD048).
func CheckRPMPins(p *diagnose.Pass, fams ...string) {
	want := map[string]bool{}
	for _, f := range fams {
		want[f] = true
	}
	for _, run := range RPMRuns(p.Doc) {
		for _, c := range run.Commands() {
			r := ParseRPM(c)
			if r == nil || !want[r.Family] || !r.Installs() {
				continue
			}
			var names []string
			if r.Family == "zypper" {
				names = zypperUnpinned(r)
			} else {
				names = unpinned(r)
			}
			if len(names) == 0 {
				continue
			}
			span := c.Script.Span(c.Call)
			switch {
			case r.Family == "zypper":
				hint := ""
				if zypperRangeRedirect(c) {
					hint = "; an unquoted > or < is a shell redirection, so quote a range ('name>=1.2')"
				}
				p.Report(span, "%s %s names no version for %s; pin each package as name=version (%s=<version>)%s",
					c.Name(), r.VerbText(), listPackages(names), names[0], hint)
			case r.Sub >= 0:
				p.Report(span, "%s %s names no stream for %s; name each module as module:stream (%s:<stream>)",
					c.Name(), r.VerbText(), listPackages(names), names[0])
			default:
				p.Report(span, "%s %s names no version for %s; pin each package as name-version (%s-<version>)",
					c.Name(), r.VerbText(), listPackages(names), names[0])
			}
		}
	}
}

// zypperRangeRedirect reports whether the command's statement redirects to
// or from a word that looks like the rest of a version range
// (`zypper in pkg>=1.2` runs `zypper in pkg` with its output sent to a file
// named "=1.2").
func zypperRangeRedirect(c *diagnose.Command) bool {
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
		if w, ok := diagnose.LiteralWord(rd.Word); ok && w != "" && (w[0] == '=' || (w[0] >= '0' && w[0] <= '9')) {
			return true
		}
	}
	return false
}
