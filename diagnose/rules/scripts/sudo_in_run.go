package scripts

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD038",
	Name:     "sudo-in-run",
	Severity: diagnose.Error,
	Category: diagnose.Security,
	Aliases:  []string{"DL3004"},
	Summary:  "sudo used in RUN",
	Fixable:  diagnose.FixSometimes,
	Doc: diagnose.Doc{
		What: "Flags `sudo` running a command in a `RUN` or `ONBUILD RUN`, wherever it appears (after `&&`, in an " +
			"`if`, ...). Installing the sudo package, writing to `/etc/sudoers` or mentioning sudo in a string is " +
			"not flagged.",
		Why: "A build runs every `RUN` as the user set by the last `USER` instruction, root by default, so sudo is " +
			"either useless (already root) or a sign that the image gives a normal user the power to become root " +
			"without a password, which defeats the point of running as that user. sudo also changes what the " +
			"command sees: it resets the environment and replaces `PATH` with its own secure path, so variables " +
			"set with `ENV` and tools installed in your `PATH` may silently go missing. It needs a terminal for " +
			"some configurations and is often not even installed in slim images. To run a step as root, put " +
			"`USER root` before it and switch back to the normal user afterwards.",
		Bad: "FROM jenkins/jenkins:lts-jdk17\n" +
			"RUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl",
		Good: "FROM jenkins/jenkins:lts-jdk17\nUSER root\n" +
			"RUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER jenkins",
		Fix: "Removes the word `sudo` when the `RUN` runs as root: the last `USER` before it (in its stage, or in " +
			"the stage it is built FROM) is `root` or `0`, or no `USER` is set at all and the base image is not one known " +
			"to run as another user (`jenkins/jenkins`, `gitpod/workspace-*`, `cimg/*`, `bitnami/*`, …). The fix is unsafe: the command " +
			"then runs with the image's own environment and `PATH` instead of sudo's reset ones, and when no `USER` " +
			"is set the base image may itself switch to another user, so check that the base image runs as " +
			"root. Only a plain `sudo` (or `sudo -E`, `-H`, `-n`, `-S`) is removed; `sudo -u someone` runs as " +
			"another user and gets no fix. When the `RUN` runs as a non-root user there is no fix either: add " +
			"`USER root` before the step and switch back after it.",
		Refs: []string{
			"https://github.com/hadolint/hadolint/wiki/DL3004",
			"https://docs.docker.com/reference/dockerfile/#user",
			"https://www.sudo.ws/docs/man/sudoers.man/#Command_environment",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			for _, c := range runscript.InvokedCommands(d, in) {
				at := -1
				for i := 0; i <= c.Prog && i < len(c.Words); i++ {
					if c.Lit[i] && path.Base(c.Words[i]) == "sudo" {
						at = i
						break
					}
				}
				if at < 0 {
					continue
				}
				user, known := user(d, in)
				span := c.Script.Span(c.Call)
				// Only a plain sudo (or options that keep its user and take
				// no value) in front of a program can go.
				plain, switches := c.Prog < len(c.Words), false
				for i := at + 1; i < c.Prog && i < len(c.Words); i++ {
					switch w := c.Words[i]; {
					case w == "-E" || w == "-H" || w == "-n" || w == "-S" || w == "--preserve-env" ||
						w == "--set-home" || w == "--non-interactive" || w == "--stdin":
					case w == "-u" || w == "-g" || w == "-i" || w == "--login" ||
						strings.HasPrefix(w, "--user") || strings.HasPrefix(w, "--group") ||
						(len(w) > 2 && w[0] == '-' && w[1] != '-' && strings.ContainsAny(w[1:], "ug")):
						plain, switches = false, true
					default:
						plain = false
					}
				}
				switch {
				case switches:
					p.Report(span, "sudo switches users in a build; set USER for this step instead (or use gosu or runuser as root)")
					continue
				case !known:
					p.Report(span, "sudo in a build: a RUN runs as the user of the last USER instruction; switch users with USER instead")
					continue
				case user != "" && !isRoot(user):
					p.Report(span, "sudo lets USER %s become root during the build; put USER root before this step instead", user)
					continue
				}
				if base := images.RootImage(in.Stage); user == "" && base != nil {
					if u, nonRoot := images.DefaultUser(base.Image); nonRoot {
						p.Report(span, "sudo lets %s, the user the base image %s runs as, become root during the build; "+
							"put USER root before this step instead (and USER %s after it)", u, base.Image, u)
						continue
					}
				}
				f := p.Report(span, "sudo is not needed: this RUN already runs as root")
				if user == "" {
					f.Message = "sudo is not needed: with no USER set, this RUN runs as the base image's user, normally root"
				}
				if !plain {
					continue
				}
				sp := c.ArgSpan(at)
				if string(d.Src[sp.Start:sp.End]) != c.Words[at] {
					continue
				}
				start, end := sp.Start, c.ArgSpan(at+1).Start
				if end < sp.End || strings.Trim(string(d.Src[sp.End:end]), " \t") != "" {
					// A continuation follows: take the blank before sudo
					// instead of the one after, keeping the line layout.
					end = sp.End
					if start > 0 && (d.Src[start-1] == ' ' || d.Src[start-1] == '\t') {
						start--
					}
				}
				title := "Remove sudo"
				if at+1 < c.Prog {
					title = "Remove sudo and its options"
					start, end = sp.Start, c.ArgSpan(c.Prog).Start
					if d.HasCommentLines(diagnose.Span{Start: start, End: end}) {
						continue
					}
				}
				fx := f.AddFix(title, fixes.Unsafe, diagnose.Delete(diagnose.Span{Start: start, End: end}))
				if user == "" {
					fx.Note = "No USER is set, so the RUN runs as the base image's user, which is usually root but not always; " +
						"check it. Without sudo the command also sees the image's environment and PATH instead of sudo's."
				} else {
					fx.Note = "The RUN runs as root (USER " + user + "). Without sudo the command sees the image's environment " +
						"and PATH instead of sudo's reset ones."
				}
			}
		}
	},
})

// user returns the user in effect for in: the value of the last USER
// before it in its stage or the stages it builds on ("" when there is
// none), and false when it cannot be known (a variable, no stage).
func user(d *diagnose.Document, in *diagnose.Instruction) (string, bool) {
	if in.Stage == nil {
		return "", false
	}
	user := ""
	for _, s := range in.Stage.Lineage() {
		for _, o := range s.Instrs {
			// An ONBUILD trigger runs in the image built from this stage,
			// as the user the whole stage ends with.
			if s == in.Stage && o.Index >= in.Index && in.Keyword != "onbuild" {
				break
			}
			if o.Keyword == "user" && o.Node.Next != nil {
				user = o.Node.Next.Value
			}
		}
	}
	if strings.Contains(user, "$") {
		return user, false
	}
	return user, true
}

// isRoot reports whether a USER value (user or user:group) is root.
func isRoot(v string) bool {
	u, _, _ := strings.Cut(v, ":")
	return u == "root" || u == "0"
}
