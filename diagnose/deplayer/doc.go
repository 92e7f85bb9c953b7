// Package deplayer knows how a dependency install reads the build context:
// which install commands (pip, uv, Poetry, Pipenv, npm, yarn, pnpm, bundler,
// cargo, go) read which manifests, where the working directory is before
// an instruction, how COPY destinations map to context paths, and which
// RUNs do not depend on the application's sources. DD026 uses it to split
// the dependency layer from the source layer, DD027 to find virtual
// environments.
package deplayer
