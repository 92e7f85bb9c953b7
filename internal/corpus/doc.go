// Package corpus finds the team's corpus of real Dockerfiles for tests,
// sweeps and benchmarks ($DOCKDOC_CORPUS, or shared/corpus/files beside an
// ancestor of the checkout).
package corpus
