// Package baseimage holds the rules about FROM: unpinned and floating
// tags, versions against the project's pins, digests, platforms and
// registries.
package baseimage
