package deplayer

import (
	"path"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
)

// CopiesAll reports whether in copies the whole build context:
// COPY or ADD with a source of `.` or `./` and no --from.
func CopiesAll(in *diagnose.Instruction) bool {
	if in.Keyword != "copy" && in.Keyword != "add" {
		return false
	}
	for _, f := range in.Node.Flags {
		if strings.HasPrefix(f, "--from") {
			return false
		}
	}
	args := Args(in)
	if len(args) < 2 {
		return false
	}
	for _, s := range args[:len(args)-1] {
		if s == "." || s == "./" {
			return true
		}
	}
	return false
}

// contextPath turns a path the install reads (relative to the
// working directory, or absolute) into the context path that COPY . dest
// put there. ok is false when that cannot be known.
func contextPath(p, dest, wd string, wdKnown bool) (string, bool) {
	if !strings.HasPrefix(p, "/") && !strings.HasPrefix(dest, "/") {
		return rel(path.Clean(dest), path.Clean(p))
	}
	ap, ok1 := Resolve(p, wd, wdKnown)
	ad, ok2 := Resolve(dest, wd, wdKnown)
	if !ok1 || !ok2 {
		return "", false
	}
	return rel(ad, ap)
}

// rel is target relative to base (both clean), when target is
// below base.
func rel(base, target string) (string, bool) {
	var rel string
	switch {
	case base == ".":
		rel = target
	case base == "/":
		rel = strings.TrimPrefix(target, "/")
	case strings.HasPrefix(target, base+"/"):
		rel = target[len(base)+1:]
	default:
		return "", false
	}
	if rel == "" || rel == "." || rel == ".." || strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") {
		return "", false
	}
	return rel, true
}

// Manifests lists the context files the install reads, in the
// order they are copied, or says why they cannot be determined.
func Manifests(d *diagnose.Document, di *Install, dest, wd string, wdKnown bool) ([]string, string) {
	cx := d.Ctx
	// The install runs in the working directory; the manifests must land
	// there, i.e. COPY . . must copy into it.
	if di.Tool != "pip" && di.Tool != "uvpip" {
		switch rel, ok := contextPath("x", dest, wd, wdKnown); {
		case !ok && strings.HasPrefix(dest, "/") && !wdKnown:
			return nil, "dockdoc cannot tell whether the copy's destination is the working directory"
		case !ok || rel != "x":
			return nil, "the copy's destination is not the working directory"
		}
	}
	var files []string
	ignored := func(f string) bool { return cx.DockerIgnore.Ignores(f) }
	need := func(f string) string {
		if !cx.Has(f) {
			return "the build context has no " + f
		}
		if ignored(f) {
			return f + " is excluded by " + cx.DockerIgnore.Path
		}
		files = append(files, f)
		return ""
	}
	opt := func(fs ...string) {
		for _, f := range fs {
			if cx.Has(f) && !ignored(f) {
				files = append(files, f)
			}
		}
	}
	switch di.Tool {
	case "npm", "yarn", "pnpm":
		if why := need("package.json"); why != "" {
			return nil, why
		}
		if pkg := cx.Package; pkg != nil {
			for _, s := range []string{"preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare", "prepublish"} {
				if _, ok := pkg.Scripts[s]; ok {
					return nil, "package.json has a " + s + " script, which may need the rest of the project"
				}
			}
			for _, deps := range []map[string]string{pkg.Dependencies, pkg.DevDependencies} {
				for name, v := range deps {
					for _, pre := range []string{"file:", "link:", "workspace:", "portal:"} {
						if strings.HasPrefix(v, pre) {
							return nil, "package.json depends on " + name + " from a local path (" + v + ")"
						}
					}
				}
			}
		}
		switch di.Tool {
		case "npm":
			opt("package-lock.json", "npm-shrinkwrap.json", ".npmrc")
		case "yarn":
			if cx.Has(".yarnrc.yml") {
				return nil, ".yarnrc.yml may point at files under .yarn/ (releases, plugins) that must be copied too"
			}
			opt("yarn.lock", ".yarnrc", ".npmrc")
		case "pnpm":
			if cx.Has("pnpm-workspace.yaml") {
				return nil, "the project is a pnpm workspace, whose packages must be copied too"
			}
			opt("pnpm-lock.yaml", ".npmrc", ".pnpmfile.cjs")
		}
	case "pip", "uvpip":
		for _, r := range di.files {
			cp, ok := contextPath(r, dest, wd, wdKnown)
			if !ok {
				return nil, "dockdoc cannot tell where " + r + " comes from in the context"
			}
			if why := need(cp); why != "" {
				return nil, why
			}
		}
	case "uv":
		if why := need("pyproject.toml"); why != "" {
			return nil, why
		}
		opt("uv.lock", ".python-version", "uv.toml")
	case "poetry":
		if why := need("pyproject.toml"); why != "" {
			return nil, why
		}
		opt("poetry.lock", "poetry.toml")
	case "pipenv":
		if why := need("Pipfile"); why != "" {
			return nil, why
		}
		opt("Pipfile.lock")
	case "go":
		if cx.Has("go.work") {
			return nil, "the project is a Go workspace (go.work), whose modules must be copied too"
		}
		if why := need("go.mod"); why != "" {
			return nil, why
		}
		opt("go.sum")
	case "bundle":
		if why := need("Gemfile"); why != "" {
			return nil, why
		}
		opt("Gemfile.lock")
	default:
		return nil, "dockdoc does not know which files it reads"
	}
	return files, ""
}

// Covered returns a test of whether an earlier COPY of the stage
// already puts a context file where COPY . dest would.
func Covered(d *diagnose.Document, st *diagnose.Stage, copyAll *diagnose.Instruction, dest, wd string, wdKnown bool) func(string) bool {
	type src struct{ pattern, dest string }
	var srcs []src
	for _, o := range st.Instrs {
		if o.Index >= copyAll.Index {
			break
		}
		if o.Keyword != "copy" && o.Keyword != "add" {
			continue
		}
		from := false
		for _, f := range o.Node.Flags {
			from = from || strings.HasPrefix(f, "--from")
		}
		args := Args(o)
		if from || len(args) < 2 {
			continue
		}
		for _, s := range args[:len(args)-1] {
			srcs = append(srcs, src{strings.TrimPrefix(path.Clean(s), "./"), args[len(args)-1]})
		}
	}
	sameDest := func(a string) bool {
		x, ok1 := contextPath("x", a, wd, wdKnown)
		y, ok2 := contextPath("x", dest, wd, wdKnown)
		if ok1 && ok2 {
			return x == y
		}
		return strings.TrimSuffix(path.Clean(a), "/") == strings.TrimSuffix(path.Clean(dest), "/")
	}
	return func(f string) bool {
		if strings.Contains(f, "/") {
			return false
		}
		for _, s := range srcs {
			if m, _ := path.Match(s.pattern, f); m && sameDest(s.dest) {
				return true
			}
		}
		return false
	}
}
