package process

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/diagnose/mainproc"
	"github.com/dockdoc/dockdoc/diagnose/migrate"
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
		Bad: "FROM debian:12-slim\nCOPY app /usr/local/bin/app\nCMD [\"app\"]",
		Good: "FROM debian:12-slim\nCOPY app /usr/local/bin/app\n" +
			"RUN groupadd --system --gid 10001 app && \\\n" +
			"    useradd --system --no-log-init --uid 10001 --gid app --no-create-home app\n" +
			"USER 10001:10001\nCMD [\"app\"]",
		Fix: "All fixes are unsafe: the build runs as before, but the application then runs without root, and it fails " +
			"if it writes where that user may not. They write a numeric `USER uid:gid` (Kubernetes' `runAsNonRoot` " +
			"can check a number, not a name) after the stage's last `RUN`, `COPY`, `ADD` or `WORKDIR`, just before " +
			"`CMD`/`ENTRYPOINT`/`HEALTHCHECK` when only metadata follows them, otherwise at the end of the stage: " +
			"every build step still runs as the same user, so installs keep their root. When the stage switched to a " +
			"non-root user earlier and then back to `root`, the fix switches back to that user (by number when it " +
			"is the image's own user, `node` is `1000:1000`). Otherwise the user follows the base image's family " +
			"(dockdoc's table, checked " + images.UserPlansChecked + "): the image's own user in the official `node` " +
			"image (`USER 1000:1000`), the .NET 8+ images (`app`, `1654:1654`) and distroless images (`nonroot`, " +
			"`65532:65532`); a numeric `USER 65532:65532` on `scratch`, which has no `/etc/passwd`; and on Debian " +
			"and Ubuntu based official images (debian, ubuntu, python, ruby, golang, ... except their `-alpine` " +
			"variants), Alpine and BusyBox, and UBI, Fedora, Rocky, Alma, Oracle Linux and CentOS, a `RUN` that " +
			"first creates a system user `app` with uid and gid 10001 and no home directory (`groupadd`/`useradd " +
			"--no-log-init`, BusyBox's `addgroup -S`/`adduser -S`, shadow-utils' `groupadd -r`/`useradd -r -l`). " +
			"The directories a `VOLUME` declares are created and given to that user in the same `RUN`; no other " +
			"ownership changes, since which paths the application writes is yours to say (`COPY --chown=...`). " +
			"When the image EXPOSEs a port below 1024, the fix's note says that Docker Engine 20.10 and later lets " +
			"any user bind it (it sets `net.ipv4.ip_unprivileged_port_start=0` in the container's network " +
			"namespace) but Kubernetes does not by default: there the container needs `NET_BIND_SERVICE` or a port " +
			"of 1024 or above. A final stage that ships its build toolchain (DD029, single-stage-toolchain) gets only " +
			"advice: the migration to a builder and a runtime stage sets the runtime's USER. On other base images (minimal UBI, Amazon Linux and others without `useradd`, images " +
			"dockdoc does not know, a base given by a variable it cannot expand) dockdoc only shows advice: a " +
			"`USER 65532:65532` line to adapt.",
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
			offer(d, f, chain, from)
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
			// The image's own user (node in the node image) is written by
			// number, as DD066 (user-non-numeric) asks.
			write, title := v, v
			if plan, ok := images.PlanUser(chain[0].Image); ok && plan.Create == "" && plan.Name != "" &&
				(v == plan.Name || v == plan.Name+":"+plan.Name) {
				write = plan.User()
				title = v + " (" + write + ")"
			}
			edits := insertUser(d, final, after, "", "USER "+write)
			if edits == nil {
				return
			}
			fx := f.AddFix("Switch back to "+title+" after the root steps", fixes.Unsafe, edits...)
			fx.Note = "The build still runs the steps after USER " + value + " as root; only the container now starts as " +
				title + ". Check that the application does not need root at run time (writing root-owned files, say)." + portNote(chain)
			return
		}
		offer(d, f, chain, after)
	},
})

// offer adds the fix that makes the container run as an unprivileged
// user chosen by the family of the base image (images.PlanUser): the
// image's own user, or one the fix creates; for a base dockdoc does not
// know, display-only advice.
func offer(d *diagnose.Document, f *diagnose.Finding, chain []*diagnose.Stage, after *diagnose.Instruction) {
	final := chain[len(chain)-1]
	base := chain[0].Image
	if r, ok := images.ResolveRef(d, base, images.GlobalArgs(d)); ok {
		base = r
	}
	scratch := strings.EqualFold(base, "scratch")
	plan, ok := images.PlanUser(base)
	migration := migrates(d, chain)
	if !ok || migration {
		edits := insertUser(d, final, after, "", "USER "+uid)
		if edits == nil {
			return
		}
		fx := f.AddFix("Run the container as an unprivileged user", fixes.DisplayOnly, edits...)
		fx.Note = "dockdoc does not know which users and tools the base image has, so this is only advice: " +
			"65532 is an example of an unused UID/GID. The files the application writes at run time must " +
			"be owned by (or writable for) that user, e.g. COPY --chown=" + uid + "; create a named user with " +
			"useradd or adduser if the application needs a home directory." + portNote(chain)
		if migration {
			fx.Note = "The final stage ships its build toolchain (DD029, single-stage-toolchain): the migration to a " +
				"builder and a runtime stage sets the runtime's own numeric USER, and this finding goes with it. " +
				"Without it: " + fx.Note
		}
		return
	}
	user := plan.User()
	run := []string{}
	if plan.Create != "" {
		run = append(run, strings.Split(plan.Create, " && ")...)
	}
	vols := volumes(d, chain)
	if plan.Shell && len(vols) > 0 {
		run = append(run, "mkdir -p "+strings.Join(vols, " "), "chown -R "+user+" "+strings.Join(vols, " "))
	}
	runLine := ""
	if len(run) > 0 {
		// One command a line, continued with the file's escape character.
		runLine = "RUN " + strings.Join(run, " && "+string(rune(d.Escape))+d.EOL+"    ")
	}
	var title, note string
	switch {
	case plan.Create != "":
		title = "Create the system user " + plan.Name + " (" + user + ") and run as it"
		note = "The new RUN creates " + plan.Name + " with uid and gid " + strconv.Itoa(plan.UID) + " (no home directory, no login records) and the container runs as " + user + "."
	case scratch:
		title = "Run as the numeric user " + user
		note = "A scratch image has no /etc/passwd, so USER takes a number (a name would make the container fail to start); " + user + " needs no account."
	default:
		title = "Run as the image's " + plan.Name + " user (" + user + ")"
		note = "The " + plan.Family + " base image has the user " + plan.Name + " with uid and gid " + strconv.Itoa(plan.UID) + "; USER names it by number so that Kubernetes' runAsNonRoot can check it."
	}
	note += " The build runs as before; only the container starts without root."
	switch {
	case len(vols) > 0 && plan.Shell:
		note += " The VOLUME directories (" + strings.Join(vols, ", ") + ") are made " + user + "'s; any other file the application writes at run time must be writable by " + strconv.Itoa(plan.UID) + " too."
	case len(vols) > 0:
		note += " The image has no shell to chown the VOLUME directories (" + strings.Join(vols, ", ") + "): copy them from a build stage with COPY --chown=" + user + ", or the application cannot write there."
	default:
		note += " Files the application writes at run time must be writable by " + strconv.Itoa(plan.UID) + "; dockdoc found no VOLUME, so it changes no ownership: give the directories the application writes to that user (COPY --chown=" + user + ", or chown in a RUN)."
	}
	edits := insertUser(d, final, after, runLine, "USER "+user)
	if edits == nil {
		return
	}
	fx := f.AddFix(title, fixes.Unsafe, edits...)
	fx.Note = note + portNote(chain)
}

// migrates reports whether the final stage ships its toolchain, which
// DD029 (single-stage-toolchain) reports and, when it can, splits into a
// builder and a runtime stage that sets its own USER: a user created here
// would make the two fixes give different files in either order.
func migrates(d *diagnose.Document, chain []*diagnose.Stage) bool {
	eco := migrate.Ecosystem(chain[0].Image)
	if eco == "" {
		return false
	}
	for _, s := range chain {
		for _, in := range s.Instrs {
			if (in.Keyword == "copy" || in.Keyword == "add") && migrate.CopyFromStage(d, in) {
				return false
			}
		}
	}
	// Whether DD029 reports, not whether it can migrate now: other fixes
	// (a pinned tag, an exec-form CMD) can make the migration possible,
	// and the user this rule would create is not something it reads.
	return migrate.ToolchainUse(d, chain, eco) != ""
}

// volumes lists the VOLUME targets of the stages, written literally as
// absolute paths, each once.
func volumes(d *diagnose.Document, chain []*diagnose.Stage) []string {
	var out []string
	for _, s := range chain {
		for _, in := range s.Instrs {
			if in.Keyword != "volume" {
				continue
			}
			for n := in.Node.Next; n != nil; n = n.Next {
				v := n.Value
				if v != "" {
					v = path.Clean(v)
				}
				if v == "" || v[0] != '/' || strings.ContainsAny(v, "$'\"\\ \t*?[]{}();&|<>`") || slices.Contains(out, v) {
					continue
				}
				out = append(out, v)
			}
		}
	}
	return out
}

// portNote explains, when the stages EXPOSE a port below 1024, where a
// process without root can bind it.
func portNote(chain []*diagnose.Stage) string {
	var low []string
	for _, s := range chain {
		for _, in := range s.Instrs {
			if in.Keyword != "expose" {
				continue
			}
			for n := in.Node.Next; n != nil; n = n.Next {
				num, _, _ := strings.Cut(n.Value, "/")
				num, _, _ = strings.Cut(num, "-")
				if p, err := strconv.Atoi(num); err == nil && p > 0 && p < 1024 && !slices.Contains(low, num) {
					low = append(low, num)
				}
			}
		}
	}
	if len(low) == 0 {
		return ""
	}
	return " The image EXPOSEs port " + strings.Join(low, ", ") + ", below 1024: Docker Engine 20.10 and later sets " +
		"net.ipv4.ip_unprivileged_port_start=0 in the container's network namespace, so a non-root process can " +
		"bind it there; Kubernetes does not by default, so there the container needs the NET_BIND_SERVICE " +
		"capability (securityContext.capabilities.add) or a port of 1024 or above."
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

// insertUser are the edits adding the line user (`USER 10001:10001`)
// and, when run is not "", a RUN line (creating the user) to the final
// stage after instruction after. USER goes before the stage's first CMD,
// ENTRYPOINT or HEALTHCHECK following it when only metadata comes after
// that (comment lines directly above it stay with it), otherwise after
// the stage's last instruction; the RUN goes right after the last
// instruction that builds files (or after `after`), above the metadata, as
// mainproc.PathEdit places its ENV, so that the two fixes give the same
// file in either order. No RUN of the file comes after the new USER:
// every build step runs as the same user as before. They are nil when the
// file ends in an open continuation line.
func insertUser(d *diagnose.Document, final *diagnose.Stage, after *diagnose.Instruction, run, user string) []fixes.Edit {
	var at *diagnose.Instruction
	lastBuild := after
	if after.Stage != final {
		lastBuild = final.From
	}
	for _, in := range final.Instrs {
		if in.Index <= after.Index {
			continue
		}
		if buildsFiles[in.Keyword] {
			at, lastBuild = nil, in
			continue
		}
		if at == nil && (in.Keyword == "cmd" || in.Keyword == "entrypoint" || in.Keyword == "healthcheck") {
			at = in
		}
	}
	if at != nil {
		prevEnd := d.Instructions[at.Index-1].EndLine
		l := at.StartLine
		for l-1 > prevEnd && diagnose.IsCommentLine([]byte(d.Line(l-1))) {
			l--
		}
		indent := d.Indent(at.StartLine)
		pos := d.LineStart(l)
		// When DD021 puts a directory on PATH (mainproc.PathEdit inserts
		// its ENV at this same line start), USER replaces the line's first
		// byte with itself after the new line instead of inserting: the
		// ENV then sorts above it in the same round, as it does when
		// either fix comes first.
		userEdit := diagnose.Insert(pos, indent+user+d.EOL)
		if h, ok := mainproc.Hardened(d, final); ok && h.PathDir != "" {
			userEdit = fixes.Edit{Start: pos, End: pos + 1, New: indent + user + d.EOL + string(d.Src[pos])}
		}
		if run == "" {
			return []fixes.Edit{userEdit}
		}
		return []fixes.Edit{diagnose.Insert(d.LineBreakEnd(lastBuild.EndLine), indent+run+d.EOL), userEdit}
	}
	text := user
	if run != "" {
		text = run + d.EOL + user
	}
	last := final.Instrs[len(final.Instrs)-1]
	if l := strings.TrimRight(d.Line(last.EndLine), " \t\r\n"); strings.HasSuffix(l, string(rune(d.Escape))) {
		return nil // the file ends in a continuation: a line added after it would join the instruction
	}
	pos := d.LineBreakEnd(last.EndLine)
	if pos == len(d.Src) && (pos == 0 || d.Src[pos-1] != '\n') {
		return []fixes.Edit{diagnose.Insert(pos, d.EOL+text)}
	}
	return []fixes.Edit{diagnose.Insert(pos, text+d.EOL)}
}
