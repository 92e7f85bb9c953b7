package pkgmgr

import (
	"testing"

	"github.com/dockdoc/dockdoc/diagnose"
)

func TestRPMPinned(t *testing.T) {
	for w, want := range map[string]bool{
		"tomcat":                      false,
		"tomcat-9.2":                  true,
		"openssl-1:1.1.1k":            true,
		"rpm-sign":                    false,
		"rpm-sign-4.16.1.3":           true,
		"gcc-c++":                     false,
		"gcc-c++-1.1.1":               true,
		"gcc-toolset-12":              false,
		"java-17":                     false,
		"java-1.8.0-openjdk":          false,
		"java-1.8.0-openjdk-1.8.0.41": true,
		"foo-1-2":                     true,
		"bash-5.3.15-2.fc45.x86_64":   true,
		"python3.11":                  false,
		"python3-pip":                 false,
		"dnf-plugins-core":            false,
		"nginx.x86_64":                false,
		"./x.rpm":                     true,
		"@development":                true,
		"perl(JSON)":                  true,
		"git >= 2.40":                 true,
		"php-7.4*":                    true,
	} {
		if got := RPMPinned(w); got != want {
			t.Errorf("rpmPinned(%q) = %v, want %v", w, got, want)
		}
	}
}

// Options that take a value are skipped with their value; the subcommand
// and the module sub-subcommand are found behind options.
func TestRPMParse(t *testing.T) {
	src := "FROM fedora:40\n" +
		"RUN dnf --installroot /mnt -x foo --setopt install_weak_deps=0 module -y install nodejs:20 -d 2 --releasever 9\n" +
		"RUN zypper -R /mnt --non-interactive in -r extra -n curl\n"
	doc, err := diagnose.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	dnf := ParseRPM(doc.Instructions[1].Commands(doc)[0])
	if dnf.VerbText() != "module install" || len(dnf.Args) != 1 || dnf.Words[dnf.Args[0]] != "nodejs:20" {
		t.Errorf("dnf: verb %q, args %v", dnf.VerbText(), dnf.Args)
	}
	if v, _ := dnf.Value("setopt"); v != "install_weak_deps=0" {
		t.Errorf("dnf: setopt = %q", v)
	}
	if !RPMAssumesYes(dnf) {
		t.Error("dnf: -y between module and install not seen")
	}
	z := ParseRPM(doc.Instructions[2].Commands(doc)[0])
	if z.VerbText() != "in" || len(z.Args) != 1 || z.Words[z.Args[0]] != "curl" {
		t.Errorf("zypper: verb %q, args %v", z.VerbText(), z.Args)
	}
	global, name := false, false
	for _, o := range z.Opts {
		if o.Name == "non-interactive" && o.Global {
			global = true
		}
		if o.Name == "n" && !o.Global {
			name = true
		}
	}
	if !global || !name {
		t.Errorf("zypper options misread: %+v", z.Opts)
	}
}
