// Package images knows image references and versions: splitting a
// reference into repository, tag and digest; official language images and
// their variants; the dated table of newest stable versions and tool
// versions; version lines and ranges compared with a project's pins;
// registries (Docker Hub's names, allowed registries); and Windows and
// root-image facts of a stage.
package images
