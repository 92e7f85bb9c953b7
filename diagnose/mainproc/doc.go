// Package mainproc knows the container's main process: how CMD and
// ENTRYPOINT read in shell and exec form, how exec-form arrays are written,
// the wrappers that start the real program (uv run, poetry run, pipenv run,
// npm/yarn/pnpm scripts, npx), the development servers and flags that do
// not belong in an image, the user the process runs as, and the hardened
// command (the program called directly, in exec form, without dev flags)
// that several rules and the migration agree on.
package mainproc
