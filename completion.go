package main

// dockdoc completion bash|zsh|fish prints a shell completion script.
//
// Nothing here lists the commands or their flags a second time. They are
// read from what the program already has:
//   - the usage text (dockdoc help): each "  dockdoc NAME ..." line gives a
//     command, its description and its arguments (PATH, RULE, a|b|c), and
//     each "... flags:" block the flags of the commands it names;
//   - the flag sets the commands really parse with: "dockdoc CMD -h"
//     prints them for the commands that keep the flag package's usage, and
//     a command whose synopsis says [flags] takes the common flags of
//     cli.flags (check, fix).
//
// Every flag found is then tried on its command's real parser, and only the
// flags it accepts are completed. A flag or a format added to the usage
// text or to cli.flags is therefore completed without editing this file.

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// shells are the shells dockdoc completion writes scripts for.
var shells = []string{"bash", "zsh", "fish"}

// compFlag is a flag of a command, as completion sees it.
type compFlag struct {
	name  string   // without the dashes
	desc  string   // one line
	arg   string   // "" (a switch), "file", "dir", "rule", "word" (one of words) or "value"
	words []string // the values of a "word" flag
}

// compCommand is a command; the root command (dockdoc [PATH...]) has name "".
type compCommand struct {
	name  string
	desc  string
	pos   string   // positional arguments: "" (none), "path", "rule" or "word"
	words []string // the values of "word" positionals (completion's shells)
	flags []compFlag
}

var (
	synopsisLine = regexp.MustCompile(`^  dockdoc ([a-z][a-z-]*)(.*?)(?:\s{2,}(\S.*))?$`)
	sectionLine  = regexp.MustCompile(`^([a-z][a-z ]*?) flags(?: \((.*)\))?:$`)
	flagLine     = regexp.MustCompile(`^\s+(?:-([a-zA-Z]), )?--([a-z][a-z0-9-]*)(?:[ =]([^\s]+))?(?:\s{2,}(\S.*))?$`)
	defaultsLine = regexp.MustCompile(`^  -([a-z][a-z0-9-]*)(?: (\w+))?$`)
	synopsisFlag = regexp.MustCompile(`--([a-z][a-z0-9-]*)(?:[ =]([^\s\]]+))?`)
	choiceList   = regexp.MustCompile(`\b[a-z][a-z0-9-]*(?:\|[a-z][a-z0-9-]*)+\b`)
	orList       = regexp.MustCompile(`^[a-z][a-z0-9-]*(?:(?:, | or |\|)[a-z][a-z0-9-]*)+$`)
	orSep        = regexp.MustCompile(`, | or |\|`)
	shortFor     = regexp.MustCompile(`^short for --([a-z][a-z0-9-]*)$`)
	defaultNote  = regexp.MustCompile(` \(default .*\)$`)
)

func (c *cli) completion(args []string) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(c.stdout, completionHelp)
		return exitClean
	}
	if len(args) != 1 || !slices.Contains(shells, args[0]) {
		fmt.Fprintf(c.stderr, "dockdoc completion: name one shell: %s\n%s", strings.Join(shells, ", "), completionHelp)
		return exitError
	}
	cmds := completionCommands()
	rules := ruleWords()
	switch args[0] {
	case "bash":
		writeBash(c.stdout, cmds, rules)
	case "zsh":
		writeZsh(c.stdout, cmds, rules)
	case "fish":
		writeFish(c.stdout, cmds, rules)
	}
	return exitClean
}

const completionHelp = `Usage: dockdoc completion bash|zsh|fish

Load the completions in the current shell:
  bash:  source <(dockdoc completion bash)
  zsh:   source <(dockdoc completion zsh)
  fish:  dockdoc completion fish | source

Or install them for every new shell:
  bash:  dockdoc completion bash > ~/.local/share/bash-completion/completions/dockdoc
  zsh:   dockdoc completion zsh > "${fpath[1]}/_dockdoc"
  fish:  dockdoc completion fish > ~/.config/fish/completions/dockdoc.fish
`

// completionCommands derives the commands and their flags from the usage
// text and the real flag sets (see the top of this file).
func completionCommands() []compCommand {
	root := &compCommand{pos: "path", desc: "the interactive doctor"}
	cmds := []*compCommand{root}
	byName := map[string]*compCommand{"": root}
	common := map[string]bool{} // commands whose synopsis says [flags]
	lines := strings.Split(usage, "\n")
	for _, l := range lines {
		m := synopsisLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		cmd := &compCommand{name: m[1], desc: m[3]}
		rest := m[2]
		for _, fm := range synopsisFlag.FindAllStringSubmatch(rest, -1) {
			cmd.flags = addFlag(cmd.flags, flagFrom(fm[1], fm[2], ""))
		}
		rest = synopsisFlag.ReplaceAllString(rest, "")
		switch {
		case strings.Contains(rest, "PATH"):
			cmd.pos = "path"
		case strings.Contains(rest, "RULE"):
			cmd.pos = "rule"
		case choiceList.MatchString(rest):
			cmd.pos, cmd.words = "word", strings.Split(choiceList.FindString(rest), "|")
		}
		common[cmd.name] = strings.Contains(rest, "[flags]")
		if byName[cmd.name] == nil {
			byName[cmd.name] = cmd
			cmds = append(cmds, cmd)
		}
	}
	// help and version are commands too, though the synopsis does not
	// list them; --help and --version are the root's.
	for _, name := range []string{"help", "version"} {
		if byName[name] == nil {
			cmd := &compCommand{name: name, desc: "print the " + map[string]string{"help": "usage", "version": "version"}[name]}
			byName[name] = cmd
			cmds = append(cmds, cmd)
		}
	}
	root.flags = append(root.flags, compFlag{name: "help", desc: "print the usage"}, compFlag{name: "version", desc: "print the version"})

	// "NAME flags (dockdoc [PATH...], guide, demo):" blocks.
	var targets []*compCommand
	var last *compFlag
	for _, l := range lines {
		if m := sectionLine.FindStringSubmatch(l); m != nil {
			targets, last = nil, nil
			names := []string{m[1]}
			if m[2] != "" {
				names = append(names, strings.Split(m[2], ", ")...)
			}
			for _, n := range names {
				if strings.HasPrefix(n, "dockdoc [") {
					n = ""
				}
				if cmd := byName[strings.TrimSpace(n)]; cmd != nil && !slices.Contains(targets, cmd) {
					targets = append(targets, cmd)
				}
			}
			continue
		}
		if strings.TrimSpace(l) == "" || !strings.HasPrefix(l, " ") {
			targets, last = nil, nil
			continue
		}
		if len(targets) == 0 {
			continue
		}
		if m := flagLine.FindStringSubmatch(l); m != nil {
			f := flagFrom(m[2], m[3], m[4])
			for _, cmd := range targets {
				cmd.flags = addFlag(cmd.flags, f)
				if m[1] != "" { // -o, --output FILE
					short := f
					short.name = m[1]
					cmd.flags = addFlag(cmd.flags, short)
				}
			}
			last = &f
		} else if last != nil {
			// A continuation line of the last flag's description.
			last.desc += " " + strings.TrimSpace(l)
			for _, cmd := range targets {
				for i := range cmd.flags {
					if cmd.flags[i].name == last.name {
						cmd.flags[i].desc = last.desc
					}
				}
			}
		}
	}

	// The real flag sets.
	for _, cmd := range cmds {
		if cmd.name == "" || cmd.name == "completion" || cmd.name == "help" || cmd.name == "version" {
			continue
		}
		if common[cmd.name] {
			fs := (&cli{stderr: io.Discard}).flags(cmd.name, &commonFlags{})
			fs.VisitAll(func(fl *flag.Flag) { cmd.flags = addFlag(cmd.flags, fromFlagSet(fl)) })
		}
		_, errs := probe(cmd.name, "-h")
		for _, f := range parseDefaults(errs) {
			cmd.flags = addFlag(cmd.flags, f)
		}
	}
	out := make([]compCommand, 0, len(cmds))
	for _, cmd := range cmds {
		var ok []compFlag
		for _, f := range cmd.flags {
			if m := shortFor.FindStringSubmatch(f.desc); m != nil {
				// "short for --format": complete it as --format.
				for _, long := range cmd.flags {
					if long.name == m[1] {
						f.arg, f.words = long.arg, long.words
					}
				}
			}
			if f.name == "help" || f.name == "version" || accepts(cmd.name, f) {
				ok = append(ok, f)
			}
		}
		cmd.flags = ok
		out = append(out, *cmd)
	}
	return out
}

// flagFrom makes a flag from its name, its argument as the usage text
// writes it (text|json, LEVEL, FILE, ...) and its description.
func flagFrom(name, arg, desc string) compFlag {
	f := compFlag{name: name, desc: desc}
	switch {
	case arg == "":
	case strings.Contains(arg, "|"):
		f.arg, f.words = "word", strings.Split(strings.Trim(arg, "[]"), "|")
	case arg == "DIR":
		f.arg = "dir"
	case arg == "FILE" || arg == "PATH":
		f.arg = "file"
	case strings.HasPrefix(arg, "CODE") || strings.HasPrefix(arg, "RULE"):
		f.arg = "rule"
	case choiceList.MatchString(desc):
		f.arg, f.words = "word", strings.Split(choiceList.FindString(desc), "|")
	default:
		f.arg = "value"
	}
	return f
}

// fromFlagSet makes a flag from a flag.Flag: its usage string may list its
// values ("text or json", "error|warning|info").
func fromFlagSet(fl *flag.Flag) compFlag {
	f := compFlag{name: fl.Name, desc: fl.Usage}
	if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return f
	}
	f.arg = "value"
	switch {
	case fl.Name == "context":
		f.arg = "dir"
	case fl.Name == "config" || fl.Name == "output":
		f.arg = "file"
	case fl.Name == "rule":
		f.arg = "rule"
	default:
		f.arg, f.words = valuesOf(fl.Usage)
	}
	return f
}

// valuesOf reads the values a flag's usage string lists ("text or json",
// "error|warning|info"): ("word", values), else ("value", nil).
func valuesOf(usage string) (string, []string) {
	usage = defaultNote.ReplaceAllString(usage, "")
	if !orList.MatchString(usage) {
		return "value", nil
	}
	return "word", orSep.Split(usage, -1)
}

// parseDefaults reads the flags of flag.PrintDefaults output.
func parseDefaults(s string) []compFlag {
	var out []compFlag
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		m := defaultsLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		desc := ""
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "    \t") {
			desc = strings.TrimSpace(lines[i+1])
		}
		f := compFlag{name: m[1], desc: desc}
		if m[2] != "" {
			f.arg, f.words = valuesOf(desc)
		}
		out = append(out, f)
	}
	return out
}

// addFlag adds f to flags, or merges it into the flag of the same name:
// the first description and argument kind win, values are united.
func addFlag(flags []compFlag, f compFlag) []compFlag {
	for i := range flags {
		if flags[i].name != f.name {
			continue
		}
		if flags[i].desc == "" {
			flags[i].desc = f.desc
		}
		if flags[i].arg == "" || flags[i].arg == "value" {
			if f.arg != "" {
				flags[i].arg = f.arg
			}
		}
		for _, w := range f.words {
			if !slices.Contains(flags[i].words, w) {
				flags[i].words = append(flags[i].words, w)
			}
		}
		return flags
	}
	f.words = slices.Clone(f.words)
	return append(flags, f)
}

// probe runs a command's argument parsing and returns its output. Every
// probe ends in -h, so the parser stops before the command does anything.
func probe(cmd string, args ...string) (string, string) {
	var out, errb bytes.Buffer
	c := &cli{stdout: &out, stderr: &errb, fsys: fixes.OS{}}
	if cmd != "" {
		args = append([]string{cmd}, args...)
	}
	c.dispatch(args)
	return out.String(), errb.String()
}

// accepts reports whether the command's parser knows the flag.
func accepts(cmd string, f compFlag) bool {
	arg := dash(f.name)
	if f.arg != "" {
		arg += "=x"
	}
	_, errs := probe(cmd, arg, "-h")
	return !strings.Contains(errs, "flag provided but not defined")
}

// ruleWords are what --rule and explain take: every rule's code and name.
func ruleWords() []string {
	var w []string
	for _, r := range diagnose.All() {
		w = append(w, r.Code)
	}
	for _, r := range diagnose.All() {
		w = append(w, r.Name)
	}
	return w
}

func commandNames(cmds []compCommand) []string {
	var n []string
	for _, c := range cmds {
		if c.name != "" {
			n = append(n, c.name)
		}
	}
	return n
}

func flagNames(fs []compFlag) []string {
	var n []string
	for _, f := range fs {
		n = append(n, dash(f.name))
	}
	return n
}

// dash is how the flag is written: -f, --format.
func dash(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// ---- bash ----

func writeBash(w io.Writer, cmds []compCommand, rules []string) {
	var b strings.Builder
	names := strings.Join(commandNames(cmds), " ")
	fmt.Fprintf(&b, `# bash completion for dockdoc                                -*- shell-script -*-
# Generated by "dockdoc completion bash".
# Load it now:    source <(dockdoc completion bash)
# Install it:     dockdoc completion bash > ~/.local/share/bash-completion/completions/dockdoc

_dockdoc_files() {
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

_dockdoc_dirs() {
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -d -- "$1")
}

_dockdoc_words() {
    mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2")
}

_dockdoc() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev="" cword=$COMP_CWORD
    (( cword > 0 )) && prev=${COMP_WORDS[cword-1]}
    # bash splits --flag=value at the "=".
    if [[ $cur == "=" ]]; then
        cur=""
    elif [[ $prev == "=" ]]; then
        prev=${COMP_WORDS[cword-2]}
    fi
    local rules=%s
    local cmd=""
    if (( cword > 1 )); then
        case ${COMP_WORDS[1]} in
            %s) cmd=${COMP_WORDS[1]} ;;
        esac
    fi

    # The value of a flag.
    case "$cmd $prev" in
`, shQuote(strings.Join(rules, " ")), strings.Join(commandNames(cmds), "|"))
	for _, c := range cmds {
		for _, f := range c.flags {
			if f.arg == "" {
				continue
			}
			fmt.Fprintf(&b, "        %s) ", shQuote(c.name+" "+dash(f.name)))
			switch f.arg {
			case "file":
				b.WriteString(`_dockdoc_files "$cur"`)
			case "dir":
				b.WriteString(`_dockdoc_dirs "$cur"`)
			case "rule":
				b.WriteString(`_dockdoc_words "$rules" "$cur"`)
			case "word":
				fmt.Fprintf(&b, `_dockdoc_words %s "$cur"`, shQuote(strings.Join(f.words, " ")))
			default:
				b.WriteString("COMPREPLY=()")
			}
			b.WriteString("; return ;;\n")
		}
	}
	b.WriteString(`    esac

    # Flags.
    if [[ $cur == -* ]]; then
        case $cmd in
`)
	for _, c := range cmds {
		fmt.Fprintf(&b, "            %s) _dockdoc_words %s \"$cur\" ;;\n", shQuote(c.name), shQuote(strings.Join(flagNames(c.flags), " ")))
	}
	b.WriteString(`        esac
        return
    fi

    # Arguments.
    case $cmd in
`)
	fmt.Fprintf(&b, `        "")
            if (( cword == 1 )); then
                _dockdoc_files "$cur"
                local c
                while read -r c; do COMPREPLY+=("$c"); done < <(compgen -W %s -- "$cur")
            else
                _dockdoc_files "$cur"
            fi ;;
`, shQuote(names))
	for _, c := range cmds {
		if c.name == "" {
			continue
		}
		fmt.Fprintf(&b, "        %s) ", shQuote(c.name))
		switch c.pos {
		case "path":
			b.WriteString(`_dockdoc_files "$cur"`)
		case "rule":
			b.WriteString(`_dockdoc_words "$rules" "$cur"`)
		case "word":
			fmt.Fprintf(&b, `(( cword == 2 )) && _dockdoc_words %s "$cur"`, shQuote(strings.Join(c.words, " ")))
		default:
			b.WriteString("COMPREPLY=()")
		}
		b.WriteString(" ;;\n")
	}
	b.WriteString(`    esac
}

complete -F _dockdoc dockdoc
`)
	io.WriteString(w, b.String())
}

// shQuote quotes s for sh and bash.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// ---- zsh ----

func writeZsh(w io.Writer, cmds []compCommand, rules []string) {
	var b strings.Builder
	b.WriteString(`#compdef dockdoc
# zsh completion for dockdoc. Generated by "dockdoc completion zsh".
# Load it now:    source <(dockdoc completion zsh)
# Install it:     dockdoc completion zsh > "${fpath[1]}/_dockdoc"   (then start a new zsh)

_dockdoc() {
  local -a commands rules
  commands=(
`)
	for _, c := range cmds {
		if c.name != "" {
			fmt.Fprintf(&b, "    %s\n", shQuote(c.name+":"+c.desc))
		}
	}
	b.WriteString("  )\n  rules=(\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "    %s\n", shQuote(r))
	}
	b.WriteString(`  )

  if (( CURRENT == 2 )) && [[ $PREFIX != -* ]]; then
    _describe -t commands 'dockdoc command' commands
    _files
    return
  fi

  local cmd=${words[2]}
  if (( ${commands[(I)${cmd}:*]} )); then
    shift words
    (( CURRENT-- ))
  else
    cmd=""
  fi
  case $cmd in
`)
	for _, c := range cmds {
		fmt.Fprintf(&b, "    %s)\n      _arguments", shQuote(c.name))
		for _, f := range c.flags {
			b.WriteString(" \\\n        ")
			b.WriteString(zshFlagSpec(f))
		}
		switch c.pos {
		case "path":
			b.WriteString(" \\\n        '*:Dockerfile or directory:_files'")
		case "rule":
			b.WriteString(" \\\n        '*:rule:{compadd -a rules}'")
		case "word":
			fmt.Fprintf(&b, " \\\n        %s", shQuote("1:"+c.name+":("+strings.Join(c.words, " ")+")"))
		}
		b.WriteString("\n      ;;\n")
	}
	b.WriteString(`  esac
}

if [[ $funcstack[1] == _dockdoc ]]; then
  # autoloaded from $fpath: complete now
  _dockdoc "$@"
else
  # sourced: register the function
  compdef _dockdoc dockdoc
fi
`)
	io.WriteString(w, b.String())
}

// zshFlagSpec is an _arguments spec for one flag: '--name=[desc]:msg:action'.
func zshFlagSpec(f compFlag) string {
	desc := zshEscape(f.desc)
	if f.arg == "" {
		return shQuote(dash(f.name) + "[" + desc + "]")
	}
	action := " "
	switch f.arg {
	case "file":
		action = "_files"
	case "dir":
		action = "_files -/"
	case "rule":
		action = "{compadd -a rules}"
	case "word":
		action = "(" + strings.Join(f.words, " ") + ")"
	}
	return shQuote(dash(f.name) + "=[" + desc + "]:" + f.name + ":" + action)
}

// zshEscape escapes what _arguments gives a meaning to in a description.
func zshEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `:`, `\:`).Replace(s)
}

// ---- fish ----

func writeFish(w io.Writer, cmds []compCommand, rules []string) {
	var b strings.Builder
	names := strings.Join(commandNames(cmds), " ")
	ruleList := fishQuote(strings.Join(rules, " "))
	fmt.Fprintf(&b, `# fish completion for dockdoc. Generated by "dockdoc completion fish".
# Load it now:    dockdoc completion fish | source
# Install it:     dockdoc completion fish > ~/.config/fish/completions/dockdoc.fish

complete -c dockdoc -e
complete -c dockdoc -f

`)
	for _, c := range cmds {
		if c.name != "" {
			fmt.Fprintf(&b, "complete -c dockdoc -n __fish_use_subcommand -a %s -d %s\n", fishQuote(c.name), fishQuote(c.desc))
		}
	}
	for _, c := range cmds {
		cond := "__fish_seen_subcommand_from " + c.name
		if c.name == "" {
			cond = "not __fish_seen_subcommand_from " + names
		}
		fmt.Fprintf(&b, "\n# %s\n", map[bool]string{true: "dockdoc [PATH...]", false: "dockdoc " + c.name}[c.name == ""])
		switch c.pos {
		case "path":
			fmt.Fprintf(&b, "complete -c dockdoc -n %s -F\n", fishQuote(cond))
		case "rule":
			fmt.Fprintf(&b, "complete -c dockdoc -n %s -a %s\n", fishQuote(cond), ruleList)
		case "word":
			fmt.Fprintf(&b, "complete -c dockdoc -n %s -a %s\n", fishQuote(cond), fishQuote(strings.Join(c.words, " ")))
		}
		for _, f := range c.flags {
			opt := "-l " + f.name
			if len(f.name) == 1 {
				opt = "-s " + f.name
			}
			fmt.Fprintf(&b, "complete -c dockdoc -n %s %s", fishQuote(cond), opt)
			switch f.arg {
			case "file":
				b.WriteString(" -r -F")
			case "dir":
				b.WriteString(" -x -a '(__fish_complete_directories)'")
			case "rule":
				b.WriteString(" -x -a " + ruleList)
			case "word":
				fmt.Fprintf(&b, " -x -a %s", fishQuote(strings.Join(f.words, " ")))
			case "value":
				b.WriteString(" -x")
			}
			if f.desc != "" {
				fmt.Fprintf(&b, " -d %s", fishQuote(f.desc))
			}
			b.WriteString("\n")
		}
	}
	io.WriteString(w, b.String())
}

// fishQuote quotes s for fish in single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
