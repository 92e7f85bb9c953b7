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

func TestAptAssumesYes(t *testing.T) {
	for src, want := range map[string]bool{
		"RUN apt-get install x":                                 false,
		"RUN apt-get install -y x":                              true,
		"RUN apt-get --yes install x":                           true,
		"RUN apt-get --assume-yes install x":                    true,
		"RUN apt-get -qy install x":                             true,
		"RUN apt-get -q install x":                              false,
		"RUN apt-get --quiet install x":                         false,
		"RUN apt-get -q=1 install x":                            false,
		"RUN apt-get -qq install x":                             true,
		"RUN apt-get -q -q install x":                           true,
		"RUN apt-get -q --quiet install x":                      true,
		"RUN apt-get -q=2 install x":                            true,
		"RUN apt-get --quiet=2 install x":                       true,
		"RUN apt-get -q2 install x":                             true,
		"RUN apt-get -q 2 install x":                            true,
		"RUN apt-get install -qq x":                             true,
		"RUN apt-get -o quiet=2 install x":                      true,
		"RUN apt-get -o APT::Get::Assume-Yes=true install x":    true,
		"RUN apt-get -oAPT::Get::Assume-Yes=1 install x":        true,
		"RUN apt-get --option=apt::get::assume-yes=yes install": true,
		"RUN apt-get -o APT::Get::Assume-Yes=false install x":   false,
		"RUN apt-get -o Dpkg::Options::=--force-yes install x":  false,
		"RUN apt-get -tqq install x":                            false, // -t takes "qq" as its value
		"RUN apt-get -o y install x":                            false,
		"RUN apt-get install -- -y":                             false,
		"RUN apt-get $Q install x":                              false,
	} {
		doc, err := diagnose.Parse("Dockerfile", []byte("FROM debian\n"+src+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		cs := doc.Instructions[1].Commands(doc)
		if len(cs) != 1 {
			t.Fatalf("%s: %d commands", src, len(cs))
		}
		if got := AptAssumesYes(cs[0]); got != want {
			t.Errorf("%s: AptAssumesYes = %v, want %v", src, got, want)
		}
	}
}
