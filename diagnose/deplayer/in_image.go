package deplayer

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/pkgmgr"
)

// CoversContextFile reports whether a COPY or bind-mount source
// (relative to the build context) brings the context file rel with it: the
// file itself, a glob matching it, or a directory holding it (the context
// root, for files at the root). A source with a variable covers nothing.
func CoversContextFile(src, rel string) bool {
	if strings.Contains(src, "$") {
		return false
	}
	s := strings.TrimPrefix(path.Clean("/"+src), "/")
	switch {
	case s == "" || s == "." || s == rel:
		return true
	}
	if ok, err := path.Match(s, rel); err == nil && ok {
		return true
	}
	return strings.HasPrefix(rel, s+"/")
}

// ContextFileInImage reports whether the build context's file rel (a
// lockfile, a manifest) is in the image when RUN in starts: copied from the
// context by an earlier COPY or ADD of its stage or of a stage it is built
// FROM, or bind-mounted from the context into the RUN. A file that
// .dockerignore excludes never reaches the image.
func ContextFileInImage(d *diagnose.Document, in *diagnose.Instruction, rel string) bool {
	if d.Ctx != nil && d.Ctx.DockerIgnore.Ignores(rel) {
		return false
	}
	return copiedBefore(in, func(src string) bool { return CoversContextFile(src, rel) })
}

// NamedInImage is ContextFileInImage for a file that must be named: a COPY
// or mount of the file itself or of a glob matching it (go.* , *.lock), not
// of a whole directory. Without the build context this is the only
// evidence that a project file such as go.mod is in the image.
func NamedInImage(d *diagnose.Document, in *diagnose.Instruction, rel string) bool {
	return copiedBefore(in, func(src string) bool {
		if strings.Contains(src, "$") {
			return false
		}
		s := strings.TrimPrefix(path.Clean("/"+src), "/")
		if s == rel || path.Base(s) == path.Base(rel) {
			return true
		}
		ok, err := path.Match(path.Base(s), path.Base(rel))
		return err == nil && ok && strings.ContainsAny(s, "*?[")
	})
}

// copiedBefore reports whether a source that match accepts reaches RUN
// in from the build context: a bind mount of the context into the RUN, or
// a COPY or ADD from the context (not --from, not a here-document) earlier
// in its stage or in a stage it is built FROM.
func copiedBefore(in *diagnose.Instruction, match func(src string) bool) bool {
	for _, m := range pkgmgr.Mounts(in) {
		if m.Type == "bind" && m.From == "" && match(m.Source) {
			return true
		}
	}
	if in.Stage == nil {
		return false
	}
	for _, s := range in.Stage.Lineage() {
		for _, o := range s.Instrs {
			if o.Index >= in.Index {
				break
			}
			if o.Keyword != "copy" && o.Keyword != "add" || len(o.Heredocs) > 0 {
				continue
			}
			if _, ok := pkgmgr.CopyFlag(o, "from"); ok {
				continue
			}
			args := Args(o)
			for i := 0; i+1 < len(args); i++ {
				if match(args[i]) {
					return true
				}
			}
		}
	}
	return false
}
