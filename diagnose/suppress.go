package diagnose

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// Suppressions, in the spellings users already write so switching to
// dockdoc needs no edits:
//
//	# dockdoc ignore=DD012,DD003 reason        the next instruction
//	# dockdoc global ignore=DD013              the whole file
//	# hadolint ignore=DL3008,SC2086 # reason    the next instruction
//	# hadolint global ignore=DL3003            the whole file
//	# hadolint stage ignore=DL3011             the stage whose FROM follows
//	# check=skip=JSONArgsRecommended           BuildKit: the next instruction,
//	                                           or its stage when above a FROM
//	# check=skip=all                           (top directive) the file
//
// Names may be dockdoc codes or names, hadolint codes or BuildKit names.

// Pragma is one suppression comment.
type Pragma struct {
	Line  int
	Span  Span     // the comment line
	Scope string   // "next", "global", "stage"
	Names []string // as written
	From  string   // "dockdoc", "hadolint", "check"
	// Target lines: the instruction (or stage) it covers, inclusive.
	First, Last int
	used        map[string]bool
}

var pragmaRe = regexp.MustCompile(`^#\s*(dockdoc|hadolint)\s+(?:(global|stage)\s+)?ignore\s*=\s*([A-Za-z0-9_,\s-]+?)\s*(?:#.*|\s[^,]*)?$`)
var checkSkipRe = regexp.MustCompile(`^#\s*check\s*=\s*(.+)$`)

// Pragmas finds the suppression comments of a document. Comments inside an
// instruction's continuation are not pragmas.
func (d *Document) Pragmas() []*Pragma {
	var out []*Pragma
	inInstr := map[int]bool{}
	for _, in := range d.Instructions {
		for l := in.StartLine; l <= in.EndLine; l++ {
			inInstr[l] = true
		}
	}
	directiveLine := map[int]bool{}
	for _, dir := range d.Directives {
		directiveLine[dir.Line] = true
	}
	// next instruction starting at or after a line
	nextInstr := func(l int) *Instruction {
		for _, in := range d.Instructions {
			if in.StartLine > l {
				return in
			}
		}
		return nil
	}
	for l := 1; l <= d.LineCount(); l++ {
		if inInstr[l] {
			continue
		}
		text := strings.TrimSpace(d.Line(l))
		if !strings.HasPrefix(text, "#") {
			continue
		}
		p := &Pragma{Line: l, Span: Span{d.LineStart(l), d.LineEnd(l)}, used: map[string]bool{}}
		if m := pragmaRe.FindStringSubmatch(text); m != nil {
			p.From = m[1]
			p.Scope = m[2]
			if p.Scope == "" {
				p.Scope = "next"
			}
			for _, n := range strings.Split(m[3], ",") {
				if n = strings.TrimSpace(n); n != "" {
					p.Names = append(p.Names, n)
				}
			}
		} else if m := checkSkipRe.FindStringSubmatch(text); m != nil && !directiveLine[l] {
			cfg, err := linter.ParseLintOptions(m[1])
			if err != nil || (len(cfg.SkipRules) == 0 && !cfg.SkipAll) {
				continue
			}
			p.From, p.Scope = "check", "next"
			p.Names = cfg.SkipRules
			if cfg.SkipAll {
				p.Names = []string{"all"}
			}
		} else {
			continue
		}
		switch p.Scope {
		case "global":
			p.First, p.Last = 1, d.LineCount()
		default:
			in := nextInstr(l)
			if in == nil {
				continue
			}
			p.First, p.Last = in.StartLine, in.EndLine
			// hadolint's stage pragma, and BuildKit's check comment above a
			// FROM, cover the whole stage.
			if in.Keyword == "from" && (p.Scope == "stage" || p.From == "check") && in.Stage != nil {
				last := in.Stage.Instrs[len(in.Stage.Instrs)-1]
				p.Last = last.EndLine
			}
		}
		out = append(out, p)
	}
	return out
}

// matches reports whether the pragma silences rule r, recording the use.
func (p *Pragma) matches(f *Finding) bool {
	r := f.Rule
	for _, n := range p.Names {
		if (n == "all" && p.From == "check" && r.BuildKitName() != "") || r.Matches(n) {
			p.used[n] = true
			return true
		}
		for _, a := range f.Aliases {
			if strings.EqualFold(n, a) {
				p.used[n] = true
				return true
			}
		}
	}
	return false
}

// suppress drops the findings a pragma silences and returns the pragmas
// for the unused-suppression report.
func suppress(d *Document, fs []Finding) ([]Finding, []*Pragma) {
	if d.Config != nil && d.Config.DisableIgnorePragma {
		return fs, nil
	}
	ps := d.Pragmas()
	if len(ps) == 0 {
		return fs, nil
	}
	kept := fs[:0]
	for _, f := range fs {
		silenced := false
		for _, p := range ps {
			if f.Line >= p.First && f.Line <= p.Last && p.matches(&f) {
				silenced = true
			}
		}
		if !silenced {
			kept = append(kept, f)
		}
	}
	return kept, ps
}

// unusedSuppressions reports pragma entries that silenced nothing. Only
// names of rules that ran are judged: a name for a rule switched off by
// --rule or the configuration, or one dockdoc does not know (a ShellCheck
// code in a hadolint pragma), says nothing about this run.
func unusedSuppressions(d *Document, ps []*Pragma, ran func(*Rule) bool) []Finding {
	var out []Finding
	for _, p := range ps {
		var unused []string
		for _, n := range p.Names {
			if p.used[n] {
				continue
			}
			judged := false
			for _, r := range registry {
				if r.Matches(n) && ran(r) {
					judged = true
				}
			}
			if judged {
				unused = append(unused, n)
			}
		}
		if len(unused) == 0 {
			continue
		}
		f := Finding{Rule: ruleUnusedSuppression, Severity: ruleUnusedSuppression.Severity, Span: p.Span,
			Message: fmt.Sprintf("suppression of %s silences nothing here", strings.Join(unused, ", "))}
		if len(unused) == len(p.Names) {
			f.Fixes = []fixes.Fix{{Title: "Delete the unused suppression", Applicability: fixes.Unsafe,
				Note:  "Unsafe because it deletes a comment.",
				Edits: []fixes.Edit{{Start: d.LineStart(p.Line), End: d.LineBreakEnd(p.Line)}}}}
		}
		f.Line, f.Column = d.Position(f.Span.Start)
		f.EndLine, f.EndCol = d.Position(f.Span.End)
		out = append(out, f)
	}
	return out
}

// suppressFix is the "suppress here" alternative every finding gets: a
// `# dockdoc ignore=CODE` line above its instruction (or the code added to
// a dockdoc pragma already there). It is Manual: applied only when the user
// picks it, in the doctor or with fix --suppress.
func suppressFix(d *Document, f *Finding) (fixes.Fix, bool) {
	var in *Instruction
	for _, c := range d.Instructions {
		if c.StartLine <= f.Line && f.Line <= c.EndLine {
			in = c
			break
		}
	}
	if in == nil {
		return fixes.Fix{}, false
	}
	fx := fixes.Fix{Title: "Suppress " + f.Rule.Code + " here", Applicability: fixes.Unsafe, Manual: true,
		Note: "Adds a `# dockdoc ignore=" + f.Rule.Code + "` comment above the instruction; nothing else changes."}
	if in.StartLine > 1 {
		above := d.Line(in.StartLine - 1)
		if m := pragmaRe.FindStringSubmatch(strings.TrimSpace(above)); m != nil && m[1] == "dockdoc" && m[2] == "" {
			// Extend the existing list right after its last name.
			i := strings.Index(above, m[3]) + len(m[3])
			at := d.LineStart(in.StartLine-1) + i
			fx.Edits = []fixes.Edit{{Start: at, End: at, New: "," + f.Rule.Code}}
			return fx, true
		}
	}
	at := d.LineStart(in.StartLine)
	fx.Edits = []fixes.Edit{{Start: at, End: at, New: d.Indent(in.StartLine) + "# dockdoc ignore=" + f.Rule.Code + d.EOL}}
	return fx, true
}
