package main

// dockdoc explain and dockdoc rules: teach one rule, list every rule.

import (
	"encoding/json"
	"flag"
	"fmt"

	"github.com/dockdoc/dockdoc/diagnose"
)

func (c *cli) explain(args []string) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	format := fs.String("format", "text", "text or json")
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
	switch *format {
	case "json":
		var out []map[string]any
		for _, r := range rules {
			m := ruleJSON(r)
			m["doc"] = map[string]any{"what": r.Doc.What, "why": r.Doc.Why, "bad": r.Doc.Bad, "good": r.Doc.Good, "fix": r.Doc.Fix, "references": r.Doc.Refs}
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
		"fixable": r.Fixable.String(),
	}
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
