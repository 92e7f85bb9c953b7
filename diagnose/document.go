// Package diagnose is dockdoc's core: the document model (exact bytes
// mapped to BuildKit's parse tree, each RUN's shell read once, stage
// indexes), the rule model (Rule, Doc, Pass, Finding, fix applicability),
// the registry, the runner that turns a Document into findings with fixes,
// the fix loop and the verification of composed files, suppressions and
// configuration. It knows no particular rule: rule families register
// themselves (see diagnose/rules and docs/architecture.md). Rules are pure
// functions of a Document: they never touch the file system or the
// network.
package diagnose

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dockdoc/dockdoc/diagnose/buildctx"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Span is a half-open byte range [Start, End) of Document.Src.
type Span struct{ Start, End int }

// Directive is a parser directive at the top of the file
// (`# syntax=`, `# escape=`, `# check=`).
type Directive struct {
	Name, Value string
	Line        int
	Span        Span // the whole comment line, without its line break
}

// Heredoc is one here-document attached to an instruction.
type Heredoc struct {
	Name       string
	Body       Span // the content lines, line breaks included
	Terminator Span // the terminator line, without its line break
}

// Instruction is one Dockerfile instruction mapped back to the original
// bytes. Logical is the instruction text as BuildKit sees it: continuation
// lines joined, comment and empty lines inside the continuation dropped. It
// equals the parser node's Original. Every byte of Logical knows where it
// came from in Src, so rules find things in Logical and edit Src.
type Instruction struct {
	Node      *parser.Node
	Keyword   string // lower case: "from", "run", ...
	StartLine int    // 1-based
	EndLine   int    // last line, heredoc terminators included
	Span      Span   // from the keyword to the end of EndLine (no line break)
	TextEnd   int    // end of the instruction's own text, before any heredoc body
	// ContEnd is the end of the last line the instruction's continuation
	// reaches, empty or comment lines included (TextEnd stops at the last
	// line with text).
	ContEnd  int
	Logical  string
	pos      []int
	Heredocs []Heredoc
	Stage    *Stage // nil for instructions before the first FROM
	Index    int    // position in Document.Instructions

	scripts     []*Script
	scriptsDone bool
	quoted      []quoted // the quoted nested scripts of its commands (see nested.go)
}

// Stage is a build stage, from its FROM to the next one.
type Stage struct {
	Index     int
	From      *Instruction
	Image     string // the image reference as written (may hold $VARs)
	ImageSpan Span   // logical offsets of the image word in From.Logical
	Name      string // the AS name as written, "" when unnamed
	NameSpan  Span   // logical offsets of the name
	Instrs    []*Instruction
	Parent    *Stage // the earlier stage this one is built FROM, if any
	// Children are the later stages built FROM this one.
	Children []*Stage

	Doc *Document // the Document the stage belongs to
}

// ParseError is a file BuildKit's parser rejects, or a file that is not a
// Dockerfile at all (see NotDockerfile).
type ParseError struct {
	Line int // 1-based; 0 when unknown
	Msg  string
	// NotDockerfile is set when BuildKit's line parser accepted the file
	// but its first instruction is none and no FROM is valid: "YAML",
	// "JSON", "template" or "text", what the file looks like instead. Msg
	// is then what docker build says about the first line.
	NotDockerfile string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Document is a Dockerfile: its exact bytes and everything derived from them.
type Document struct {
	Path         string
	Src          []byte
	BOM          bool
	EOL          string // the file's main line ending, used for inserted lines
	Escape       byte   // '\\' or '`'
	Directives   []Directive
	Result       *parser.Result
	ParseErr     *ParseError
	Instructions []*Instruction
	Stages       []*Stage
	// Rejections are what BuildKit's instruction parser refuses in a file
	// its line parser accepted (rejected.go), in file order.
	Rejections []Rejection
	// Ctx is the build context read around the file (nil when none was
	// read); context-aware rules stay silent without it.
	Ctx *buildctx.Context
	// Config is the configuration in force (nil: defaults).
	Config *Config
	// Resolve is Options.Resolve of the run (nil: offline); only DD095
	// (base-image-digest) uses it.
	Resolve func(image string) (digest string, err error)
	// verified remembers which composed instruction texts parse.
	verified *chunkCache
	lines    []int // lines[i] is the offset where line i+1 starts

	// Indexes computed once, on first use (index.go).
	stageIdx   stageIndex
	shells     []stageShells
	shellsDone bool
	chains     [][]*Stage
	chainsDone bool
	memo       map[any]any // Memo
}

// UTF8BOM is the byte order mark some editors write at the start of a
// UTF-8 file; BuildKit skips it and so does the line index.
var UTF8BOM = []byte{0xEF, 0xBB, 0xBF}

// ErrBinary is returned by Parse for input that is not text.
var ErrBinary = errors.New("binary file (it contains NUL bytes)")

// ErrNotUTF8 is returned by Parse for input that is not valid UTF-8.
var ErrNotUTF8 = errors.New("not valid UTF-8 text")

// ErrEmpty is returned by Parse for an empty or blank file.
var ErrEmpty = errors.New("empty file: no instructions")

// Parse builds a Document from exact bytes. It returns an error only for
// input that is not a Dockerfile at all (binary, not UTF-8, empty); a
// Dockerfile that BuildKit rejects gives a Document with ParseErr set.
func Parse(path string, src []byte) (*Document, error) {
	if bytes.IndexByte(src, 0) >= 0 {
		return nil, ErrBinary
	}
	if !utf8.Valid(src) {
		return nil, ErrNotUTF8
	}
	d := &Document{Path: path, Src: src, Escape: '\\'}
	d.BOM = bytes.HasPrefix(src, UTF8BOM)
	d.indexLines()
	if len(bytes.TrimFunc(src[d.lines[0]:], unicode.IsSpace)) == 0 {
		return nil, ErrEmpty
	}
	d.readDirectives()
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		d.ParseErr = toParseError(err)
		return d, nil
	}
	d.Result = res
	d.Escape = byte(res.EscapeToken)
	d.mapInstructions()
	d.judge()
	return d, nil
}

func toParseError(err error) *ParseError {
	pe := &ParseError{Msg: err.Error()}
	var le *parser.LocationError
	if errors.As(err, &le) {
		pe.Msg = le.Unwrap().Error()
		for _, rs := range le.Locations {
			for _, r := range rs {
				if r.Start.Line > 0 {
					pe.Line = r.Start.Line
					return pe
				}
			}
		}
	}
	return pe
}

func (d *Document) indexLines() {
	start := 0
	if d.BOM {
		start = len(UTF8BOM)
	}
	d.lines = []int{start}
	crlf, lf := 0, 0
	for i := start; i < len(d.Src); i++ {
		if d.Src[i] == '\n' {
			if i > 0 && d.Src[i-1] == '\r' {
				crlf++
			} else {
				lf++
			}
			if i+1 <= len(d.Src) {
				d.lines = append(d.lines, i+1)
			}
		}
	}
	d.EOL = "\n"
	if crlf > lf {
		d.EOL = "\r\n"
	}
}

// LineCount is the number of lines (a final line break does not start a
// new line of its own unless something follows it).
func (d *Document) LineCount() int {
	n := len(d.lines)
	if n > 1 && d.lines[n-1] == len(d.Src) {
		n--
	}
	return n
}

// LineStart is the offset where 1-based line l starts.
func (d *Document) LineStart(l int) int {
	if l < 1 {
		return d.lines[0]
	}
	if l > len(d.lines) {
		return len(d.Src)
	}
	return d.lines[l-1]
}

// LineEnd is the offset of the end of line l's content: before its "\n"
// and any "\r" just before that (BuildKit trims both).
func (d *Document) LineEnd(l int) int {
	end := len(d.Src)
	if l < len(d.lines) {
		end = d.lines[l] - 1 // the '\n'
	}
	start := d.LineStart(l)
	for end > start && (d.Src[end-1] == '\r' || d.Src[end-1] == '\n') {
		end--
	}
	return end
}

// LineBreakEnd is the offset just after line l's line break (or the end of
// the file when the line has none).
func (d *Document) LineBreakEnd(l int) int {
	if l < len(d.lines) {
		return d.lines[l]
	}
	return len(d.Src)
}

// Line returns line l's content without its line break.
func (d *Document) Line(l int) string {
	return string(d.Src[d.LineStart(l):d.LineEnd(l)])
}

// Position converts a byte offset into a 1-based line and a 1-based column
// counted in characters (runes), as editors do.
func (d *Document) Position(off int) (line, col int) {
	lo, hi := 0, len(d.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	start := d.lines[lo]
	if off < start {
		return lo + 1, 1
	}
	return lo + 1, utf8.RuneCount(d.Src[start:off]) + 1
}

// Indent returns the leading whitespace of line l.
func (d *Document) Indent(l int) string {
	s := d.Line(l)
	return s[:len(s)-len(strings.TrimLeft(s, " \t"))]
}

func (d *Document) readDirectives() {
	var dp parser.DirectiveParser
	for l := 1; l <= d.LineCount(); l++ {
		line := d.Src[d.LineStart(l):d.LineEnd(l)]
		dir, err := dp.ParseLine(line)
		if err != nil || dir == nil {
			// The directive parser stops for good at the first line that is
			// not a directive; a duplicate is reported by parser.Parse.
			if err != nil {
				return
			}
			if !bytes.HasPrefix(line, []byte("#")) || dir == nil {
				return
			}
		}
		d.Directives = append(d.Directives, Directive{
			Name: dir.Name, Value: dir.Value, Line: l,
			Span: Span{d.LineStart(l), d.LineEnd(l)},
		})
	}
}

// Directive returns the value of the named parser directive and whether
// it is present.
func (d *Document) Directive(name string) (string, bool) {
	for _, dir := range d.Directives {
		if dir.Name == name {
			return dir.Value, true
		}
	}
	return "", false
}

// continuationCut reports whether line continues on the next line, the
// way BuildKit's regular expression `([^E])E[ \t]*$|^E[ \t]*$` decides it
// for the escape character E, and where the kept text ends.
func continuationCut(line []byte, esc byte) (int, bool) {
	end := len(line)
	for end > 0 && (line[end-1] == ' ' || line[end-1] == '\t') {
		end--
	}
	if end == 0 || line[end-1] != esc {
		return 0, false
	}
	if end == 1 {
		return 0, true // the escape alone on its line
	}
	if line[end-2] == esc {
		return 0, false // an escaped escape character
	}
	return end - 1, true
}

// IsCommentLine reports whether a raw source line is a comment line: its
// first non-blank byte is #.
func IsCommentLine(b []byte) bool {
	b = bytes.TrimLeftFunc(b, unicode.IsSpace)
	return len(b) > 0 && b[0] == '#'
}

// mapInstructions walks the lines exactly as BuildKit's parser does, so
// that each node's Logical text and byte positions are known.
func (d *Document) mapInstructions() {
	var stage *Stage
	for i, n := range d.Result.AST.Children {
		in := &Instruction{Node: n, Keyword: strings.ToLower(n.Value), StartLine: n.StartLine, EndLine: n.EndLine, Index: i}
		var logical []byte
		var pos []int
		l := n.StartLine
		lastText := l // the last line that gave text (not a skipped empty or comment line)
		first := true
		for ; l <= n.EndLine; l++ {
			ls, le := d.LineStart(l), d.LineEnd(l)
			line := d.Src[ls:le]
			off := ls
			if first {
				trimmed := bytes.TrimLeftFunc(line, unicode.IsSpace)
				off += len(line) - len(trimmed)
				line = trimmed
				in.Span.Start = off
			} else {
				if IsCommentLine(line) {
					continue
				}
				if len(bytes.TrimFunc(line, unicode.IsSpace)) == 0 {
					continue
				}
			}
			cut, cont := continuationCut(line, d.Escape)
			if cont {
				line = line[:cut]
			}
			for j := range line {
				pos = append(pos, off+j)
			}
			logical = append(logical, line...)
			lastText = l
			first = false
			if !cont {
				break
			}
		}
		if l > n.EndLine {
			l = n.EndLine
		}
		// The text ends on the last line that gave any: empty or comment
		// lines a continuation runs into at the end are not the
		// instruction's to rewrite.
		in.TextEnd = d.LineEnd(lastText)
		in.ContEnd = d.LineEnd(l)
		in.Logical = string(logical)
		in.pos = pos
		// Heredoc bodies follow the text lines, one after the other.
		for _, h := range n.Heredocs {
			bodyStart := d.LineStart(l + 1)
			term := l + 1
			for term <= n.EndLine {
				t := bytes.TrimRight(d.Src[d.LineStart(term):d.LineEnd(term)], "\r\n")
				if h.Chomp {
					t = bytes.TrimLeft(t, "\t")
				}
				if string(t) == h.Name {
					break
				}
				term++
			}
			in.Heredocs = append(in.Heredocs, Heredoc{
				Name:       h.Name,
				Body:       Span{bodyStart, d.LineStart(term)},
				Terminator: Span{d.LineStart(term), d.LineEnd(term)},
			})
			l = term
		}
		in.Span.End = d.LineEnd(n.EndLine)
		if in.Keyword == "from" {
			stage = &Stage{Index: len(d.Stages), From: in, Doc: d}
			d.parseFrom(stage)
			stage.Parent = d.StageByName(stage.Image, stage.Index)
			if stage.Parent != nil {
				stage.Parent.Children = append(stage.Parent.Children, stage)
			}
			d.Stages = append(d.Stages, stage)
		}
		in.Stage = stage
		if stage != nil {
			stage.Instrs = append(stage.Instrs, in)
		}
		d.Instructions = append(d.Instructions, in)
	}
}

func (d *Document) parseFrom(s *Stage) {
	words := s.From.Words()
	i := 1
	for i < len(words) && strings.HasPrefix(words[i].Text, "--") {
		i++
	}
	if i < len(words) {
		s.Image, s.ImageSpan = words[i].Text, words[i].Span
	}
	if i+2 < len(words) && strings.EqualFold(words[i+1].Text, "as") {
		s.Name, s.NameSpan = words[i+2].Text, words[i+2].Span
	}
}

// Word is a whitespace-separated word of an instruction's Logical text,
// with its logical offsets.
type Word struct {
	Text string
	Span Span // logical offsets into Instruction.Logical
}

// Words splits the Logical text on whitespace. Word 0 is the keyword.
func (in *Instruction) Words() []Word {
	var ws []Word
	s := in.Logical
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		if j > i {
			ws = append(ws, Word{Text: s[i:j], Span: Span{i, j}})
		}
		i = j
	}
	return ws
}

// Args returns the logical text after the keyword and any leading
// `--flag` words, and the logical offset where it starts. For RUN, CMD and
// ENTRYPOINT this is the command.
func (in *Instruction) Args() (string, int) {
	words := in.Words()
	i := 1
	for i < len(words) && strings.HasPrefix(words[i].Text, "--") {
		i++
	}
	if i >= len(words) {
		return "", len(in.Logical)
	}
	start := words[i].Span.Start
	return in.Logical[start:], start
}

// Orig maps a logical offset (0..len(Logical)) to an offset in Src.
func (in *Instruction) Orig(i int) int {
	if len(in.pos) == 0 {
		return in.Span.Start
	}
	if i >= len(in.pos) {
		return in.pos[len(in.pos)-1] + 1
	}
	if i < 0 {
		i = 0
	}
	return in.pos[i]
}

// OrigSpan maps a logical span to the Src span that covers it. A span that
// crosses a continuation covers the line break between its ends.
func (in *Instruction) OrigSpan(s Span) Span {
	if s.End <= s.Start {
		p := in.Orig(s.Start)
		return Span{p, p}
	}
	return Span{in.Orig(s.Start), in.Orig(s.End-1) + 1}
}

// KeywordSpan is the Src span of the instruction keyword.
func (in *Instruction) KeywordSpan() Span {
	return Span{in.Span.Start, in.Span.Start + len(in.Node.Value)}
}

// IsExecForm reports whether a RUN/CMD/ENTRYPOINT/SHELL was written as a
// JSON array.
func (in *Instruction) IsExecForm() bool {
	return in.Node.Attributes["json"]
}

// StageByName finds a stage by its AS name (case-insensitive, as BuildKit
// does), among the stages before index before (use len(Stages) for all).
func (d *Document) StageByName(name string, before int) *Stage {
	if s := d.stageNamed(name); s != nil && s.Index < before {
		return s
	}
	return nil
}

// HasCommentLines reports whether a Src span that crosses lines holds a
// whole comment line after its first line (BuildKit skips such lines inside
// a continuation, so a fix replacing the span would drop them).
func (d *Document) HasCommentLines(s Span) bool {
	first, _ := d.Position(s.Start)
	last, _ := d.Position(s.End)
	for l := first + 1; l <= last; l++ {
		if IsCommentLine([]byte(d.Line(l))) {
			return true
		}
	}
	return false
}
