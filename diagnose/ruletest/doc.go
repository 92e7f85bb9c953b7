// Package ruletest holds helpers shared by rule tests: the golden format of
// findings, txtar sections, parsing in a test.
package ruletest
