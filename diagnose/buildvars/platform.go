package buildvars

import (
	"regexp"
	"strings"
)

// platformArgs are the build arguments BuildKit defines for FROM lines
// without any ARG (platform.go defaultArgs), with the values of a
// linux/amd64 build. Inside a stage they are only set after `ARG NAME`.
var platformArgs = [][2]string{
	{"BUILDPLATFORM", "linux/amd64"},
	{"BUILDOS", "linux"},
	{"BUILDOSVERSION", ""},
	{"BUILDARCH", "amd64"},
	{"BUILDVARIANT", ""},
	{"TARGETPLATFORM", "linux/amd64"},
	{"TARGETOS", "linux"},
	{"TARGETOSVERSION", ""},
	{"TARGETARCH", "amd64"},
	{"TARGETVARIANT", ""},
	{"TARGETSTAGE", "default"},
}

// platform is a parsed platform string (containerd's platforms.Parse,
// normalised, for linux/amd64 builders).
type platform struct{ OS, Arch, Variant string }

var platformPart = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

var knownOS = map[string]bool{
	"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true, "hurd": true,
	"illumos": true, "ios": true, "js": true, "linux": true, "nacl": true, "netbsd": true, "openbsd": true,
	"plan9": true, "solaris": true, "wasip1": true, "windows": true, "zos": true,
}

var knownArch = map[string]bool{
	"386": true, "amd64": true, "amd64p32": true, "arm": true, "armbe": true, "arm64": true, "arm64be": true,
	"loong64": true, "mips": true, "mipsle": true, "mips64": true, "mips64le": true, "mips64p32": true,
	"mips64p32le": true, "ppc": true, "ppc64": true, "ppc64le": true, "riscv": true, "riscv64": true,
	"s390": true, "s390x": true, "sparc": true, "sparc64": true, "wasm": true,
}

// normalizeArch maps the usual aliases to Go's architecture names, as
// containerd's platforms package does.
func normalizeArch(arch, variant string) (string, string) {
	arch, variant = strings.ToLower(arch), strings.ToLower(variant)
	switch arch {
	case "i386":
		return "386", ""
	case "x86_64", "x86-64", "amd64":
		if variant == "v1" {
			variant = ""
		}
		return "amd64", variant
	case "aarch64", "arm64":
		if variant == "8" || variant == "v8" || variant == "v8.0" {
			variant = ""
		}
		return "arm64", variant
	case "armhf":
		return "arm", "v7"
	case "armel":
		return "arm", "v6"
	case "arm":
		switch variant {
		case "", "7":
			variant = "v7"
		case "5", "6", "8":
			variant = "v" + variant
		}
		return "arm", variant
	}
	return arch, variant
}

// ParsePlatform parses os[/arch[/variant]] (or a lone arch) the way
// BuildKit's platform parser accepts it; ok is false for strings it
// rejects.
func ParsePlatform(s string) (platform, bool) {
	if s == "" {
		return platform{}, false
	}
	osPart := s
	if i := strings.IndexByte(s, '('); i >= 0 {
		// windows(10.0.17763)/amd64: an OS version in parentheses
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			return platform{}, false
		}
		s = s[:i] + s[i+j+1:]
		osPart = s
	}
	parts := strings.Split(osPart, "/")
	for _, p := range parts {
		if !platformPart.MatchString(p) {
			return platform{}, false
		}
	}
	normOS := func(o string) string {
		o = strings.ToLower(o)
		if o == "macos" {
			return "darwin"
		}
		return o
	}
	switch len(parts) {
	case 1:
		if o := normOS(parts[0]); knownOS[o] {
			a, v := normalizeArch("amd64", "")
			return platform{OS: o, Arch: a, Variant: v}, true
		}
		a, v := normalizeArch(parts[0], "")
		if !knownArch[a] {
			return platform{}, false
		}
		return platform{OS: "linux", Arch: a, Variant: v}, true
	case 2:
		a, v := normalizeArch(parts[1], "")
		return platform{OS: normOS(parts[0]), Arch: a, Variant: v}, true
	case 3:
		a, v := normalizeArch(parts[1], parts[2])
		return platform{OS: normOS(parts[0]), Arch: a, Variant: v}, true
	}
	return platform{}, false
}
