// Package sources knows what COPY and ADD sources are: remote URLs and git
// repositories, and local archives ADD would unpack.
package sources
