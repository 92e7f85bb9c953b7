package main

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/types"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// The dependency rules of docs/architecture.md, checked on the source:
//
//   - the core (diagnose) and the knowledge packages under it import no
//     rule package (diagnose/rules/...), directly or through others;
//   - a rule family imports no other rule family;
//   - in a rule family, every non-test file holds one rule, and no non-test
//     file refers to a top-level name (function, type, variable, constant,
//     method) declared in another file: what two rules share lives in a
//     knowledge package;
//   - no non-test source file is over maxLines lines, and no file outside a
//     rule family is named after rule numbers.
const (
	module   = "github.com/dockdoc/dockdoc"
	rulesPkg = module + "/diagnose/rules"
	maxLines = 800
)

func loadDiagnose(t *testing.T) []*packages.Package {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedImports |
		packages.NeedDeps | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo}
	pkgs, err := packages.Load(cfg, "./diagnose/...")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			t.Fatalf("%s: %v", p.PkgPath, e)
		}
	}
	return pkgs
}

func isRulePkg(path string) bool { return strings.HasPrefix(path, rulesPkg+"/") }

// family is the rule family a package path belongs to ("" when none).
func family(path string) string {
	if !isRulePkg(path) {
		return ""
	}
	return strings.SplitN(strings.TrimPrefix(path, rulesPkg+"/"), "/", 2)[0]
}

func TestDependencyRules(t *testing.T) {
	pkgs := loadDiagnose(t)
	var families int
	for _, p := range pkgs {
		switch {
		case p.PkgPath == rulesPkg:
			continue // the aggregator imports every family, by design
		case isRulePkg(p.PkgPath):
			families++
			packages.Visit([]*packages.Package{p}, nil, func(dep *packages.Package) {
				if dep != p && isRulePkg(dep.PkgPath) {
					t.Errorf("rule family %s imports rule family %s", p.PkgPath, dep.PkgPath)
				}
			})
			checkOneRulePerFile(t, p)
		case strings.HasPrefix(p.PkgPath, module+"/diagnose"):
			packages.Visit([]*packages.Package{p}, nil, func(dep *packages.Package) {
				if dep.PkgPath == rulesPkg || isRulePkg(dep.PkgPath) {
					t.Errorf("%s (core or knowledge) imports rule package %s", p.PkgPath, dep.PkgPath)
				}
			})
		}
	}
	if families < 5 {
		t.Errorf("found %d rule families under %s; the layout of docs/architecture.md is gone", families, rulesPkg)
	}
}

// checkOneRulePerFile holds a family's files to one rule each and to no
// reference across its files.
func checkOneRulePerFile(t *testing.T, p *packages.Package) {
	t.Helper()
	declFile := map[types.Object]string{}
	for _, f := range p.Syntax {
		name := filepath.Base(p.Fset.Position(f.Pos()).Filename)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				declFile[p.TypesInfo.Defs[d.Name]] = name
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						declFile[p.TypesInfo.Defs[s.Name]] = name
						// fields and methods of the type count as the file's too
						if obj := p.TypesInfo.Defs[s.Name]; obj != nil {
							if st, ok := obj.Type().Underlying().(*types.Struct); ok {
								for i := 0; i < st.NumFields(); i++ {
									declFile[st.Field(i)] = name
								}
							}
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							declFile[p.TypesInfo.Defs[n]] = name
						}
					}
				}
			}
		}
	}
	for _, f := range p.Syntax {
		name := filepath.Base(p.Fset.Position(f.Pos()).Filename)
		if len(f.Decls) == 0 {
			continue // a package comment (doc.go)
		}
		rules := 0
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Register" {
					if fn, ok := p.TypesInfo.Uses[sel.Sel].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == module+"/diagnose" {
						rules++
						if rn := ruleName(n); rn != "" && strings.ReplaceAll(rn, "-", "_")+".go" != name {
							t.Errorf("%s/%s holds rule %s; name the file %s.go", p.PkgPath, name, rn, strings.ReplaceAll(rn, "-", "_"))
						}
					}
				}
			case *ast.Ident:
				obj := p.TypesInfo.Uses[n]
				if obj == nil || obj.Pkg() != p.Types {
					return true
				}
				if other, ok := declFile[obj]; ok && other != name {
					t.Errorf("%s/%s refers to %s, declared in %s: rules share code only through knowledge packages",
						p.PkgPath, name, obj.Name(), other)
				}
			}
			return true
		})
		if rules != 1 {
			t.Errorf("%s/%s registers %d rules; a rule family file holds exactly one", p.PkgPath, name, rules)
		}
	}
}

// ruleName is the Name field of the &diagnose.Rule{...} passed to Register.
func ruleName(call *ast.CallExpr) string {
	if len(call.Args) != 1 {
		return ""
	}
	u, ok := call.Args[0].(*ast.UnaryExpr)
	if !ok {
		return ""
	}
	lit, ok := u.X.(*ast.CompositeLit)
	if !ok {
		return ""
	}
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Name" {
				if b, ok := kv.Value.(*ast.BasicLit); ok {
					return strings.Trim(b.Value, `"`)
				}
			}
		}
	}
	return ""
}

var ruleNumberName = regexp.MustCompile(`(?i)(^|_)dd[0-9]{3}`)

func TestFileSizesAndNames(t *testing.T) {
	var over []string
	checked := 0
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != "." && (strings.HasPrefix(n, ".") || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checked++
		if n := countLines(b); n > maxLines {
			over = append(over, fmt.Sprintf("%s (%d lines)", p, n))
		}
		if ruleNumberName.MatchString(filepath.Base(p)) {
			t.Errorf("%s is named after rule numbers; name a file for what it holds", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d source files; is the test running from the repository root?", checked)
	}
	sort.Strings(over)
	for _, f := range over {
		t.Errorf("%s: over %d lines", f, maxLines)
	}
}

func countLines(b []byte) int {
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		n++
	}
	return n
}
