package scripts

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD055",
	Name:     "bin-sh-symlink",
	Severity: diagnose.Warning,
	Category: diagnose.Maintainability,
	Aliases:  []string{"DL4005"},
	Summary:  "RUN replaces /bin/sh with a link instead of using SHELL",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags `ln` in a `RUN` that creates or replaces `/bin/sh` (or `/usr/bin/sh`), such as " +
			"`ln -sf /bin/bash /bin/sh`, usually done so that later `RUN` lines get bash. Also checked in " +
			"`ONBUILD RUN`. Unlike hadolint, which flags any `ln` that mentions `/bin/sh`, dockdoc only " +
			"flags the link when `/bin/sh` is its destination: `ln -s /bin/sh /usr/local/bin/sh2` leaves " +
			"/bin/sh alone and is not flagged.",
		Why: "Replacing /bin/sh changes the shell of every program in the image, not just of the Dockerfile: " +
			"system scripts, package maintainer scripts and the application's own `system()` calls all start " +
			"running in bash instead of the shell they were written and tested for. The change is hidden in a " +
			"`RUN` line, so readers of the Dockerfile do not see which shell the later `RUN` lines use. The " +
			"`SHELL` instruction exists for exactly this: it changes the shell the Dockerfile's own shell-form " +
			"commands run with, visibly, and touches nothing else in the image.",
		Bad:  "RUN ln -sf /bin/bash /bin/sh\nRUN source /opt/env.sh && make",
		Good: "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN source /opt/env.sh && make",
		Fix: "None automatic: removing the link changes what the image's programs run with, which only you " +
			"can judge. Delete the `ln` and put `SHELL [\"/bin/bash\", \"-c\"]` (or with `-o pipefail`) before " +
			"the `RUN` lines that need bash. Shell-form `CMD` and `ENTRYPOINT` use `SHELL` too.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#shell",
			"https://github.com/hadolint/hadolint/wiki/DL4005",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			for _, c := range runscript.RunOrOnbuildCommands(d, in) {
				if c.Name() != "ln" {
					continue
				}
				if target, ok := linkReplacesSh(c); ok {
					p.Report(c.Script.Span(c.Call),
						"this ln makes /bin/sh a link to %s, which changes the shell of every program in the image; use the SHELL instruction to choose the shell of RUN", target)
				}
			}
		}
	},
})

// linkReplacesSh reports whether an ln command creates /bin/sh (or
// /usr/bin/sh), and what it links it to.
func linkReplacesSh(c *diagnose.Command) (string, bool) {
	var operands []string
	targetDir, noDir := "", false
	for i := c.Prog + 1; i < len(c.Words); i++ {
		w := runscript.WordText(c.Call.Args[i])
		if w == "--" {
			for _, a := range c.Call.Args[i+1:] {
				operands = append(operands, runscript.WordText(a))
			}
			break
		}
		switch {
		case w == "-t" || w == "--target-directory":
			if i+1 < len(c.Words) {
				targetDir = runscript.WordText(c.Call.Args[i+1])
			}
			i++
		case strings.HasPrefix(w, "--target-directory="):
			targetDir = strings.TrimPrefix(w, "--target-directory=")
		case w == "-S" || w == "--suffix":
			i++
		case w == "-T" || w == "--no-target-directory":
			noDir = true
		case strings.HasPrefix(w, "--"):
		case strings.HasPrefix(w, "-") && len(w) > 1:
			if strings.Contains(w, "T") {
				noDir = true
			}
			if k := strings.IndexByte(w, 't'); k > 0 {
				targetDir = w[k+1:]
				if targetDir == "" && i+1 < len(c.Words) {
					i++
					targetDir = runscript.WordText(c.Call.Args[i])
				}
			}
		default:
			operands = append(operands, w)
		}
	}
	isSh := func(p string) bool {
		p = path.Clean(p)
		return p == "/bin/sh" || p == "/usr/bin/sh"
	}
	isBin := func(p string) bool {
		p = path.Clean(p)
		return p == "/bin" || p == "/usr/bin"
	}
	if targetDir != "" {
		if isBin(targetDir) {
			for _, o := range operands {
				if path.Base(o) == "sh" {
					return o, true
				}
			}
		}
		return "", false
	}
	if len(operands) < 2 {
		return "", false
	}
	dest := operands[len(operands)-1]
	if isSh(dest) && len(operands) == 2 {
		return operands[0], true
	}
	if !noDir && isBin(dest) {
		for _, o := range operands[:len(operands)-1] {
			if path.Base(o) == "sh" {
				return o, true
			}
		}
	}
	return "", false
}
