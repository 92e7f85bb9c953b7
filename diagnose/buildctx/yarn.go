package buildctx

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// YarnRC is what dockdoc uses from a Yarn 2+ project's .yarnrc.yml.
type YarnRC struct {
	NodeLinker string   // nodeLinker: "pnp" (Yarn's default when unset), "node-modules" or "pnpm"
	YarnPath   string   // yarnPath: the Yarn release the project runs, relative to the context
	Plugins    []string // the paths of the plugins it loads (plugins: - path: ...)
}

// YarnConfig reads .yarnrc.yml at the root of the context, or returns nil
// when there is none (or it cannot be read). It reads the top-level keys
// only, line by line, and never records the file in Read or Notes: it
// may run while rules run, and leaves the Context unchanged.
func (c *Context) YarnConfig() *YarnRC {
	if c == nil {
		return nil
	}
	p := filepath.Join(c.Dir, ".yarnrc.yml")
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > MaxFileSize {
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	rc := &YarnRC{}
	inPlugins := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' && line[0] != '-' {
			inPlugins = false
			key, val, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			val = unquote(strings.TrimSpace(val))
			switch strings.TrimSpace(key) {
			case "nodeLinker":
				rc.NodeLinker = val
			case "yarnPath":
				rc.YarnPath = val
			case "plugins":
				inPlugins = true
			}
			continue
		}
		if !inPlugins {
			continue
		}
		t := strings.TrimSpace(line)
		t = strings.TrimSpace(strings.TrimPrefix(t, "-"))
		if v, ok := strings.CutPrefix(t, "path:"); ok {
			rc.Plugins = append(rc.Plugins, unquote(strings.TrimSpace(v)))
		} else if !strings.Contains(t, ":") && t != "" {
			rc.Plugins = append(rc.Plugins, unquote(t))
		}
	}
	return rc
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// HasDir reports whether the context holds a directory at the relative path.
func (c *Context) HasDir(rel string) bool {
	if c == nil {
		return false
	}
	fi, err := os.Stat(filepath.Join(c.Dir, filepath.FromSlash(rel)))
	return err == nil && fi.IsDir()
}

// NodeWorkspaces reports whether package.json declares workspaces (npm,
// Yarn): an install then needs every workspace's package.json. It reads
// the file again rather than widening PackageJSON, and leaves the Context
// unchanged.
func (c *Context) NodeWorkspaces() bool {
	if c == nil || c.Package == nil {
		return false
	}
	p := filepath.Join(c.Dir, "package.json")
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > MaxFileSize {
		return false
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return false
	}
	var raw map[string]json.RawMessage
	if json.Unmarshal(bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF}), &raw) != nil {
		return false
	}
	ws, ok := raw["workspaces"]
	return ok && string(ws) != "null" && string(ws) != "[]"
}
