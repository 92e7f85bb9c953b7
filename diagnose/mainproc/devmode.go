package mainproc

import (
	"path"
	"regexp"
	"strings"
)

// DevIssue is a development-mode setting found in the program's words
// P (see Plan): a flag to drop, a dev server to replace.
type DevIssue struct {
	At, AtEnd int    // P[At:AtEnd] is what to point at
	Msg       string // the finding's message
	Title     string // the fix's title; "" when there is no mechanical fix
	Edits     []WordEdit
	Note      string
	Node      bool // a Node.js development server or watcher
	InScript  bool // found in the package.json script a wrapper runs
}

// PythonRe matches a Python interpreter's name: python, python3, python3.12.
var PythonRe = regexp.MustCompile(`^python([0-9]+(\.[0-9]+)?)?$`)

// programIndex finds the program in words: the module of `python -m X`,
// the script of `python manage.py`, the command after `bundle exec`.
func programIndex(P []string, lit []bool) (int, string) {
	k := 0
	for k < len(P) && lit[k] {
		b := path.Base(P[k])
		switch {
		case PythonRe.MatchString(b):
			j := k + 1
			for j < len(P) && lit[j] && strings.HasPrefix(P[j], "-") && P[j] != "-m" && P[j] != "-c" {
				if P[j] == "-X" || P[j] == "-W" {
					j++
				}
				j++
			}
			if j+1 < len(P) && lit[j] && P[j] == "-m" && lit[j+1] {
				return j + 1, P[j+1]
			}
			if j < len(P) && lit[j] && !strings.HasPrefix(P[j], "-") {
				return j, path.Base(P[j])
			}
			return -1, ""
		case b == "bundle" && k+1 < len(P) && lit[k+1] && P[k+1] == "exec":
			k += 2
		case b == "thrust":
			k++
		default:
			if strings.HasSuffix(P[k], "bin/dev") {
				return k, "bin/dev"
			}
			return k, b
		}
	}
	return -1, ""
}

// sub returns the index of the first literal word after k that is not
// an option (options in valued take the next word), or -1.
func sub(P []string, lit []bool, k int, valued map[string]bool) int {
	for j := k + 1; j < len(P); j++ {
		if !lit[j] {
			return -1
		}
		if !strings.HasPrefix(P[j], "-") {
			return j
		}
		if valued[P[j]] {
			j++
		}
	}
	return -1
}

// flagEdits finds options in P[from:] (stopping at stop, -1 for the
// end): names alone, or valued names with their value (`--x v`, `--x=v`).
func flagEdits(P []string, lit []bool, from, stop int, names, valued map[string]bool) (first int, edits []WordEdit) {
	first = -1
	if stop < 0 {
		stop = len(P)
	}
	for j := from; j < stop; j++ {
		if !lit[j] {
			continue
		}
		name, _, hasVal := strings.Cut(P[j], "=")
		switch {
		case names[P[j]]:
			edits = append(edits, WordEdit{j, j + 1, nil})
		case valued[name] && hasVal:
			edits = append(edits, WordEdit{j, j + 1, nil})
		case valued[name] && j+1 < stop:
			edits = append(edits, WordEdit{j, j + 2, nil})
			j++
		default:
			continue
		}
		if first < 0 && names[P[j]] {
			first = j
		}
	}
	return first, edits
}

var reloadValued = map[string]map[string]bool{
	"uvicorn":   set("--reload-dir", "--reload-include", "--reload-exclude", "--reload-delay"),
	"gunicorn":  set("--reload-engine", "--reload-extra-file"),
	"hypercorn": set(),
	"fastapi":   set(),
}

// DevIssues finds the development-mode settings in a program's words.
func DevIssues(info *StageInfo, P []string, lit []bool) []DevIssue {
	k, name := programIndex(P, lit)
	if k < 0 {
		return nil
	}
	var out []DevIssue
	advice := func(at int, node bool, msg string) {
		out = append(out, DevIssue{At: at, AtEnd: at + 1, Msg: msg, Node: node})
	}
	reload := func(server string) {
		first, edits := flagEdits(P, lit, k+1, -1, set("--reload"), reloadValued[server])
		if first < 0 {
			return
		}
		title := "Drop --reload"
		if len(edits) > 1 {
			title = "Drop --reload and the options that tune it"
		}
		note := "Without --reload the server no longer restarts when a source file changes, and it runs as the " +
			"container's main process instead of as the child of a file watcher."
		if w, _ := flagEdits(P, lit, k+1, -1, set("--workers", "-w"), nil); w >= 0 && server != "gunicorn" {
			note += " The --workers setting, ignored while reloading, now takes effect."
		}
		out = append(out, DevIssue{At: first, AtEnd: first + 1, Edits: edits, Title: title, Note: note,
			Msg: server + " --reload watches the source files and restarts the server when they change: a development " +
				"feature that costs CPU and memory and is not meant for production"})
	}
	switch name {
	case "uvicorn", "gunicorn":
		reload(name)
	case "hypercorn":
		reload(name)
		if first, edits := flagEdits(P, lit, k+1, -1, set("--debug"), nil); first >= 0 {
			out = append(out, DevIssue{At: first, AtEnd: first + 1, Edits: edits, Title: "Drop --debug",
				Note: "The application no longer runs in debug mode.",
				Msg:  "hypercorn --debug turns on the application's debug mode, which is meant for development"})
		}
	case "fastapi":
		s := sub(P, lit, k, nil)
		switch {
		case s >= 0 && P[s] == "dev":
			edits := []WordEdit{{s, s + 1, []string{"run"}}}
			_, more := flagEdits(P, lit, s+1, -1, set("--reload"), nil)
			out = append(out, DevIssue{At: s, AtEnd: s + 1, Edits: append(edits, more...), Title: "Use fastapi run instead of fastapi dev",
				Note: "fastapi run does not reload on file changes and listens on 0.0.0.0 unless --host says otherwise " +
					"(fastapi dev listens on 127.0.0.1, which is unreachable from outside the container).",
				Msg: "fastapi dev is the development server: it reloads on every file change and listens on 127.0.0.1; use fastapi run in production"})
		case s >= 0 && P[s] == "run":
			reload("fastapi")
		}
	case "flask":
		if first, edits := flagEdits(P, lit, k+1, -1, set("--debug", "--debugger", "--reload"), nil); first >= 0 {
			for _, e := range edits {
				flag := P[e.From]
				msg := "flask " + flag + " turns on the in-browser debugger, which runs Python code in the container " +
					"for whoever reaches an error page (behind a PIN that the logs print)"
				if flag == "--reload" {
					msg = "flask --reload restarts the server when a source file changes: a development feature"
				}
				out = append(out, DevIssue{At: e.From, AtEnd: e.To, Edits: []WordEdit{e}, Title: "Drop " + flag,
					Note: "Flask no longer runs in debug mode: no interactive debugger, no reloading.", Msg: msg})
			}
		}
		if s := sub(P, lit, k, flaskValued); s >= 0 && P[s] == "run" {
			advice(s, false, "flask run starts Flask's development server, which is not built for production traffic; "+
				"serve the app with a WSGI server such as gunicorn (gunicorn --bind 0.0.0.0:5000 module:app)")
		}
	case "manage.py", "django-admin":
		if s := sub(P, lit, k, set("--settings", "--pythonpath")); s >= 0 && P[s] == "runserver" {
			advice(s, false, "manage.py runserver is Django's development server, not meant for production; serve "+
				"the project with gunicorn (gunicorn project.wsgi) or, for ASGI, uvicorn (uvicorn project.asgi:application)")
		}
	case "nodemon":
		s := k + 1
		if s < len(P) && lit[s] && !strings.HasPrefix(P[s], "-") && nodeScriptFile(P[s]) {
			out = append(out, DevIssue{At: k, AtEnd: k + 1, Node: true, Edits: []WordEdit{{k, k + 1, []string{"node"}}},
				Title: "Run node instead of nodemon",
				Note:  "The program no longer restarts when a file changes or when it crashes; let the container's restart policy handle crashes.",
				Msg:   "nodemon restarts the program whenever a file changes: a development tool, not a production process manager"})
		} else {
			advice(k, true, "nodemon restarts the program whenever a file changes: a development tool; run the program with node")
		}
	case "node":
		stop := k + 1
		for stop < len(P) && lit[stop] && strings.HasPrefix(P[stop], "-") {
			stop++
		}
		if first, edits := flagEdits(P, lit, k+1, stop, set("--watch", "--watch-preserve-output"), set("--watch-path")); len(edits) > 0 {
			if first < 0 {
				first = edits[0].From
			}
			out = append(out, DevIssue{At: first, AtEnd: first + 1, Node: true, Edits: edits, Title: "Drop --watch",
				Note: "node no longer restarts the program when a file changes.",
				Msg:  "node --watch restarts the program whenever a file changes: a development feature"})
		}
	case "next", "nuxt", "nuxi", "astro", "remix", "svelte-kit":
		if s := sub(P, lit, k, nil); s >= 0 && P[s] == "dev" {
			advice(s, true, name+" dev is the development server (on-demand compilation, hot reloading); build the app "+
				"in the image ("+name+" build) and start the production server ("+prodServer[name]+")")
		}
	case "vite":
		s := sub(P, lit, k, nil)
		if s < 0 || P[s] == "dev" || P[s] == "serve" || P[s] == "preview" {
			advice(k, true, "vite's dev and preview servers are not meant for production; build the app (vite build) "+
				"and serve the output with a web server or the framework's production server")
		}
	case "ts-node-dev", "tsnd":
		advice(k, true, name+" restarts the program whenever a file changes and compiles TypeScript at start; compile in "+
			"the build (tsc) and run the output with node")
	case "tsx":
		if s := sub(P, lit, k, nil); s >= 0 && P[s] == "watch" {
			advice(s, true, "tsx watch restarts the program whenever a file changes; compile in the build and run the output with node")
		}
	case "webpack-dev-server":
		advice(k, true, "webpack-dev-server is a development server; build the bundle in the image and serve it with a web server")
	case "webpack":
		if s := sub(P, lit, k, nil); s >= 0 && P[s] == "serve" {
			advice(s, true, "webpack serve is a development server; build the bundle in the image and serve it with a web server")
		}
	case "react-scripts", "vue-cli-service", "ng", "gatsby":
		if s := sub(P, lit, k, nil); s >= 0 && (P[s] == "start" || P[s] == "serve" || P[s] == "develop") {
			advice(s, true, name+" "+P[s]+" is a development server; build the app in the image and serve the output with a web server")
		}
	case "nest":
		if s := sub(P, lit, k, nil); s >= 0 && P[s] == "start" {
			if w, _ := flagEdits(P, lit, s+1, -1, set("--watch", "-w"), nil); w >= 0 {
				advice(w, true, "nest start --watch recompiles and restarts on every file change; build in the image "+
					"(nest build) and run node dist/main.js")
			}
		}
	case "rails":
		if s := sub(P, lit, k, set("-e", "--environment")); s >= 0 && (P[s] == "s" || P[s] == "server") && !railsProduction(info, P, lit, s) {
			advice(s, false, "rails server runs in the development environment unless RAILS_ENV is production: code "+
				"reloading, detailed error pages, no caching; set ENV RAILS_ENV=production in the final stage "+
				"(with the assets precompiled and a secret key provided at run time)")
		}
	case "bin/dev":
		advice(k, false, "bin/dev starts the development processes (Procfile.dev); run ./bin/rails server with RAILS_ENV=production")
	case "dotnet":
		if s := sub(P, lit, k, nil); s >= 0 && P[s] == "watch" {
			advice(s, false, "dotnet watch rebuilds and restarts the app on every file change; publish in a builder stage "+
				"(dotnet publish) and run the published app")
		}
	}
	return out
}

// prodServer names the production start command of a framework.
var prodServer = map[string]string{
	"next": "next start", "nuxt": "node .output/server/index.mjs", "nuxi": "node .output/server/index.mjs",
	"astro": "node ./dist/server/entry.mjs with the Node adapter", "remix": "remix-serve build",
	"svelte-kit": "node build with adapter-node",
}

// nodeScriptFile reports whether nodemon's argument is a file node runs
// as is (JavaScript, or no extension).
func nodeScriptFile(f string) bool {
	b := path.Base(f)
	ext := path.Ext(b)
	return ext == "" || ext == ".js" || ext == ".mjs" || ext == ".cjs"
}

// railsProduction reports whether rails server runs in production: an
// -e/--environment flag or RAILS_ENV/RACK_ENV in the environment.
func railsProduction(info *StageInfo, P []string, lit []bool, s int) bool {
	for j := s + 1; j < len(P); j++ {
		if !lit[j] {
			continue
		}
		switch {
		case (P[j] == "-e" || P[j] == "--environment") && j+1 < len(P):
			return P[j+1] == "production"
		case strings.HasPrefix(P[j], "--environment="):
			return strings.TrimPrefix(P[j], "--environment=") == "production"
		case strings.HasPrefix(P[j], "-e") && len(P[j]) > 2 && !strings.HasPrefix(P[j], "--"):
			return P[j][2:] == "production"
		}
	}
	if v, ok := info.Env["RAILS_ENV"]; ok {
		return v == "production"
	}
	return info.Env["RACK_ENV"] == "production"
}
