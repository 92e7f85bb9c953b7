package scripts

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
	"github.com/dockdoc/dockdoc/diagnose/runscript"
	"github.com/dockdoc/dockdoc/fixes"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD054",
	Name:     "useradd-high-uid",
	Severity: diagnose.Warning,
	Category: diagnose.Size,
	Aliases:  []string{"DL3046"},
	Summary:  "useradd with a high UID and without -l bloats the image",
	Fixable:  diagnose.FixAlways,
	Doc: diagnose.Doc{
		What: "Flags `useradd` with a UID above 65535 (`-u 100000`, `--uid=100000`, `-mu 100000`) and " +
			"without `-l` / `--no-log-init`. A UID written as a variable is looked up in `ENV` and in `ARG` " +
			"defaults of the stage; when its value is unknown nothing is reported. Also checked in `ONBUILD " +
			"RUN`. Unlike hadolint, which counts the characters of the value (six or more), dockdoc reads the " +
			"number: a UID given as `$APP_UID` is not flagged just because the text is long, `--uid 123456` is " +
			"seen, and UIDs from 65536 to 99999 (where lastlog already passes 19 MB) are flagged too. `adduser` " +
			"is not checked.",
		Why: "useradd records each user in `/var/log/lastlog` and `/var/log/faillog`, at a position computed " +
			"from the UID. For a UID of 1,000,000 that position is almost 300 MB into lastlog. On disk the file " +
			"is sparse and costs nothing, but image layers are tar archives, which store the holes as real " +
			"zeros: the layer grows by that much, and a UID in the billions can fill the builder's disk. " +
			"Containers never use these login records, so there is nothing to lose by skipping them.",
		Bad:  "RUN useradd -u 1000000 -m app",
		Good: "RUN useradd -l -u 1000000 -m app",
		Fix: "Inserts `-l` right after `useradd`. Safe: it only stops useradd from writing the lastlog and " +
			"faillog records, which nothing reads inside a container.",
		Refs: []string{
			"https://man7.org/linux/man-pages/man8/useradd.8.html",
			"https://github.com/moby/moby/issues/5419",
			"https://github.com/hadolint/hadolint/wiki/DL3046",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			for _, c := range runscript.RunOrOnbuildCommands(d, in) {
				if c.Name() != "useradd" {
					continue
				}
				uidText, noLog := useraddArgs(c)
				if noLog || uidText == "" {
					continue
				}
				uid, ok := resolveNumber(d, in, c, uidText)
				if !ok || uid <= 65535 {
					continue
				}
				f := p.Report(c.Script.Span(c.Call),
					"useradd with UID %d and without -l writes lastlog and faillog records that make the layer about %s larger",
					uid, sizeText((uid+1)*(292+32)))
				f.AddFix("Add -l to useradd", fixes.Safe, diagnose.Insert(c.ArgSpan(c.Prog).End, " -l"))
			}
		}
	},
})

// useraddShortArg are useradd's short options that take a value.
const useraddShortArg = "bcdefgGkKpRPsuZ"

// useraddArgs returns the value of useradd's UID option as written
// (literal text, or the source text when it holds a variable; "" when
// there is none) and whether -l / --no-log-init is given.
func useraddArgs(c *diagnose.Command) (uid string, noLog bool) {
	word := func(i int) string {
		if w := runscript.WordText(c.Call.Args[i]); !strings.Contains(w, "$") {
			return w
		}
		return c.Script.Text(c.Call.Args[i])
	}
	for i := c.Prog + 1; i < len(c.Call.Args); i++ {
		w := word(i)
		switch {
		case w == "--":
			return uid, noLog
		case w == "--no-log-init":
			noLog = true
		case w == "--uid":
			if i+1 < len(c.Call.Args) {
				uid = word(i + 1)
			}
			i++
		case strings.HasPrefix(w, "--uid="):
			uid = strings.TrimPrefix(w, "--uid=")
		case strings.HasPrefix(w, "--"):
			if !strings.Contains(w, "=") && useraddLongArg[w] {
				i++
			}
		case strings.HasPrefix(w, "-") && len(w) > 1:
			// A group of short options: -lmu 100000, -u100000.
			for j := 1; j < len(w); j++ {
				o := w[j]
				if o == 'l' {
					noLog = true
				}
				if strings.IndexByte(useraddShortArg, o) < 0 {
					continue
				}
				val := w[j+1:]
				if val == "" && i+1 < len(c.Call.Args) {
					i++
					val = word(i)
				}
				if o == 'u' {
					uid = val
				}
				break
			}
		}
	}
	return uid, noLog
}

// useraddLongArg are useradd's long options that take a value.
var useraddLongArg = map[string]bool{
	"--base-dir": true, "--comment": true, "--home-dir": true, "--expiredate": true, "--inactive": true,
	"--gid": true, "--groups": true, "--skel": true, "--key": true, "--password": true, "--root": true,
	"--prefix": true, "--shell": true, "--selinux-user": true,
}

var varRef = regexp.MustCompile(`^"?\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))"?$`)

// resolveNumber reads a non-negative number written literally or as a
// single variable ($UID, ${UID}, "$UID") whose value the stage sets with
// ENV or an ARG default, or the script exports before c.
func resolveNumber(d *diagnose.Document, in *diagnose.Instruction, c *diagnose.Command, text string) (int, bool) {
	if m := varRef.FindStringSubmatch(text); m != nil {
		v, ok := pkgmgr.Env(d, in, c, m[1]+m[2])
		if !ok {
			return 0, false
		}
		text = v
	}
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// sizeText renders a size for a message: "29 MB", "2.9 GB".
func sizeText(n int) string {
	switch {
	case n >= 10<<30:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}
