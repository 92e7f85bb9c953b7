// Package buildvars knows ARG and ENV as BuildKit reads them: global and
// stage ARGs, expansion with BuildKit's own shell lexer, the automatic
// platform ARGs, platform values, valid image references, BuildKit's
// "did you mean" suggestions, and instruction arguments and flags as
// words with byte spans.
package buildvars
