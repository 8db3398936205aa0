// Package pypi is a client for the parts of PyPI that the monitor follows:
// the journal of changes over XML-RPC (changelog_last_serial and
// changelog_since_serial, parsed into typed Events), the JSON API for a
// release or a project, and the download of a distribution file, capped in
// size and time and verified against the SHA-256 the JSON API gives.
//
// Everything PyPI answers is treated as hostile: every body is capped,
// malformed XML or JSON is a clear error and never a panic, and a
// rate-limited call is a typed error (errors.Is(err, ErrRateLimited)) so
// the caller can back off.
//
// The package is not a fetch policy: the caller hands it the HTTP client
// (a Doer) that decides which addresses may be reached and how. It does not
// retry, cache or schedule; the follower does that. It does not speak the
// simple index (internal/proxy does) or upload.
package pypi
