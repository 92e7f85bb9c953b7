package main

// dockdoc explain and dockdoc rules: teach one rule, list every rule.

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

func (c *cli) explain(args []string) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	format := fs.String("format", "text", "text or json")
	write := fs.String("write", "", "write each rule's examples (bad/ and good/, with their project files) under DIR/CODE")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	if len(pos) == 0 {
		fmt.Fprintln(c.stderr, "dockdoc explain: name a rule (a code like DD001, a name, or a hadolint/BuildKit alias); dockdoc rules lists them")
		return exitError
	}
	var rules []*diagnose.Rule
	for _, name := range pos {
		r := diagnose.Lookup(name)
		if r == nil {
			fmt.Fprintf(c.stderr, "dockdoc explain: no rule %q (dockdoc rules lists them)\n", name)
			return exitError
		}
		rules = append(rules, r)
	}
	if *write != "" {
		for _, r := range rules {
			if err := writeExamples(*write, r); err != nil {
				fmt.Fprintf(c.stderr, "dockdoc explain: %v\n", err)
				return exitError
			}
			fmt.Fprintf(c.stdout, "wrote %s (bad/ and good/: run dockdoc check on each)\n", filepath.Join(*write, r.Code))
		}
		return exitClean
	}
	switch *format {
	case "json":
		var out []map[string]any
		for _, r := range rules {
			m := ruleJSON(r)
			doc := map[string]any{"what": r.Doc.What, "why": r.Doc.Why, "bad": r.Doc.Bad, "good": r.Doc.Good, "fix": r.Doc.Fix, "references": r.Doc.Refs}
			if r.Doc.Context != nil {
				doc["context"] = r.Doc.Context
			}
			if r.Doc.GoodContext != nil {
				doc["good_context"] = r.Doc.GoodContext
			}
			m["doc"] = doc
			out = append(out, m)
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	case "text":
		for i, r := range rules {
			if i > 0 {
				fmt.Fprintln(c.stdout)
			}
			fmt.Fprint(c.stdout, diagnose.ExplainText(r))
		}
	default:
		fmt.Fprintf(c.stderr, "dockdoc explain: unknown format %q (want text or json)\n", *format)
		return exitError
	}
	return exitClean
}

func ruleJSON(r *diagnose.Rule) map[string]any {
	return map[string]any{
		"code": r.Code, "name": r.Name, "aliases": append([]string{}, r.Aliases...),
		"severity": r.Severity.String(), "category": string(r.Category), "summary": r.Summary,
		"fixable": r.Fixable.String(), "optional": r.Optional,
	}
}

// writeExamples writes a rule's Bad and Good examples as dir/CODE/bad and
// dir/CODE/good, each a Dockerfile with the project files it needs, so a
// class can run dockdoc on them. It refuses to overwrite a file.
func writeExamples(dir string, r *diagnose.Rule) error {
	good := r.Doc.Context
	if r.Doc.GoodContext != nil {
		good = r.Doc.GoodContext
	}
	for _, ex := range []struct {
		sub, src string
		files    map[string]string
	}{{"bad", r.Doc.Bad, r.Doc.Context}, {"good", r.Doc.Good, good}} {
		files := map[string]string{"Dockerfile": strings.TrimRight(ex.src, "\n") + "\n"}
		for k, v := range ex.files {
			files[k] = v
		}
		for name, body := range files {
			clean := filepath.Clean(filepath.FromSlash(name))
			if filepath.IsAbs(clean) || strings.HasPrefix(clean, "..") {
				return fmt.Errorf("%s: example file %q is outside its directory", r.Code, name)
			}
			p := filepath.Join(dir, r.Code, ex.sub, clean)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return err
			}
			_, err = f.WriteString(body)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *cli) rules(args []string) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	format := fs.String("format", "text", "text or json")
	if _, err := parseInterspersed(fs, args); err != nil {
		return exitError
	}
	switch *format {
	case "json":
		out := []map[string]any{}
		for _, r := range diagnose.All() {
			out = append(out, ruleJSON(r))
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	case "text":
		fmt.Fprint(c.stdout, diagnose.RulesTable(false))
	default:
		fmt.Fprintf(c.stderr, "dockdoc rules: unknown format %q (want text or json)\n", *format)
		return exitError
	}
	return exitClean
}
