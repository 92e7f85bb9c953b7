package files

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

func TestB5TarExtracts(t *testing.T) {
	for _, c := range []struct{ run, file, dir string }{
		{"tar -xzf a.tgz", "a.tgz", ""},
		{"tar xzf a.tgz -C /opt", "a.tgz", "/opt"},
		{"tar -C /opt -xf a.tar", "a.tar", "/opt"},
		{"tar -xfa.tar", "a.tar", ""},
		{"tar --extract --file a.tar --directory=/srv", "a.tar", "/srv"},
		{"tar -x -f a.tar", "a.tar", ""},
		{"tar -xz < a.tgz", "a.tgz", ""},
		{"tar -xzf - < a.tgz", "a.tgz", ""},
		{"tar -tzf a.tgz", "", ""},                      // listing
		{"tar -czf a.tgz dir", "", ""},                  // creating
		{"tar -xzf a.tgz some/member", "", ""},          // only a member
		{"tar -xzf a.tgz --strip-components=1", "", ""}, // ADD cannot strip
		{"tar -xzf a.tgz --exclude '*.md'", "", ""},     // nor exclude
		{"tar -xzOf a.tgz conf > /etc/conf", "", ""},    // to stdout
		{"curl -sL https://x/a.tgz | tar -xz", "", ""},  // from a pipe
		{"tar -xzf \"$ARCHIVE\"", "", ""},               // a variable
		{"tar -xzf a.tgz -C \"$DIR\"", "a.tgz", "$"},    // a variable directory
		{"sudo tar --get --file=/tmp/a.tar", "/tmp/a.tar", ""},
	} {
		doc, err := diagnose.Parse("Dockerfile", []byte("FROM debian:12\nRUN "+c.run+"\n"))
		if err != nil || doc.ParseErr != nil {
			t.Fatalf("%q: %v %v", c.run, err, doc.ParseErr)
		}
		var file, dir string
		for _, cmd := range doc.Instructions[1].Commands(doc) {
			if f, d := tarExtracts(cmd); f != "" {
				file, dir = f, d
			}
		}
		if file != c.file || dir != c.dir {
			t.Errorf("%q: got (%q, %q), want (%q, %q)", c.run, file, dir, c.file, c.dir)
		}
	}
}
