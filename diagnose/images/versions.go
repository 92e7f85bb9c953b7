package images

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/dockdoc/dockdoc/fixes"
)

// VerLine is a version or a release line: 3.12 (open: any 3.12.x, the
// newest of which an image tag such as python:3.12 ships) or 3.12.4
// (closed: exactly that version).
type VerLine struct {
	Nums []int
	Open bool
}

// String writes the line as its numbers joined by dots (3.12).
func (l VerLine) String() string {
	parts := make([]string, len(l.Nums))
	for i, n := range l.Nums {
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

// LineOf reads a pinned version as written ("3.10", "3.10.14",
// "v20.11.0", "cpython-3.12"): up to two numbers (one for Node) it is an
// open line, three or more an exact version.
func LineOf(s string) (VerLine, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "cpython-")
	s = strings.TrimPrefix(s, "v")
	nums, _ := leadingNums(s)
	if len(nums) == 0 {
		return VerLine{}, false
	}
	return VerLine{Nums: nums, Open: len(nums) < 3}, true
}

// CompareLine compares a line with a version (missing components of the
// version are 0; the missing components of an open line are above any
// number, since the line ships its newest patch).
func CompareLine(l VerLine, v []int) int {
	n := max(len(l.Nums), len(v))
	for i := 0; i < n; i++ {
		var a, b int
		switch {
		case i < len(l.Nums):
			a = l.Nums[i]
		case l.Open:
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
	if l.Open {
		return 1
	}
	return 0
}

// prefixMatch reports whether the line l can hold versions that start with
// v (for ==3.10.* and for an exact == against an open line).
func prefixMatch(l VerLine, v []int) bool {
	for i, x := range v {
		if i >= len(l.Nums) {
			return l.Open
		}
		if l.Nums[i] != x {
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

func (c verCmp) holds(l VerLine) bool {
	switch c.op {
	case ">=":
		return CompareLine(l, c.v) >= 0
	case ">":
		return CompareLine(l, c.v) > 0
	case "<":
		return CompareLine(l, c.v) < 0
	case "<=":
		return CompareLine(l, c.v) <= 0
	case "==":
		if l.Open {
			return prefixMatch(l, c.v) || prefixMatch(VerLine{Nums: c.v}, l.Nums)
		}
		return CompareLine(l, c.v) == 0
	case "=*":
		return prefixMatch(l, c.v)
	case "!=":
		return l.Open || CompareLine(l, c.v) != 0
	case "!*":
		return !prefixMatch(l, c.v) || (l.Open && len(l.Nums) < len(c.v))
	}
	return false
}

// verRange is a constraint: any of several alternatives, each a list of
// comparisons that must all hold. An empty alternative allows anything.
type verRange [][]verCmp

// allows reports whether the line satisfies the constraint (for an open
// line: whether its newest release does).
func (r verRange) Allows(l VerLine) bool {
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
				if lb == nil || CompareLine(VerLine{Nums: lb}, c.v) < 0 {
					lb = c.v
				}
			}
		}
		if lb == nil {
			return nil, false
		}
		if i == 0 || CompareLine(VerLine{Nums: lb}, low) < 0 {
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

// PinRange parses a lower-bound pin of a language ("python" or "node").
func PinRange(lang string, p *buildctx.Pin) (verRange, bool) {
	if lang == "node" {
		return parseNodeRange(p.Full)
	}
	return parsePythonSpec(p.Full)
}

// pinLang says which image a Pin is about: "python", "node" or "golang".
func pinLang(p buildctx.Pin) string {
	if p.Lang == "go" {
		return "golang"
	}
	return p.Lang
}

// PinsOf lists the context's pins for one language, in the order read.
func PinsOf(ctx *buildctx.Context, lang string) []buildctx.Pin {
	if ctx == nil {
		return nil
	}
	var out []buildctx.Pin
	for _, p := range ctx.Pins {
		if pinLang(p) == lang {
			out = append(out, p)
		}
	}
	return out
}

// GoMinimumPin is the Go version the build must have at least: go.mod's
// go line when there is one, else whatever Go pin the context holds.
func GoMinimumPin(ctx *buildctx.Context) *buildctx.Pin {
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

// LangName is how messages name a language of an official image.
var LangName = map[string]string{"python": "Python", "node": "Node", "golang": "Go"}

// BaseImage is the FROM image of a stage when it is the official python,
// node or golang image, split into what a pinning edit needs.
type BaseImage struct {
	Lang    string        // "python", "node" or "golang"
	Name    string        // as written before the tag: "python", "library/node"
	Tag     string        // "" when untagged
	Digest  string        // "@sha256:..." or ""
	tagSpan diagnose.Span // logical span of the tag (empty, at the name's end, when untagged)
	imgEnd  int           // logical end of the whole image reference
	Version []int         // the version the tag names ([3 12], [20], [1 22 5]); nil when none
	// variant is the rest of the tag to keep when the version changes:
	// "-slim-bookworm", "-alpine"; for "slim" or "lts-alpine" it is "-slim"
	// and "-alpine".
	variant string
	// floating is how a tag without a full version moves: "untagged",
	// "latest", "variant" (python:slim), "lts", "current" (node), "major"
	// (python:3, golang:1); "" for a tag naming a version line; "unknown"
	// for a tag dockdoc cannot read (node:jod, a codename).
	Floating string
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

// OfficialLang returns "python", "node" or "golang" when the image name
// (without tag or digest) is that official image, written plainly or as
// library/<name>.
func OfficialLang(name string) string {
	n := strings.TrimPrefix(name, "library/")
	switch n {
	case "python", "node", "golang":
		return n
	}
	return ""
}

// SplitImageRef splits an image reference into name, tag and digest.
func SplitImageRef(img string) (name, tag, digest string) {
	name = img
	if i := strings.Index(name, "@"); i >= 0 {
		name, digest = name[:i], name[i:]
	}
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, tag = name[:i], name[i+1:]
	}
	return name, tag, digest
}

// OfficialBase reads the stage's image when it is a real official
// python/node/golang base (not a stage, not built from an ARG).
func OfficialBase(d *diagnose.Document, s *diagnose.Stage) *BaseImage {
	img := s.Image
	if img == "" || strings.Contains(img, "$") || d.StageByName(img, s.Index) != nil {
		return nil
	}
	name, tag, digest := SplitImageRef(img)
	lang := OfficialLang(name)
	if lang == "" {
		return nil
	}
	start := s.ImageSpan.Start + len(name)
	b := &BaseImage{Lang: lang, Name: name, Tag: tag, Digest: digest, imgEnd: s.ImageSpan.End}
	if tag == "" {
		b.tagSpan = diagnose.Span{Start: start, End: start}
		b.Floating = "untagged"
		return b
	}
	b.tagSpan = diagnose.Span{Start: start + 1, End: start + 1 + len(tag)}
	first, rest, _ := strings.Cut(tag, "-")
	if rest != "" {
		rest = "-" + rest
	}
	switch {
	case tag == "latest":
		b.Floating = "latest"
	case first == "latest":
		b.Floating, b.variant = "latest", rest
	case isImageVariantWord(first):
		b.Floating, b.variant = "variant", "-"+tag
	case lang == "node" && (first == "lts" || first == "current"):
		b.Floating, b.variant = first, rest
	case first != "" && first[0] >= '0' && first[0] <= '9':
		nums, suffix := leadingNums(first)
		if len(nums) == 0 || (suffix != "" && !preReleaseRe.MatchString(suffix)) {
			b.Floating = "unknown"
			return b
		}
		b.Version, b.variant = nums, rest
		if len(nums) == 1 && lang != "node" {
			b.Floating = "major"
		}
	default:
		b.Floating = "unknown"
	}
	return b
}

// keptVariant is the variant to write after a new version: the tag's
// variant without a release-candidate marker (python:3.15-rc-slim).
func (b *BaseImage) keptVariant() string {
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
func (b *BaseImage) pinnedRef(version string) string {
	return b.Name + ":" + version + b.keptVariant()
}

// PinEdit is the edit that pins the image to version, keeping the name as
// written and the variant. With dropDigest the digest is removed too. DD001
// and DD020 both build their pinning fixes with it, so that the same pin
// from both rules is the same edit and the two fixes coalesce.
func (b *BaseImage) PinEdit(in *diagnose.Instruction, version string, dropDigest bool) fixes.Edit {
	newTag := version + b.keptVariant()
	if b.Tag == "" {
		if dropDigest && b.Digest != "" {
			return diagnose.Replace(in.OrigSpan(diagnose.Span{Start: b.tagSpan.Start, End: b.imgEnd}), ":"+newTag)
		}
		return diagnose.Insert(in.OrigSpan(b.tagSpan).End, ":"+newTag)
	}
	span := b.tagSpan
	if dropDigest {
		span.End = b.imgEnd
	}
	return diagnose.Replace(in.OrigSpan(span), newTag)
}

// PinTitle is the title of a pinning fix.
func PinTitle(b *BaseImage, version string) string {
	return "Pin the base image to " + b.pinnedRef(version)
}

// NewestLine is the newest stable line dockdoc's table knows for the
// language, as an open line.
func NewestLine(lang string) (VerLine, bool) {
	v, ok := NewestStable[lang]
	if !ok {
		return VerLine{}, false
	}
	nums, _ := leadingNums(v)
	return VerLine{Nums: nums, Open: true}, len(nums) > 0
}

// LineTarget turns a lower bound into the tag version to pin: major.minor
// for Python and Go, the major for Node.
func LineTarget(lang string, v []int) (VerLine, bool) {
	n := 2
	if lang == "node" {
		n = 1
	}
	if len(v) < n {
		return VerLine{}, false
	}
	return VerLine{Nums: append([]int(nil), v[:n]...), Open: true}, true
}

// TagVersion normalizes a pinned version for a tag: major.minor for
// Python and Go, the major for Node.
func TagVersion(lang, v string) string {
	l, ok := LineOf(v)
	if !ok {
		return ""
	}
	t, ok := LineTarget(lang, l.Nums)
	if !ok {
		return ""
	}
	return t.String()
}

// RangeTargets are the versions that satisfy a range, best first: for
// Python the range's lowest line (what the project says it supports, as the
// recipes advise), then the newest line in dockdoc's table; for Node the
// newest LTS line in the table, then the lowest.
func RangeTargets(lang string, rng verRange) []string {
	var out []string
	var low, newest string
	if lb, ok := rng.lowerBound(); ok {
		if t, ok := LineTarget(lang, lb); ok && rng.Allows(t) {
			low = t.String()
		}
	}
	if nl, ok := NewestLine(lang); ok && rng.Allows(nl) {
		newest = nl.String()
	}
	first, second := low, newest
	if lang == "node" {
		first, second = newest, low
	}
	for _, v := range []string{first, second} {
		if v != "" && (len(out) == 0 || out[0] != v) {
			out = append(out, v)
		}
	}
	return out
}

// RangeTarget is the best version for a range, or false.
func RangeTarget(lang string, rng verRange) (string, bool) {
	ts := RangeTargets(lang, rng)
	if len(ts) == 0 {
		return "", false
	}
	return ts[0], true
}

// RangeTargetNote explains where a version picked from a range came from.
func RangeTargetNote(lang, target string, pin *buildctx.Pin) string {
	if target == NewestStable[lang] {
		return fmt.Sprintf("%s (%q) is a range; %s is the newest %s line in dockdoc's version table, dated %s, that it allows. Check the table is still current.",
			pin.Source, pin.Full, target, LangName[lang], VersionsUpdated)
	}
	return fmt.Sprintf("%s (%q) is a range; %s is the lowest %s line it allows, the one the project says it supports.",
		pin.Source, pin.Full, target, LangName[lang])
}
