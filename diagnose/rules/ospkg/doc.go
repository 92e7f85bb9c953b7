// Package ospkg holds the rules about OS package managers: apt, apk and
// the rpm family (prompts, recommends, caches, upgrades, pins).
package ospkg
