package files

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
	"mvdan.cc/sh/v3/syntax"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD057",
	Name:     "copy-archive-then-extract",
	Severity: diagnose.Info,
	Category: diagnose.Size,
	Aliases:  []string{"DL3010"},
	Summary:  "a tar archive is COPYed, then unpacked by a later RUN",
	Fixable:  diagnose.FixNone,
	Scope:    diagnose.ShippedStages,
	Doc: diagnose.Doc{
		What: "Flags a `COPY` of a local tar archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tbz2`, `.tar.xz`, " +
			"`.txz`) that a later `RUN` of the same stage unpacks with `tar -x` (`tar xzf`, `tar --extract --file=`, " +
			"`tar -x < file`). Not flagged: `COPY --from` (ADD cannot copy from a stage); an archive that is only " +
			"copied and never unpacked; a `tar` that does something `ADD` cannot do (extracts only some members, " +
			"`--strip-components`, `--exclude`, `--transform`, `-O`); a `RUN` that checks the archive " +
			"(`sha256sum`, `gpg --verify`) before unpacking it. Unlike hadolint, dockdoc does not flag zip files and " +
			"`unzip`, or plain `.gz` files and `gunzip`: `ADD` only unpacks tar archives, so it would not help there. " +
			"Checked in stages the image is made of: the last stage and the stages it is built `FROM`, directly or " +
			"through others. A builder stage that later stages only read with `COPY --from` is not checked: the " +
			"files copied out of it ship, the layer holding its archive does not.",
		Why: "Each instruction adds a layer, and a layer keeps every file it wrote. The `COPY` layer holds the archive " +
			"for good: the `RUN` that unpacks it adds a second layer with the extracted files, and an `rm` of the " +
			"archive in that `RUN` only hides it, it does not make the image smaller. `ADD archive.tar.gz /dest/` " +
			"unpacks the archive while copying, so the image holds only the extracted files, in one layer.",
		Bad:  "COPY vendor.tar.gz /tmp/\nRUN tar -xzf /tmp/vendor.tar.gz -C /opt && rm /tmp/vendor.tar.gz",
		Good: "ADD vendor.tar.gz /opt/",
		Fix: "No automatic fix: both instructions change, and the `RUN` may do more than unpack. Replace the `COPY` " +
			"with `ADD archive /dir/`, where `/dir/` is the directory `tar` unpacked into (its `-C`, or the working " +
			"directory), and remove the `tar` command and the `rm` of the archive. `ADD` unpacks tar files compressed " +
			"with gzip, bzip2 or xz; it keeps the owners and permissions stored in the archive, as `tar` run as root " +
			"does.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#add",
			"https://docs.docker.com/build/building/best-practices/#add-or-copy",
			"https://github.com/hadolint/hadolint/wiki/DL3010",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		// One group of instructions per stage (and the ones before the
		// first FROM, which hadolint also checks).
		var groups [][]*diagnose.Instruction
		var pre []*diagnose.Instruction
		for _, in := range d.Instructions {
			if in.Stage == nil {
				pre = append(pre, in)
			}
		}
		groups = append(groups, pre)
		for _, st := range d.Stages {
			groups = append(groups, st.Instrs)
		}
		for _, instrs := range groups {
			type copied struct {
				span diagnose.Span
				src  string // the source as written
				name string // the archive's name in the image
				done bool
			}
			var archives []*copied
			for _, in := range instrs {
				switch in.Keyword {
				case "copy":
					if _, ok := buildvars.FlagValue(in, "from"); ok {
						continue
					}
					args := buildvars.ArgWords(d, in)
					if len(args) < 2 {
						continue
					}
					dest := args[len(args)-1]
					destName := ""
					if dest.OK && !dest.HasVar && !strings.HasSuffix(dest.Value, "/") && isTarName(dest.Value) {
						destName = path.Base(dest.Value) // the archive is renamed on the way in
					}
					for _, src := range args[:len(args)-1] {
						if !src.OK || src.HasVar || !isTarName(src.Value) {
							continue
						}
						name := path.Base(src.Value)
						if destName != "" {
							name = destName
						}
						archives = append(archives, &copied{span: in.OrigSpan(src.Span), src: src.Raw, name: name})
					}
				case "run":
					if len(archives) == 0 {
						continue
					}
					cmds := in.Commands(d)
					if runVerifies(cmds) {
						continue
					}
					for _, c := range cmds {
						file, dir := tarExtracts(c)
						if file == "" {
							continue
						}
						for _, a := range archives {
							if a.done || path.Base(file) != a.name {
								continue
							}
							a.done = true
							what := a.src
							if path.Base(a.src) != a.name {
								what += " (as " + a.name + ")"
							}
							to := dir
							if to == "" || strings.Contains(to, "$") {
								to = "<dir>"
							}
							to = strings.TrimSuffix(to, "/") + "/"
							p.Report(a.span, "%s is copied in, then unpacked by tar on line %d: the archive stays in this "+
								"layer for good; ADD %s %s unpacks it while copying", what, in.StartLine, a.src, to)
						}
					}
				}
			}
		}
	},
})

// tarExts are the archive names ADD unpacks: tar, plain or compressed
// with gzip, bzip2 or xz.
var tarExts = []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tb2", ".tar.xz", ".txz"}

func isTarName(s string) bool {
	for _, e := range tarExts {
		if strings.HasSuffix(s, e) && len(s) > len(e) {
			return true
		}
	}
	return false
}

// runVerifies reports whether a RUN checks a file's integrity (checksum
// or signature), which is a reason to unpack it by hand.
func runVerifies(cmds []*diagnose.Command) bool {
	for _, c := range cmds {
		switch c.Name() {
		case "sha256sum", "sha512sum", "sha1sum", "md5sum", "shasum", "gpg", "gpgv", "cosign", "minisign":
			return true
		}
	}
	return false
}

// tar options that take a value: short letters, and long names when the
// value is the next word.
var (
	tarShortValue = "fCTXbHIKNVgFL"
	tarLongValue  = map[string]bool{
		"--file": true, "--directory": true, "--files-from": true, "--exclude-from": true, "--blocking-factor": true,
		"--format": true, "--use-compress-program": true, "--starting-file": true, "--newer": true, "--after-date": true,
		"--label": true, "--listed-incremental": true, "--info-script": true, "--new-volume-script": true,
		"--tape-length": true, "--exclude": true, "--strip-components": true, "--transform": true, "--xform": true,
		"--owner": true, "--group": true, "--mode": true, "--mtime": true, "--to-command": true, "--newer-mtime": true,
		"--record-size": true, "--rmt-command": true, "--rsh-command": true, "--volno-file": true, "--checkpoint-action": true,
		"--occurrence": true, "--warning": true,
	}
	// tarSelective are options that make tar unpack something other than
	// the whole archive as it is, which ADD cannot do.
	tarSelective = map[string]bool{
		"--strip-components": true, "--exclude": true, "--exclude-from": true, "--transform": true, "--xform": true,
		"--files-from": true, "--to-stdout": true, "--to-command": true, "--starting-file": true, "--newer": true,
		"--after-date": true, "--newer-mtime": true, "--one-top-level": true, "--wildcards": true, "--occurrence": true,
		"--exclude-vcs": true, "--exclude-caches": true, "--anchored": true,
	}
	tarSelectiveShort = "XTOKN"
)

// tarExtracts returns the archive file a tar command unpacks whole (its
// -f / --file value, or a file redirected to its input) and the directory
// it unpacks into (-C, --directory; "" for the working directory), or ""
// when the command is no plain extraction.
func tarExtracts(c *diagnose.Command) (file, dir string) {
	if c.Name() != "tar" {
		return "", ""
	}
	extract := false
	fileSet := false
	operands := 0
	pending := []byte{} // short options still waiting for their value
	takeValue := func(opt byte, v string, lit bool) bool {
		if strings.IndexByte(tarSelectiveShort, opt) >= 0 {
			return false
		}
		switch opt {
		case 'f':
			fileSet = true
			if lit {
				file = v
			}
		case 'C':
			dir = v
			if !lit {
				dir = "$"
			}
		}
		return true
	}
	for i := c.Prog + 1; i < len(c.Words); i++ {
		w, lit := c.Words[i], c.Lit[i]
		if len(pending) > 0 {
			opt := pending[0]
			pending = pending[1:]
			if !takeValue(opt, w, lit) {
				return "", ""
			}
			continue
		}
		if !lit {
			operands++
			continue
		}
		switch {
		case w == "--":
			operands += len(c.Words) - i - 1
			i = len(c.Words)
		case strings.HasPrefix(w, "--"):
			name, val, hasVal := strings.Cut(w, "=")
			if tarSelective[name] {
				return "", ""
			}
			switch name {
			case "--extract", "--get":
				extract = true
			case "--file":
				if hasVal {
					fileSet, file = true, val
				} else {
					pending = append(pending, 'f')
				}
			case "--directory":
				if hasVal {
					dir = val
				} else {
					pending = append(pending, 'C')
				}
			default:
				if tarLongValue[name] && !hasVal {
					pending = append(pending, 0)
				}
			}
		case strings.HasPrefix(w, "-") && len(w) > 1:
			for j := 1; j < len(w); j++ {
				o := w[j]
				if strings.IndexByte(tarSelectiveShort, o) >= 0 {
					return "", ""
				}
				if o == 'x' {
					extract = true
				}
				if strings.IndexByte(tarShortValue, o) >= 0 {
					if j+1 < len(w) {
						if !takeValue(o, w[j+1:], true) {
							return "", ""
						}
					} else {
						pending = append(pending, o)
					}
					break
				}
			}
		case i == c.Prog+1 && tarOldStyle(w):
			// old-style options without a dash: "xzf file"
			for j := 0; j < len(w); j++ {
				o := w[j]
				if strings.IndexByte(tarSelectiveShort, o) >= 0 {
					return "", ""
				}
				if o == 'x' {
					extract = true
				}
				if strings.IndexByte(tarShortValue, o) >= 0 {
					pending = append(pending, o)
				}
			}
		default:
			operands++ // a member name: only part of the archive is unpacked
		}
	}
	if !extract || operands > 0 {
		return "", ""
	}
	if !fileSet || file == "-" {
		file = ""
		if c.Stmt != nil {
			for _, r := range c.Stmt.Redirs {
				if r.Op == syntax.RdrIn && r.Word != nil {
					if v, ok := diagnose.LiteralWord(r.Word); ok {
						file = v
					}
				}
			}
		}
	}
	return file, dir
}

// tarOldStyle reports whether a first tar argument is a bundle of
// old-style option letters (xzf, xvf, ...).
func tarOldStyle(w string) bool {
	if w == "" || !strings.ContainsAny(w, "xtcrudA") {
		return false
	}
	for _, r := range w {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}
