// Package knownbad is the database of packages already known to be
// malicious: OSV records (the OpenSSF malicious-packages feed, MAL-
// identifiers) and plain name lists, matched by PEP 503 name and PEP 440
// version, or by artifact SHA-256.
//
// A snapshot compiled into the binary answers with no network and no local
// state (see Snapshot and `go generate`); `db update` writes a local SQLite
// database (WriteSQLite) that answers instead once it exists; NewAPI serves
// any Store as osv.dev's API v1. The package parses, matches and serves; it
// does not analyse code (that is internal/analyze), and it fetches only when
// asked to update.
package knownbad

//go:generate go run ./gen -data ../../data -out snapshot.jsonl.gz
