package buildvars

import (
	"slices"
	"sort"

	"testing"

	"github.com/dockdoc/dockdoc/diagnose/ruletest"
)

func TestLexAndVarRefs(t *testing.T) {
	for _, tc := range []struct {
		raw, value string
		hasVar, ok bool
		refs       []string
	}{
		{"plain", "plain", false, true, nil},
		{`"a b"`, "a b", false, true, nil},
		{`'$HOME'`, "$HOME", false, true, nil}, // single quotes: no expansion
		{`\$HOME`, "$HOME", false, true, nil},  // escaped dollar
		{"$HOME/bin", "/bin", true, true, []string{"HOME"}},
		{"${A}-${B:-x}", "-x", true, true, []string{"A", "B"}},
		{`"${UNCLOSED`, "", true, false, nil},
	} {
		v, hasVar, ok := Lex(tc.raw, '\\')
		if ok != tc.ok || hasVar != tc.hasVar || (ok && v != tc.value) {
			t.Errorf("Lex(%s) = %q, %v, %v; want %q, %v, %v", tc.raw, v, hasVar, ok, tc.value, tc.hasVar, tc.ok)
		}
		refs := VarRefs(tc.raw, '\\')
		sort.Strings(refs)
		if !slices.Equal(refs, tc.refs) {
			t.Errorf("VarRefs(%s) = %q, want %q", tc.raw, refs, tc.refs)
		}
	}
	// With the backtick escape, a backslash is an ordinary character.
	if v, _, ok := Lex(`C:\app`, '`'); !ok || v != `C:\app` {
		t.Errorf("Lex with backtick escape = %q, %v", v, ok)
	}
}

func TestExpandAndGlobals(t *testing.T) {
	doc := ruletest.MustParseClean(t, "ARG REGISTRY=registry.example\n"+
		"ARG IMAGE=${REGISTRY}/library/alpine\n"+
		"ARG TAG\n"+
		"ARG REGISTRY=registry2.example\n"+
		"FROM ${IMAGE}:${TAG:-3.20}\n"+
		"ARG INSIDE=1\n")
	g := Globals(doc)
	if v, ok := g.Env.Get("IMAGE"); !ok || v != "registry.example/library/alpine" {
		t.Errorf("IMAGE = %q, %v; want registry.example/library/alpine (expanded with the earlier default)", v, ok)
	}
	if v, _ := g.Env.Get("REGISTRY"); v != "registry2.example" {
		t.Errorf("REGISTRY = %q, want the later default registry2.example", v)
	}
	if g.Decl["REGISTRY"] != doc.Instructions[0] {
		t.Errorf("REGISTRY is declared by %v, want the first ARG", g.Decl["REGISTRY"])
	}
	if _, ok := g.Env.Get("TAG"); ok || !g.Keys["TAG"] {
		t.Errorf("TAG: declared without a value, want a key but no value")
	}
	if g.Keys["INSIDE"] || g.DeclaredGlobally("INSIDE") {
		t.Errorf("an ARG inside a stage is not global")
	}
	if !g.Keys["TARGETARCH"] || g.DeclaredGlobally("TARGETARCH") || !IsPlatformArg("TARGETARCH") {
		t.Errorf("TARGETARCH is an automatic platform argument, not declared by the file")
	}
	if v, _ := g.Env.Get("TARGETPLATFORM"); v != "linux/amd64" {
		t.Errorf("TARGETPLATFORM = %q", v)
	}
	if IsPlatformArg("PLATFORM") || IsPlatformArg("targetarch") {
		t.Errorf("IsPlatformArg accepts names BuildKit does not define")
	}
	if len(g.Args) != 4 {
		t.Errorf("%d global ARG instructions, want 4", len(g.Args))
	}

	x, ok := Expand(doc.Stages[0].Image, g.Env, doc.Escape)
	if !ok || x.Result != "registry.example/library/alpine:3.20" {
		t.Errorf("FROM expands to %q, %v", x.Result, ok)
	}
	if _, matched := x.Matched["IMAGE"]; !matched {
		t.Errorf("IMAGE not among the matched variables: %v", x.Matched)
	}
	if _, unmatched := x.Unmatched["TAG"]; !unmatched {
		t.Errorf("TAG (no value) not among the unmatched variables: %v", x.Unmatched)
	}
	if _, ok := Expand("${X:?required}", NewEnv(), '\\'); ok {
		t.Errorf("${X:?} with X unset is a build error, want ok=false")
	}

	e := NewEnv()
	e.Set("B", "2")
	e.Set("A", "1")
	c := e.Clone()
	c.Set("C", "3")
	if !slices.Equal(e.Keys(), []string{"A", "B"}) || !slices.Equal(c.Keys(), []string{"A", "B", "C"}) {
		t.Errorf("Keys = %q / %q: the clone must not share the original's map", e.Keys(), c.Keys())
	}
}

func TestExpandRawKeepsQuotes(t *testing.T) {
	e := NewEnv()
	e.Set("NAME", "world")
	x, ok := ExpandRaw("echo \"hello $NAME\" '${NAME}'\n", e)
	if !ok || x.Result != "echo \"hello world\" 'world'\n" {
		t.Errorf("ExpandRaw = %q, %v; want quotes kept and both references expanded", x.Result, ok)
	}
}

func TestArgsPairsTrigger(t *testing.T) {
	doc := ruletest.MustParseClean(t, "FROM alpine\n"+
		"ARG A B=2 C=\"x y\"\n"+
		"ENV K1=v1 K2=\"v 2\"\n"+
		"ENV LEGACY some value\n"+
		"ONBUILD ARG D=4\n"+
		"ONBUILD COPY a b\n")
	args := Args(doc.Instructions[1].Node)
	if len(args) != 3 || args[0].Key != "A" || args[0].Value != nil || args[1].Key != "B" || *args[1].Value != "2" ||
		args[2].Key != "C" || *args[2].Value != `"x y"` {
		t.Errorf("Args(ARG A B=2 C=\"x y\") = %+v", args)
	}
	ps := Pairs(doc.Instructions[2].Node)
	if want := []pair{{"K1", "v1"}, {"K2", `"v 2"`}}; !slices.Equal(ps, want) {
		t.Errorf("Pairs(ENV) = %+v, want %+v", ps, want)
	}
	if ps := Pairs(doc.Instructions[3].Node); !slices.Equal(ps, []pair{{"LEGACY", "some value"}}) {
		t.Errorf("Pairs(legacy ENV) = %+v", ps)
	}
	n, onbuild := Trigger(doc.Instructions[4])
	if !onbuild || n == nil {
		t.Fatalf("Trigger(ONBUILD ARG) = %v, %v", n, onbuild)
	}
	if a := Args(n); len(a) != 1 || a[0].Key != "D" || *a[0].Value != "4" {
		t.Errorf("Args of the ONBUILD trigger = %+v", a)
	}
	if n, onbuild := Trigger(doc.Instructions[1]); onbuild || n != doc.Instructions[1].Node {
		t.Errorf("Trigger(ARG) = %v, %v; want the instruction's own node", n, onbuild)
	}
	if got := TriggerKeyword(doc.Instructions[5]); got != "copy" {
		t.Errorf("TriggerKeyword(ONBUILD COPY) = %q", got)
	}
	if got := TriggerKeyword(doc.Instructions[1]); got != "" {
		t.Errorf("TriggerKeyword(ARG) = %q, want empty", got)
	}
}

func TestArgWords(t *testing.T) {
	doc := ruletest.MustParseClean(t, "FROM alpine\n"+
		"COPY --chown=app src/ \"$DEST\"\n"+
		"ADD [\"a b.txt\", \"/x/\"]\n"+
		"ONBUILD COPY --link lib /lib/\n")
	ws := ArgWords(doc, doc.Instructions[1])
	if len(ws) != 2 {
		t.Fatalf("COPY: %d words", len(ws))
	}
	if w := ws[0]; w.Raw != "src/" || w.Value != "src/" || w.HasVar || !w.OK {
		t.Errorf("COPY source = %+v", w)
	}
	if w := ws[1]; w.Raw != `"$DEST"` || w.Value != "" || !w.HasVar || !w.OK {
		t.Errorf("COPY destination = %+v", w)
	}
	in := doc.Instructions[1]
	if got := in.Logical[ws[1].Span.Start:ws[1].Span.End]; got != `"$DEST"` {
		t.Errorf("destination span covers %q", got)
	}

	ws = ArgWords(doc, doc.Instructions[2])
	if len(ws) != 2 || ws[0].Value != "a b.txt" || ws[1].Value != "/x/" {
		t.Fatalf("ADD JSON form = %+v", ws)
	}
	in = doc.Instructions[2]
	if got := in.Logical[ws[0].Span.Start:ws[0].Span.End]; got != "a b.txt" {
		t.Errorf("JSON string span covers %q, want the content between the quotes", got)
	}

	ws = ArgWords(doc, doc.Instructions[3])
	if len(ws) != 2 || ws[0].Raw != "lib" || ws[1].Raw != "/lib/" {
		t.Errorf("ONBUILD COPY = %+v", ws)
	}
}

func TestFlags(t *testing.T) {
	doc := ruletest.MustParseClean(t, "FROM alpine AS a\nFROM alpine\nCOPY --link --from=a --chmod=0755 /x /y\nCOPY /x --from=a\n")
	in := doc.Instructions[2]
	if v, ok := FlagValue(in, "from"); !ok || v != "a" {
		t.Errorf("FlagValue(from) = %q, %v", v, ok)
	}
	if v, ok := FlagValue(in, "link"); !ok || v != "" {
		t.Errorf("FlagValue(link) = %q, %v; want present with no value", v, ok)
	}
	if _, ok := FlagValue(in, "chown"); ok {
		t.Errorf("FlagValue(chown) found a flag that is not there")
	}
	v, sp, ok := Flag(in, "chmod")
	if !ok || v != "0755" || in.Logical[sp.Start:sp.End] != "0755" {
		t.Errorf("Flag(chmod) = %q, %+v, %v", v, sp, ok)
	}
	if o, exact := SrcIs(doc, in, sp, "0755"); !exact || string(doc.Src[o.Start:o.End]) != "0755" {
		t.Errorf("SrcIs(chmod value) = %+v, %v", o, exact)
	}
	if _, exact := SrcIs(doc, in, sp, "0644"); exact {
		t.Errorf("SrcIs accepts text that is not there")
	}
	if w, ok := FlagWord(in, "from"); !ok || w.Text != "--from=a" {
		t.Errorf("FlagWord(from) = %+v, %v", w, ok)
	}
	// Flags come before the arguments: a later word is not a flag.
	if _, _, ok := Flag(doc.Instructions[3], "from"); ok {
		t.Errorf("Flag read --from after the arguments")
	}
	if _, ok := FlagWord(doc.Instructions[3], "from"); ok {
		t.Errorf("FlagWord read --from after the arguments")
	}
	fl := FirstLine(doc, in)
	if got := string(doc.Src[fl.Start:fl.End]); got != "COPY --link --from=a --chmod=0755 /x /y" {
		t.Errorf("FirstLine covers %q", got)
	}
}

func TestOneWordAndQuote(t *testing.T) {
	for s, want := range map[string]bool{
		"plain":       true,
		`"a b"`:       true,
		`'a b'`:       true,
		`a\ b`:        true,
		"a b":         false,
		`"unbalanced`: false,
		`trailing\`:   false,
		`'it\'s'`:     false, // no escape inside single quotes: the quote ends there
		"tab\there":   false,
		`x="y z"`:     true,
		"":            true,
	} {
		if got := OneWord(s, '\\'); got != want {
			t.Errorf("OneWord(%q) = %v, want %v", s, got, want)
		}
	}
	// Quote's output is one word that BuildKit's lexer reads back as s.
	for _, s := range []string{"plain", "a b", `say "hi"`, "$HOME", `C:\dir`, "back`tick"} {
		for _, esc := range []rune{'\\', '`'} {
			q := Quote(s, esc)
			if !OneWord(q, esc) {
				t.Errorf("Quote(%q, %q) = %s is not one word", s, esc, q)
			}
			if v, hasVar, ok := Lex(q, byte(esc)); !ok || hasVar || v != s {
				t.Errorf("Quote(%q, %q) = %s reads back as %q (var %v, ok %v)", s, esc, q, v, hasVar, ok)
			}
		}
	}
}

func TestCommentBlock(t *testing.T) {
	doc := ruletest.MustParseClean(t, "# syntax=docker/dockerfile:1\n"+ // 1
		"# Base image args\n"+ // 2
		"ARG V=1\n"+ // 3
		"# unrelated\n"+ // 4
		"\n"+ // 5
		"# The base image.\n"+ // 6
		"# dockdoc ignore=DD001\n"+ // 7
		"#   Pinned on purpose.\n"+ // 8
		"FROM alpine:${V}\n"+ // 9
		"# first\n"+ // 10
		"#\n"+ // 11
		"# second\n"+ // 12
		"RUN true\n") // 13
	for _, tc := range []struct {
		i     int
		texts []string
		lines []int
	}{
		{0, []string{"Base image args"}, []int{2}}, // the syntax directive is not prose
		{1, []string{"The base image.", "Pinned on purpose."}, []int{6, 8}},
		{2, []string{"second"}, []int{12}}, // a bare # ends the block
	} {
		texts, lines := CommentBlock(doc, doc.Instructions[tc.i])
		if !slices.Equal(texts, tc.texts) || !slices.Equal(lines, tc.lines) {
			t.Errorf("CommentBlock(line %d) = %q %v, want %q %v", doc.Instructions[tc.i].StartLine, texts, lines, tc.texts, tc.lines)
		}
	}
}

func TestSortedKeys(t *testing.T) {
	got := SortedKeys(map[string]int{"b": 1, "a": 2, "C": 3})
	if want := []string{"C", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("SortedKeys = %q, want %q", got, want)
	}
	if got := SortedKeys(map[string]bool{}); len(got) != 0 || got == nil {
		t.Errorf("SortedKeys(empty) = %#v, want an empty slice", got)
	}
}
