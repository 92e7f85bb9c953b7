// Package labels knows LABEL instructions: the key/value pairs as written
// (with their spans, in legacy and key=value form, in ONBUILD too), the
// label schema a configuration declares and the checks by type, the SPDX
// license list, and how MAINTAINER maps to the authors label.
package labels
