package pkgmgr

// NpmValueOpts, YarnValueOpts and PnpmValueOpts are the options of npm,
// yarn and pnpm that take the next word as their value, so that word is
// not a package or a subcommand.
var NpmValueOpts = map[string]bool{
	"--prefix": true, "--cache": true, "--registry": true, "--userconfig": true, "--globalconfig": true,
	"--loglevel": true, "--omit": true, "--include": true, "--install-strategy": true, "--workspace": true,
	"-w": true, "--tag": true, "--only": true, "--location": true, "--before": true, "--script-shell": true,
}

var YarnValueOpts = map[string]bool{
	"--cwd": true, "--modules-folder": true, "--cache-folder": true, "--network-timeout": true, "--mutex": true,
	"--registry": true, "--link-folder": true, "--global-folder": true, "--mode": true,
}

var PnpmValueOpts = map[string]bool{
	"-C": true, "--dir": true, "--filter": true, "-F": true, "--reporter": true, "--store-dir": true,
	"--virtual-store-dir": true, "--modules-dir": true, "--workspace-concurrency": true,
	"--network-concurrency": true, "--loglevel": true, "--registry": true,
}

// NpmFloating reports whether a version part names no version:
// empty, or a dist-tag such as latest or next.
func NpmFloating(ver string) bool {
	if ver == "" || ver == "*" {
		return true
	}
	c := ver[0]
	if c >= '0' && c <= '9' || c == '^' || c == '~' || c == '=' || c == '<' || c == '>' {
		return false
	}
	if c == 'v' && len(ver) > 1 && ver[1] >= '0' && ver[1] <= '9' {
		return false
	}
	return true
}
