// Package syntax holds the rules about how instructions are written:
// casing, continuations, legacy forms, EXPOSE and ONBUILD syntax, stage
// names, and the comments BuildKit reads.
package syntax
