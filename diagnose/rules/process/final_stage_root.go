package process

import (
	"slices"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
	"github.com/dockdoc/dockdoc/fixes"
)

// uid is the user the advice fix suggests: an unprivileged UID/GID
// that needs no entry in /etc/passwd (distroless images call it nonroot).
const uid = "65532:65532"

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD013",
	Name:     "final-stage-root",
	Severity: diagnose.Warning,
	Category: diagnose.Security,
	Aliases:  []string{"DL3002"},
	Summary:  "the final stage runs as root",
	Fixable:  diagnose.FixSometimes,
	Changes:  []string{"User"},
	Doc: diagnose.Doc{
		What: "An explicit `USER root` last is a warning; a final stage with no `USER` at all is reported as info (the base image may set one). Looks at the user the image will run as: the last `USER` of the final stage, or of the stage it is " +
			"built on when it starts `FROM` an earlier stage. It flags a last `USER` that is `root` or `0` (with or " +
			"without a group, like `root:app` or `0:0`), and it also flags a final stage with no `USER` at all, " +
			"because then the container runs as whatever the base image chose, which for almost every image is root. " +
			"An image built `FROM scratch` has no `/etc/passwd` and no user at all: its process runs as UID 0, and " +
			"only a numeric `USER` (`USER 65532:65532`) works there. (hadolint's DL3002 only flags the explicit `USER root`; leaving `USER` out " +
			"has the same effect, so dockdoc reports both.) Not flagged: a last `USER` given as a variable " +
			"(`USER $APP_USER`), which dockdoc cannot resolve; a final stage with no `USER` on a base image whose name " +
			"or tag says it is non-root (`registry.example/distroless/static:nonroot`, `…-nonroot`, `…-rootless`, " +
			"`…-unprivileged`) or that is known to set a non-root user (`jenkins/jenkins`, `gitpod/workspace-*`, " +
			"`cimg/*`, `bitnami/*`, …); and Windows images (a Windows base image, a backtick escape or a PowerShell/cmd " +
			"`SHELL`), whose accounts work differently. Other stages are not checked on their own: they only build " +
			"files and never become the running container.",
		Why: "A process running as root inside a container is root on the container's file system and holds the " +
			"capabilities Docker grants by default. If the application has a bug an attacker can use (remote code " +
			"execution, path traversal, a malicious dependency), root makes everything worse: they can rewrite any file " +
			"in the image, install tools, read secrets mounted for other purposes, and a container escape, through a " +
			"kernel or runtime flaw or a careless mount of the Docker socket or a host directory, lands them as root " +
			"on the host. Running as an ordinary user costs almost nothing and removes that whole class of damage. " +
			"Many platforms (Kubernetes with `runAsNonRoot`, OpenShift) refuse to start root containers anyway.",
		Bad: "FROM python:3.12-slim\nRUN useradd --create-home app\nUSER app\nCOPY . /app\nUSER root\n" +
			"RUN pip install /app\nCMD [\"python\", \"-m\", \"app\"]",
		Good: "FROM python:3.12-slim\nRUN useradd --create-home app\nUSER app\nCOPY . /app\nUSER root\n" +
			"RUN pip install /app\nUSER app\nCMD [\"python\", \"-m\", \"app\"]",
		Fix: "When the stage switched to a non-root user earlier and then back to `root` for some steps (installing " +
			"packages, say), the fix adds `USER <that user>` again after those steps: just before `CMD`/`ENTRYPOINT` " +
			"when nothing that builds files follows them, otherwise at the end of the stage. It is unsafe: the build " +
			"still works, but the application now runs without root, and it fails if it writes to root-owned files or " +
			"binds a port below 1024. Otherwise dockdoc only shows advice: a `USER 65532:65532` line (a numeric user " +
			"needs no account in the image) that you should adapt. Choosing the user is a decision about your " +
			"application: create one with `useradd`/`adduser` if it needs a name or a home directory, and give it " +
			"the files it writes (`COPY --chown=...`, `chown` in a `RUN`).",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#user",
			"https://docs.docker.com/build/building/best-practices/#user",
			"https://github.com/hadolint/hadolint/wiki/DL3002",
			"https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		if len(d.Stages) == 0 {
			return
		}
		final := d.Stages[len(d.Stages)-1]
		// The final stage and the earlier stages it is built on, base first.
		chain := []*diagnose.Stage{final}
		for s := final; ; {
			parent := d.StageByName(s.Image, s.Index)
			if parent == nil {
				break
			}
			chain = append(chain, parent)
			s = parent
		}
		slices.Reverse(chain)
		if windows(d, chain) {
			return // Windows has no root user; its admin account is another matter
		}
		var users []*diagnose.Instruction
		for _, s := range chain {
			for _, in := range s.Instrs {
				if in.Keyword == "user" && in.Node.Next != nil {
					users = append(users, in)
				}
			}
		}

		if len(users) == 0 {
			base := chain[0].Image
			if _, nonRoot := images.DefaultUser(base); nonRoot {
				return
			}
			from := final.From
			var f *diagnose.Finding
			if strings.EqualFold(base, "scratch") {
				f = p.Report(diagnose.Span{Start: from.Span.Start, End: from.TextEnd},
					"the final stage never sets USER, and an image built FROM scratch has no /etc/passwd: it runs as UID 0 "+
						"(root); set a numeric USER such as %s", uid)
			} else {
				f = p.Report(diagnose.Span{Start: from.Span.Start, End: from.TextEnd},
					"the final stage never sets USER, so the container runs as root unless the base image %q picks another user", base)
			}
			// No USER at all is likelier to be deliberate (or set by the base)
			// than an explicit USER root: hadolint does not flag it. Info.
			f.SetSeverity(diagnose.Info)
			advice(d, f, final, from, strings.EqualFold(base, "scratch"))
			return
		}

		last := users[len(users)-1]
		value := last.Node.Next.Value
		if !mainproc.IsRootUser(value) {
			return
		}
		span := diagnose.Span{Start: last.Span.Start, End: last.TextEnd}
		var f *diagnose.Finding
		if last.Stage == final {
			f = p.Report(span, "the last USER of the final stage is %s, so the container runs as root", value)
		} else {
			f = p.Report(span, "the final stage inherits USER %s from stage %q, so the container runs as root", value, last.Stage.Name)
		}
		after := final.From
		if last.Stage == final {
			after = last
		}
		// The user the stage ran as before it switched to root.
		for i := len(users) - 2; i >= 0; i-- {
			v := users[i].Node.Next.Value
			if mainproc.IsRootUser(v) {
				continue
			}
			if strings.Contains(v, "$") && users[i].Stage != final {
				break // a variable of another stage may mean nothing here
			}
			fx := f.AddFix("Switch back to "+v+" after the root steps", fixes.Unsafe,
				insertUser(d, final, after, v))
			fx.Note = "The build still runs the steps after USER " + value + " as root; only the container now starts as " +
				v + ". Check that the application does not need root at run time (writing root-owned files, binding a port below 1024)."
			return
		}
		advice(d, f, final, after, strings.EqualFold(chain[0].Image, "scratch"))
	},
})

// advice adds the display-only suggestion of a numeric user. An image
// built FROM scratch has no /etc/passwd, so there only a number works.
func advice(d *diagnose.Document, f *diagnose.Finding, final *diagnose.Stage, after *diagnose.Instruction, scratch bool) {
	fx := f.AddFix("Run the container as an unprivileged user", fixes.DisplayOnly,
		insertUser(d, final, after, uid))
	fx.Note = "65532 is only an example of an unused UID/GID. The files the application writes at run time must " +
		"be owned by (or writable for) that user, e.g. COPY --chown=" + uid + "; create a named user with " +
		"useradd or adduser instead if the application needs a home directory."
	if scratch {
		fx.Note = "65532 is only an example of an unused UID/GID. A scratch image has no /etc/passwd, so USER " +
			"takes a number: a name would make the container fail to start (unable to find user), unless you " +
			"COPY an /etc/passwd that has it from the build stage. The files the application writes at run time " +
			"must be owned by (or writable for) that user, e.g. COPY --chown=" + uid + "."
	}
}

// windows reports whether the image is a Windows one: a Windows
// base image, a backtick escape or a PowerShell / cmd SHELL.
func windows(d *diagnose.Document, chain []*diagnose.Stage) bool {
	if d.Escape == '`' {
		return true
	}
	img := strings.ToLower(chain[0].Image)
	for _, w := range []string{"windows", "servercore", "nanoserver"} {
		if strings.Contains(img, w) {
			return true
		}
	}
	for _, s := range chain {
		for _, in := range s.Instrs {
			if in.Keyword == "shell" && in.IsExecForm() && in.Node.Next != nil {
				prog := strings.ToLower(in.Node.Next.Value)
				prog = prog[strings.LastIndexAny(prog, `/\`)+1:]
				switch strings.TrimSuffix(prog, ".exe") {
				case "powershell", "pwsh", "cmd":
					return true
				}
			}
		}
	}
	return false
}

// buildsFiles lists the instructions whose result depends on the
// current user (files and directories they create are owned by it).
var buildsFiles = map[string]bool{"run": true, "copy": true, "add": true, "workdir": true}

// insertUser is the edit adding `USER user` to the final stage
// after instruction after: before the stage's first CMD or ENTRYPOINT
// following it when only metadata comes after that (comment lines directly
// above it stay with it), otherwise after the stage's last instruction.
func insertUser(d *diagnose.Document, final *diagnose.Stage, after *diagnose.Instruction, user string) fixes.Edit {
	var at *diagnose.Instruction
	for _, in := range final.Instrs {
		if in.Index <= after.Index {
			continue
		}
		if buildsFiles[in.Keyword] {
			at = nil
			continue
		}
		if at == nil && (in.Keyword == "cmd" || in.Keyword == "entrypoint") {
			at = in
		}
	}
	if at != nil {
		prevEnd := d.Instructions[at.Index-1].EndLine
		l := at.StartLine
		for l-1 > prevEnd && diagnose.IsCommentLine([]byte(d.Line(l-1))) {
			l--
		}
		return diagnose.Insert(d.LineStart(l), d.Indent(at.StartLine)+"USER "+user+d.EOL)
	}
	last := final.Instrs[len(final.Instrs)-1]
	pos := d.LineBreakEnd(last.EndLine)
	if pos == len(d.Src) && (pos == 0 || d.Src[pos-1] != '\n') {
		return diagnose.Insert(pos, d.EOL+"USER "+user)
	}
	return diagnose.Insert(pos, "USER "+user+d.EOL)
}
