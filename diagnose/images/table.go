package images

// What dockdoc knows about current releases, for fixes that must name a
// version when the project pins none. Offline by design: this table is the
// only source, it is dated, and every fix that uses it is unsafe and says
// so. Update the date with the values.
const VersionsUpdated = "2026-08-22"

// NewestStable is the newest maintained release line of each official
// base image (docker-library official images on VersionsUpdated).
var NewestStable = map[string]string{
	"python": "3.14",
	"node":   "24", // the active LTS line
	"golang": "1.27",
	"ruby":   "3.4",
	"rust":   "1.98",
}

// ToolVersions are the versions dockdoc pins Python and Node tools to when
// the project names none (pip install uv==..., npm install -g x@...).
var ToolVersions = map[string]string{
	"uv":     "0.9.5",
	"poetry": "2.1.3",
	"pipenv": "2025.0.4",
	"pip":    "25.2",
}

// defaultVariant is the image variant the migrations use for a runtime
// stage when the file does not already choose one.
var defaultVariant = map[string]string{
	"python": "slim",
	"node":   "slim",
	"golang": "",
}
