package deplayer

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// Args are the parser's arguments of an instruction (flags
// excluded, heredoc names included as written).
func Args(in *diagnose.Instruction) []string {
	var out []string
	for n := in.Node.Next; n != nil; n = n.Next {
		out = append(out, n.Value)
	}
	return out
}

// Positionals returns the indices of the positional words after
// index from, skipping options and the values of the options in valueOpts
// written as a separate word. ok is false when a word is not literal.
func Positionals(c *diagnose.Command, from int, valueOpts map[string]bool) (pos []int, ok bool) {
	for i := from + 1; i < len(c.Words); i++ {
		if !c.Lit[i] {
			return pos, false
		}
		w := c.Words[i]
		switch {
		case w == "--":
			for j := i + 1; j < len(c.Words); j++ {
				pos = append(pos, j)
			}
			return pos, true
		case strings.HasPrefix(w, "-") && w != "-":
			if valueOpts[w] {
				i++
			}
		default:
			pos = append(pos, i)
		}
	}
	return pos, true
}

// Workdir is the working directory at in, when the file sets it
// to a known absolute path (in the stage or a stage it builds on).
func Workdir(d *diagnose.Document, st *diagnose.Stage, at *diagnose.Instruction) (string, bool) {
	if st != nil && at.Stage == st && st.Doc == d {
		w := workdirs(d)[at.Index]
		return w.dir, w.known
	}
	var chain []*diagnose.Stage
	if st != nil {
		chain = st.Lineage()
	}
	dir, known := "", false
	for _, s := range chain {
		for _, o := range s.Instrs {
			if s == st && o.Index >= at.Index {
				break
			}
			if o.Keyword != "workdir" || o.Node.Next == nil {
				continue
			}
			v := strings.Trim(o.Node.Next.Value, `"'`)
			switch {
			case strings.Contains(v, "$"):
				dir, known = "", false
			case strings.HasPrefix(v, "/"):
				dir, known = path.Clean(v), true
			case known:
				dir = path.Join(dir, v)
			}
		}
	}
	return dir, known
}

type workdirsKey struct{}

type wd struct {
	dir   string
	known bool
}

// workdirs is, by instruction, the working directory before it
// (as Workdir reads it), computed once per Document: each stage
// starts from where its parent ends.
func workdirs(d *diagnose.Document) []wd {
	return d.Memo(workdirsKey{}, func() any {
		before := make([]wd, len(d.Instructions))
		ends := make([]wd, len(d.Stages))
		for i, s := range d.Stages {
			var w wd
			if s.Parent != nil {
				w = ends[s.Parent.Index]
			}
			for _, o := range s.Instrs {
				before[o.Index] = w
				if o.Keyword != "workdir" || o.Node.Next == nil {
					continue
				}
				v := strings.Trim(o.Node.Next.Value, `"'`)
				switch {
				case strings.Contains(v, "$"):
					w = wd{}
				case strings.HasPrefix(v, "/"):
					w = wd{path.Clean(v), true}
				case w.known:
					w.dir = path.Join(w.dir, v)
				}
			}
			ends[i] = w
		}
		return before
	}).([]wd)
}

// Resolve makes p absolute against the working directory.
func Resolve(p, wd string, wdKnown bool) (string, bool) {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p), true
	}
	if !wdKnown {
		return "", false
	}
	return path.Join(wd, p), true
}
