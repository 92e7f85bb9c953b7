// Package buildctx reads the build context around a Dockerfile, offline:
// the version pins a project declares (.python-version, .nvmrc,
// .node-version, go.mod, pyproject.toml's requires-python, engines in
// package.json), its manifests and lockfiles (uv.lock, poetry.lock,
// Pipfile.lock, package-lock.json, yarn.lock, pnpm-lock.yaml, Cargo.lock,
// Gemfile.lock and the Gemfile's groups, composer.json and composer.lock,
// go.sum, ...) and its
// .dockerignore. Unreadable, binary or oversized files leave notes instead
// of facts, so a rule never guesses from them. It sits below the core: a
// diagnose.Document carries its Context.
package buildctx
