// Package variables holds the rules about ARG and ENV: undefined and
// self-referencing variables, ARGs in FROM, platform ARGs, and secrets.
package variables
