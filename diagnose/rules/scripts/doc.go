// Package scripts holds the rules about shell inside RUN: cd, pipes
// without pipefail, sudo, wget and curl, pointless commands, consecutive
// RUNs, /bin/sh links and user ids.
package scripts
