package diagnose

// Shared helpers of DD069–DD080, the BuildKit checks that BuildKit only runs
// while converting a Dockerfile to LLB. They re-create, statically, the bits
// of BuildKit's dockerfile2llb that those checks look at: the global ARG
// scope of FROM lines, the variables a stage has defined at each
// instruction, the words BuildKit expands, platform strings and image
// references. Every name here starts with bkc so it cannot clash with other
// rules' helpers.

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// bkcPlatformArgs are the build arguments BuildKit defines for FROM lines
// without any ARG (platform.go defaultArgs), with the values of a
// linux/amd64 build. Inside a stage they are only set after `ARG NAME`.
var bkcPlatformArgs = [][2]string{
	{"BUILDPLATFORM", "linux/amd64"},
	{"BUILDOS", "linux"},
	{"BUILDOSVERSION", ""},
	{"BUILDARCH", "amd64"},
	{"BUILDVARIANT", ""},
	{"TARGETPLATFORM", "linux/amd64"},
	{"TARGETOS", "linux"},
	{"TARGETOSVERSION", ""},
	{"TARGETARCH", "amd64"},
	{"TARGETVARIANT", ""},
	{"TARGETSTAGE", "default"},
}

// bkcIsPlatformArg reports whether name is one of BuildKit's automatic
// platform arguments.
func bkcIsPlatformArg(name string) bool {
	for _, kv := range bkcPlatformArgs {
		if kv[0] == name {
			return true
		}
	}
	return false
}

// bkcNonEnvArgs are ARGs BuildKit never puts in the environment and never
// reports as undefined (convert.go nonEnvArgs).
var bkcNonEnvArgs = map[string]bool{"BUILDKIT_SBOM_SCAN_CONTEXT": true, "BUILDKIT_SBOM_SCAN_STAGE": true}

// bkcEnv is a static environment for BuildKit's shell lexer.
type bkcEnv struct {
	vals map[string]string
}

func newBkcEnv() *bkcEnv { return &bkcEnv{vals: map[string]string{}} }

func (e *bkcEnv) Get(k string) (string, bool) {
	v, ok := e.vals[k]
	return v, ok
}

func (e *bkcEnv) Keys() []string {
	ks := make([]string, 0, len(e.vals))
	for k := range e.vals {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (e *bkcEnv) set(k, v string) { e.vals[k] = v }

func (e *bkcEnv) clone() *bkcEnv {
	c := newBkcEnv()
	for k, v := range e.vals {
		c.vals[k] = v
	}
	return c
}

var _ shell.EnvGetter = (*bkcEnv)(nil)

// bkcExpansion is the result of expanding one word the way BuildKit does.
type bkcExpansion struct {
	Result    string
	Matched   map[string]struct{}
	Unmatched map[string]struct{}
}

// bkcExpand expands word with BuildKit's own lexer. ok is false when the
// lexer rejects the word (BuildKit would fail the build there).
func bkcExpand(word string, env *bkcEnv, esc byte) (bkcExpansion, bool) {
	lex := shell.NewLex(rune(esc))
	r, err := lex.ProcessWordWithMatches(word, env)
	if err != nil {
		return bkcExpansion{}, false
	}
	return bkcExpansion{Result: r.Result, Matched: r.Matched, Unmatched: r.Unmatched}, true
}

// bkcExpandRaw expands a heredoc body the way COPY/ADD do (quotes kept,
// backslash escape).
func bkcExpandRaw(body string, env *bkcEnv) (bkcExpansion, bool) {
	lex := shell.NewLex('\\')
	lex.SkipProcessQuotes = true
	r, err := lex.ProcessWordWithMatches(body, env)
	if err != nil {
		return bkcExpansion{}, false
	}
	return bkcExpansion{Result: r.Result, Matched: r.Matched, Unmatched: r.Unmatched}, true
}

// bkcArg is one NAME[=default] of an ARG instruction.
type bkcArg struct {
	Key   string
	Value *string // raw default, quotes kept; nil when none
}

// bkcArgs lists the arguments of an ARG node (its own node, or the
// trigger node of an ONBUILD ARG).
func bkcArgs(n *parser.Node) []bkcArg {
	var out []bkcArg
	for a := n.Next; a != nil; a = a.Next {
		k, v, ok := strings.Cut(a.Value, "=")
		arg := bkcArg{Key: k}
		if ok {
			arg.Value = &v
		}
		out = append(out, arg)
	}
	return out
}

// bkcPair is one key/value of an ENV or LABEL node (raw, quotes kept).
type bkcPair struct{ Key, Value string }

// bkcPairs lists the pairs of an ENV or LABEL node: the parser stores them
// as key, value, separator triples.
func bkcPairs(n *parser.Node) []bkcPair {
	var out []bkcPair
	for k := n.Next; k != nil && k.Next != nil; {
		out = append(out, bkcPair{Key: k.Value, Value: k.Next.Value})
		k = k.Next.Next
		if k != nil {
			k = k.Next
		}
	}
	return out
}

// bkcTrigger returns the node an instruction carries out: itself, or the
// trigger of an ONBUILD (onbuild is then true).
func bkcTrigger(in *Instruction) (n *parser.Node, onbuild bool) {
	if in.Keyword != "onbuild" {
		return in.Node, false
	}
	if in.Node.Next == nil || len(in.Node.Next.Children) != 1 {
		return nil, true
	}
	return in.Node.Next.Children[0], true
}

// bkcGlobal is the ARG scope of FROM lines: BuildKit's platform arguments
// plus the ARGs before the first FROM, with their defaults.
type bkcGlobal struct {
	Env  *bkcEnv                 // names with a value (defaults only)
	Keys map[string]bool         // every declared name, with or without a value
	Decl map[string]*Instruction // the ARG that declares each name
	Args []*Instruction          // the global ARG instructions, in order
}

// bkcGlobals builds the global ARG scope of d, as BuildKit does when no
// --build-arg is given.
func bkcGlobals(d *Document) *bkcGlobal {
	g := &bkcGlobal{Env: newBkcEnv(), Keys: map[string]bool{}, Decl: map[string]*Instruction{}}
	for _, kv := range bkcPlatformArgs {
		g.Env.set(kv[0], kv[1])
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
		for _, a := range bkcArgs(in.Node) {
			g.Keys[a.Key] = true
			if _, ok := g.Decl[a.Key]; !ok {
				g.Decl[a.Key] = in
			}
			if a.Value == nil {
				continue
			}
			x, ok := bkcExpand(*a.Value, g.Env, d.Escape)
			if !ok {
				continue
			}
			g.Env.set(a.Key, x.Result)
		}
	}
	return g
}

// bkcSortedKeys returns the keys of a set, sorted.
func bkcSortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// bkcSuggest is BuildKit's did-you-mean (util/suggest.Search): the option
// closest to val by edit distance, if that distance is below 3, and
// nothing when val itself is an option.
func bkcSuggest(val string, options []string, caseSensitive bool) string {
	orig := val
	if !caseSensitive {
		val = strings.ToLower(val)
	}
	match := ""
	best := 3
	for _, opt := range options {
		o := opt
		if !caseSensitive {
			o = strings.ToLower(o)
		}
		if o == val {
			return ""
		}
		if dist := bkcLevenshtein(val, o); dist < best {
			match, best = opt, dist
		}
	}
	if match != "" && !caseSensitive {
		switch {
		case orig == strings.ToLower(orig):
			match = strings.ToLower(match)
		case orig == strings.ToUpper(orig):
			match = strings.ToUpper(match)
		}
	}
	return match
}

// bkcLevenshtein is the plain edit distance (insertions, deletions and
// substitutions of runes, each costing 1).
func bkcLevenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// bkcIsNameByte reports whether c can be part of a variable name.
func bkcIsNameByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= utf8.RuneSelf
}

// bkcFindVar finds the first reference to variable name in s at or after
// offset from: `$name` (not followed by a name character) or `${name`
// followed by `}` or a modifier. The span covers `$name` or `${name}`
// (`${name` when a modifier follows).
func bkcFindVar(s, name string, from int) (Span, bool) {
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
				return Span{i, k + 1}, true
			}
			if k < len(s) && strings.IndexByte(":-+?#%/", s[k]) >= 0 {
				return Span{i, k}, true
			}
			continue
		}
		if k < len(s) && bkcIsNameByte(s[k]) {
			continue
		}
		return Span{i, k}, true
	}
	return Span{}, false
}

// bkcFlag finds a `--name=value` flag word of an instruction (the flags
// come before the arguments) and returns its value and the logical span of
// the value.
func bkcFlag(in *Instruction, name string) (string, Span, bool) {
	ws := in.Words()
	for _, w := range ws[1:] {
		if !strings.HasPrefix(w.Text, "--") {
			break
		}
		if v, ok := strings.CutPrefix(w.Text, "--"+name+"="); ok {
			return v, Span{w.Span.End - len(v), w.Span.End}, true
		}
	}
	return "", Span{}, false
}

// bkcFlagWord finds a `--name=...` flag word of an instruction.
func bkcFlagWord(in *Instruction, name string) (Word, bool) {
	ws := in.Words()
	for _, w := range ws[1:] {
		if !strings.HasPrefix(w.Text, "--") {
			break
		}
		if strings.HasPrefix(w.Text, "--"+name+"=") {
			return w, true
		}
	}
	return Word{}, false
}

// bkcSrcIs reports whether the Src bytes of a logical span of in are
// exactly text (the span does not cross a line continuation), so an edit
// replacing it is exact.
func bkcSrcIs(d *Document, in *Instruction, s Span, text string) (Span, bool) {
	o := in.OrigSpan(s)
	if o.End > len(d.Src) || o.Start > o.End || string(d.Src[o.Start:o.End]) != text {
		return o, false
	}
	return o, true
}

// bkcPlatform is a parsed platform string (containerd's platforms.Parse,
// normalised, for linux/amd64 builders).
type bkcPlatform struct{ OS, Arch, Variant string }

var bkcPlatformPart = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

var bkcKnownOS = map[string]bool{
	"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true, "hurd": true,
	"illumos": true, "ios": true, "js": true, "linux": true, "nacl": true, "netbsd": true, "openbsd": true,
	"plan9": true, "solaris": true, "wasip1": true, "windows": true, "zos": true,
}

var bkcKnownArch = map[string]bool{
	"386": true, "amd64": true, "amd64p32": true, "arm": true, "armbe": true, "arm64": true, "arm64be": true,
	"loong64": true, "mips": true, "mipsle": true, "mips64": true, "mips64le": true, "mips64p32": true,
	"mips64p32le": true, "ppc": true, "ppc64": true, "ppc64le": true, "riscv": true, "riscv64": true,
	"s390": true, "s390x": true, "sparc": true, "sparc64": true, "wasm": true,
}

// bkcNormalizeArch maps the usual aliases to Go's architecture names, as
// containerd's platforms package does.
func bkcNormalizeArch(arch, variant string) (string, string) {
	arch, variant = strings.ToLower(arch), strings.ToLower(variant)
	switch arch {
	case "i386":
		return "386", ""
	case "x86_64", "x86-64", "amd64":
		if variant == "v1" {
			variant = ""
		}
		return "amd64", variant
	case "aarch64", "arm64":
		if variant == "8" || variant == "v8" || variant == "v8.0" {
			variant = ""
		}
		return "arm64", variant
	case "armhf":
		return "arm", "v7"
	case "armel":
		return "arm", "v6"
	case "arm":
		switch variant {
		case "", "7":
			variant = "v7"
		case "5", "6", "8":
			variant = "v" + variant
		}
		return "arm", variant
	}
	return arch, variant
}

// bkcParsePlatform parses os[/arch[/variant]] (or a lone arch) the way
// BuildKit's platform parser accepts it; ok is false for strings it
// rejects.
func bkcParsePlatform(s string) (bkcPlatform, bool) {
	if s == "" {
		return bkcPlatform{}, false
	}
	osPart := s
	if i := strings.IndexByte(s, '('); i >= 0 {
		// windows(10.0.17763)/amd64: an OS version in parentheses
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			return bkcPlatform{}, false
		}
		s = s[:i] + s[i+j+1:]
		osPart = s
	}
	parts := strings.Split(osPart, "/")
	for _, p := range parts {
		if !bkcPlatformPart.MatchString(p) {
			return bkcPlatform{}, false
		}
	}
	normOS := func(o string) string {
		o = strings.ToLower(o)
		if o == "macos" {
			return "darwin"
		}
		return o
	}
	switch len(parts) {
	case 1:
		if o := normOS(parts[0]); bkcKnownOS[o] {
			a, v := bkcNormalizeArch("amd64", "")
			return bkcPlatform{OS: o, Arch: a, Variant: v}, true
		}
		a, v := bkcNormalizeArch(parts[0], "")
		if !bkcKnownArch[a] {
			return bkcPlatform{}, false
		}
		return bkcPlatform{OS: "linux", Arch: a, Variant: v}, true
	case 2:
		a, v := bkcNormalizeArch(parts[1], "")
		return bkcPlatform{OS: normOS(parts[0]), Arch: a, Variant: v}, true
	case 3:
		a, v := bkcNormalizeArch(parts[1], parts[2])
		return bkcPlatform{OS: normOS(parts[0]), Arch: a, Variant: v}, true
	}
	return bkcPlatform{}, false
}

// The grammar of image references (github.com/distribution/reference),
// which BuildKit uses to validate FROM.
var (
	bkcRefPath   = `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
	bkcRefDomain = `(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?`
	bkcRefRe     = regexp.MustCompile(`^((?:` + bkcRefDomain + `/)?` + bkcRefPath + `(?:/` + bkcRefPath + `)*)` +
		`(?::([\w][\w.-]{0,127}))?` +
		`(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`)
	bkcHex64 = regexp.MustCompile(`^[a-f0-9]{64}$`)
)

// bkcValidImageRef reports whether s is an image reference Docker accepts
// (reference.ParseNormalizedNamed succeeds).
func bkcValidImageRef(s string) bool {
	if s == "" || bkcHex64.MatchString(s) {
		return false
	}
	remainder := s
	if i := strings.IndexByte(s, '/'); i >= 0 {
		host := s[:i]
		if strings.ContainsAny(host, ".:") || host == "localhost" || strings.ToLower(host) != host {
			remainder = s[i+1:]
		}
	}
	if strings.ToLower(remainder) != remainder {
		return false
	}
	m := bkcRefRe.FindStringSubmatch(s)
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

// bkcCommentBlock returns the comment lines directly above instruction in
// (no blank line between them, after the previous instruction), as
// BuildKit's parser keeps them, trimmed of `#` and spaces; a bare `#` line
// ends the block. Parser directives and suppression pragmas (`# check=`,
// `# dockdoc ...`, `# hadolint ...`) are left out. lines holds the 1-based
// line of each kept comment.
func bkcCommentBlock(d *Document, in *Instruction) (texts []string, lines []int) {
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
		if bkcIsPragma(t) {
			continue
		}
		texts = append([]string{t}, texts...)
		lines = append([]int{l}, lines...)
	}
	return texts, lines
}

// bkcIsPragma reports whether a comment's text (after `#`) is a checker
// pragma rather than prose.
func bkcIsPragma(t string) bool {
	low := strings.ToLower(t)
	for _, p := range []string{"check=", "dockdoc ", "dockdoc:", "hadolint ", "hadolint:", "syntax=", "escape="} {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	return false
}
