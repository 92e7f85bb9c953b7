package runscript

import (
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"mvdan.cc/sh/v3/syntax"
)

// devWords are the values a script compares a variable with to pick
// a development build: `if [ "$ENV" = dev ]`, `case $MODE in debug)`.
var devWords = map[string]bool{
	"dev": true, "development": true, "develop": true, "devel": true, "debug": true, "local": true,
	"test": true, "testing": true,
}

// prodWords pick the production build; the else of such a test is the
// development branch.
var prodWords = map[string]bool{"prod": true, "production": true, "release": true}

// comparison matches a test's operator and the literal compared with.
var comparison = regexp.MustCompile(`(!=|==|=)\s*["']?([A-Za-z]+)["']?\s*(\]|&&|\|\||;|$)`)

// DevBranch reports whether command c runs only in an explicit
// development branch of its script: the then-branch of an `if` whose
// test compares a variable with dev, development, debug, test... (or the
// else-branch of one that compares it with production), or a `case`
// item whose pattern is such a word. An author who wrote that branch
// wants the dev dependencies and tools there.
func DevBranch(c *diagnose.Command) bool {
	if c.Script == nil || c.Script.File == nil || c.Stmt == nil {
		return false
	}
	src := c.Script.Src
	at := c.Stmt.Pos().Offset()
	inside := func(stmts []*syntax.Stmt) bool {
		return len(stmts) > 0 && stmts[0].Pos().Offset() <= at && at < stmts[len(stmts)-1].End().Offset()
	}
	dev := false
	syntax.Walk(c.Script.File, func(n syntax.Node) bool {
		if n == nil {
			return false
		}
		if n.Pos().Offset() > at || n.End().Offset() <= at {
			return false // c is not inside this node
		}
		switch x := n.(type) {
		case *syntax.IfClause:
			if len(x.Cond) == 0 {
				return true // a plain else, reached through its if
			}
			cond := src[x.Cond[0].Pos().Offset():x.Cond[len(x.Cond)-1].End().Offset()]
			kind := testKind(cond)
			switch {
			case inside(x.Then):
				dev = dev || kind == "dev"
			case x.Else != nil && len(x.Else.Cond) == 0 && inside(x.Else.Then):
				dev = dev || kind == "prod"
			}
		case *syntax.CaseItem:
			if inside(x.Stmts) {
				for _, p := range x.Patterns {
					if w := p.Lit(); devWords[strings.ToLower(w)] {
						dev = true
					}
				}
			}
		}
		return true
	})
	return dev
}

// testKind reads an if's test: "dev" when it holds for a development
// value (`= dev`, `!= production`), "prod" when it holds for a
// production one (`= production`, `!= dev`), "" otherwise.
func testKind(cond string) string {
	m := comparison.FindStringSubmatch(cond)
	if m == nil {
		return ""
	}
	w := strings.ToLower(m[2])
	eq := m[1] != "!="
	switch {
	case devWords[w] == eq && (devWords[w] || prodWords[w]):
		return "dev"
	case prodWords[w] == eq && (devWords[w] || prodWords[w]):
		return "prod"
	}
	return ""
}
