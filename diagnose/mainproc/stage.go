package mainproc

import (
	"path"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// StageInfo is what the rules need to know about the stage that runs
// the command: its working directory, its environment and its build steps.
type StageInfo struct {
	Workdir string              // the working directory at run time; "" when unknown
	Env     map[string]string   // ENV values, quotes removed, earlier ENVs expanded
	EnvRaw  map[string]string   // ENV values as written
	Runs    []*diagnose.Command // the RUN commands of the stage and the stages it is built from
	Chain   []*diagnose.Stage
	d       *diagnose.Document
}

// EnvPair is one KEY=value of an ENV instruction.
type EnvPair struct {
	Key, Raw string
	Span     diagnose.Span // logical span of the pair in In.Logical; zero when unknown
	In       *diagnose.Instruction
	Index    int // position among the instruction's pairs
	Count    int // how many pairs the instruction sets
}

// EnvPairs lists the pairs an ENV sets, with their logical spans when
// dockdoc can find them (ok false otherwise).
func EnvPairs(d *diagnose.Document, in *diagnose.Instruction) (pairs []EnvPair, ok bool) {
	n := in.Node.Next
	legacy := false
	for n != nil && n.Next != nil {
		sep := ""
		if n.Next.Next != nil {
			sep = n.Next.Next.Value
		}
		if sep == "" {
			legacy = true
		}
		pairs = append(pairs, EnvPair{Key: n.Value, Raw: n.Next.Value, In: in, Index: len(pairs)})
		if n.Next.Next == nil {
			break
		}
		n = n.Next.Next.Next
	}
	for i := range pairs {
		pairs[i].Count = len(pairs)
	}
	if legacy || len(pairs) == 0 {
		return pairs, false
	}
	words := in.Words()
	if len(words) < 2 {
		return pairs, false
	}
	off := words[1].Span.Start
	toks := SplitWords(in.Logical[off:], d.Escape)
	if len(toks) != len(pairs) {
		return pairs, false
	}
	for i, t := range toks {
		w := in.Logical[off+t.Start : off+t.End]
		if !strings.HasPrefix(w, pairs[i].Key+"=") {
			return pairs, false
		}
		pairs[i].Span = diagnose.Span{Start: off + t.Start, End: off + t.End}
	}
	return pairs, true
}

// SplitWords splits text into words the way BuildKit's parser splits
// ENV and LABEL arguments: on blanks outside quotes, with the escape
// character protecting the next character.
func SplitWords(s string, esc byte) []diagnose.Span {
	blank := func(c byte) bool { return strings.IndexByte(" \t\r\n\v\f", c) >= 0 }
	var out []diagnose.Span
	i := 0
	for i < len(s) {
		for i < len(s) && blank(s[i]) {
			i++
		}
		if i >= len(s) {
			break
		}
		start := i
		var quote byte
		for i < len(s) {
			ch := s[i]
			if quote == 0 {
				if blank(ch) {
					break
				}
				if ch == '\'' || ch == '"' {
					quote = ch
				} else if ch == esc {
					i++
				}
			} else if ch == quote {
				quote = 0
			} else if ch == esc && quote != '\'' {
				i++
			}
			i++
		}
		out = append(out, diagnose.Span{Start: start, End: min(i, len(s))})
	}
	return out
}

// DeleteEnvPair is the edit removing one pair of an ENV: the pair alone
// when the instruction sets others, the whole instruction otherwise.
func DeleteEnvPair(d *diagnose.Document, p EnvPair) (fixes.Edit, bool) {
	in := p.In
	if p.Count == 1 {
		return diagnose.Delete(diagnose.Span{Start: d.LineStart(in.StartLine), End: d.LineBreakEnd(in.EndLine)}), true
	}
	pairs, ok := EnvPairs(d, in)
	if !ok || p.Index >= len(pairs) {
		return fixes.Edit{}, false
	}
	if p.Index > 0 {
		return diagnose.Delete(in.OrigSpan(diagnose.Span{Start: pairs[p.Index-1].Span.End, End: pairs[p.Index].Span.End})), true
	}
	return diagnose.Delete(in.OrigSpan(diagnose.Span{Start: pairs[0].Span.Start, End: pairs[1].Span.Start})), true
}

// InfoOf gathers the working directory, environment and build commands
// of the stage an instruction belongs to.
func InfoOf(d *diagnose.Document, st *diagnose.Stage) *StageInfo {
	info := &StageInfo{Env: map[string]string{}, EnvRaw: map[string]string{}, d: d}
	info.Chain = StageChain(st)
	lex := shell.NewLex(rune(d.Escape))
	known := false
	for k := len(info.Chain) - 1; k >= 0; k-- {
		for _, in := range info.Chain[k].Instrs {
			switch in.Keyword {
			case "workdir":
				if in.Node.Next == nil {
					continue
				}
				raw := in.Node.Next.Value
				if strings.Contains(raw, "$") {
					known, info.Workdir = false, ""
					continue
				}
				v, _, err := lex.ProcessWord(raw, shell.EnvsFromSlice(nil))
				switch {
				case err != nil || v == "":
					known, info.Workdir = false, ""
				case strings.HasPrefix(v, "/"):
					known, info.Workdir = true, path.Clean(v)
				case known:
					info.Workdir = path.Join(info.Workdir, v)
				}
			case "env":
				pairs, _ := EnvPairs(d, in)
				for _, p := range pairs {
					var env []string
					for k, v := range info.Env {
						env = append(env, k+"="+v)
					}
					v, _, err := lex.ProcessWord(p.Raw, shell.EnvsFromSlice(env))
					if err != nil {
						v = p.Raw
					}
					info.Env[p.Key] = v
					info.EnvRaw[p.Key] = p.Raw
				}
			case "run":
				info.Runs = append(info.Runs, in.Commands(d)...)
			}
		}
	}
	return info
}

// Truthy reads a boolean environment value the way most tools do.
func Truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// Falsy reads an explicitly false boolean environment value.
func Falsy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}

// hasRun reports whether a RUN of the stage chain runs prog with the
// subcommand (any subcommand when sub is "").
func (info *StageInfo) hasRun(prog, sub string) bool {
	for _, c := range info.Runs {
		if c.Name() != prog {
			continue
		}
		if s := c.Sub(); sub == "" || (s >= 0 && c.Words[s] == sub) {
			return true
		}
	}
	return false
}

// copiesFromStageWith reports whether the stage chain copies files from
// another stage whose build runs prog with sub.
func (info *StageInfo) copiesFromStageWith(prog, sub string) bool {
	d := info.d
	for _, s := range info.Chain {
		for _, in := range s.Instrs {
			if in.Keyword != "copy" && in.Keyword != "add" {
				continue
			}
			for _, w := range in.Words()[1:] {
				from, ok := strings.CutPrefix(strings.ToLower(w.Text), "--from=")
				if !ok {
					continue
				}
				src := d.StageByName(from, s.Index)
				if src == nil {
					for _, o := range d.Stages[:s.Index] {
						if from == strconv.Itoa(o.Index) {
							src = o
						}
					}
				}
				if src != nil && InfoOf(d, src).hasRun(prog, sub) {
					return true
				}
			}
		}
	}
	return false
}

// OnPath reports whether an ENV of the stage puts dir on PATH.
func (info *StageInfo) OnPath(dir string) bool {
	for _, v := range []string{info.Env["PATH"], info.EnvRaw["PATH"]} {
		for _, p := range strings.Split(v, ":") {
			if path.Clean(strings.Trim(p, `"'`)) == dir {
				return true
			}
		}
	}
	return false
}

// PathEdit inserts `ENV PATH="dir:$PATH"` before the command's
// instruction: above the run of metadata instructions (USER, EXPOSE, LABEL,
// ...) and comment lines that lead up to it, so that it lands in the same
// place whether a USER is added before or after it.
func PathEdit(d *diagnose.Document, in *diagnose.Instruction, dir string) (fixes.Edit, bool) {
	if strings.ContainsAny(dir, "\"$\\` \t'") || !strings.HasPrefix(dir, "/") {
		return fixes.Edit{}, false
	}
	at := in
	for at.Index > 0 {
		prev := d.Instructions[at.Index-1]
		if prev.Stage != in.Stage || !metaKeywords[prev.Keyword] {
			break
		}
		at = prev
	}
	l := at.StartLine
	prevEnd := 0
	if at.Index > 0 {
		prevEnd = d.Instructions[at.Index-1].EndLine
	}
	for l-1 > prevEnd && diagnose.IsCommentLine([]byte(d.Line(l-1))) {
		l--
	}
	kw := "ENV"
	if ks := in.KeywordSpan(); string(d.Src[ks.Start:ks.End]) == strings.ToLower(string(d.Src[ks.Start:ks.End])) {
		kw = "env" // the file writes its keywords in lower case
	}
	return diagnose.Insert(d.LineStart(l), d.Indent(at.StartLine)+kw+` PATH="`+dir+`:$PATH"`+d.EOL), true
}
