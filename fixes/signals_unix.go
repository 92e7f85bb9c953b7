//go:build unix

package fixes

import (
	"os"
	"syscall"
)

var endingSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// resend sends sig to this process again, once dockdoc no longer catches it.
func resend(sig os.Signal) {
	if s, ok := sig.(syscall.Signal); ok {
		_ = syscall.Kill(os.Getpid(), s)
	}
}
