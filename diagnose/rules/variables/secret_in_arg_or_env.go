package variables

import (
	"net/url"
	"path"
	"regexp"
	"sort"
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
			"`version` (`PUBLIC_KEY`, `PASSWORD_FILE`, `TOKEN_VERSION`). This is BuildKit's rule; dockdoc refines " +
			"it where the name or the value shows there is no secret.\n\n" +
			"Names pass when a part after the last secret-looking one names something about the secret: its " +
			"identifier (`alias`, `id`, `arn`, `name`, `user`), where it lives (`path`, `dir`, `url`, `host`, " +
			"`port`, `store`), how it is used (`mode`, `type`, `method`, `provider`, `enabled`, `required`, " +
			"`header`) or a property (`length`, `size`, `bits`, `ttl`, `timeout`, `algorithm`, `format`, `region`, " +
			"`prefix`), as in `KMS_KEY_ALIAS`, `API_KEY_ID`, `TLS_KEY_PATH`, `OIDC_AUTH_MODE` or " +
			"`POSTGRES_HOST_AUTH_METHOD` (`SECRET_KEY_BASE` is still flagged); when their first part makes them a " +
			"switch (`enable`, `disable`, `use`, `skip`, `require`, `no`, `without`, `allow`: `ALLOW_EMPTY_PASSWORD`, " +
			"`ENABLE_AUTH`); and for `GPG_KEY` and `..._GPG_KEY` / `..._PGP_KEY`, which official images use for the " +
			"fingerprint of the public key that verifies a download (`GPG_PRIVATE_KEY` is still flagged).\n\n" +
			"Values pass when they show there is no secret, after their variables are expanded as BuildKit does: " +
			"an empty `ENV`, a boolean (`true`, `no`, `0`, `enabled`, ...), `none`, a path (`/run/secrets/db`, " +
			"`./certs/key.pem`), a URL without a user, password or secret-looking query parameter, or an " +
			"authentication scheme for a name whose only secret-looking part is `auth` (`HTTP_AUTH=basic`). An " +
			"`ARG` without a default, or with an empty one, is still flagged: its value is what the build is given " +
			"with `--build-arg`, which is how a secret gets in; and an `ENV` whose value refers to a build argument " +
			"(`ENV NPM_TOKEN=${NPM_TOKEN}`) is flagged for storing it in the image.\n\n" +
			"Names the project knows hold no secret can be listed in the configuration, as globs matched without " +
			"regard to case: `allowed-secret-names: [KMS_KEY_ALIAS, \"*_AUTH_MODE\"]` in `.dockdoc.yaml`. An `ARG` " +
			"before the first `FROM` is not flagged: it only reaches `FROM` lines, and a stage that uses it must " +
			"declare it again, which is flagged. hadolint's DL3064 instead matches substrings and a list of names, " +
			"which flags names like `GOPRIVATE`, `NPM_TOKEN_FILE` or `POSTGRES_USER`-style usernames that hold " +
			"nothing secret (hadolint issues #1230 and #1245); dockdoc does not.",
		Why: "Values given to `ENV` are stored in the image configuration: anyone who can pull the image reads them " +
			"with `docker inspect`, and every container started from it has them. `ARG` values are not stored as " +
			"such, but every `RUN` that runs while they are set records them in the image history " +
			"(`docker history`), and build provenance can include them. Either way the secret leaves the build. " +
			"BuildKit's secret mounts give a `RUN` the value for that one command without writing it anywhere.",
		Bad:  "FROM node:22-slim\nARG NPM_TOKEN\nRUN echo \"//npm.registry.example/:_authToken=${NPM_TOKEN}\" > ~/.npmrc && npm ci",
		Good: "FROM node:22-slim\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    echo \"//npm.registry.example/:_authToken=${NPM_TOKEN}\" > ~/.npmrc && npm ci && rm ~/.npmrc",
		Fix: "No automatic fix: moving to a secret mount means changing how the build is called " +
			"(`docker build --secret id=npm_token,env=NPM_TOKEN .`) and every place that reads the value. Use " +
			"`RUN --mount=type=secret,id=NAME[,env=VAR]` (the secret appears as a file under `/run/secrets/` or as an " +
			"environment variable of that one command) and drop the `ARG` / `ENV`. If the name holds nothing " +
			"secret, rename it, add it to `allowed-secret-names` in `.dockdoc.yaml`, or suppress the finding.",
		Refs: []string{
			"https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
			"https://docs.docker.com/build/building/secrets/",
			"https://github.com/hadolint/hadolint/wiki/DL3064",
		},
	},
	Check: func(p *diagnose.Pass) {
		d := p.Doc
		for _, in := range d.Instructions {
			n, onbuild := buildvars.Trigger(in)
			if n == nil {
				continue
			}
			var defs []secretDef
			kw := strings.ToLower(n.Value)
			switch kw {
			case "arg":
				if in.Stage == nil {
					continue // a global ARG only reaches FROM lines; a stage must declare it again to use it
				}
				for _, a := range buildvars.Args(n) {
					defs = append(defs, secretDef{key: a.Key, value: a.Value})
				}
			case "env":
				for _, pr := range buildvars.Pairs(n) {
					v := pr.Value
					defs = append(defs, secretDef{key: pr.Key, value: &v})
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
			var scope *buildvars.Scope
			for _, def := range defs {
				key := def.key
				span := in.KeywordSpan()
				if i := strings.Index(in.Logical[cursor:], key); i >= 0 && key != "" {
					span = in.OrigSpan(diagnose.Span{Start: cursor + i, End: cursor + i + len(key)})
					cursor += i + len(key)
				}
				if !secretName(key) || allowedSecretName(d.Config, key) {
					continue
				}
				if scope == nil {
					scope = buildvars.ScopeAt(d, in)
				}
				fed, harmless := judgeSecretValue(d, scope, kw, key, def.value, onbuild)
				switch {
				case harmless:
				case kw == "env" && fed != "":
					p.Report(span, "ENV %s stores the build argument $%s in the image, readable with docker inspect; use a secret mount", key, fed)
				case kw == "env":
					p.Report(span, "ENV %s looks like a secret: its value is stored in the image, readable with docker inspect; use a secret mount", key)
				default:
					p.Report(span, "ARG %s looks like a secret: build arguments end up in the image history of each RUN that sees them; use a secret mount", key)
				}
			}
		}
	},
})

// secretDef is one name an ARG or ENV defines, with its raw value (quotes
// kept; nil for an ARG without a default).
type secretDef struct {
	key   string
	value *string
}

// allowedSecretName reports whether the configuration's
// allowed-secret-names lets key pass (globs, without regard to case).
func allowedSecretName(c *diagnose.Config, key string) bool {
	if c == nil {
		return false
	}
	for _, pat := range c.AllowedSecretNames {
		if ok, _ := path.Match(strings.ToUpper(strings.TrimSpace(pat)), strings.ToUpper(key)); ok {
			return true
		}
	}
	return false
}

// judgeSecretValue reads the value a secret-looking name is given. fed
// names the build argument an ENV value refers to (the secret then comes
// from --build-arg and the ENV stores it); harmless says the value shows
// the name holds no secret: an empty ENV, a boolean, a path, a URL without
// credentials, an authentication mode for an *_AUTH name, or a reference to
// variables that are no build arguments and expand to one of those. An
// ARG without a default, or with an empty one, is not harmless: the value
// is then the one the build is given. Neither is a value of an ONBUILD
// trigger that refers to variables: those are the child build's, which
// this file does not show.
func judgeSecretValue(d *diagnose.Document, scope *buildvars.Scope, kw, key string, raw *string, onbuild bool) (fed string, harmless bool) {
	if raw == nil {
		return "", false
	}
	refs := buildvars.VarRefs(*raw, d.Escape)
	if onbuild && len(refs) > 0 {
		return "", false
	}
	sort.Strings(refs)
	for _, r := range refs {
		if scope.FromBuildArg[r] && !buildvars.IsPlatformArg(r) {
			return r, false
		}
	}
	x, ok := buildvars.Expand(*raw, scope.Env, d.Escape)
	if !ok {
		return "", false
	}
	v := strings.TrimSpace(x.Result)
	if v == "" {
		return "", kw == "env"
	}
	return "", harmlessSecretValue(key, v)
}

var (
	secretPathRe   = regexp.MustCompile(`^(?:/|\./|\.\./|~/|[A-Za-z]:[\\/])\S*$`)
	secretSchemeRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)
)

// harmlessSecretValue reports whether v, the value of the secret-looking
// name key, shows that it holds no secret.
func harmlessSecretValue(key, v string) bool {
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "on", "off", "0", "1", "enabled", "disabled", "enable", "disable",
		"none", "null", "nil":
		return true
	}
	if secretPathRe.MatchString(v) {
		return true
	}
	if secretSchemeRe.MatchString(v) {
		u, err := url.Parse(v)
		if err != nil || u.User != nil {
			return false
		}
		for k := range u.Query() {
			if secretName(strings.ReplaceAll(k, "-", "_")) {
				return false // https://host/?token=...
			}
		}
		return true
	}
	// For a name whose only secret-looking part is "auth", a value naming
	// an authentication scheme says it is a setting (HTTP_AUTH=basic,
	// POSTGRES_HOST_AUTH=trust); a password could be any word, so other
	// names do not get this.
	if authOnlyName(key) && authModes[strings.ToLower(v)] {
		return true
	}
	return false
}

var authModes = map[string]bool{
	"basic": true, "bearer": true, "digest": true, "oauth": true, "oauth2": true, "oidc": true, "jwt": true,
	"ldap": true, "saml": true, "kerberos": true, "ntlm": true, "negotiate": true, "anonymous": true,
	"iam": true, "tls": true, "mtls": true, "x509": true, "cert": true, "trust": true, "md5": true,
	"scram-sha-256": true, "peer": true, "ident": true, "reject": true, "internal": true, "external": true,
	"required": true, "optional": true,
}

// authOnlyName reports whether "auth" is the only secret-looking part of key.
func authOnlyName(key string) bool {
	auth := false
	for _, part := range strings.Split(strings.ToLower(key), "_") {
		switch part {
		case "auth":
			auth = true
		case "apikey", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token":
			return false
		}
	}
	return auth
}

var (
	secretNameDeny  = regexp.MustCompile(`(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)`)
	secretNameAllow = regexp.MustCompile(`(?i)(?:_|^)(?:public|file|version)(?:_|$)`)
)

// secretName is BuildKit's test for a secret-looking ARG or ENV name,
// refined where BuildKit's flags names that describe a secret rather
// than hold one:
//   - a `key` part right after `gpg` or `pgp` does not count: GPG_KEY and
//     *_GPG_KEY hold the fingerprint of a public signing key that official
//     images use to verify downloads;
//   - a part after the last secret-looking one that makes the name about
//     the secret (secretQualifiers: KMS_KEY_ALIAS, API_KEY_ID,
//     TLS_KEY_PATH, OIDC_AUTH_MODE, TOKEN_TTL, ...);
//   - a first part that makes the name a switch (secretSwitches:
//     ENABLE_AUTH, ALLOW_EMPTY_PASSWORD, SKIP_TOKEN_CHECK).
func secretName(key string) bool {
	if !secretNameDeny.MatchString(key) || secretNameAllow.MatchString(key) {
		return false
	}
	parts := strings.Split(strings.ToLower(key), "_")
	if len(parts) > 1 && secretSwitches[parts[0]] {
		return false
	}
	last := -1
	for i, part := range parts {
		switch part {
		case "apikey", "auth", "credential", "credentials", "password", "pword", "passwd", "secret", "token":
			last = i
		case "key":
			if i == 0 || (parts[i-1] != "gpg" && parts[i-1] != "pgp") {
				last = i
			}
		}
	}
	if last < 0 {
		return false
	}
	for _, part := range parts[last+1:] {
		if secretQualifiers[part] {
			return false
		}
	}
	return true
}

// secretQualifiers, after a name's last secret-looking part, make it name
// something about the secret, not the secret: its identifier, where it
// lives, how it is used, or a property.
var secretQualifiers = map[string]bool{
	"alias": true, "id": true, "ids": true, "arn": true, "name": true, "ring": true, "user": true,
	"username": true, "email": true, "path": true, "dir": true, "location": true, "url": true, "uri": true,
	"endpoint": true, "host": true, "server": true, "port": true, "store": true, "mode": true, "type": true,
	"method": true, "scheme": true, "provider": true, "backend": true, "plugin": true, "policy": true,
	"strategy": true, "enabled": true, "enable": true, "disabled": true, "required": true, "header": true,
	"length": true, "len": true, "size": true, "bits": true, "ttl": true, "expiry": true, "expires": true,
	"lifetime": true, "timeout": true, "algorithm": true, "alg": true, "format": true, "region": true,
	"prefix": true, "suffix": true,
}

// secretSwitches, as a name's first part, make it a switch about the
// secret (its value is then a boolean or a mode).
var secretSwitches = map[string]bool{
	"enable": true, "enabled": true, "disable": true, "disabled": true, "use": true, "skip": true,
	"require": true, "required": true, "no": true, "without": true, "allow": true,
}
