package labels

import (
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// AuthorsLabel is the OCI annotation that replaces MAINTAINER.
const AuthorsLabel = "org.opencontainers.image.authors"

// EscapeLabel makes s a double-quoted LABEL value that BuildKit
// reads back as exactly s: `"`, `$` and the escape character get the
// escape character in front.
func EscapeLabel(s string, esc byte) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '$' || c == esc {
			b.WriteByte(esc)
		}
		b.WriteByte(c)
	}
	return b.String()
}

// StageHasAuthorsLabel reports whether any LABEL of the stage sets
// org.opencontainers.image.authors.
func StageHasAuthorsLabel(st *diagnose.Stage) bool {
	if st == nil {
		return false
	}
	for _, o := range st.Instrs {
		if o.Keyword != "label" {
			continue
		}
		// LABEL nodes are triples: key, value, separator.
		for n := o.Node.Next; n != nil; {
			key := strings.NewReplacer(`"`, "", `'`, "").Replace(n.Value)
			if key == AuthorsLabel {
				return true
			}
			if n.Next == nil || n.Next.Next == nil {
				break
			}
			n = n.Next.Next.Next
		}
	}
	return false
}
