package rules

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

// FuzzBuildKitCheckRules runs DD069–DD080 on arbitrary input: no rule may panic and
// every fix they offer must give a file that still parses.
func FuzzBuildKitCheckRules(f *testing.F) {
	for _, s := range []string{
		"ARG V=1\nFROM alpine:${V}\nCOPY $V /x\n",
		"FROM --platform=$TARGETPLATFORM scratch AS Build\nFROM scratch\nCOPY --from=Build /a /b\nEXPOSE 80:80/TCP\n",
		"# x\nARG A=${B:-c} D\nFROM ${A}\nENV E=1 F=$E\nRUN --mount=type=cache,from=Build,id=$X true\n",
		"FROM scratch\nCOPY <<EOF /a\n$HOME ${X:+y}\nEOF\nLABEL $K=v\nEXPOSE [::1]:1:2 1:\n",
	} {
		f.Add([]byte(s))
	}
	codes := []string{"DD069", "DD070", "DD071", "DD072", "DD073", "DD074", "DD075", "DD076", "DD077", "DD078", "DD079", "DD080"}
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := diagnose.Parse("Dockerfile", src)
		if err != nil || doc.ParseErr != nil {
			return
		}
		fs := diagnose.Run(doc, diagnose.Options{Only: codes})
		var choices []diagnose.Choice
		for i := range fs {
			if strings.Contains(fs[i].Message, "internal error") {
				t.Fatal(fs[i].Message)
			}
			for _, p := range fs[i].Problems {
				t.Fatal(p)
			}
			if len(fs[i].Fixes) > 0 {
				choices = append(choices, diagnose.Choice{Finding: &fs[i], Alt: 0})
			}
		}
		c := diagnose.Compose(doc, choices)
		if err := diagnose.Verify(c.Out); err != nil && len(choices) > 0 {
			t.Fatalf("fixed file does not parse: %v\n%s", err, c.Out)
		}
	})
}
