package buildctx

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// Pin is a version the project declares, and where it was found.
type Pin struct {
	Lang    string // "python", "node" or "go"
	Version string // normalized: "3.10" for Python, "22" for Node, "1.22" for Go
	Full    string // as written ("3.10.14", "v22.3.0", ">=3.10")
	Source  string // ".python-version", "pyproject.toml requires-python", ...
	Exact   bool   // a pin (.python-version) rather than a lower bound (>=3.10)
}

// PyProject holds what dockdoc uses from pyproject.toml.
type PyProject struct {
	Name           string
	RequiresPython string
	Scripts        map[string]string // [project.scripts]
	ToolUV         bool              // [tool.uv] present
	UVWorkspace    bool              // [tool.uv.workspace] present
	Poetry         bool              // [tool.poetry] present
	PoetryPython   string            // [tool.poetry.dependencies] python
	DevGroups      []string          // [dependency-groups] names, [tool.poetry.group.*]
	Dependencies   []string
}

// PackageJSON holds what dockdoc uses from package.json.
type PackageJSON struct {
	Name            string            `json:"name"`
	Scripts         map[string]string `json:"scripts"`
	Engines         map[string]string `json:"engines"`
	PackageManager  string            `json:"packageManager"`
	Main            string            `json:"main"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

// GoMod holds the go and toolchain lines of go.mod.
type GoMod struct {
	Module, Go, Toolchain string
}

// Context is what dockdoc read from the build context around a
// Dockerfile: version pins, manifests, lockfiles and .dockerignore. It is
// read once, offline, before the rules run; rules never touch the disk.
// A missing file is normal; a malformed one leaves a note.
type Context struct {
	Dir   string
	Read  []string // files read, in the order read
	Notes []string // files that could not be used, and why

	Python *Pin
	Node   *Pin
	Go     *Pin
	// Pins lists every version pin found (all sources), for conflict notes.
	Pins []Pin

	PyProject    *PyProject
	UVLock       bool
	PoetryLock   bool
	Pipfile      bool
	PipfileLock  bool
	Requirements []string // requirements*.txt names

	Package     *PackageJSON
	NpmLock     bool
	YarnLock    string // "", "classic" or "berry"
	PnpmLock    bool
	GoModule    *GoMod
	GemfileLock bool
	CargoLock   bool
	// Gemfile is set when the context has a Gemfile; GemGroups lists the
	// groups it declares (development, test, ...).
	Gemfile      bool
	GemGroups    []string
	ComposerJSON *Composer
	ComposerLock bool
	GoSum        bool

	DockerIgnore *DockerIgnore

	tools map[string]string // .tool-versions
}

// DockerIgnore is the context's .dockerignore (or <Dockerfile>.dockerignore).
type DockerIgnore struct {
	Path     string
	Src      []byte
	Patterns []string
	matcher  *patternmatcher.PatternMatcher
}

// Ignores reports whether the context path p (slash-separated, relative)
// is excluded from the build context.
func (d *DockerIgnore) Ignores(p string) bool {
	if d == nil || d.matcher == nil {
		return false
	}
	ok, err := d.matcher.MatchesOrParentMatches(filepath.FromSlash(strings.TrimPrefix(p, "./")))
	return err == nil && ok
}

// PythonTool is the Python package manager the context uses: "uv",
// "poetry", "pipenv", "pip" or "" (first match wins, as the recipes say).
func (c *Context) PythonTool() string {
	switch {
	case c == nil:
		return ""
	case c.UVLock || (c.PyProject != nil && c.PyProject.ToolUV):
		return "uv"
	case c.PoetryLock || (c.PyProject != nil && c.PyProject.Poetry):
		return "poetry"
	case c.PipfileLock || c.Pipfile:
		return "pipenv"
	case len(c.Requirements) > 0 || c.PyProject != nil:
		return "pip"
	}
	return ""
}

// NodeTool is the Node package manager: "npm", "yarn-classic",
// "yarn-berry", "pnpm" or "" when there is no package.json.
func (c *Context) NodeTool() string {
	switch {
	case c == nil || c.Package == nil:
		return ""
	case c.PnpmLock || strings.HasPrefix(c.Package.PackageManager, "pnpm@"):
		return "pnpm"
	case c.YarnLock == "berry" || (strings.HasPrefix(c.Package.PackageManager, "yarn@") && !strings.HasPrefix(c.Package.PackageManager, "yarn@1")):
		return "yarn-berry"
	case c.YarnLock == "classic" || strings.HasPrefix(c.Package.PackageManager, "yarn@1"):
		return "yarn-classic"
	}
	return "npm"
}

// Has reports whether the context holds a file at the relative path.
func (c *Context) Has(rel string) bool {
	if c == nil {
		return false
	}
	fi, err := os.Stat(filepath.Join(c.Dir, filepath.FromSlash(rel)))
	return err == nil && !fi.IsDir()
}

// MaxFileSize is the largest manifest dockdoc reads; lockfiles are only
// sniffed, never read whole.
const MaxFileSize = 1 << 20

// Load reads the build context in dir. dockerfile (may be "") is the
// Dockerfile's path, for a per-Dockerfile ignore file (Dockerfile.dockerignore).
func Load(dir, dockerfile string) *Context {
	c := &Context{Dir: dir}
	c.readPython()
	c.readNode()
	c.readGo()
	c.GemfileLock = c.exists("Gemfile.lock")
	c.CargoLock = c.exists("Cargo.lock")
	c.readLockfiles()
	c.readDockerIgnore(dockerfile)
	return c
}

func (c *Context) exists(name string) bool {
	fi, err := os.Stat(filepath.Join(c.Dir, name))
	if err == nil && fi.Mode().IsRegular() {
		c.Read = append(c.Read, name)
		return true
	}
	return false
}

// read returns a small text file's bytes, or nil (noting why when the file
// exists but cannot be used).
func (c *Context) read(name string) []byte {
	p := filepath.Join(c.Dir, name)
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	if fi.Size() > MaxFileSize {
		c.note(name, fmt.Sprintf("larger than %d KB, not read", MaxFileSize>>10))
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		c.note(name, err.Error())
		return nil
	}
	if bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b) {
		c.note(name, "not a text file, ignored")
		return nil
	}
	c.Read = append(c.Read, name)
	return bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF}) // a UTF-8 BOM
}

func (c *Context) note(name, why string) {
	c.Notes = append(c.Notes, name+": "+why)
}

func (c *Context) addPin(kind string, p *Pin) {
	if p == nil || p.Version == "" {
		return
	}
	p.Lang = kind
	c.Pins = append(c.Pins, *p)
	switch kind {
	case "python":
		if c.Python == nil || (!c.Python.Exact && p.Exact) {
			c.Python = p
		}
	case "node":
		if c.Node == nil || (!c.Node.Exact && p.Exact) {
			c.Node = p
		}
	case "go":
		if c.Go == nil || (!c.Go.Exact && p.Exact) {
			c.Go = p
		}
	}
}

var (
	majorMinorRe = regexp.MustCompile(`(\d+)\.(\d+)`)
	majorRe      = regexp.MustCompile(`(\d+)`)
)

// majorMinor turns "3.10.4", "cpython-3.10", ">=3.10,<4" into "3.10".
func majorMinor(s string) string {
	m := majorMinorRe.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1] + "." + m[2]
}

func firstLine(b []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return ""
}

// images.ToolVersions reads asdf's .tool-versions once.
func (c *Context) toolVersions() map[string]string {
	b := c.read(".tool-versions")
	out := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && !strings.HasPrefix(f[0], "#") {
			out[f[0]] = f[1]
		}
	}
	return out
}

func (c *Context) readPython() {
	if b := c.read(".python-version"); b != nil {
		v := strings.TrimPrefix(firstLine(b), "cpython-")
		if strings.HasPrefix(v, "pypy") {
			c.note(".python-version", "names PyPy ("+v+"); dockdoc only maps CPython versions to images")
		} else if mm := majorMinor(v); mm != "" {
			c.addPin("python", &Pin{Version: mm, Full: v, Source: ".python-version", Exact: true})
		} else if v != "" {
			c.note(".python-version", fmt.Sprintf("%q is not a version dockdoc understands", v))
		}
	}
	c.tools = c.toolVersions()
	if v, ok := c.tools["python"]; ok {
		c.addPin("python", &Pin{Version: majorMinor(v), Full: v, Source: ".tool-versions", Exact: true})
	}
	if b := c.read("pyproject.toml"); b != nil {
		var raw map[string]any
		if _, err := toml.Decode(string(b), &raw); err != nil {
			c.note("pyproject.toml", "not valid TOML: "+firstErrLine(err))
		} else {
			c.PyProject = parsePyProject(raw)
			if rp := c.PyProject.RequiresPython; rp != "" {
				c.addPin("python", &Pin{Version: lowerBound(rp, majorMinor), Full: rp, Source: "pyproject.toml requires-python"})
			}
			if pp := c.PyProject.PoetryPython; pp != "" {
				c.addPin("python", &Pin{Version: lowerBound(pp, majorMinor), Full: pp, Source: "pyproject.toml [tool.poetry.dependencies] python"})
			}
		}
	}
	if b := c.read("uv.lock"); b != nil {
		var raw map[string]any
		if _, err := toml.Decode(string(b), &raw); err != nil {
			c.note("uv.lock", "not valid TOML: "+firstErrLine(err))
		} else {
			c.UVLock = true
		}
	}
	c.PoetryLock = c.exists("poetry.lock")
	c.Pipfile = c.exists("Pipfile")
	if b := c.read("Pipfile.lock"); b != nil {
		var raw map[string]any
		if err := json.Unmarshal(b, &raw); err != nil {
			c.note("Pipfile.lock", "not valid JSON: "+err.Error())
		} else {
			c.PipfileLock = true
		}
	}
	entries, _ := os.ReadDir(c.Dir)
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, "requirements") && strings.HasSuffix(n, ".txt") {
			c.Requirements = append(c.Requirements, n)
		}
	}
	sort.Strings(c.Requirements)
}

func firstErrLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

func parsePyProject(raw map[string]any) *PyProject {
	p := &PyProject{Scripts: map[string]string{}}
	table := func(m map[string]any, k string) map[string]any {
		t, _ := m[k].(map[string]any)
		return t
	}
	if proj := table(raw, "project"); proj != nil {
		p.Name, _ = proj["name"].(string)
		p.RequiresPython, _ = proj["requires-python"].(string)
		for k, v := range table(proj, "scripts") {
			if s, ok := v.(string); ok {
				p.Scripts[k] = s
			}
		}
		if deps, ok := proj["dependencies"].([]any); ok {
			for _, d := range deps {
				if s, ok := d.(string); ok {
					p.Dependencies = append(p.Dependencies, s)
				}
			}
		}
	}
	for k := range table(raw, "dependency-groups") {
		p.DevGroups = append(p.DevGroups, k)
	}
	if tool := table(raw, "tool"); tool != nil {
		if uv := table(tool, "uv"); uv != nil {
			p.ToolUV = true
			p.UVWorkspace = table(uv, "workspace") != nil
		}
		if po := table(tool, "poetry"); po != nil {
			p.Poetry = true
			if deps := table(po, "dependencies"); deps != nil {
				p.PoetryPython, _ = deps["python"].(string)
				for k := range deps {
					if k != "python" {
						p.Dependencies = append(p.Dependencies, k)
					}
				}
			}
			for k := range table(po, "group") {
				p.DevGroups = append(p.DevGroups, k)
			}
			if p.Name == "" {
				p.Name, _ = po["name"].(string)
			}
			for k, v := range table(po, "scripts") {
				if s, ok := v.(string); ok {
					p.Scripts[k] = s
				}
			}
		}
	}
	sort.Strings(p.DevGroups)
	sort.Strings(p.Dependencies)
	return p
}

// nodeMajor turns "v22.3.0", "22", ">=20.9" into "22"/"20"; aliases such
// as "lts/*" or "node" give "".
func nodeMajor(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "v"))
	if s == "" || strings.Contains(s, "lts") || s == "node" || s == "stable" {
		return ""
	}
	m := majorRe.FindString(s)
	return m
}

func (c *Context) readNode() {
	for _, name := range []string{".nvmrc", ".node-version"} {
		if b := c.read(name); b != nil {
			v := firstLine(b)
			if mj := nodeMajor(v); mj != "" {
				c.addPin("node", &Pin{Version: mj, Full: v, Source: name, Exact: true})
			} else if v != "" {
				c.note(name, fmt.Sprintf("%q names no version number dockdoc can map to an image tag", v))
			}
		}
	}
	if v, ok := c.tools["nodejs"]; ok {
		c.addPin("node", &Pin{Version: nodeMajor(v), Full: v, Source: ".tool-versions", Exact: true})
	}
	if b := c.read("package.json"); b != nil {
		var p PackageJSON
		if err := json.Unmarshal(b, &p); err != nil {
			c.note("package.json", "not valid JSON: "+err.Error())
		} else {
			c.Package = &p
			if v := p.Engines["node"]; v != "" {
				c.addPin("node", &Pin{Version: lowerBound(v, nodeMajor), Full: v, Source: "package.json engines.node"})
			}
		}
	}
	if b := c.read("package-lock.json"); b != nil {
		var raw map[string]any
		if err := json.Unmarshal(b, &raw); err != nil {
			c.note("package-lock.json", "not valid JSON: "+err.Error())
		} else {
			c.NpmLock = true
		}
	} else if c.exists("npm-shrinkwrap.json") {
		c.NpmLock = true
	}
	if head := c.sniff("yarn.lock", 512); head != nil {
		switch {
		case bytes.Contains(head, []byte("__metadata:")):
			c.YarnLock = "berry"
		default:
			c.YarnLock = "classic"
		}
	}
	c.PnpmLock = c.exists("pnpm-lock.yaml")
}

// sniff reads the first n bytes of a file (lockfiles can be huge).
func (c *Context) sniff(name string, n int) []byte {
	f, err := os.Open(filepath.Join(c.Dir, name))
	if err != nil {
		return nil
	}
	defer f.Close()
	buf := make([]byte, n)
	k, _ := f.Read(buf)
	c.Read = append(c.Read, name)
	return buf[:k]
}

func (c *Context) readGo() {
	defer func() {
		if v, ok := c.tools["golang"]; ok {
			c.addPin("go", &Pin{Version: majorMinor(v), Full: v, Source: ".tool-versions", Exact: true})
		}
	}()
	b := c.read("go.mod")
	if b == nil {
		return
	}
	g := &GoMod{}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(strings.TrimSpace(l))
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "module":
			g.Module = f[1]
		case "go":
			g.Go = f[1]
		case "toolchain":
			g.Toolchain = strings.TrimPrefix(f[1], "go")
		}
	}
	c.GoModule = g
	if g.Go != "" {
		c.addPin("go", &Pin{Version: majorMinor(g.Go), Full: g.Go, Source: "go.mod go line", Exact: true})
	}
}

// lowerBound is the version a range starts at: the first clause that
// allows versions from a number on (>=, ==, ~=, ^, ~, a bare version),
// normalized by norm; "" when the range has none (only <, <=, !=).
func lowerBound(rng string, norm func(string) string) string {
	for _, alt := range strings.Split(rng, "||") {
		for _, clause := range strings.FieldsFunc(alt, func(r rune) bool { return r == ',' || r == ' ' }) {
			clause = strings.TrimSpace(clause)
			if strings.HasPrefix(clause, "<") || strings.HasPrefix(clause, "!=") || strings.HasPrefix(clause, ">") && !strings.HasPrefix(clause, ">=") {
				continue
			}
			if v := norm(strings.TrimLeft(clause, ">=~^v")); v != "" {
				return v
			}
		}
	}
	return ""
}

func (c *Context) readDockerIgnore(dockerfile string) {
	name := ".dockerignore"
	if dockerfile != "" {
		// BuildKit prefers <Dockerfile>.dockerignore next to the Dockerfile.
		per := dockerfile + ".dockerignore"
		if fi, err := os.Stat(per); err == nil && fi.Mode().IsRegular() {
			if rel, err := filepath.Rel(c.Dir, per); err == nil && !strings.HasPrefix(rel, "..") {
				name = rel
			}
		}
	}
	b := c.read(name)
	if b == nil {
		return
	}
	c.DockerIgnore = parseDockerIgnore(name, b, c.note)
}

func parseDockerIgnore(name string, b []byte, note func(name, why string)) *DockerIgnore {
	d := &DockerIgnore{Path: name, Src: b}
	pats, err := ignorefile.ReadAll(bytes.NewReader(b))
	if err != nil {
		if note != nil {
			note(name, err.Error())
		}
		return d
	}
	d.Patterns = pats
	if pm, err := patternmatcher.New(pats); err == nil {
		d.matcher = pm
	} else if note != nil {
		note(name, "bad pattern: "+err.Error())
	}
	return d
}

// Summary says what was read, for check --verbose and the TUI header.
func (c *Context) Summary() string {
	if c == nil {
		return "no build context read"
	}
	var parts []string
	for _, p := range []struct {
		what string
		pin  *Pin
	}{{"Python", c.Python}, {"Node", c.Node}, {"Go", c.Go}} {
		if p.pin != nil {
			parts = append(parts, fmt.Sprintf("%s %s (%s)", p.what, p.pin.Version, p.pin.Source))
		}
	}
	if t := c.PythonTool(); t != "" {
		parts = append(parts, "Python tool "+t)
	}
	if t := c.NodeTool(); t != "" {
		parts = append(parts, "Node tool "+t)
	}
	s := "context " + c.Dir + ": "
	if len(parts) == 0 {
		s += "no version pins found"
	} else {
		s += strings.Join(parts, ", ")
	}
	if len(c.Read) > 0 {
		s += "; read " + strings.Join(c.Read, ", ")
	}
	for _, n := range c.Notes {
		s += "; note: " + n
	}
	return s
}

// For reads the build context of a Dockerfile: dir, or the
// Dockerfile's own directory when dir is "".
func For(dockerfile, dir string) *Context {
	if dir == "" {
		dir = filepath.Dir(dockerfile)
	}
	return Load(dir, dockerfile)
}

// WithFile returns a copy of the context in which the file at path (as a
// fix names it) has the given content. Only .dockerignore is modelled; for
// other files the context is returned unchanged.
func (c *Context) WithFile(path string, content []byte) *Context {
	if c == nil {
		return nil
	}
	cp := *c
	name := ".dockerignore"
	if c.DockerIgnore != nil {
		name = c.DockerIgnore.Path
	}
	if filepath.Clean(path) != filepath.Join(c.Dir, name) {
		return c
	}
	cp.DockerIgnore = parseDockerIgnore(name, content, nil)
	return &cp
}

// DockerIgnorePath is where the context's ignore file is (or would be).
func (c *Context) DockerIgnorePath() string {
	if c.DockerIgnore != nil {
		return filepath.Join(c.Dir, c.DockerIgnore.Path)
	}
	return filepath.Join(c.Dir, ".dockerignore")
}
