package diagnose

// Helpers shared by DD001 (base-image-latest), DD020 (base-image-version)
// and DD030 (version-pins-disagree): reading the tag of an official
// python/node/golang image, version lines and constraints (PEP 440 /
// Poetry for Python, npm semver ranges for Node), and the one edit that
// pins a base image to a version (DD001 and DD020 must build it byte for
// byte the same, so that their fixes coalesce).

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/fixes"
)

// verLine is a version or a release line: 3.12 (open: any 3.12.x, the
// newest of which an image tag such as python:3.12 ships) or 3.12.4
// (closed: exactly that version).
type verLine struct {
	nums []int
	open bool
}

func (l verLine) String() string {
	parts := make([]string, len(l.nums))
	for i, n := range l.nums {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ".")
}

// verNumsRe reads the leading dotted numbers of a version.
var verNumsRe = regexp.MustCompile(`^\d+(\.\d+)*`)

// leadingNums parses "3.10.4rc1" into [3 10 4] and the rest "rc1".
func leadingNums(s string) ([]int, string) {
	m := verNumsRe.FindString(s)
	if m == "" {
		return nil, s
	}
	var nums []int
	for _, p := range strings.Split(m, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, s
		}
		nums = append(nums, n)
	}
	return nums, s[len(m):]
}

// lineOf reads a pinned version as written ("3.10", "3.10.14",
// "v20.11.0", "cpython-3.12"): up to two numbers (one for Node) it is an
// open line, three or more an exact version.
func lineOf(s string) (verLine, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "cpython-")
	s = strings.TrimPrefix(s, "v")
	nums, _ := leadingNums(s)
	if len(nums) == 0 {
		return verLine{}, false
	}
	return verLine{nums: nums, open: len(nums) < 3}, true
}

// compareLine compares a line with a version (missing components of the
// version are 0; the missing components of an open line are above any
// number, since the line ships its newest patch).
func compareLine(l verLine, v []int) int {
	n := max(len(l.nums), len(v))
	for i := 0; i < n; i++ {
		var a, b int
		switch {
		case i < len(l.nums):
			a = l.nums[i]
		case l.open:
			return 1
		}
		if i < len(v) {
			b = v[i]
		}
		if a != b {
			if a < b {
				return -1
			}
			return 1
		}
	}
	if l.open {
		return 1
	}
	return 0
}

// prefixMatch reports whether the line l can hold versions that start with
// v (for ==3.10.* and for an exact == against an open line).
func prefixMatch(l verLine, v []int) bool {
	for i, x := range v {
		if i >= len(l.nums) {
			return l.open
		}
		if l.nums[i] != x {
			return false
		}
	}
	return true
}

// verCmp is one comparison of a constraint. Ops: ">=", ">", "<", "<=",
// "==" (exact), "=*" (prefix, ==3.10.*), "!=" and "!*".
type verCmp struct {
	op string
	v  []int
}

func (c verCmp) holds(l verLine) bool {
	switch c.op {
	case ">=":
		return compareLine(l, c.v) >= 0
	case ">":
		return compareLine(l, c.v) > 0
	case "<":
		return compareLine(l, c.v) < 0
	case "<=":
		return compareLine(l, c.v) <= 0
	case "==":
		if l.open {
			return prefixMatch(l, c.v) || prefixMatch(verLine{nums: c.v}, l.nums)
		}
		return compareLine(l, c.v) == 0
	case "=*":
		return prefixMatch(l, c.v)
	case "!=":
		return l.open || compareLine(l, c.v) != 0
	case "!*":
		return !prefixMatch(l, c.v) || (l.open && len(l.nums) < len(c.v))
	}
	return false
}

// verRange is a constraint: any of several alternatives, each a list of
// comparisons that must all hold. An empty alternative allows anything.
type verRange [][]verCmp

// allows reports whether the line satisfies the constraint (for an open
// line: whether its newest release does).
func (r verRange) allows(l verLine) bool {
	for _, alt := range r {
		ok := true
		for _, c := range alt {
			if !c.holds(l) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// lowerBound is the lowest version the constraint starts from, when every
// alternative has one.
func (r verRange) lowerBound() ([]int, bool) {
	var low []int
	for i, alt := range r {
		var lb []int
		for _, c := range alt {
			switch c.op {
			case ">=", ">", "==", "=*":
				if lb == nil || compareLine(verLine{nums: lb}, c.v) < 0 {
					lb = c.v
				}
			}
		}
		if lb == nil {
			return nil, false
		}
		if i == 0 || compareLine(verLine{nums: lb}, low) < 0 {
			low = lb
		}
	}
	return low, low != nil
}

func bumpAt(v []int, i int) []int {
	out := append([]int(nil), v[:i+1]...)
	out[i]++
	return out
}

// opTokens splits a clause list on white space, joining an operator
// written apart from its version (">= 3.10").
func opTokens(s string) []string {
	var out []string
	pending := ""
	for _, f := range strings.Fields(s) {
		if strings.Trim(f, "<>=!~^") == "" {
			pending += f
			continue
		}
		out = append(out, pending+f)
		pending = ""
	}
	if pending != "" {
		out = append(out, pending)
	}
	return out
}

func splitOp(tok string, ops []string) (string, string) {
	for _, op := range ops {
		if strings.HasPrefix(tok, op) {
			return op, strings.TrimSpace(tok[len(op):])
		}
	}
	return "", tok
}

// preReleaseRe is what may follow the numbers of a Python version:
// a/b/rc pre-releases, .post and .dev releases (ignored for lines).
var preReleaseRe = regexp.MustCompile(`^(\.?(a|b|c|rc|alpha|beta|pre|preview|post|dev)\.?\d*)*$`)

// parsePythonSpec reads requires-python (PEP 440) or Poetry's python
// constraint (^, ~, ||, space-separated clauses). ok is false for anything
// it does not fully understand.
func parsePythonSpec(s string) (verRange, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	var out verRange
	for _, alt := range strings.Split(s, "||") {
		var and []verCmp
		for _, clause := range strings.Split(alt, ",") {
			for _, tok := range opTokens(clause) {
				op, v := splitOp(tok, []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">", "^", "~", "="})
				if v == "*" && (op == "" || op == "==" || op == "=") {
					continue // any version
				}
				wild := strings.HasSuffix(v, ".*")
				v = strings.TrimSuffix(v, ".*")
				nums, rest := leadingNums(v)
				if len(nums) == 0 || !preReleaseRe.MatchString(rest) {
					return nil, false
				}
				switch op {
				case ">=", ">", "<", "<=":
					if wild {
						return nil, false
					}
					and = append(and, verCmp{op, nums})
				case "==", "===", "=", "":
					if wild {
						and = append(and, verCmp{"=*", nums})
					} else {
						and = append(and, verCmp{"==", nums})
					}
				case "!=":
					if wild {
						and = append(and, verCmp{"!*", nums})
					} else {
						and = append(and, verCmp{"!=", nums})
					}
				case "~=":
					if wild || len(nums) < 2 {
						return nil, false
					}
					and = append(and, verCmp{">=", nums}, verCmp{"=*", nums[:len(nums)-1]})
				case "^":
					i := 0
					for i < len(nums)-1 && nums[i] == 0 {
						i++
					}
					and = append(and, verCmp{">=", nums}, verCmp{"<", bumpAt(nums, i)})
				case "~":
					i := 0
					if len(nums) >= 2 {
						i = 1
					}
					and = append(and, verCmp{">=", nums}, verCmp{"<", bumpAt(nums, i)})
				}
			}
		}
		out = append(out, and)
	}
	return out, true
}

// parseNodeRange reads an npm semver range (package.json engines.node):
// comparators, x-ranges (20, 20.x, *), ^, ~, hyphen ranges and ||.
func parseNodeRange(s string) (verRange, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	var out verRange
	for _, alt := range strings.Split(s, "||") {
		var and []verCmp
		toks := opTokens(alt)
		for i := 0; i < len(toks); i++ {
			tok := toks[i]
			if i+2 < len(toks) && toks[i+1] == "-" {
				lo, ok1 := nodePartial(tok)
				hi, ok2 := nodePartial(toks[i+2])
				if !ok1 || !ok2 {
					return nil, false
				}
				if len(lo) > 0 {
					and = append(and, verCmp{">=", lo})
				}
				switch {
				case len(hi) == 0:
				case len(hi) < 3:
					and = append(and, verCmp{"<", bumpAt(hi, len(hi)-1)})
				default:
					and = append(and, verCmp{"<=", hi})
				}
				i += 2
				continue
			}
			op, v := splitOp(tok, []string{">=", "<=", ">", "<", "=", "^", "~>", "~"})
			nums, ok := nodePartial(v)
			if !ok {
				return nil, false
			}
			n := len(nums)
			switch op {
			case "", "=":
				switch {
				case n == 0:
				case n < 3:
					and = append(and, verCmp{">=", nums}, verCmp{"<", bumpAt(nums, n-1)})
				default:
					and = append(and, verCmp{"==", nums})
				}
			case ">=":
				if n > 0 {
					and = append(and, verCmp{">=", nums})
				}
			case ">":
				switch {
				case n == 0:
					return nil, false
				case n < 3:
					and = append(and, verCmp{">=", bumpAt(nums, n-1)})
				default:
					and = append(and, verCmp{">", nums})
				}
			case "<":
				if n == 0 {
					return nil, false
				}
				and = append(and, verCmp{"<", nums})
			case "<=":
				switch {
				case n == 0:
				case n < 3:
					and = append(and, verCmp{"<", bumpAt(nums, n-1)})
				default:
					and = append(and, verCmp{"<=", nums})
				}
			case "^":
				if n == 0 {
					continue
				}
				j := 0
				for j < n-1 && nums[j] == 0 {
					j++
				}
				and = append(and, verCmp{">=", nums}, verCmp{"<", bumpAt(nums, j)})
			case "~", "~>":
				if n == 0 {
					continue
				}
				j := 0
				if n >= 2 {
					j = 1
				}
				and = append(and, verCmp{">=", nums}, verCmp{"<", bumpAt(nums, j)})
			}
		}
		out = append(out, and)
	}
	return out, true
}

// nodePartial reads "v20.9.x" as [20 9]: the numbers before the first
// wildcard; a pre-release tag (-rc.1) is ignored.
func nodePartial(v string) ([]int, bool) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	v, _, _ = strings.Cut(v, "-")
	v, _, _ = strings.Cut(v, "+")
	if v == "" {
		return nil, false
	}
	var nums []int
	for _, p := range strings.Split(v, ".") {
		if p == "x" || p == "X" || p == "*" {
			return nums, true
		}
		if len(nums) == 3 {
			return nil, false
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		nums = append(nums, n)
	}
	return nums, true
}

// pinRange parses a lower-bound pin of a language ("python" or "node").
func pinRange(lang string, p *Pin) (verRange, bool) {
	if lang == "node" {
		return parseNodeRange(p.Full)
	}
	return parsePythonSpec(p.Full)
}

// pinLang says which image a Pin is about: "python", "node" or "golang".
func pinLang(p Pin) string {
	if p.Lang == "go" {
		return "golang"
	}
	return p.Lang
}

// pinsOf lists the context's pins for one language, in the order read.
func pinsOf(ctx *BuildContext, lang string) []Pin {
	if ctx == nil {
		return nil
	}
	var out []Pin
	for _, p := range ctx.Pins {
		if pinLang(p) == lang {
			out = append(out, p)
		}
	}
	return out
}

// goMinimumPin is the Go version the build must have at least: go.mod's
// go line when there is one, else whatever Go pin the context holds.
func goMinimumPin(ctx *BuildContext) *Pin {
	if ctx == nil {
		return nil
	}
	for _, p := range ctx.Pins {
		if p.Source == "go.mod go line" {
			return &p
		}
	}
	return ctx.Go
}

// langName is how messages name a language of an official image.
var langName = map[string]string{"python": "Python", "node": "Node", "golang": "Go"}

// baseImage is the FROM image of a stage when it is the official python,
// node or golang image, split into what a pinning edit needs.
type baseImage struct {
	lang    string // "python", "node" or "golang"
	name    string // as written before the tag: "python", "library/node"
	tag     string // "" when untagged
	digest  string // "@sha256:..." or ""
	tagSpan Span   // logical span of the tag (empty, at the name's end, when untagged)
	imgEnd  int    // logical end of the whole image reference
	version []int  // the version the tag names ([3 12], [20], [1 22 5]); nil when none
	// variant is the rest of the tag to keep when the version changes:
	// "-slim-bookworm", "-alpine"; for "slim" or "lts-alpine" it is "-slim"
	// and "-alpine".
	variant string
	// floating is how a tag without a full version moves: "untagged",
	// "latest", "variant" (python:slim), "lts", "current" (node), "major"
	// (python:3, golang:1); "" for a tag naming a version line; "unknown"
	// for a tag dockdoc cannot read (node:jod, a codename).
	floating string
}

// imageVariantWords are tag parts that name a variant, not a version: a
// tag made only of them follows the newest release, as latest does.
var imageVariantWords = map[string]bool{
	"slim": true, "alpine": true, "bookworm": true, "bullseye": true, "buster": true,
	"trixie": true, "stretch": true, "forky": true, "windowsservercore": true, "nanoserver": true,
}

var alpineVersionRe = regexp.MustCompile(`^alpine\d+\.\d+$`)

func isImageVariantWord(w string) bool {
	return imageVariantWords[w] || alpineVersionRe.MatchString(w)
}

// officialLang returns "python", "node" or "golang" when the image name
// (without tag or digest) is that official image, written plainly or as
// library/<name>.
func officialLang(name string) string {
	n := strings.TrimPrefix(name, "library/")
	switch n {
	case "python", "node", "golang":
		return n
	}
	return ""
}

// splitImageRef splits an image reference into name, tag and digest.
func splitImageRef(img string) (name, tag, digest string) {
	name = img
	if i := strings.Index(name, "@"); i >= 0 {
		name, digest = name[:i], name[i:]
	}
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, tag = name[:i], name[i+1:]
	}
	return name, tag, digest
}

// officialBase reads the stage's image when it is a real official
// python/node/golang base (not a stage, not built from an ARG).
func officialBase(d *Document, s *Stage) *baseImage {
	img := s.Image
	if img == "" || strings.Contains(img, "$") || d.StageByName(img, s.Index) != nil {
		return nil
	}
	name, tag, digest := splitImageRef(img)
	lang := officialLang(name)
	if lang == "" {
		return nil
	}
	start := s.ImageSpan.Start + len(name)
	b := &baseImage{lang: lang, name: name, tag: tag, digest: digest, imgEnd: s.ImageSpan.End}
	if tag == "" {
		b.tagSpan = Span{start, start}
		b.floating = "untagged"
		return b
	}
	b.tagSpan = Span{start + 1, start + 1 + len(tag)}
	first, rest, _ := strings.Cut(tag, "-")
	if rest != "" {
		rest = "-" + rest
	}
	switch {
	case tag == "latest":
		b.floating = "latest"
	case first == "latest":
		b.floating, b.variant = "latest", rest
	case isImageVariantWord(first):
		b.floating, b.variant = "variant", "-"+tag
	case lang == "node" && (first == "lts" || first == "current"):
		b.floating, b.variant = first, rest
	case first != "" && first[0] >= '0' && first[0] <= '9':
		nums, suffix := leadingNums(first)
		if len(nums) == 0 || (suffix != "" && !preReleaseRe.MatchString(suffix)) {
			b.floating = "unknown"
			return b
		}
		b.version, b.variant = nums, rest
		if len(nums) == 1 && lang != "node" {
			b.floating = "major"
		}
	default:
		b.floating = "unknown"
	}
	return b
}

// keptVariant is the variant to write after a new version: the tag's
// variant without a release-candidate marker (python:3.15-rc-slim).
func (b *baseImage) keptVariant() string {
	parts := strings.Split(b.variant, "-")
	out := parts[:0]
	for _, p := range parts {
		if p != "rc" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "-")
}

// pinnedRef is the image reference pinned to version, variant kept.
func (b *baseImage) pinnedRef(version string) string {
	return b.name + ":" + version + b.keptVariant()
}

// pinEdit is the edit that pins the image to version, keeping the name as
// written and the variant. With dropDigest the digest is removed too. DD001
// and DD020 both build their pinning fixes with it, so that the same pin
// from both rules is the same edit and the two fixes coalesce.
func (b *baseImage) pinEdit(in *Instruction, version string, dropDigest bool) fixes.Edit {
	newTag := version + b.keptVariant()
	if b.tag == "" {
		if dropDigest && b.digest != "" {
			return Replace(in.OrigSpan(Span{b.tagSpan.Start, b.imgEnd}), ":"+newTag)
		}
		return Insert(in.OrigSpan(b.tagSpan).End, ":"+newTag)
	}
	span := b.tagSpan
	if dropDigest {
		span.End = b.imgEnd
	}
	return Replace(in.OrigSpan(span), newTag)
}

// pinTitle is the title of a pinning fix.
func pinTitle(b *baseImage, version string) string {
	return "Pin the base image to " + b.pinnedRef(version)
}

// newestLine is the newest stable line dockdoc's table knows for the
// language, as an open line.
func newestLine(lang string) (verLine, bool) {
	v, ok := newestStable[lang]
	if !ok {
		return verLine{}, false
	}
	nums, _ := leadingNums(v)
	return verLine{nums: nums, open: true}, len(nums) > 0
}

// lineTarget turns a lower bound into the tag version to pin: major.minor
// for Python and Go, the major for Node.
func lineTarget(lang string, v []int) (verLine, bool) {
	n := 2
	if lang == "node" {
		n = 1
	}
	if len(v) < n {
		return verLine{}, false
	}
	return verLine{nums: append([]int(nil), v[:n]...), open: true}, true
}

// tagVersion normalizes a pinned version for a tag: major.minor for
// Python and Go, the major for Node.
func tagVersion(lang, v string) string {
	l, ok := lineOf(v)
	if !ok {
		return ""
	}
	t, ok := lineTarget(lang, l.nums)
	if !ok {
		return ""
	}
	return t.String()
}
