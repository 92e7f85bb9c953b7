// Package migrate is the multi-stage migration planner: it reads a
// one-stage Dockerfile of a Python (uv, pip, Poetry), Node (npm) or Go
// project into a Plan (ecosystem, tool and version, base images, working
// directory, copies, environment, exposed ports, start command) from facts
// in the file and the build context only, refuses with a reason when a fact
// is missing, and renders the builder and runtime stages.
package migrate
