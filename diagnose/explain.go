package diagnose

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// ExplainText renders a rule's teaching doc as plain text for a terminal:
// what the rule checks, why it matters, a bad and a good example, what the
// fix does and how safe it is, and references.
func ExplainText(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s — %s\n", r.Code, r.Name, r.Summary)
	fmt.Fprintf(&b, "Severity: %s · Category: %s · Fix: %s\n", r.Severity, r.Category, r.Fixable)
	if len(r.Aliases) > 0 {
		fmt.Fprintf(&b, "Also known as: %s\n", strings.Join(r.Aliases, ", "))
	}
	section := func(title, body string) {
		fmt.Fprintf(&b, "\n%s\n", title)
		for _, line := range strings.Split(Wrap(body, 76), "\n") {
			fmt.Fprintf(&b, "  %s\n", line)
		}
	}
	example := func(title, body string) {
		fmt.Fprintf(&b, "\n%s\n", title)
		for _, line := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
			fmt.Fprintf(&b, "    %s\n", line)
		}
	}
	files := func(title string, ctx map[string]string) {
		for _, name := range sortedKeys(ctx) {
			example(title+": "+name, ctx[name])
		}
	}
	section("What it checks", r.Doc.What)
	section("Why it matters", r.Doc.Why)
	if r.Doc.GoodContext != nil {
		files("Bad project file", r.Doc.Context)
	} else {
		files("Project file", r.Doc.Context)
	}
	example("Bad", r.Doc.Bad)
	if r.Doc.GoodContext != nil {
		files("Good project file", r.Doc.GoodContext)
	}
	example("Good", r.Doc.Good)
	section("The fix", r.Doc.Fix)
	if len(r.Doc.Refs) > 0 {
		fmt.Fprintf(&b, "\nReferences\n")
		for _, u := range r.Doc.Refs {
			fmt.Fprintf(&b, "  - %s\n", u)
		}
	}
	return b.String()
}

// Wrap breaks text into lines of at most width characters at spaces,
// keeping existing line breaks. The CLI's explain and the doctor's panes
// both use it.
func Wrap(text string, width int) string {
	if width < 10 {
		width = 10
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width {
				out = append(out, line)
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// RulesTable renders every rule as a table: a Markdown table for the README
// when markdown is true, aligned text for `dockdoc rules` otherwise.
func RulesTable(markdown bool) string {
	var b strings.Builder
	if markdown {
		b.WriteString("| Code | Name | Aliases | Severity | Category | Fix | Summary |\n")
		b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
		for _, r := range All() {
			summary := r.Summary
			if r.Optional {
				summary += " (off by default)"
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s | %s |\n", r.Code, r.Name, strings.Join(r.Aliases, ", "), r.Severity, r.Category, r.Fixable, summary)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "%-6s %-32s %-8s %-16s %-10s %s\n", "CODE", "NAME", "SEVERITY", "CATEGORY", "FIX", "ALIASES")
	for _, r := range All() {
		fmt.Fprintf(&b, "%-6s %-32s %-8s %-16s %-10s %s\n", r.Code, r.Name, r.Severity, r.Category, r.Fixable, strings.Join(r.Aliases, ", "))
	}
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
