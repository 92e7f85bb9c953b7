// Package metadata holds the rules about image metadata: MAINTAINER and
// LABEL keys and values against a label schema.
package metadata
