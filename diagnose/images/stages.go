package images

import (
	"regexp"

	"github.com/dockdoc/dockdoc/diagnose"
)

// RootImage follows a stage's FROM chain through earlier stages and
// returns the stage at its root (the one built FROM an image).
func RootImage(s *diagnose.Stage) *diagnose.Stage {
	for i := 0; s.Parent != nil && i < 64; i++ {
		s = s.Parent
	}
	return s
}

var windowsImageRe = regexp.MustCompile(`(?i)windows|nanoserver|servercore`)

// WindowsStage reports whether a stage looks like a Windows image
// (backtick escape, or a Windows base image name somewhere in its chain).
func WindowsStage(d *diagnose.Document, s *diagnose.Stage) bool {
	if d.Escape == '`' {
		return true
	}
	if s != nil && s.Doc == d {
		return windowsDist(d)[s.Index] < 64
	}
	for i := 0; s != nil && i < 64; i++ {
		if windowsImageRe.MatchString(s.From.Logical) {
			return true
		}
		s = s.Parent
	}
	return false
}

type windowsDistKey struct{}

// windowsDist is, by stage, how many stages up its chain of parents
// (0: itself) the nearest FROM naming a Windows image is, 64 when none is
// within 63; computed once per Document, so each FROM is matched once.
func windowsDist(d *diagnose.Document) []int {
	return d.Memo(windowsDistKey{}, func() any {
		dist := make([]int, len(d.Stages))
		for i, s := range d.Stages {
			switch {
			case windowsImageRe.MatchString(s.From.Logical):
				dist[i] = 0
			case s.Parent != nil && s.Parent.Index < i && dist[s.Parent.Index] < 64:
				dist[i] = dist[s.Parent.Index] + 1
			default:
				dist[i] = 64 // none within reach
			}
		}
		return dist
	}).([]int)
}

// StageRef resolves a --from value to an earlier stage (by name or
// number), or nil when it names an image, a build context or nothing.
func StageRef(d *diagnose.Document, cur *diagnose.Stage, val string) *diagnose.Stage {
	if s := d.StageByName(val, cur.Index); s != nil {
		return s
	}
	n := 0
	for _, c := range val {
		if c < '0' || c > '9' {
			return nil
		}
		n = n*10 + int(c-'0')
		if n > 1<<20 {
			return nil
		}
	}
	if val != "" && n < cur.Index {
		return d.Stages[n]
	}
	return nil
}
