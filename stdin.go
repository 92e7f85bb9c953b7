package main

// Standard input as the Dockerfile: dockdoc check - and dockdoc fix -,
// for editors and pre-commit wrappers that pipe a buffer through dockdoc.
//
// --stdin-filename PATH names the buffer: messages say PATH, the build
// context is PATH's directory (its .python-version, package.json,
// .dockerignore, PATH.dockerignore...) and the configuration is the nearest
// .dockdoc.yaml / .hadolint.yaml from there upward, exactly as for a file
// at PATH. PATH need not exist. Without it the name is "-" and the context
// and configuration are the current directory's.

import (
	"errors"
	"fmt"
	"io"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/fixes"
)

// stdinPath is the PATH argument that means standard input.
const stdinPath = "-"

// stdinFile is the Dockerfile read from standard input.
type stdinFile struct {
	name string // --stdin-filename, or "-"
	src  []byte
	err  error // it could not be read, or is too big
}

// stdinRequested reports whether the paths ask for standard input: "-"
// alone, or no path with --stdin-filename. Any other use of "-" or of
// --stdin-filename is a usage error, reported here (ok is false).
func (c *cli) stdinRequested(paths []string, cf *commonFlags) (want, ok bool) {
	dash := 0
	for _, p := range paths {
		if p == stdinPath {
			dash++
		}
	}
	switch {
	case dash > 0 && len(paths) > 1:
		fmt.Fprintln(c.stderr, "dockdoc: - (standard input) cannot be combined with other paths")
		return false, false
	case dash == 1:
		return true, true
	case cf.stdinName != "" && len(paths) == 0:
		return true, true
	case cf.stdinName != "":
		fmt.Fprintln(c.stderr, "dockdoc: --stdin-filename names standard input; give - (or no PATH) with it")
		return false, false
	}
	return false, true
}

// readStdin reads standard input (at most fixes.MaxFileSize bytes) as the
// Dockerfile of this run and returns the name it goes by.
func (c *cli) readStdin(cf *commonFlags) string {
	name := cf.stdinName
	if name == "" {
		name = stdinPath
	}
	in := &stdinFile{name: name}
	r := c.stdin
	if r == nil {
		r = eofReader{}
	}
	b, err := io.ReadAll(io.LimitReader(r, fixes.MaxFileSize+1))
	switch {
	case err != nil:
		in.err = fmt.Errorf("reading standard input: %w", err)
	case len(b) > fixes.MaxFileSize:
		in.err = fmt.Errorf("standard input is over %d MB; dockdoc reads Dockerfiles up to %d MB", fixes.MaxFileSize>>20, fixes.MaxFileSize>>20)
	}
	in.src = b
	c.in = in
	return name
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// load reads and parses a Dockerfile: the one from standard input when
// the run reads it, otherwise the file at p (diagnose.Load). The stamp of
// standard input is empty: nothing is ever written back to it.
func (c *cli) load(p string) (*diagnose.Document, fixes.Stamp, error) {
	if c.in == nil {
		return diagnose.Load(c.fsys, p)
	}
	if c.in.err != nil {
		return nil, fixes.Stamp{}, &diagnose.InputError{Path: c.in.name, Err: c.in.err}
	}
	doc, err := diagnose.Parse(c.in.name, c.in.src)
	if err != nil {
		return nil, fixes.Stamp{}, &diagnose.InputError{Path: c.in.name, Err: err}
	}
	return doc, fixes.Stamp{}, nil
}

// inputFiles expands the PATH arguments into the files of the run: the
// Dockerfile of standard input, or the files diagnose.Discover finds. ok
// is false after a usage error (already reported).
func (c *cli) inputFiles(paths []string, cf *commonFlags) (files []string, ok bool, err error) {
	want, ok := c.stdinRequested(paths, cf)
	if !ok {
		return nil, false, nil
	}
	if want {
		return []string{c.readStdin(cf)}, true, nil
	}
	files, err = diagnose.Discover(paths)
	return files, true, err
}

// errNoWrite is why fix - leaves the other files its fixes edit alone.
var errNoWrite = errors.New("not written: fix - writes only the Dockerfile, to standard output (dockdoc fix --diff - shows this change)")
