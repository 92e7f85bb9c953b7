package pkgmgr

// UVValueOpts and PoetryValueOpts are the options of uv and Poetry that
// take the next word as their value.
var UVValueOpts = map[string]bool{
	"--directory": true, "--project": true, "--cache-dir": true, "--config-file": true, "--color": true,
	"--python": true, "-p": true, "--allow-insecure-host": true, "--index": true, "--default-index": true,
	"--index-url": true, "-i": true, "--extra-index-url": true, "--find-links": true, "-f": true,
	"--extra": true, "--group": true, "--no-group": true, "--only-group": true, "--package": true,
	"--python-platform": true, "--index-strategy": true, "--keyring-provider": true, "--resolution": true,
	"--prerelease": true, "--exclude-newer": true, "--link-mode": true, "--reinstall-package": true,
	"--no-install-package": true, "--refresh-package": true, "--upgrade-package": true, "-P": true,
	"--no-build-package": true, "--no-binary-package": true, "--config-setting": true, "-C": true,
	"--script": true, "--output-format": true,
}

var PoetryValueOpts = map[string]bool{
	"-C": true, "--directory": true, "-P": true, "--project": true, "--with": true, "--without": true,
	"--only": true, "-E": true, "--extras": true,
}
