package ospkg

import (
	"strings"
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// The clean is appended after the last command across CRLF continuations,
// and a heredoc with set -e gets a new CRLF line.
func TestDD040CRLF(t *testing.T) {
	src := "FROM centos:7\r\n" +
		"RUN yum install -y httpd \\\r\n    && yum install -y git\r\n" +
		"RUN <<EOF\r\nset -e\r\nyum install -y vim\r\nEOF\r\n"
	want := "FROM centos:7\r\n" +
		"RUN yum install -y httpd \\\r\n    && yum install -y git && yum clean all\r\n" +
		"RUN <<EOF\r\nset -e\r\nyum install -y vim\r\nyum clean all\r\nEOF\r\n"
	res, err := diagnose.FixAll("Dockerfile", []byte(src), diagnose.Options{Only: []string{"DD040"}}, fixes.Safe)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Out); got != want {
		t.Errorf("fixed output:\n%q\nwant:\n%q", got, want)
	}
	if len(res.Remaining) != 0 {
		t.Errorf("%d findings remain", len(res.Remaining))
	}
}

// Each unsafe fix says why it is unsafe.
func TestDD040UnsafeNotes(t *testing.T) {
	src := "FROM centos:7\n" +
		"RUN yum install -y httpd\n" + // line 2: a later RUN reads the cache
		"RUN yum -C install -y httpd-tools && yum clean all\n" +
		"RUN yum install -y --downloadonly nginx\n" + // line 4
		"RUN if [ -x /usr/bin/yum ]; then yum install -y git; fi\n" // line 5
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs := diagnose.Run(doc, diagnose.Options{Only: []string{"DD040"}})
	want := map[int]string{2: "RUN on line 3 reads the package cache", 4: "only downloads packages", 5: "only runs under a condition"}
	if len(fs) != len(want) {
		t.Fatalf("got %d findings, want %d", len(fs), len(want))
	}
	for _, f := range fs {
		if len(f.Fixes) != 1 || f.Fixes[0].Applicability != fixes.Unsafe {
			t.Errorf("line %d: want one unsafe fix, got %+v", f.Line, f.Fixes)
			continue
		}
		if !strings.Contains(f.Fixes[0].Note, want[f.Line]) {
			t.Errorf("line %d: note %q does not say %q", f.Line, f.Fixes[0].Note, want[f.Line])
		}
	}
}
