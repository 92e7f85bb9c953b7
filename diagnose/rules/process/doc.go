// Package process holds the rules about the container's main process:
// exec form, wrappers, development mode, the user, duplicate CMDs, and
// HEALTHCHECK.
package process
