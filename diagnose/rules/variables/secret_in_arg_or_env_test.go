package variables

import (
	"testing"
)

func TestSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"GITHUB_TOKEN": true, "DB_PASSWORD": true, "AWS_SECRET_ACCESS_KEY": true, "apikey": true,
		"SUPER_Secret": true, "GPG_PRIVATE_KEY": true, "SSH_PRIVATE_KEY": true, "NPM_AUTH": true,
		"PUBLIC_KEY": false, "PASSWORD_FILE": false, "TOKEN_VERSION": false, "GOPRIVATE": false,
		"TOKENIZER": false, "KEYBOARD": false, "POSTGRES_USER": false, "GPG_KEY": false,
		"WORDPRESS_CLI_GPG_KEY": false, "PGP_KEY": false, "api-key": false,
	} {
		if got := secretName(name); got != want {
			t.Errorf("secretName(%q) = %v, want %v", name, got, want)
		}
	}
}
