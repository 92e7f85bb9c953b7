// Package files holds the rules about files entering the image: ADD and
// COPY, archives, destinations, WORKDIR, and the .dockerignore.
package files
