package diagnose

// appcmd.go reads and rewrites the container's start command: the CMD or
// ENTRYPOINT of the final stage, in any of its three spellings (exec form,
// shell form, or a shell script in exec form `["/bin/sh", "-c", "..."]`).
//
// It is shared by DD021 (wrapper-main-process), DD022 (dev-mode) and the
// multi-stage migration, which must all agree on one "hardened" command:
// the wrapper (uv run, npm start, ...) stripped and the development flags
// (--reload, --debug, nodemon, ...) dropped. The entry point for other rules
// is normalizedAppCommand; hardenedAppCommand also says what must go on
// PATH.
//
// Rewrites keep the form the command is in, so that the rules converge
// whatever order their fixes are applied in, together with DD002 (which
// turns a shell-form command into exec form):
//   - exec form: the JSON array is rewritten (DD021 writes it again whole,
//     DD022 only removes or replaces the elements concerned);
//   - shell form that DD002 would turn into plain JSON words: DD021 writes
//     the JSON array right away, DD022 edits the words in place;
//   - any other shell form (variables, `a && b`, redirections): the words
//     are edited in place and DD002 later wraps the result in /bin/sh -c;
//   - a shell script in exec form: the script is edited as the shell form
//     would be and the array is written again, or, when the script is left
//     as one command of plain words, those words (what DD002 would have
//     written had the edit come first).
//
// Deleted words take the blanks after them along (the blanks before them
// when nothing follows), in the shell form and in its DD002 rewrite alike.
// The PATH line goes above the metadata instructions that lead up to the
// command (USER, EXPOSE, ...), so that it lands in the same place whether
// DD013 adds a USER before or after it. TestWrapperDevModeConverge checks
// every order.

import (
	"bytes"
	"encoding/json"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"mvdan.cc/sh/v3/syntax"
)

// appCmdForm says how a CMD or ENTRYPOINT holds its command.
type appCmdForm int

const (
	appExec   appCmdForm = iota // ["prog", "arg"]: run directly
	appShell                    // prog arg: run by the stage's shell
	appShellC                   // ["/bin/sh", "-c", "prog arg"]: a script in exec form
)

// appCmd is the main command of a CMD or ENTRYPOINT: the program the
// container runs and its arguments, after an init (`tini --`) and a
// leading `exec`, and for a shell script, the last command of an `&&`
// chain.
type appCmd struct {
	In    *Instruction
	Form  appCmdForm
	Words []string // literal value of each word ("" when it is not literal)
	Lit   []bool   // which words are literal (always all of them in exec form)
	// Plain is true for a shell form that DD002 rewrites to exactly these
	// words in exec form (one command of plain words, no SHELL in the stage).
	Plain bool

	first     int      // index of Words[0] in elems (exec form) or call.Args (shell forms)
	elems     []string // exec forms: the array
	elemSpans []Span   // exec forms: logical span of each JSON string in In.Logical
	arr       Span     // exec forms: logical span of the array, brackets included
	script    *Script  // shell forms
	src       string   // shell forms: the script text
	call      *syntax.CallExpr
	prefix    []string // Plain: the words DD002 keeps before Words (an init such as tini --)
}

// appStageChain lists st and the earlier stages it is built FROM, nearest
// first.
func appStageChain(st *Stage) []*Stage {
	var out []*Stage
	for s := st; s != nil && len(out) < 64; s = s.Parent {
		out = append(out, s)
	}
	return out
}

// appLastInstr returns the last instruction with the keyword in the chain
// (the stage's own first, then the stages it is built from).
func appLastInstr(chain []*Stage, kw string) *Instruction {
	for _, s := range chain {
		for i := len(s.Instrs) - 1; i >= 0; i-- {
			if s.Instrs[i].Keyword == kw {
				return s.Instrs[i]
			}
		}
	}
	return nil
}

// appMainCommand returns the command the containers of stage st start with:
// its ENTRYPOINT, or its CMD when there is no ENTRYPOINT or the ENTRYPOINT
// only starts an init (`tini --`) or an entrypoint script that runs its
// arguments. Nil when there is none or dockdoc cannot read it.
func appMainCommand(d *Document, st *Stage) *appCmd {
	if d == nil || st == nil || d.ParseErr != nil {
		return nil
	}
	chain := appStageChain(st)
	ep := appLastInstr(chain, "entrypoint")
	cmd := appLastInstr(chain, "cmd")
	if ep != nil && !(ep.IsExecForm() && ep.Node.Next == nil) {
		c := appReadCommand(d, ep)
		if c == nil {
			return nil
		}
		if c.Form == appShell {
			return c // a shell-form ENTRYPOINT ignores CMD
		}
		if len(c.Words) > 0 && !appIsEntrypointScript(c.Words[0]) {
			return c
		}
	}
	if cmd == nil {
		return nil
	}
	c := appReadCommand(d, cmd)
	if c == nil || len(c.Words) == 0 {
		return nil
	}
	return c
}

// appIsEntrypointScript reports whether an ENTRYPOINT program looks like an
// entrypoint script, which by convention ends with `exec "$@"`.
func appIsEntrypointScript(prog string) bool {
	b := strings.ToLower(path.Base(prog))
	return strings.HasSuffix(b, ".sh") || strings.Contains(b, "entrypoint")
}

var appShells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true}

// appReadCommand reads a CMD or ENTRYPOINT.
func appReadCommand(d *Document, in *Instruction) *appCmd {
	if len(in.Heredocs) > 0 {
		return nil
	}
	c := &appCmd{In: in}
	if in.IsExecForm() {
		for n := in.Node.Next; n != nil; n = n.Next {
			c.elems = append(c.elems, n.Value)
		}
		spans, arr, ok := appJSONSpans(in.Logical, c.elems)
		if !ok {
			return nil
		}
		c.elemSpans, c.arr = spans, arr
		if len(c.elems) >= 3 && appShells[path.Base(c.elems[0])] && c.elems[1] == "-c" {
			at := in.OrigSpan(spans[2]).Start
			if s := parseScript(c.elems[2], func(int) int { return at }); s != nil {
				if call, i, ok := appMainCall(s); ok {
					c.Form, c.script, c.src, c.call, c.first = appShellC, s, c.elems[2], call, i
					c.fillShellWords()
					return c
				}
			}
		}
		c.Form = appExec
		c.first = appSkipInit(c.elems)
		c.Words = c.elems[c.first:]
		c.Lit = make([]bool, len(c.Words))
		for i := range c.Lit {
			c.Lit[i] = true
		}
		return c
	}
	ss := in.Scripts(d)
	if len(ss) != 1 {
		return nil
	}
	s := ss[0]
	call, i, ok := appMainCall(s)
	if !ok {
		return nil
	}
	c.Form, c.script, c.src, c.call, c.first = appShell, s, s.Src, call, i
	c.fillShellWords()
	// Plain: DD002 turns this instruction into the JSON array of its words.
	stmts := s.File.Stmts
	src := strings.TrimRight(s.Src, " \t")
	if (in.Keyword == "cmd" || in.Keyword == "entrypoint") && len(stmts) == 1 &&
		!dd002StageChainHas(d, in, "shell", true) && !dd002WindowsBase(d, in) &&
		strings.TrimSpace(src[min(int(stmts[0].End().Offset()), len(src)):]) == "" {
		if pw, ok := dd002PlainWords(stmts[0]); ok && len(pw) >= len(c.Words) {
			k := len(pw) - len(c.Words)
			if strings.Join(pw[k:], "\x00") == strings.Join(c.Words, "\x00") {
				c.Plain, c.prefix = true, pw[:k]
			}
		}
	}
	return c
}

func (c *appCmd) fillShellWords() {
	for _, w := range c.call.Args[c.first:] {
		v, ok := LiteralWord(w)
		c.Words = append(c.Words, v)
		c.Lit = append(c.Lit, ok)
	}
}

// appMainCall finds the command a script ends by running: the script must
// be one command, or an `&&` chain whose last command is the program. It
// returns the call and the index of the program in its arguments, after a
// leading `exec` and an init (tini, dumb-init).
func appMainCall(s *Script) (*syntax.CallExpr, int, bool) {
	if len(s.File.Stmts) != 1 {
		return nil, 0, false
	}
	st := s.File.Stmts[0]
	for {
		if st.Negated || st.Background || st.Coprocess || st.Disown {
			return nil, 0, false
		}
		switch x := st.Cmd.(type) {
		case *syntax.BinaryCmd:
			if x.Op != syntax.AndStmt {
				return nil, 0, false
			}
			st = x.Y
			continue
		case *syntax.CallExpr:
			if len(x.Args) == 0 {
				return nil, 0, false
			}
			i := 0
			if v, ok := LiteralWord(x.Args[0]); ok && v == "exec" {
				i = 1
				if i < len(x.Args) {
					if v, ok := LiteralWord(x.Args[i]); !ok || strings.HasPrefix(v, "-") {
						return nil, 0, false
					}
				}
			}
			var words []string
			for _, w := range x.Args[i:] {
				v, _ := LiteralWord(w)
				words = append(words, v)
			}
			return x, i + appSkipInit(words), true
		default:
			return nil, 0, false
		}
	}
}

// appSkipInit returns how many leading words start an init process (tini,
// dumb-init) with its options, up to and including `--`.
func appSkipInit(words []string) int {
	if len(words) == 0 {
		return 0
	}
	b := path.Base(words[0])
	if b != "tini" && b != "tini-static" && b != "dumb-init" {
		return 0
	}
	i := 1
	for i < len(words) && strings.HasPrefix(words[i], "-") {
		w := words[i]
		i++
		if w == "--" {
			break
		}
		if (b != "dumb-init" && (w == "-p" || w == "-e")) || (b == "dumb-init" && (w == "-r" || w == "--rewrite")) {
			i++
		}
	}
	return min(i, len(words))
}

// appJSONSpans finds, in an instruction's logical text, the JSON array the
// parser read elems from and the span of each of its strings.
func appJSONSpans(logical string, elems []string) ([]Span, Span, bool) {
	i := strings.IndexByte(logical, '[')
	if i < 0 {
		return nil, Span{}, false
	}
	start := i
	i++
	ws := func() {
		for i < len(logical) && strings.IndexByte(" \t\r\n", logical[i]) >= 0 {
			i++
		}
	}
	var spans []Span
	ws()
	if i < len(logical) && logical[i] == ']' {
		return nil, Span{start, i + 1}, len(elems) == 0
	}
	for {
		ws()
		if i >= len(logical) || logical[i] != '"' {
			return nil, Span{}, false
		}
		j := i + 1
		for j < len(logical) && logical[j] != '"' {
			if logical[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(logical) {
			return nil, Span{}, false
		}
		var v string
		k := len(spans)
		if json.Unmarshal([]byte(logical[i:j+1]), &v) != nil || k >= len(elems) || v != elems[k] {
			return nil, Span{}, false
		}
		spans = append(spans, Span{i, j + 1})
		i = j + 1
		ws()
		if i >= len(logical) {
			return nil, Span{}, false
		}
		if logical[i] == ',' {
			i++
			continue
		}
		if logical[i] == ']' {
			if len(spans) != len(elems) {
				return nil, Span{}, false
			}
			return spans, Span{start, i + 1}, true
		}
		return nil, Span{}, false
	}
}

// appJSONString writes one string the way dockdoc writes exec-form arrays
// (JSON, with <, > and & left as they are).
func appJSONString(w string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(w)
	return strings.TrimSuffix(b.String(), "\n")
}

// appJSON writes words as an exec-form array: `["a", "b"]`. It writes the
// same text as DD002's rewrite, so the rules converge on the same bytes.
func appJSON(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = appJSONString(w)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

var appSafeShellWord = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// appShellWord quotes a word for a POSIX shell command line when it needs
// it (single quotes, which DD002 reads back as a plain word).
func appShellWord(w string) string {
	if appSafeShellWord.MatchString(w) {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'"'"'`) + "'"
}

// appWordEdit replaces Words[From:To] with New (an empty New deletes).
type appWordEdit struct {
	From, To int
	New      []string
}

// appMergeEdits sorts edits and joins those that touch; it fails on
// overlapping or empty-range edits.
func appMergeEdits(edits []appWordEdit) ([]appWordEdit, bool) {
	es := append([]appWordEdit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].From < es[j].From })
	var out []appWordEdit
	for _, e := range es {
		if e.To <= e.From {
			return nil, false
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			if e.From < last.To {
				return nil, false
			}
			if e.From == last.To {
				last.To = e.To
				last.New = append(append([]string(nil), last.New...), e.New...)
				continue
			}
		}
		out = append(out, appWordEdit{e.From, e.To, append([]string(nil), e.New...)})
	}
	return out, true
}

// appApplyWords applies edits to a word list.
func appApplyWords(words []string, edits []appWordEdit) ([]string, bool) {
	es, ok := appMergeEdits(edits)
	if !ok {
		return nil, false
	}
	var out []string
	at := 0
	for _, e := range es {
		if e.To > len(words) {
			return nil, false
		}
		out = append(out, words[at:e.From]...)
		out = append(out, e.New...)
		at = e.To
	}
	return append(out, words[at:]...), true
}

// rewrite returns the Src edits that apply word edits to the command.
// With toExec, the result is written as an exec-form array when the
// command can be (exec forms and Plain shell forms); otherwise the words
// are changed where they are.
func (c *appCmd) rewrite(edits []appWordEdit, toExec bool) ([]fixes.Edit, bool) {
	in := c.In
	switch c.Form {
	case appExec:
		if toExec {
			words, ok := appApplyWords(c.Words, edits)
			if !ok || len(words) == 0 {
				return nil, false
			}
			all := append(append([]string(nil), c.elems[:c.first]...), words...)
			return []fixes.Edit{Replace(in.OrigSpan(c.arr), appJSON(all))}, true
		}
		return c.elemEdits(edits)
	case appShell:
		if toExec && c.Plain {
			words, ok := appApplyWords(c.Words, edits)
			if !ok || len(words) == 0 {
				return nil, false
			}
			_, start := in.Args()
			all := append(append([]string(nil), c.prefix...), words...)
			return []fixes.Edit{Replace(Span{in.Orig(start), in.TextEnd}, appJSON(all))}, true
		}
		tes, ok := c.textEdits(edits)
		if !ok {
			return nil, false
		}
		// The shell form must stay shell form (text starting with `[` may
		// read as a JSON array).
		if strings.HasPrefix(strings.TrimSpace(appApplyText(c.src, tes)), "[") {
			return nil, false
		}
		var out []fixes.Edit
		for _, t := range tes {
			out = append(out, Replace(c.script.SpanOf(t.start, t.end), t.new))
		}
		return out, true
	case appShellC:
		all, ok := c.shellCWords(edits)
		if !ok {
			return nil, false
		}
		return []fixes.Edit{Replace(in.OrigSpan(c.arr), appJSON(all))}, true
	}
	return nil, false
}

// shellCWords applies edits to the script of a /bin/sh -c array and
// returns the new array. When the script is left as one command of plain
// words (`exec python app.py`), the shell has nothing to do any more and
// the words themselves are returned, as DD002 would have written them had
// the edit been made to the shell form first.
func (c *appCmd) shellCWords(edits []appWordEdit) ([]string, bool) {
	tes, ok := c.textEdits(edits)
	if !ok {
		return nil, false
	}
	script := appApplyText(c.src, tes)
	if len(c.elems) == 3 {
		if s := parseScript(script, func(int) int { return 0 }); s != nil && len(s.File.Stmts) == 1 &&
			strings.TrimSpace(script[min(int(s.File.Stmts[0].End().Offset()), len(script)):]) == "" {
			if words, ok := dd002PlainWords(s.File.Stmts[0]); ok {
				return words, true
			}
		}
	}
	all := append([]string(nil), c.elems...)
	all[2] = script
	return all, true
}

type appTextEdit struct {
	start, end int
	new        string
}

// appApplyText applies sorted, non-overlapping text edits to src.
func appApplyText(src string, tes []appTextEdit) string {
	for i := len(tes) - 1; i >= 0; i-- {
		src = src[:tes[i].start] + tes[i].new + src[tes[i].end:]
	}
	return src
}

// textEdits turns word edits into edits of the script text: deleted words
// take the blanks after them along (the blanks before them, when they are
// the last words). The choice depends only on what follows, so the shell
// form and the same script after DD002 (which adds `exec` in front) are
// edited alike.
func (c *appCmd) textEdits(edits []appWordEdit) ([]appTextEdit, bool) {
	es, ok := appMergeEdits(edits)
	if !ok {
		return nil, false
	}
	args := c.call.Args
	pos := func(k int) int { return int(args[k].Pos().Offset()) }
	end := func(k int) int { return int(args[k].End().Offset()) }
	var out []appTextEdit
	for _, e := range es {
		a, b := c.first+e.From, c.first+e.To
		if b > len(args) {
			return nil, false
		}
		switch {
		case len(e.New) > 0:
			q := make([]string, len(e.New))
			for i, w := range e.New {
				q[i] = appShellWord(w)
			}
			out = append(out, appTextEdit{pos(a), end(b - 1), strings.Join(q, " ")})
		case b < len(args):
			out = append(out, appTextEdit{pos(a), pos(b), ""})
		case a > 0:
			out = append(out, appTextEdit{end(a - 1), end(b - 1), ""})
		default:
			return nil, false
		}
	}
	return out, true
}

// elemEdits turns word edits into edits of the JSON array's elements,
// leaving the other elements exactly as written.
func (c *appCmd) elemEdits(edits []appWordEdit) ([]fixes.Edit, bool) {
	es, ok := appMergeEdits(edits)
	if !ok {
		return nil, false
	}
	sp := c.elemSpans
	var out []fixes.Edit
	for _, e := range es {
		a, b := c.first+e.From, c.first+e.To
		if b > len(sp) {
			return nil, false
		}
		switch {
		case len(e.New) > 0:
			q := make([]string, len(e.New))
			for i, w := range e.New {
				q[i] = appJSONString(w)
			}
			out = append(out, Replace(c.In.OrigSpan(Span{sp[a].Start, sp[b-1].End}), strings.Join(q, ", ")))
		case a > 0:
			out = append(out, Delete(c.In.OrigSpan(Span{sp[a-1].End, sp[b-1].End})))
		case b < len(sp):
			out = append(out, Delete(c.In.OrigSpan(Span{sp[0].Start, sp[b].Start})))
		default:
			return nil, false
		}
	}
	return out, true
}

// wordSpan is the Src span to report for Words[from:to].
func (c *appCmd) wordSpan(from, to int) Span {
	if to <= from {
		to = from + 1
	}
	switch c.Form {
	case appExec:
		a, b := c.first+from, c.first+to-1
		if b >= len(c.elemSpans) {
			return c.In.OrigSpan(c.arr)
		}
		return c.In.OrigSpan(Span{c.elemSpans[a].Start, c.elemSpans[b].End})
	case appShell:
		a, b := c.first+from, c.first+to-1
		if b >= len(c.call.Args) {
			return c.script.Span(c.call)
		}
		return c.script.SpanOf(int(c.call.Args[a].Pos().Offset()), int(c.call.Args[b].End().Offset()))
	default:
		return c.In.OrigSpan(c.elemSpans[2])
	}
}

// ---- the stage around the command ----

// appStageInfo is what the rules need to know about the stage that runs
// the command: its working directory, its environment and its build steps.
type appStageInfo struct {
	Workdir string            // the working directory at run time; "" when unknown
	Env     map[string]string // ENV values, quotes removed, earlier ENVs expanded
	EnvRaw  map[string]string // ENV values as written
	Runs    []*Command        // the RUN commands of the stage and the stages it is built from
	Chain   []*Stage
	d       *Document
}

// appEnvPair is one KEY=value of an ENV instruction.
type appEnvPair struct {
	Key, Raw string
	Span     Span // logical span of the pair in In.Logical; zero when unknown
	In       *Instruction
	Index    int // position among the instruction's pairs
	Count    int // how many pairs the instruction sets
}

// appEnvPairs lists the pairs an ENV sets, with their logical spans when
// dockdoc can find them (ok false otherwise).
func appEnvPairs(d *Document, in *Instruction) (pairs []appEnvPair, ok bool) {
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
		pairs = append(pairs, appEnvPair{Key: n.Value, Raw: n.Next.Value, In: in, Index: len(pairs)})
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
	toks := appSplitWords(in.Logical[off:], d.Escape)
	if len(toks) != len(pairs) {
		return pairs, false
	}
	for i, t := range toks {
		w := in.Logical[off+t.Start : off+t.End]
		if !strings.HasPrefix(w, pairs[i].Key+"=") {
			return pairs, false
		}
		pairs[i].Span = Span{off + t.Start, off + t.End}
	}
	return pairs, true
}

// appSplitWords splits text into words the way BuildKit's parser splits
// ENV and LABEL arguments: on blanks outside quotes, with the escape
// character protecting the next character.
func appSplitWords(s string, esc byte) []Span {
	blank := func(c byte) bool { return strings.IndexByte(" \t\r\n\v\f", c) >= 0 }
	var out []Span
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
		out = append(out, Span{start, min(i, len(s))})
	}
	return out
}

// appDeleteEnvPair is the edit removing one pair of an ENV: the pair alone
// when the instruction sets others, the whole instruction otherwise.
func appDeleteEnvPair(d *Document, p appEnvPair) (fixes.Edit, bool) {
	in := p.In
	if p.Count == 1 {
		return Delete(Span{d.LineStart(in.StartLine), d.LineBreakEnd(in.EndLine)}), true
	}
	pairs, ok := appEnvPairs(d, in)
	if !ok || p.Index >= len(pairs) {
		return fixes.Edit{}, false
	}
	if p.Index > 0 {
		return Delete(in.OrigSpan(Span{pairs[p.Index-1].Span.End, pairs[p.Index].Span.End})), true
	}
	return Delete(in.OrigSpan(Span{pairs[0].Span.Start, pairs[1].Span.Start})), true
}

// appInfo gathers the working directory, environment and build commands
// of the stage an instruction belongs to.
func appInfo(d *Document, st *Stage) *appStageInfo {
	info := &appStageInfo{Env: map[string]string{}, EnvRaw: map[string]string{}, d: d}
	info.Chain = appStageChain(st)
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
				pairs, _ := appEnvPairs(d, in)
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

// appTruthy reads a boolean environment value the way most tools do.
func appTruthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// appFalsy reads an explicitly false boolean environment value.
func appFalsy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}

// hasRun reports whether a RUN of the stage chain runs prog with the
// subcommand (any subcommand when sub is "").
func (info *appStageInfo) hasRun(prog, sub string) bool {
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
func (info *appStageInfo) copiesFromStageWith(prog, sub string) bool {
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
				if src != nil && appInfo(d, src).hasRun(prog, sub) {
					return true
				}
			}
		}
	}
	return false
}

// onPath reports whether an ENV of the stage puts dir on PATH.
func (info *appStageInfo) onPath(dir string) bool {
	for _, v := range []string{info.Env["PATH"], info.EnvRaw["PATH"]} {
		for _, p := range strings.Split(v, ":") {
			if path.Clean(strings.Trim(p, `"'`)) == dir {
				return true
			}
		}
	}
	return false
}

// appPathEdit inserts `ENV PATH="dir:$PATH"` before the command's
// instruction: above the run of metadata instructions (USER, EXPOSE, LABEL,
// ...) and comment lines that lead up to it, so that it lands in the same
// place whether a USER is added before or after it.
func appPathEdit(d *Document, in *Instruction, dir string) (fixes.Edit, bool) {
	if strings.ContainsAny(dir, "\"$\\` \t'") || !strings.HasPrefix(dir, "/") {
		return fixes.Edit{}, false
	}
	at := in
	for at.Index > 0 {
		prev := d.Instructions[at.Index-1]
		if prev.Stage != in.Stage || !appMetaKeywords[prev.Keyword] {
			break
		}
		at = prev
	}
	l := at.StartLine
	prevEnd := 0
	if at.Index > 0 {
		prevEnd = d.Instructions[at.Index-1].EndLine
	}
	for l-1 > prevEnd && isCommentLine([]byte(d.Line(l-1))) {
		l--
	}
	kw := "ENV"
	if ks := in.KeywordSpan(); string(d.Src[ks.Start:ks.End]) == strings.ToLower(string(d.Src[ks.Start:ks.End])) {
		kw = "env" // the file writes its keywords in lower case
	}
	return Insert(d.LineStart(l), d.Indent(at.StartLine)+kw+` PATH="`+dir+`:$PATH"`+d.EOL), true
}

// appMetaKeywords are instructions that only set image metadata; a PATH
// line goes above them.
var appMetaKeywords = map[string]bool{"user": true, "expose": true, "label": true, "stopsignal": true, "healthcheck": true,
	"volume": true, "entrypoint": true, "cmd": true}

// ---- wrappers ----

// appWrapper is a launcher found in front of the real program: Words[Start:End]
// of the main command (the launcher, its options and, for a package.json
// script, the script's name and npm's `--`).
type appWrapper struct {
	Kind       string // "uv run", "poetry run", "pipenv run", "npm", "yarn", "pnpm", "npx", "go run", ...
	Label      string // the launcher as written, for messages ("npm run dev")
	Start, End int
	// Resolved: the real program is known; it is Prog followed by Words[End:].
	Resolved bool
	Prog     []string // what replaces the launcher: a script's command, "python" for a .py file
	PathDir  string   // the directory the program needs on PATH ("" none)
	// NoFix says why the program cannot be run directly ("" when it can).
	// DevOnly: the only reason is a development server that DD022 handles.
	NoFix   string
	DevOnly bool
	Notes   []string // what the rewrite changes, for the fix's note
	Script  string   // the package.json script it runs
	Node    bool     // a Node.js package manager or npx
	pkgBin  bool     // the program comes from node_modules/.bin (needs it on PATH unless it is node)
}

func appAllLit(n int) []bool {
	l := make([]bool, n)
	for i := range l {
		l[i] = true
	}
	return l
}

func appSet(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

// appFindWrapper recognizes a launcher at the start of words.
func appFindWrapper(d *Document, info *appStageInfo, words []string, lit []bool, depth int) *appWrapper {
	if len(words) == 0 || !lit[0] || depth > 4 {
		return nil
	}
	sub := func(i int) string {
		if i < len(words) && lit[i] {
			return words[i]
		}
		return ""
	}
	prog := path.Base(words[0])
	switch prog {
	case "uv":
		if sub(1) == "run" {
			return appUVRun(info, words, lit)
		}
	case "poetry":
		return appPoetryRun(info, words, lit)
	case "pipenv":
		if sub(1) == "run" {
			return appPipenvRun(info, words, lit)
		}
	case "npm", "yarn", "pnpm":
		return appNodeScript(d, info, prog, words, lit, depth)
	case "npx":
		return appNpx(d, words, lit, 1, "npx")
	case "go", "cargo", "dotnet":
		if sub(1) == "run" {
			return appToolchain(prog+" run", 2)
		}
	case "mvn", "mvnw":
		for i, w := range words {
			if lit[i] && w == "spring-boot:run" {
				return appToolchain(prog+" spring-boot:run", i+1)
			}
		}
	case "gradle", "gradlew":
		for i, w := range words {
			if lit[i] && (w == "bootRun" || strings.HasSuffix(w, ":bootRun") || w == "run" || strings.HasSuffix(w, ":run")) {
				return appToolchain(prog+" "+w, i+1)
			}
		}
	}
	return nil
}

// appProgWord checks the program a launcher starts: it must be a literal
// word naming a program on disk (not an option, not a shell builtin).
func appProgWord(words []string, lit []bool, i int, label string) string {
	switch {
	case !lit[i]:
		return "the program " + label + " starts is not a literal word"
	case words[i] == "" || strings.HasPrefix(words[i], "-") || dd002Builtins[words[i]]:
		return label + " is given no program dockdoc can run directly"
	}
	return ""
}

func appToolchain(label string, end int) *appWrapper {
	return &appWrapper{Kind: strings.SplitN(label, " ", 2)[0], Label: label, End: end,
		NoFix: "there is no built program to run yet: build it in a builder stage and copy only the result into the final stage"}
}

var (
	// uv run options that only change what uv syncs or how it talks:
	// dropping them keeps what runs.
	appUVFlags = appSet("--no-dev", "--dev", "--frozen", "--locked", "--no-sync", "--all-extras", "--no-default-groups",
		"--all-groups", "--only-dev", "--no-editable", "--exact", "--inexact", "--compile-bytecode", "--offline",
		"--no-cache", "-n", "--quiet", "-q", "-qq", "--verbose", "-v", "-vv", "--native-tls", "--no-progress",
		"--no-config", "--no-python-downloads", "--preview", "--no-preview", "--managed-python", "--no-managed-python",
		"--refresh", "--reinstall", "--upgrade", "-U", "--no-build-isolation", "--no-build", "--no-binary",
		"--no-sources", "--all-packages", "--no-env-file", "--no-install-project", "--no-install-workspace",
		"--no-install-local")
	appUVValued = appSet("--extra", "--group", "--only-group", "--no-group", "--no-extra", "--package", "--index",
		"--default-index", "--index-url", "-i", "--extra-index-url", "--find-links", "-f", "--cache-dir",
		"--config-file", "--color", "--python-preference", "--refresh-package", "--reinstall-package",
		"--upgrade-package", "-P", "--no-binary-package", "--no-build-package", "--exclude-newer", "--prerelease",
		"--resolution", "--link-mode", "--index-strategy", "--keyring-provider", "--config-setting", "-C",
		"--allow-insecure-host", "--python-platform", "--no-install-package", "--fork-strategy")
	// uv run options that change what runs: no rewrite.
	appUVBlocking = map[string]string{
		"--with": "adds packages that are not in the project's environment", "-w": "adds packages that are not in the project's environment",
		"--with-editable": "adds packages that are not in the project's environment", "--with-requirements": "adds packages that are not in the project's environment",
		"--python": "may pick another interpreter than the environment's", "-p": "may pick another interpreter than the environment's",
		"--directory": "changes the working directory", "--project": "runs another project",
		"--env-file": "loads variables from a file", "--no-project": "runs outside the project's environment",
		"--isolated": "runs in a temporary environment", "--script": "runs a script with its own inline dependencies",
		"-s": "runs a script with its own inline dependencies", "--gui-script": "runs a GUI script", "--active": "uses the active virtual environment",
	}
)

// appUVRun reads `uv run [options] PROG ARGS`.
func appUVRun(info *appStageInfo, words []string, lit []bool) *appWrapper {
	w := &appWrapper{Kind: "uv run", Label: "uv run"}
	i := 2
	module, noSync, groups := false, false, false
loop:
	for i < len(words) {
		if !lit[i] {
			w.NoFix = "an argument of uv run is not a literal word"
			break
		}
		a := words[i]
		if a == "--" {
			i++
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		name, _, hasVal := strings.Cut(a, "=")
		switch {
		case (a == "-m" || a == "--module") && !hasVal:
			module = true
			i++
			break loop
		case appUVBlocking[name] != "":
			w.NoFix = "uv run " + name + " " + appUVBlocking[name]
			i++
			if appUVValued[name] || (!hasVal && name != "--no-project" && name != "--isolated" && name != "--active" && name != "--script" && name != "-s" && name != "--gui-script") {
				i++
			}
			break loop
		case appUVValued[name]:
			if name == "--extra" || name == "--group" || name == "--only-group" {
				groups = true
			}
			i++
			if !hasVal {
				i++
			}
		case appUVFlags[name] && !hasVal:
			if name == "--no-sync" {
				noSync = true
			}
			if name == "--all-extras" || name == "--all-groups" {
				groups = true
			}
			i++
		default:
			w.NoFix = "dockdoc does not know the uv run option " + name
			i++
			break loop
		}
	}
	w.End = min(i, len(words))
	if w.NoFix != "" {
		return w
	}
	if i >= len(words) {
		w.NoFix = "uv run is given no program"
		return w
	}
	w.Resolved = true
	switch {
	case module:
		w.Prog = []string{"python", "-m"}
	case appProgWord(words, lit, i, "uv run") != "":
		w.NoFix = appProgWord(words, lit, i, "uv run")
		return w
	case strings.HasSuffix(words[i], ".py") || strings.HasSuffix(words[i], ".pyw"):
		w.Prog = []string{"python"}
		w.Notes = append(w.Notes, "uv run runs a .py file with the project's Python; if the file declares its own "+
			"dependencies (an inline `# /// script` block), uv run built a separate environment for it and this rewrite does not.")
	}
	venv := ""
	if v := info.Env["UV_PROJECT_ENVIRONMENT"]; v != "" {
		if strings.HasPrefix(v, "/") {
			venv = path.Clean(v)
		} else if info.Workdir != "" {
			venv = path.Join(info.Workdir, v)
		}
	} else if info.Workdir != "" {
		venv = path.Join(info.Workdir, ".venv")
	}
	if venv == "" {
		w.NoFix = "the stage sets no absolute WORKDIR, so dockdoc cannot tell where uv keeps the project's .venv"
		return w
	}
	w.PathDir = venv + "/bin"
	if !noSync && !appTruthy(info.Env["UV_NO_SYNC"]) && !info.hasRun("uv", "sync") && !info.copiesFromStageWith("uv", "sync") {
		w.NoFix = "nothing in the build runs uv sync, so the environment only exists once uv run has created it " +
			"at start; sync in the build first (RUN uv sync --locked --no-dev)"
		return w
	}
	w.Notes = append(w.Notes, "uv run synced the environment at every start, adding the dev dependencies unless "+
		"--no-dev was given; now the container runs what the build installed, so check that the build's uv sync "+
		"installs everything the app needs at run time.")
	if groups {
		w.Notes = append(w.Notes, "The extras and groups named on uv run are no longer installed at start: add them to the build's uv sync if the app needs them.")
	}
	return w
}

var (
	appPoetryFlags    = appSet("-q", "--quiet", "-v", "-vv", "-vvv", "--verbose", "-n", "--no-interaction", "--ansi", "--no-ansi", "--no-plugins", "--no-cache")
	appPoetryBlocking = appSet("-P", "--project", "-C", "--directory")
)

// appPoetryRun reads `poetry [options] run [--] PROG ARGS`.
func appPoetryRun(info *appStageInfo, words []string, lit []bool) *appWrapper {
	w := &appWrapper{Kind: "poetry run", Label: "poetry run"}
	i := 1
	opts := func() bool {
		for i < len(words) && lit[i] && strings.HasPrefix(words[i], "-") && words[i] != "--" {
			name, _, _ := strings.Cut(words[i], "=")
			switch {
			case appPoetryBlocking[name]:
				w.NoFix = "poetry " + name + " changes the project or working directory"
				if !strings.Contains(words[i], "=") {
					i++ // its value
				}
			case !appPoetryFlags[name]:
				w.NoFix = "dockdoc does not know the poetry option " + name
			}
			i++
			if w.NoFix != "" {
				return false
			}
		}
		return true
	}
	ok := opts()
	if i >= len(words) || !lit[i] || words[i] != "run" {
		return nil
	}
	i++
	if ok {
		ok = opts()
	}
	if ok && i < len(words) && lit[i] && words[i] == "--" {
		i++
	}
	w.End = i
	if !ok {
		return w
	}
	if i >= len(words) {
		w.NoFix = "poetry run is given no program"
		return w
	}
	if w.NoFix = appProgWord(words, lit, i, "poetry run"); w.NoFix != "" {
		return w
	}
	w.Resolved = true
	switch {
	case appFalsy(info.Env["POETRY_VIRTUALENVS_CREATE"]) || info.poetryConfig("virtualenvs.create", "false"):
		// installed into the image's Python: the programs are on PATH already
	case appTruthy(info.Env["POETRY_VIRTUALENVS_IN_PROJECT"]) || info.poetryConfig("virtualenvs.in-project", "true"):
		if info.Workdir == "" {
			w.NoFix = "the stage sets no absolute WORKDIR, so dockdoc cannot tell where Poetry keeps the project's .venv"
			return w
		}
		w.PathDir = path.Join(info.Workdir, ".venv", "bin")
	default:
		w.NoFix = "Poetry keeps the virtualenv in its cache under a name made from the project's path and a hash; " +
			"set POETRY_VIRTUALENVS_IN_PROJECT=true in the build (the venv is then <WORKDIR>/.venv) and dockdoc can rewrite this"
		return w
	}
	w.Notes = append(w.Notes, "A [tool.poetry.scripts] command is only on PATH when the build installs the project itself (poetry install without --no-root).")
	return w
}

// poetryConfig reports whether a RUN sets `poetry config key value`.
func (info *appStageInfo) poetryConfig(key, value string) bool {
	for _, c := range info.Runs {
		if c.Name() != "poetry" {
			continue
		}
		if s := c.Sub(); s < 0 || c.Words[s] != "config" {
			continue
		}
		for j := c.Prog + 1; j+1 < len(c.Words); j++ {
			if c.Words[j] == key && (strings.EqualFold(c.Words[j+1], value) || (value == "true" && c.Words[j+1] == "1") || (value == "false" && c.Words[j+1] == "0")) {
				return true
			}
		}
	}
	return false
}

// appPipenvRun reads `pipenv run [--] PROG ARGS`.
func appPipenvRun(info *appStageInfo, words []string, lit []bool) *appWrapper {
	w := &appWrapper{Kind: "pipenv run", Label: "pipenv run"}
	i := 2
	if i < len(words) && lit[i] && words[i] == "--" {
		i++
	}
	w.End = i
	if i >= len(words) {
		w.NoFix = "pipenv run is given no program"
		return w
	}
	if w.NoFix = appProgWord(words, lit, i, "pipenv run"); w.NoFix != "" {
		return w
	}
	w.Resolved = true
	system := false
	for _, c := range info.Runs {
		if s := c.Sub(); c.Name() == "pipenv" && s >= 0 && (c.Words[s] == "install" || c.Words[s] == "sync") && c.HasFlag("--system") {
			system = true
		}
	}
	switch {
	case system:
	case appTruthy(info.Env["PIPENV_VENV_IN_PROJECT"]):
		if info.Workdir == "" {
			w.NoFix = "the stage sets no absolute WORKDIR, so dockdoc cannot tell where pipenv keeps the project's .venv"
			return w
		}
		w.PathDir = path.Join(info.Workdir, ".venv", "bin")
	default:
		w.NoFix = "pipenv keeps the virtualenv under a name made from the project's path and a hash; set " +
			"PIPENV_VENV_IN_PROJECT=1 in the build (the venv is then <WORKDIR>/.venv), or install with --system, and dockdoc can rewrite this"
		return w
	}
	w.Notes = append(w.Notes, "pipenv run also loaded the project's .env file and knew the Pipfile's [scripts]: "+
		"if the app relies on .env, set those variables with ENV or at run time; if the program is a [scripts] name, use its command instead.")
	return w
}

// appNodeScript reads `npm start`, `npm run X [-- ARGS]`, `yarn [run] X ARGS`,
// `pnpm [run] X ARGS` and their exec / dlx forms.
func appNodeScript(d *Document, info *appStageInfo, pm string, words []string, lit []bool, depth int) *appWrapper {
	sub := func(i int) string {
		if i < len(words) && lit[i] {
			return words[i]
		}
		return ""
	}
	var pkg *PackageJSON
	if d.Ctx != nil {
		pkg = d.Ctx.Package
	}
	i := 1
	for sub(i) == "-s" || sub(i) == "--silent" {
		i++
	}
	cmd := sub(i)
	var script string
	switch {
	case cmd == "start":
		script = "start"
		i++
	case cmd == "run" || (pm == "npm" && (cmd == "run-script" || cmd == "rum" || cmd == "urn")):
		script = sub(i + 1)
		if script == "" || strings.HasPrefix(script, "-") {
			return nil
		}
		i += 2
	case cmd == "exec" || (pm == "npm" && cmd == "x") || (pm != "npm" && cmd == "dlx"):
		return appNpx(d, words, lit, i+1, strings.Join(words[:i+1], " "))
	case pm != "npm" && cmd != "" && !strings.HasPrefix(cmd, "-") &&
		((pkg != nil && pkg.Scripts[cmd] != "") || (pkg == nil && appDevScriptNames[cmd])):
		script = cmd
		i++
	default:
		return nil
	}
	w := &appWrapper{Kind: pm, Script: script, Node: true, Label: strings.Join(words[:i], " ")}
	ignoreScripts := false
	for pm == "npm" && (sub(i) == "-s" || sub(i) == "--silent" || sub(i) == "--if-present" || sub(i) == "--ignore-scripts") {
		ignoreScripts = ignoreScripts || sub(i) == "--ignore-scripts"
		i++
	}
	if sub(i) == "--" {
		if pm != "npm" {
			w.NoFix = pm + " may pass `--` on to the script, so dockdoc cannot tell the script's arguments"
		}
		i++
	} else if pm == "npm" {
		for j := i; j < len(words); j++ {
			if !lit[j] || strings.HasPrefix(words[j], "-") {
				w.NoFix = "npm reads options after the script name as its own; dockdoc cannot tell the script's arguments"
			}
		}
	}
	w.End = i
	if w.NoFix != "" {
		return w
	}
	if pkg == nil {
		w.NoFix = "there is no package.json in the build context, so dockdoc cannot read the " + script + " script"
		return w
	}
	body, ok := pkg.Scripts[script]
	if !ok {
		if script != "start" || pm == "yarn" {
			w.NoFix = "package.json has no " + script + " script"
			return w
		}
		body = "node server.js" // what npm and pnpm start run without a start script
		w.Notes = append(w.Notes, "package.json has no start script, so "+pm+" start ran node server.js.")
	}
	if pre := pkg.Scripts["pre"+script]; pre != "" && !ignoreScripts {
		w.NoFix = pm + " first runs the pre" + script + " script (" + pre + "), which running the command directly would skip"
		return w
	}
	if pm == "yarn" && d.Ctx.NodeTool() == "yarn-berry" {
		w.NoFix = "Yarn Berry usually installs with Plug'n'Play (no node_modules) and node only finds the packages when yarn starts it"
		return w
	}
	s := parseScript(body, func(int) int { return 0 })
	var prog []string
	if s != nil && len(s.File.Stmts) == 1 && strings.TrimSpace(body[min(int(s.File.Stmts[0].End().Offset()), len(body)):]) == "" {
		prog, _ = dd002PlainWords(s.File.Stmts[0])
	}
	if len(prog) == 0 {
		w.NoFix = "the " + script + " script (" + body + ") is not one plain command: it uses the shell (&&, variables, VAR=value, quotes dockdoc cannot keep)"
		return w
	}
	if inner := appFindWrapper(d, info, prog, appAllLit(len(prog)), depth+1); inner != nil {
		if !inner.Resolved || inner.NoFix != "" {
			w.NoFix = "the " + script + " script runs " + inner.Label + ": " + inner.NoFix
			return w
		}
		prog = append(append([]string(nil), inner.Prog...), prog[inner.End:]...)
		w.Notes = append(w.Notes, inner.Notes...)
	}
	w.Resolved, w.Prog, w.pkgBin = true, prog, true
	w.Notes = append(w.Notes, "The program no longer gets the npm_* variables the package manager sets, and a "+
		"post"+script+" script no longer runs.")
	return w
}

// appDevScriptNames are script names that by convention start a
// development server.
var appDevScriptNames = appSet("dev", "develop", "serve", "watch")

// appNpx reads `npx [options] PROG ARGS` (and npm exec, pnpm exec, dlx).
func appNpx(d *Document, words []string, lit []bool, i int, label string) *appWrapper {
	w := &appWrapper{Kind: "npx", Label: label, Node: true}
loop:
	for i < len(words) && lit[i] && strings.HasPrefix(words[i], "-") {
		switch words[i] {
		case "-y", "--yes", "--no", "-q", "--quiet":
			i++
		case "--":
			i++
			break loop
		default:
			w.NoFix = "dockdoc does not know the option " + words[i]
			w.End = i + 1
			return w
		}
	}
	w.End = i
	if i >= len(words) || appProgWord(words, lit, i, label) != "" {
		w.NoFix = label + " is given no program dockdoc can read"
		return w
	}
	w.Resolved, w.pkgBin = true, true
	name := words[i]
	switch {
	case strings.HasSuffix(label, "dlx"):
		w.NoFix = label + " downloads the package to a temporary place at every start; add it to dependencies and run its command"
	case d.Ctx == nil || d.Ctx.Package == nil:
		w.NoFix = "there is no package.json in the build context, so dockdoc cannot tell whether " + name + " is installed"
	case d.Ctx.Package.Dependencies[name] == "" && d.Ctx.Package.DevDependencies[name] == "":
		w.NoFix = name + " is not a dependency in package.json, so " + label + " may download it at every start"
	case d.Ctx.NodeTool() == "yarn-berry":
		w.NoFix = "Yarn Berry usually installs with Plug'n'Play (no node_modules/.bin)"
	case d.Ctx.Package.Dependencies[name] == "":
		w.Notes = append(w.Notes, name+" is a devDependency: the final image must install dev dependencies for it to be there.")
	}
	return w
}

// ---- development mode ----

// appDevIssue is a development-mode setting found in the program's words
// P (see appPlan): a flag to drop, a dev server to replace.
type appDevIssue struct {
	At, AtEnd int    // P[At:AtEnd] is what to point at
	Msg       string // the finding's message
	Title     string // the fix's title; "" when there is no mechanical fix
	Edits     []appWordEdit
	Note      string
	Node      bool // a Node.js development server or watcher
	InScript  bool // found in the package.json script a wrapper runs
}

var appPythonRe = regexp.MustCompile(`^python([0-9]+(\.[0-9]+)?)?$`)

// appProgramIndex finds the program in words: the module of `python -m X`,
// the script of `python manage.py`, the command after `bundle exec`.
func appProgramIndex(P []string, lit []bool) (int, string) {
	k := 0
	for k < len(P) && lit[k] {
		b := path.Base(P[k])
		switch {
		case appPythonRe.MatchString(b):
			j := k + 1
			for j < len(P) && lit[j] && strings.HasPrefix(P[j], "-") && P[j] != "-m" && P[j] != "-c" {
				if P[j] == "-X" || P[j] == "-W" {
					j++
				}
				j++
			}
			if j+1 < len(P) && lit[j] && P[j] == "-m" && lit[j+1] {
				return j + 1, P[j+1]
			}
			if j < len(P) && lit[j] && !strings.HasPrefix(P[j], "-") {
				return j, path.Base(P[j])
			}
			return -1, ""
		case b == "bundle" && k+1 < len(P) && lit[k+1] && P[k+1] == "exec":
			k += 2
		case b == "thrust":
			k++
		default:
			if strings.HasSuffix(P[k], "bin/dev") {
				return k, "bin/dev"
			}
			return k, b
		}
	}
	return -1, ""
}

// appSub returns the index of the first literal word after k that is not
// an option (options in valued take the next word), or -1.
func appSub(P []string, lit []bool, k int, valued map[string]bool) int {
	for j := k + 1; j < len(P); j++ {
		if !lit[j] {
			return -1
		}
		if !strings.HasPrefix(P[j], "-") {
			return j
		}
		if valued[P[j]] {
			j++
		}
	}
	return -1
}

// appFlagEdits finds options in P[from:] (stopping at stop, -1 for the
// end): names alone, or valued names with their value (`--x v`, `--x=v`).
func appFlagEdits(P []string, lit []bool, from, stop int, names, valued map[string]bool) (first int, edits []appWordEdit) {
	first = -1
	if stop < 0 {
		stop = len(P)
	}
	for j := from; j < stop; j++ {
		if !lit[j] {
			continue
		}
		name, _, hasVal := strings.Cut(P[j], "=")
		switch {
		case names[P[j]]:
			edits = append(edits, appWordEdit{j, j + 1, nil})
		case valued[name] && hasVal:
			edits = append(edits, appWordEdit{j, j + 1, nil})
		case valued[name] && j+1 < stop:
			edits = append(edits, appWordEdit{j, j + 2, nil})
			j++
		default:
			continue
		}
		if first < 0 && names[P[j]] {
			first = j
		}
	}
	return first, edits
}

var (
	appReloadValued = map[string]map[string]bool{
		"uvicorn":   appSet("--reload-dir", "--reload-include", "--reload-exclude", "--reload-delay"),
		"gunicorn":  appSet("--reload-engine", "--reload-extra-file"),
		"hypercorn": appSet(),
		"fastapi":   appSet(),
	}
	appFlaskValued = appSet("-A", "--app", "-e", "--env-file")
)

// appDevIssues finds the development-mode settings in a program's words.
func appDevIssues(info *appStageInfo, P []string, lit []bool) []appDevIssue {
	k, name := appProgramIndex(P, lit)
	if k < 0 {
		return nil
	}
	var out []appDevIssue
	advice := func(at int, node bool, msg string) {
		out = append(out, appDevIssue{At: at, AtEnd: at + 1, Msg: msg, Node: node})
	}
	reload := func(server string) {
		first, edits := appFlagEdits(P, lit, k+1, -1, appSet("--reload"), appReloadValued[server])
		if first < 0 {
			return
		}
		title := "Drop --reload"
		if len(edits) > 1 {
			title = "Drop --reload and the options that tune it"
		}
		note := "Without --reload the server no longer restarts when a source file changes, and it runs as the " +
			"container's main process instead of as the child of a file watcher."
		if w, _ := appFlagEdits(P, lit, k+1, -1, appSet("--workers", "-w"), nil); w >= 0 && server != "gunicorn" {
			note += " The --workers setting, ignored while reloading, now takes effect."
		}
		out = append(out, appDevIssue{At: first, AtEnd: first + 1, Edits: edits, Title: title, Note: note,
			Msg: server + " --reload watches the source files and restarts the server when they change: a development " +
				"feature that costs CPU and memory and is not meant for production"})
	}
	switch name {
	case "uvicorn", "gunicorn":
		reload(name)
	case "hypercorn":
		reload(name)
		if first, edits := appFlagEdits(P, lit, k+1, -1, appSet("--debug"), nil); first >= 0 {
			out = append(out, appDevIssue{At: first, AtEnd: first + 1, Edits: edits, Title: "Drop --debug",
				Note: "The application no longer runs in debug mode.",
				Msg:  "hypercorn --debug turns on the application's debug mode, which is meant for development"})
		}
	case "fastapi":
		s := appSub(P, lit, k, nil)
		switch {
		case s >= 0 && P[s] == "dev":
			edits := []appWordEdit{{s, s + 1, []string{"run"}}}
			_, more := appFlagEdits(P, lit, s+1, -1, appSet("--reload"), nil)
			out = append(out, appDevIssue{At: s, AtEnd: s + 1, Edits: append(edits, more...), Title: "Use fastapi run instead of fastapi dev",
				Note: "fastapi run does not reload on file changes and listens on 0.0.0.0 unless --host says otherwise " +
					"(fastapi dev listens on 127.0.0.1, which is unreachable from outside the container).",
				Msg: "fastapi dev is the development server: it reloads on every file change and listens on 127.0.0.1; use fastapi run in production"})
		case s >= 0 && P[s] == "run":
			reload("fastapi")
		}
	case "flask":
		if first, edits := appFlagEdits(P, lit, k+1, -1, appSet("--debug", "--debugger", "--reload"), nil); first >= 0 {
			for _, e := range edits {
				flag := P[e.From]
				msg := "flask " + flag + " turns on the in-browser debugger, which runs Python code in the container " +
					"for whoever reaches an error page (behind a PIN that the logs print)"
				if flag == "--reload" {
					msg = "flask --reload restarts the server when a source file changes: a development feature"
				}
				out = append(out, appDevIssue{At: e.From, AtEnd: e.To, Edits: []appWordEdit{e}, Title: "Drop " + flag,
					Note: "Flask no longer runs in debug mode: no interactive debugger, no reloading.", Msg: msg})
			}
		}
		if s := appSub(P, lit, k, appFlaskValued); s >= 0 && P[s] == "run" {
			advice(s, false, "flask run starts Flask's development server, which is not built for production traffic; "+
				"serve the app with a WSGI server such as gunicorn (gunicorn --bind 0.0.0.0:5000 module:app)")
		}
	case "manage.py", "django-admin":
		if s := appSub(P, lit, k, appSet("--settings", "--pythonpath")); s >= 0 && P[s] == "runserver" {
			advice(s, false, "manage.py runserver is Django's development server, not meant for production; serve "+
				"the project with gunicorn (gunicorn project.wsgi) or, for ASGI, uvicorn (uvicorn project.asgi:application)")
		}
	case "nodemon":
		s := k + 1
		if s < len(P) && lit[s] && !strings.HasPrefix(P[s], "-") && appNodeScriptFile(P[s]) {
			out = append(out, appDevIssue{At: k, AtEnd: k + 1, Node: true, Edits: []appWordEdit{{k, k + 1, []string{"node"}}},
				Title: "Run node instead of nodemon",
				Note:  "The program no longer restarts when a file changes or when it crashes; let the container's restart policy handle crashes.",
				Msg:   "nodemon restarts the program whenever a file changes: a development tool, not a production process manager"})
		} else {
			advice(k, true, "nodemon restarts the program whenever a file changes: a development tool; run the program with node")
		}
	case "node":
		stop := k + 1
		for stop < len(P) && lit[stop] && strings.HasPrefix(P[stop], "-") {
			stop++
		}
		if first, edits := appFlagEdits(P, lit, k+1, stop, appSet("--watch", "--watch-preserve-output"), appSet("--watch-path")); len(edits) > 0 {
			if first < 0 {
				first = edits[0].From
			}
			out = append(out, appDevIssue{At: first, AtEnd: first + 1, Node: true, Edits: edits, Title: "Drop --watch",
				Note: "node no longer restarts the program when a file changes.",
				Msg:  "node --watch restarts the program whenever a file changes: a development feature"})
		}
	case "next", "nuxt", "nuxi", "astro", "remix", "svelte-kit":
		if s := appSub(P, lit, k, nil); s >= 0 && P[s] == "dev" {
			advice(s, true, name+" dev is the development server (on-demand compilation, hot reloading); build the app "+
				"in the image ("+name+" build) and start the production server ("+appProdServer[name]+")")
		}
	case "vite":
		s := appSub(P, lit, k, nil)
		if s < 0 || P[s] == "dev" || P[s] == "serve" || P[s] == "preview" {
			advice(k, true, "vite's dev and preview servers are not meant for production; build the app (vite build) "+
				"and serve the output with a web server or the framework's production server")
		}
	case "ts-node-dev", "tsnd":
		advice(k, true, name+" restarts the program whenever a file changes and compiles TypeScript at start; compile in "+
			"the build (tsc) and run the output with node")
	case "tsx":
		if s := appSub(P, lit, k, nil); s >= 0 && P[s] == "watch" {
			advice(s, true, "tsx watch restarts the program whenever a file changes; compile in the build and run the output with node")
		}
	case "webpack-dev-server":
		advice(k, true, "webpack-dev-server is a development server; build the bundle in the image and serve it with a web server")
	case "webpack":
		if s := appSub(P, lit, k, nil); s >= 0 && P[s] == "serve" {
			advice(s, true, "webpack serve is a development server; build the bundle in the image and serve it with a web server")
		}
	case "react-scripts", "vue-cli-service", "ng", "gatsby":
		if s := appSub(P, lit, k, nil); s >= 0 && (P[s] == "start" || P[s] == "serve" || P[s] == "develop") {
			advice(s, true, name+" "+P[s]+" is a development server; build the app in the image and serve the output with a web server")
		}
	case "nest":
		if s := appSub(P, lit, k, nil); s >= 0 && P[s] == "start" {
			if w, _ := appFlagEdits(P, lit, s+1, -1, appSet("--watch", "-w"), nil); w >= 0 {
				advice(w, true, "nest start --watch recompiles and restarts on every file change; build in the image "+
					"(nest build) and run node dist/main.js")
			}
		}
	case "rails":
		if s := appSub(P, lit, k, appSet("-e", "--environment")); s >= 0 && (P[s] == "s" || P[s] == "server") && !appRailsProduction(info, P, lit, s) {
			advice(s, false, "rails server runs in the development environment unless RAILS_ENV is production: code "+
				"reloading, detailed error pages, no caching; set ENV RAILS_ENV=production in the final stage "+
				"(with the assets precompiled and a secret key provided at run time)")
		}
	case "bin/dev":
		advice(k, false, "bin/dev starts the development processes (Procfile.dev); run ./bin/rails server with RAILS_ENV=production")
	case "dotnet":
		if s := appSub(P, lit, k, nil); s >= 0 && P[s] == "watch" {
			advice(s, false, "dotnet watch rebuilds and restarts the app on every file change; publish in a builder stage "+
				"(dotnet publish) and run the published app")
		}
	}
	return out
}

// appProdServer names the production start command of a framework.
var appProdServer = map[string]string{
	"next": "next start", "nuxt": "node .output/server/index.mjs", "nuxi": "node .output/server/index.mjs",
	"astro": "node ./dist/server/entry.mjs with the Node adapter", "remix": "remix-serve build",
	"svelte-kit": "node build with adapter-node",
}

// appNodeScriptFile reports whether nodemon's argument is a file node runs
// as is (JavaScript, or no extension).
func appNodeScriptFile(f string) bool {
	b := path.Base(f)
	ext := path.Ext(b)
	return ext == "" || ext == ".js" || ext == ".mjs" || ext == ".cjs"
}

// appRailsProduction reports whether rails server runs in production: an
// -e/--environment flag or RAILS_ENV/RACK_ENV in the environment.
func appRailsProduction(info *appStageInfo, P []string, lit []bool, s int) bool {
	for j := s + 1; j < len(P); j++ {
		if !lit[j] {
			continue
		}
		switch {
		case (P[j] == "-e" || P[j] == "--environment") && j+1 < len(P):
			return P[j+1] == "production"
		case strings.HasPrefix(P[j], "--environment="):
			return strings.TrimPrefix(P[j], "--environment=") == "production"
		case strings.HasPrefix(P[j], "-e") && len(P[j]) > 2 && !strings.HasPrefix(P[j], "--"):
			return P[j][2:] == "production"
		}
	}
	if v, ok := info.Env["RAILS_ENV"]; ok {
		return v == "production"
	}
	return info.Env["RACK_ENV"] == "production"
}

// ---- the plan: wrapper + dev mode, and the command they converge to ----

// appPlan is the analysis of a stage's main command shared by DD021 and
// DD022.
type appPlan struct {
	Cmd  *appCmd
	Info *appStageInfo
	Wrap *appWrapper // nil when the program is started directly
	// P is the real program's words: Wrap.Prog followed by
	// Cmd.Words[Wrap.End:] (Cmd.Words without a wrapper); nil when the
	// wrapper's program is unknown. P[:nProg] comes from the wrapper.
	P     []string
	PLit  []bool
	nProg int
	Dev   []appDevIssue
	// start is the start script's command, used instead of a dev script's
	// hardened command (npm run dev → what npm start runs).
	start []string
}

// appPlanFor analyses the main command of stage st, or returns nil.
func appPlanFor(d *Document, st *Stage) *appPlan {
	c := appMainCommand(d, st)
	if c == nil {
		return nil
	}
	pl := &appPlan{Cmd: c, Info: appInfo(d, c.In.Stage)}
	w := appFindWrapper(d, pl.Info, c.Words, c.Lit, 0)
	pl.Wrap = w
	switch {
	case w == nil:
		pl.P, pl.PLit = c.Words, c.Lit
	case w.Resolved:
		pl.nProg = len(w.Prog)
		pl.P = append(append([]string(nil), w.Prog...), c.Words[w.End:]...)
		pl.PLit = append(appAllLit(len(w.Prog)), c.Lit[w.End:]...)
	}
	if pl.P == nil {
		return pl
	}
	dev := appDevIssues(pl.Info, pl.P, pl.PLit)
	if w == nil {
		pl.Dev = dev
		return pl
	}
	for _, is := range dev {
		if is.At < pl.nProg {
			if w.Script == "" {
				continue // in words dockdoc wrote itself (python -m): nothing to report
			}
			is.InScript = true
		}
		pl.Dev = append(pl.Dev, is)
	}
	for _, is := range pl.Dev {
		// (npx's own objection, a package it may download, no longer
		// matters once DD022 has made the program plain node)
		if is.Node && (w.NoFix == "" || (w.Kind == "npx" && !strings.HasSuffix(w.Label, "dlx"))) {
			w.NoFix = "it starts a development server or watcher (see DD022), which has to be replaced, not just unwrapped"
			w.DevOnly = true
		}
	}
	// npm run dev whose script only needs a fix: prefer what npm start runs.
	if w.Script != "" && w.Script != "start" && d.Ctx != nil && d.Ctx.Package != nil {
		if s := parseScript(d.Ctx.Package.Scripts["start"], func(int) int { return 0 }); s != nil && len(s.File.Stmts) == 1 {
			if words, ok := dd002PlainWords(s.File.Stmts[0]); ok && path.Base(words[0]) == "node" &&
				len(appDevIssues(pl.Info, words, appAllLit(len(words)))) == 0 {
				pl.start = words
			}
		}
	}
	if w.NoFix == "" && w.pkgBin {
		if hp, ok := pl.hardenedP(); ok && len(hp) > 0 && path.Base(hp[0]) != "node" {
			if pl.Info.Workdir == "" {
				w.NoFix = "the stage sets no absolute WORKDIR, so dockdoc cannot tell where node_modules/.bin is"
			} else {
				w.PathDir = path.Join(pl.Info.Workdir, "node_modules", ".bin")
			}
		}
	}
	return pl
}

// devEdits returns the edits of every dev issue that has a fix, split into
// those inside the wrapper's program (P[:nProg]) and the others.
func (pl *appPlan) devEdits() (inProg, rest []appWordEdit) {
	for _, is := range pl.Dev {
		if is.Title == "" {
			continue
		}
		for _, e := range is.Edits {
			switch {
			case e.To <= pl.nProg:
				inProg = append(inProg, e)
			case e.From >= pl.nProg:
				rest = append(rest, e)
			}
		}
	}
	return inProg, rest
}

// hardenedProg is the wrapper's program part with its dev fixes applied
// (or the start script's command, for a dev script).
func (pl *appPlan) hardenedProg() ([]string, bool) {
	in, _ := pl.devEdits()
	if len(in) > 0 && pl.start != nil {
		return pl.start, true
	}
	return appApplyWords(pl.P[:pl.nProg], in)
}

// hardenedP is P with every dev fix applied.
func (pl *appPlan) hardenedP() ([]string, bool) {
	prog, ok := pl.hardenedProg()
	if !ok {
		return nil, false
	}
	_, rest := pl.devEdits()
	tail, ok := appApplyWords(pl.P, rest)
	if !ok {
		return nil, false
	}
	return append(append([]string(nil), prog...), tail[pl.nProg:]...), true
}

// toWords maps edits on P (at or after nProg) to edits on Cmd.Words.
func (pl *appPlan) toWords(edits []appWordEdit) []appWordEdit {
	off := 0
	if pl.Wrap != nil {
		off = pl.Wrap.End - pl.nProg
	}
	out := make([]appWordEdit, len(edits))
	for i, e := range edits {
		out[i] = appWordEdit{e.From + off, e.To + off, e.New}
	}
	return out
}

// dropsWrapperByDev reports whether DD022's fixes replace the wrapper: a
// Node launcher whose dev program becomes plain node (npm run dev with
// nodemon server.js → node server.js).
func (pl *appPlan) dropsWrapperByDev() bool {
	w := pl.Wrap
	if w == nil || !w.DevOnly || !w.Node || !w.Resolved {
		return false
	}
	for _, is := range pl.Dev {
		if is.Node && is.Title == "" {
			return false
		}
	}
	hp, ok := pl.hardenedP()
	return ok && len(hp) > 0 && path.Base(hp[0]) == "node"
}

// convergedEdits are the edits on Cmd.Words that DD021's and DD022's
// fixes add up to, whatever their order, and the directory to put on PATH.
func (pl *appPlan) convergedEdits() ([]appWordEdit, string, bool) {
	w := pl.Wrap
	switch {
	case w == nil:
		_, rest := pl.devEdits()
		return rest, "", true
	case w.NoFix == "" || pl.dropsWrapperByDev():
		prog, ok := pl.hardenedProg()
		if !ok {
			return nil, "", false
		}
		_, rest := pl.devEdits()
		edits := append([]appWordEdit{{w.Start, w.End, prog}}, pl.toWords(rest)...)
		if _, ok := appMergeEdits(edits); !ok {
			return nil, "", false
		}
		dir := w.PathDir
		if w.NoFix != "" {
			dir = ""
		}
		return edits, dir, true
	}
	return nil, "", false
}

// appHardened is the start command as dockdoc's fixes leave it.
type appHardened struct {
	In      *Instruction // the CMD or ENTRYPOINT it comes from
	Words   []string     // the whole exec-form array (an init such as tini -- included)
	PathDir string       // a directory the command needs on PATH ("" none)
	Changed bool         // the words differ from the command as written
}

// hardenedAppCommand returns the command the final stage st starts with,
// as DD021 (wrapper stripped) and DD022 (development flags dropped) leave
// it, in exec form, and the directory that must go on PATH for it. ok is
// false when there is no command, when it needs a shell (variables,
// `a && b`) and is not already a /bin/sh -c array, or when a wrapper or dev
// server is in the way that dockdoc cannot replace (go run, next dev, a
// package.json script it cannot read).
func hardenedAppCommand(d *Document, st *Stage) (appHardened, bool) {
	pl := appPlanFor(d, st)
	if pl == nil {
		return appHardened{}, false
	}
	c := pl.Cmd
	edits, dir, ok := pl.convergedEdits()
	if !ok {
		return appHardened{}, false
	}
	h := appHardened{In: c.In, PathDir: dir, Changed: len(edits) > 0}
	switch c.Form {
	case appExec:
		words, ok := appApplyWords(c.Words, edits)
		if !ok {
			return appHardened{}, false
		}
		h.Words = append(append([]string(nil), c.elems[:c.first]...), words...)
	case appShell:
		words, ok := appApplyWords(c.Words, edits)
		if !ok || !c.Plain {
			return appHardened{}, false
		}
		h.Words = append(append([]string(nil), c.prefix...), words...)
	case appShellC:
		words, ok := c.shellCWords(edits)
		if !ok {
			return appHardened{}, false
		}
		h.Words = words
	}
	if len(h.Words) == 0 {
		return appHardened{}, false
	}
	// Stripping a launcher may uncover another one (uv run yarn dev): the
	// fixes would need more rounds, and may not get anywhere. Not ok.
	if h.Changed && pl.Wrap != nil {
		words, lit := appMainWordsOf(h.Words)
		if appFindWrapper(d, pl.Info, words, lit, 0) != nil {
			return appHardened{}, false
		}
	}
	return h, true
}

// appMainWordsOf returns the program words of an exec-form array: after an
// init, or the main command of a /bin/sh -c script.
func appMainWordsOf(arr []string) ([]string, []bool) {
	if len(arr) >= 3 && appShells[path.Base(arr[0])] && arr[1] == "-c" {
		s := parseScript(arr[2], func(int) int { return 0 })
		if s == nil {
			return nil, nil
		}
		call, i, ok := appMainCall(s)
		if !ok {
			return nil, nil
		}
		var words []string
		var lit []bool
		for _, w := range call.Args[i:] {
			v, ok := LiteralWord(w)
			words, lit = append(words, v), append(lit, ok)
		}
		return words, lit
	}
	words := arr[appSkipInit(arr):]
	return words, appAllLit(len(words))
}

// normalizedAppCommand returns the exec-form words the final stage st
// should start with: its CMD or ENTRYPOINT with the wrapper stripped (uv
// run, poetry run, npm start, ...) and development flags dropped
// (--reload, --debug, nodemon → node), exactly as DD021 and DD022 leave
// it. ok is false when there is no command or dockdoc cannot determine it
// (see hardenedAppCommand, which also says what must go on PATH).
func normalizedAppCommand(d *Document, st *Stage) (words []string, ok bool) {
	h, ok := hardenedAppCommand(d, st)
	if !ok {
		return nil, false
	}
	return h.Words, true
}
