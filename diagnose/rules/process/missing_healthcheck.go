package process

import (
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD065",
	Name:     "missing-healthcheck",
	Severity: diagnose.Style,
	Category: diagnose.Correctness,
	Aliases:  []string{"DL3057"},
	Summary:  "the final image defines no HEALTHCHECK",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Off by default, as in hadolint: turn it on with `--rule DD065` or `enable: [DD065]` in .dockdoc.yaml. Flags the final stage (the image the build produces by default) when neither it nor an earlier " +
			"stage it is built `FROM` has a `HEALTHCHECK`. `HEALTHCHECK NONE` counts as a decision and is not " +
			"flagged. Intermediate stages are never flagged: their health does not matter. hadolint has this rule " +
			"(DL3057) off by default and checks every stage; dockdoc reports it at the lowest level, style, and " +
			"only for the final stage. The base image may define a health check of its own, which dockdoc cannot " +
			"see.",
		Why: "Without a health check Docker only knows whether the main process runs, not whether it works: a " +
			"server that deadlocks or loses its database connection still shows as up. With one, `docker ps` shows " +
			"`unhealthy`, Compose can wait for a service to be healthy before starting the next, and Swarm replaces " +
			"failing tasks. Kubernetes ignores `HEALTHCHECK` (it uses its own probes), and for command-line tools " +
			"or batch jobs a health check makes no sense: turn the rule off for those.",
		Bad: "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/",
		Good: "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n" +
			"HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost/ || exit 1",
		Fix: "No automatic fix, on purpose: a health check has to run a real probe of your program (an HTTP " +
			"endpoint, a port, a command), with a tool that exists in the image (`curl` and `wget` are missing " +
			"from many slim images). Write one, or add `HEALTHCHECK NONE` to record that the image has none.",
		Refs: []string{
			"https://docs.docker.com/reference/dockerfile/#healthcheck",
			"https://docs.docker.com/compose/how-tos/startup-order/",
			"https://github.com/hadolint/hadolint/wiki/DL3057",
		},
	},
	Optional: true,
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		if len(d.Stages) == 0 {
			return
		}
		final := d.Stages[len(d.Stages)-1]
		s := final
		for i := 0; s != nil && i < 64; i++ {
			for _, in := range s.Instrs {
				if in.Keyword == "healthcheck" {
					return
				}
			}
			s = s.Parent
		}
		p.Report(buildvars.FirstLine(d, final.From), "the final image has no HEALTHCHECK, so Docker cannot tell a hung "+
			"service from a working one (unless the base image defines one)")
	},
})
