package rules

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
	"github.com/dockdoc/dockdoc/internal/corpus"
)

// TestCorpusSweep runs the whole engine over every real Dockerfile of the
// shared corpus and collects every failure into one report:
//   - no rule panics;
//   - with no fix selected the output is byte-identical;
//   - all safe fixes, then all fixes: the result parses, the fixes converge,
//     fixing again changes nothing, and the BOM, the line endings and the
//     final newline (or its absence) are kept.
func TestCorpusSweep(t *testing.T) {
	files := corpus.Files(t)
	var problems []string
	refused := map[string]int{} // by rule: fixes the model of the build refused
	report := func(f, format string, args ...any) {
		problems = append(problems, filepath.Base(f)+": "+fmt.Sprintf(format, args...))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := diagnose.Parse(f, src)
		if err != nil {
			report(f, "not a Dockerfile: %v", err)
			continue
		}
		findings := diagnose.Run(doc, diagnose.Options{})
		for _, fd := range findings {
			if strings.Contains(fd.Message, "internal error") {
				report(f, "%s", fd.Message)
			}
			for _, p := range fd.Problems {
				report(f, "%s: %s", fd.ID(), p)
			}
		}
		if c := diagnose.Compose(doc, nil); !bytes.Equal(c.Out, src) {
			report(f, "output with no fix selected differs from the input")
		}
		if doc.ParseErr != nil {
			continue
		}
		for _, min := range []fixes.Applicability{fixes.Safe, fixes.Unsafe} {
			res, err := diagnose.FixAll(f, src, diagnose.Options{}, min)
			if err != nil {
				report(f, "%v fixes: %v", min, err)
				continue
			}
			if err := diagnose.Verify(res.Out); err != nil {
				report(f, "%v fixes: result does not parse: %v", min, err)
			}
			if res.Unconverged {
				report(f, "%v fixes: did not converge", min)
			}
			for _, o := range res.Skipped {
				var bb *diagnose.BuildBreak
				switch {
				case o.Status.Kind == fixes.Conflict:
				case errors.As(o.Status.Err, &bb):
					refused[o.Finding.Rule.Code]++ // the model of the build said no, with its reason
				default:
					report(f, "%v fixes: %s %q: %s", min, o.Finding.ID(), o.Finding.Fixes[o.Alt].Title, o.Reason)
				}
			}
			if bytes.HasPrefix(src, diagnose.UTF8BOM) != bytes.HasPrefix(res.Out, diagnose.UTF8BOM) {
				report(f, "%v fixes: BOM not kept", min)
			}
			if bytes.HasSuffix(src, []byte("\n")) != bytes.HasSuffix(res.Out, []byte("\n")) {
				report(f, "%v fixes: final newline not kept", min)
			}
			allCRLF := func(b []byte) bool { return bytes.Count(b, []byte("\n")) == bytes.Count(b, []byte("\r\n")) }
			if bytes.Contains(src, []byte("\r\n")) && allCRLF(src) && !allCRLF(res.Out) {
				report(f, "%v fixes: bare LF introduced in a CRLF file", min)
			}
			again, err := diagnose.FixAll(f, res.Out, diagnose.Options{}, min)
			if err == nil && !bytes.Equal(again.Out, res.Out) {
				report(f, "%v fixes: not idempotent:\n%s", min, fixes.Unified(filepath.Base(f), res.Out, again.Out))
			}
		}
	}
	if len(refused) > 0 {
		t.Logf("fixes the model of the build refused, by rule (safe and unsafe rounds): %v", refused)
	}
	if len(problems) > 0 {
		t.Errorf("%d problems over %d corpus files:\n%s", len(problems), len(files), strings.Join(problems, "\n"))
	}
}
