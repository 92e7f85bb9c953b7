package buildvars

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// IsPlatformArg reports whether name is one of BuildKit's automatic
// platform arguments.
func IsPlatformArg(name string) bool {
	for _, kv := range platformArgs {
		if kv[0] == name {
			return true
		}
	}
	return false
}

// NonEnvArgs are ARGs BuildKit never puts in the environment and never
// reports as undefined (convert.go nonEnvArgs).
var NonEnvArgs = map[string]bool{"BUILDKIT_SBOM_SCAN_CONTEXT": true, "BUILDKIT_SBOM_SCAN_STAGE": true}

// Env is a static environment for BuildKit's shell lexer.
type Env struct {
	vals map[string]string
}

// NewEnv returns an empty environment.
func NewEnv() *Env { return &Env{vals: map[string]string{}} }

// Get returns the value of k and whether it is set.
func (e *Env) Get(k string) (string, bool) {
	v, ok := e.vals[k]
	return v, ok
}

// Keys lists the set names, sorted.
func (e *Env) Keys() []string {
	ks := make([]string, 0, len(e.vals))
	for k := range e.vals {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Set sets k to v.
func (e *Env) Set(k, v string) { e.vals[k] = v }

// Clone returns a copy that can change without changing e.
func (e *Env) Clone() *Env {
	c := NewEnv()
	for k, v := range e.vals {
		c.vals[k] = v
	}
	return c
}

var _ shell.EnvGetter = (*Env)(nil)

// Expansion is the result of expanding one word the way BuildKit does.
type Expansion struct {
	Result    string
	Matched   map[string]struct{}
	Unmatched map[string]struct{}
}

// Expand expands word with BuildKit's own lexer. ok is false when the
// lexer rejects the word (BuildKit would fail the build there).
func Expand(word string, env *Env, esc byte) (Expansion, bool) {
	lex := shell.NewLex(rune(esc))
	r, err := lex.ProcessWordWithMatches(word, env)
	if err != nil {
		return Expansion{}, false
	}
	return Expansion{Result: r.Result, Matched: r.Matched, Unmatched: r.Unmatched}, true
}

// ExpandRaw expands a heredoc body the way COPY/ADD do (quotes kept,
// backslash escape).
func ExpandRaw(body string, env *Env) (Expansion, bool) {
	lex := shell.NewLex('\\')
	lex.SkipProcessQuotes = true
	r, err := lex.ProcessWordWithMatches(body, env)
	if err != nil {
		return Expansion{}, false
	}
	return Expansion{Result: r.Result, Matched: r.Matched, Unmatched: r.Unmatched}, true
}

// arg is one NAME[=default] of an ARG instruction.
type arg struct {
	Key   string
	Value *string // raw default, quotes kept; nil when none
}

// Args lists the arguments of an ARG node (its own node, or the
// trigger node of an ONBUILD ARG).
func Args(n *parser.Node) []arg {
	var out []arg
	for a := n.Next; a != nil; a = a.Next {
		k, v, ok := strings.Cut(a.Value, "=")
		arg := arg{Key: k}
		if ok {
			arg.Value = &v
		}
		out = append(out, arg)
	}
	return out
}

// pair is one key/value of an ENV or LABEL node (raw, quotes kept).
type pair struct{ Key, Value string }

// Pairs lists the pairs of an ENV or LABEL node: the parser stores them
// as key, value, separator triples.
func Pairs(n *parser.Node) []pair {
	var out []pair
	for k := n.Next; k != nil && k.Next != nil; {
		out = append(out, pair{Key: k.Value, Value: k.Next.Value})
		k = k.Next.Next
		if k != nil {
			k = k.Next
		}
	}
	return out
}

// Trigger returns the node an instruction carries out: itself, or the
// trigger of an ONBUILD (onbuild is then true).
func Trigger(in *diagnose.Instruction) (n *parser.Node, onbuild bool) {
	if in.Keyword != "onbuild" {
		return in.Node, false
	}
	if in.Node.Next == nil || len(in.Node.Next.Children) != 1 {
		return nil, true
	}
	return in.Node.Next.Children[0], true
}

// Global is the ARG scope of FROM lines: BuildKit's platform arguments
// plus the ARGs before the first FROM, with their defaults.
type Global struct {
	Env  *Env                             // names with a value (defaults only)
	Keys map[string]bool                  // every declared name, with or without a value
	Decl map[string]*diagnose.Instruction // the ARG that declares each name
	Args []*diagnose.Instruction          // the global ARG instructions, in order
}

// Globals builds the global ARG scope of d, as BuildKit does when no
// --build-arg is given.
func Globals(d *diagnose.Document) *Global {
	g := &Global{Env: NewEnv(), Keys: map[string]bool{}, Decl: map[string]*diagnose.Instruction{}}
	for _, kv := range platformArgs {
		g.Env.Set(kv[0], kv[1])
		g.Keys[kv[0]] = true
	}
	for _, in := range d.Instructions {
		if in.Stage != nil {
			break
		}
		if in.Keyword != "arg" {
			continue
		}
		g.Args = append(g.Args, in)
		for _, a := range Args(in.Node) {
			g.Keys[a.Key] = true
			if _, ok := g.Decl[a.Key]; !ok {
				g.Decl[a.Key] = in
			}
			if a.Value == nil {
				continue
			}
			x, ok := Expand(*a.Value, g.Env, d.Escape)
			if !ok {
				continue
			}
			g.Env.Set(a.Key, x.Result)
		}
	}
	return g
}

// isNameByte reports whether c can be part of a variable name.
func isNameByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= utf8.RuneSelf
}

// FindVar finds the first reference to variable name in s at or after
// offset from: `$name` (not followed by a name character) or `${name`
// followed by `}` or a modifier. The span covers `$name` or `${name}`
// (`${name` when a modifier follows).
func FindVar(s, name string, from int) (diagnose.Span, bool) {
	for i := from; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		if i > 0 && s[i-1] == '\\' {
			continue
		}
		j := i + 1
		brace := j < len(s) && s[j] == '{'
		if brace {
			j++
		}
		if !strings.HasPrefix(s[j:], name) {
			continue
		}
		k := j + len(name)
		if brace {
			if k < len(s) && s[k] == '}' {
				return diagnose.Span{Start: i, End: k + 1}, true
			}
			if k < len(s) && strings.IndexByte(":-+?#%/", s[k]) >= 0 {
				return diagnose.Span{Start: i, End: k}, true
			}
			continue
		}
		if k < len(s) && isNameByte(s[k]) {
			continue
		}
		return diagnose.Span{Start: i, End: k}, true
	}
	return diagnose.Span{}, false
}

// Flag finds a `--name=value` flag word of an instruction (the flags
// come before the arguments) and returns its value and the logical span of
// the value.
func Flag(in *diagnose.Instruction, name string) (string, diagnose.Span, bool) {
	ws := in.Words()
	for _, w := range ws[1:] {
		if !strings.HasPrefix(w.Text, "--") {
			break
		}
		if v, ok := strings.CutPrefix(w.Text, "--"+name+"="); ok {
			return v, diagnose.Span{Start: w.Span.End - len(v), End: w.Span.End}, true
		}
	}
	return "", diagnose.Span{}, false
}

// FlagWord finds a `--name=...` flag word of an instruction.
func FlagWord(in *diagnose.Instruction, name string) (diagnose.Word, bool) {
	ws := in.Words()
	for _, w := range ws[1:] {
		if !strings.HasPrefix(w.Text, "--") {
			break
		}
		if strings.HasPrefix(w.Text, "--"+name+"=") {
			return w, true
		}
	}
	return diagnose.Word{}, false
}

// SrcIs reports whether the Src bytes of a logical span of in are
// exactly text (the span does not cross a line continuation), so an edit
// replacing it is exact.
func SrcIs(d *diagnose.Document, in *diagnose.Instruction, s diagnose.Span, text string) (diagnose.Span, bool) {
	o := in.OrigSpan(s)
	if o.End > len(d.Src) || o.Start > o.End || string(d.Src[o.Start:o.End]) != text {
		return o, false
	}
	return o, true
}

// The grammar of image references (github.com/distribution/reference),
// which BuildKit uses to validate FROM.
var (
	refPath   = `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
	refDomain = `(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?`
	refRe     = regexp.MustCompile(`^((?:` + refDomain + `/)?` + refPath + `(?:/` + refPath + `)*)` +
		`(?::([\w][\w.-]{0,127}))?` +
		`(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`)
	hex64 = regexp.MustCompile(`^[a-f0-9]{64}$`)
)

// ValidImageRef reports whether s is an image reference Docker accepts
// (reference.ParseNormalizedNamed succeeds).
func ValidImageRef(s string) bool {
	if s == "" || hex64.MatchString(s) {
		return false
	}
	remainder := s
	if i := strings.IndexByte(s, '/'); i >= 0 {
		host := s[:i]
		if strings.ContainsAny(host, ".:") || host == "localhost" || strings.ToLower(host) != host {
			remainder = s[i+1:]
		}
	}
	// Only the repository name must be lower case; a tag may hold upper
	// case ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}), as ParseNormalizedNamed
	// checks the remainder up to its first colon.
	name, _, _ := strings.Cut(remainder, ":")
	if strings.ToLower(name) != name {
		return false
	}
	m := refRe.FindStringSubmatch(s)
	if m == nil || len(m[1]) > 255 {
		return false
	}
	if dg := m[3]; dg != "" {
		alg, hex, _ := strings.Cut(dg, ":")
		switch alg {
		case "sha256":
			return len(hex) == 64 && strings.ToLower(hex) == hex
		case "sha384":
			return len(hex) == 96 && strings.ToLower(hex) == hex
		case "sha512":
			return len(hex) == 128 && strings.ToLower(hex) == hex
		default:
			return false
		}
	}
	return true
}

// CommentBlock returns the comment lines directly above instruction in
// (no blank line between them, after the previous instruction), as
// BuildKit's parser keeps them, trimmed of `#` and spaces; a bare `#` line
// ends the block. Parser directives and suppression pragmas (`# check=`,
// `# dockdoc ...`, `# hadolint ...`) are left out. lines holds the 1-based
// line of each kept comment.
func CommentBlock(d *diagnose.Document, in *diagnose.Instruction) (texts []string, lines []int) {
	lo := 1
	if in.Index > 0 {
		lo = d.Instructions[in.Index-1].EndLine + 1
	}
	directive := map[int]bool{}
	for _, dir := range d.Directives {
		directive[dir.Line] = true
	}
	for l := in.StartLine - 1; l >= lo; l-- {
		t := strings.TrimSpace(d.Line(l))
		if !strings.HasPrefix(t, "#") || directive[l] {
			break
		}
		t = strings.TrimSpace(t[1:])
		if t == "" {
			break
		}
		if isPragma(t) {
			continue
		}
		texts = append([]string{t}, texts...)
		lines = append([]int{l}, lines...)
	}
	return texts, lines
}

// isPragma reports whether a comment's text (after `#`) is a checker
// pragma rather than prose.
func isPragma(t string) bool {
	low := strings.ToLower(t)
	for _, p := range []string{"check=", "dockdoc ", "dockdoc:", "hadolint ", "hadolint:", "syntax=", "escape="} {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	return false
}

// DeclaredGlobally reports whether a global ARG declares name (not just
// BuildKit's automatic platform arguments).
func (g *Global) DeclaredGlobally(name string) bool { return g.Decl[name] != nil }
