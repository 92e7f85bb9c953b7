package pkgmgr

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

func TestVerbIndex(t *testing.T) {
	for src, want := range map[string]string{
		"RUN apt-get install x": "install",
		"RUN apt-get -o Dpkg::Options::=--force-confold install x": "install",
		"RUN apt-get -t bookworm-backports install x":              "install",
		"RUN apt-get --target-release=sid install x":               "install",
		"RUN apt-get -qq -y update":                                "update",
		"RUN apt-get -y":                                           "",
		"RUN apt-get $VERB x":                                      "",
	} {
		doc, err := diagnose.Parse("Dockerfile", []byte("FROM debian\n"+src+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		cs := doc.Instructions[1].Commands(doc)
		if len(cs) != 1 {
			t.Fatalf("%s: %d commands", src, len(cs))
		}
		got := ""
		if i := VerbIndex(cs[0]); i >= 0 {
			got = cs[0].Words[i]
		}
		if got != want {
			t.Errorf("%s: verb %q, want %q", src, got, want)
		}
	}
}
