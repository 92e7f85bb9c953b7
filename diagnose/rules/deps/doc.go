// Package deps holds the rules about application dependencies: lockfile
// installs, dev dependencies, pinned tools and packages, caches, the
// dependency layer, and uv's managed Python.
package deps
