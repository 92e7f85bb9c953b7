package variables

import (
	"regexp"
	"strings"

	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/buildvars"
)

var _ = diagnose.Register(&diagnose.Rule{
	Code:     "DD074",
	Name:     "secret-in-arg-or-env",
	Severity: diagnose.Warning,
	Category: diagnose.Security,
	Aliases:  []string{"DL3064", "SecretsUsedInArgOrEnv"},
	Summary:  "ARG or ENV name suggests it holds a secret",
	Fixable:  diagnose.FixNone,
	Doc: diagnose.Doc{
		What: "Flags an `ARG` or `ENV` (also inside `ONBUILD`) whose name looks like it holds a secret. The name is " +
			"split at underscores, without regard to case, and is flagged when one part is `apikey`, `auth`, " +
			"`credential`, `credentials`, `key`, `password`, `pword`, `passwd`, `secret` or `token` " +
			"(`GITHUB_TOKEN`, `DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`), unless another part is `public`, `file` or " +
			"`version` (`PUBLIC_KEY`, `PASSWORD_FILE`, `TOKEN_VERSION`). Unlike BuildKit, dockdoc also lets `GPG_KEY` " +
			"and `..._GPG_KEY` / `..._PGP_KEY` pass: official images use them for the fingerprint of the public key " +
			"that verifies a download, which is no secret (`GPG_PRIVATE_KEY` is still flagged). An `ARG` before the first `FROM` is not " +
			"flagged: it only reaches `FROM` lines, and a stage that uses it must declare it again, which is " +
			"flagged. This is BuildKit's rule. hadolint's " +
			"DL3064 instead matches substrings and a list of names, which flags names like `GOPRIVATE`, " +
			"`NPM_TOKEN_FILE` or `POSTGRES_USER`-style usernames that hold nothing secret (hadolint issues #1230 " +
			"and #1245); dockdoc does not.",
		Why: "Values given to `ENV` are stored in the image configuration: anyone who can pull the image reads them " +
			"with `docker inspect`, and every container started from it has them. `ARG` values are not stored as " +
			"such, but every `RUN` that runs while they are set records them in the image history " +
			"(`docker history`), and build provenance can include them. Either way the secret leaves the build. " +
			"BuildKit's secret mounts give a `RUN` the value for that one command without writing it anywhere.",
		Bad:  "ARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > ~/.npmrc && npm ci",
		Good: "RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > ~/.npmrc && npm ci && rm ~/.npmrc",
		Fix: "No automatic fix: moving to a secret mount means changing how the build is called " +
			"(`docker build --secret id=npm_token,env=NPM_TOKEN .`) and every place that reads the value. Use " +
			"`RUN --mount=type=secret,id=NAME[,env=VAR]` (the secret appears as a file under `/run/secrets/` or as an " +
			"environment variable of that one command) and drop the `ARG` / `ENV`. If the name holds nothing " +
			"secret, rename it or suppress the finding.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
			"https://docs.docker.com/build/building/secrets/",
			"https://github.com/hadolint/hadolint/wiki/DL3064",
		},
	},
	Check: func(p *diagnose.Pass) {
		for _, in := range p.Doc.Instructions {
			n, _ := buildvars.Trigger(in)
			if n == nil {
				continue
			}
			var keys []string
			kw := strings.ToLower(n.Value)
			switch kw {
			case "arg":
				if in.Stage == nil {
					continue // a global ARG only reaches FROM lines; a stage must declare it again to use it
				}
				for _, a := range buildvars.Args(n) {
					keys = append(keys, a.Key)
				}
			case "env":
				for _, pr := range buildvars.Pairs(n) {
					keys = append(keys, pr.Key)
				}
			default:
				continue
			}
			_, cursor := in.Args()
			if in.Keyword == "onbuild" {
				ws := in.Words()
				if len(ws) < 2 {
					continue
				}
				cursor = ws[1].Span.End
			}
			for _, key := range keys {
				span := in.KeywordSpan()
				if i := strings.Index(in.Logical[cursor:], key); i >= 0 && key != "" {
					span = in.OrigSpan(diagnose.Span{Start: cursor + i, End: cursor + i + len(key)})
					cursor += i + len(key)
				}
				if !secretName(key) {
					continue
				}
				if kw == "env" {
					p.Report(span, "ENV %s looks like a secret: its value is stored in the image, readable with docker inspect; use a secret mount", key)
				} else {
					p.Report(span, "ARG %s looks like a secret: build arguments end up in the image history of each RUN that sees them; use a secret mount", key)
				}
			}
		}
	},
})

var (
	secretNameDeny  = regexp.MustCompile(`(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)`)
	secretNameAllow = regexp.MustCompile(`(?i)(?:_|^)(?:public|file|version)(?:_|$)`)
)

// secretName is BuildKit's test for a secret-looking ARG or ENV name,
// except that a `key` part right after `gpg` or `pgp` does not count:
// GPG_KEY and *_GPG_KEY hold the fingerprint of a public signing key that
// official images use to verify downloads.
func secretName(key string) bool {
	if !secretNameDeny.MatchString(key) || secretNameAllow.MatchString(key) {
		return false
	}
	parts := strings.Split(strings.ToLower(key), "_")
	for i, part := range parts {
		switch part {
		case "apikey", "auth", "credential", "credentials", "password", "pword", "passwd", "secret", "token":
			return true
		case "key":
			if i == 0 || (parts[i-1] != "gpg" && parts[i-1] != "pgp") {
				return true
			}
		}
	}
	return false
}
