package main

// --resolve: digest pinning (DD095). The only network access dockdoc
// makes, and only when asked.

import (
	"context"
	"fmt"
	"slices"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/resolve"
)

// digestRule is DD095 (base-image-digest), the rule --resolve feeds.
const digestRule = "DD095"

// setupResolve gives the run one caching resolver when --resolve was
// given, so that each distinct image is asked for once across all files
// and fix rounds. It warns when --rule leaves DD095 out, since --resolve
// would then do nothing.
func (c *cli) setupResolve(cf *commonFlags) {
	if !cf.resolve {
		return
	}
	cf.resolver = resolve.NewResolver(context.Background(), resolve.Options{}).Resolve
	if len(cf.only) > 0 && !slices.ContainsFunc(cf.only, diagnose.Lookup(digestRule).Matches) {
		fmt.Fprintf(c.stderr, "dockdoc: --resolve pins digests through %s (base-image-digest), which --rule leaves out; add it to --rule\n", digestRule)
	}
}

// withDigestRule turns the optional DD095 on for a run with --resolve,
// as `enable: [DD095]` in the configuration would, without changing the
// configuration itself.
func withDigestRule(cfg *diagnose.Config, on bool) *diagnose.Config {
	if !on {
		return cfg
	}
	out := diagnose.Config{}
	if cfg != nil {
		out = *cfg
	}
	out.Enabled = append(slices.Clone(out.Enabled), digestRule)
	return &out
}
