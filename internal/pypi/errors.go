package pypi

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Errors a caller can test for with errors.Is.
var (
	// ErrRateLimited is an answer saying the client called too often: an
	// XML-RPC fault wrapping HTTP 429, or HTTP 429 itself. Back off
	// (RetryAfter tells how long when PyPI said) and call again.
	ErrRateLimited = errors.New("pypi: rate limited")
	// ErrNotFound is a 404 from the JSON API or the file host: the
	// project, release or file does not exist (or no longer does).
	ErrNotFound = errors.New("pypi: not found")
	// ErrHashMismatch is a downloaded file whose SHA-256 is not the one
	// the JSON API gave. What was written must be thrown away.
	ErrHashMismatch = errors.New("pypi: sha256 mismatch")
	// ErrTooLarge is an answer or a file larger than the client's cap.
	ErrTooLarge = errors.New("pypi: too large")
	// ErrMalformed is an answer that is not what the protocol says: bad
	// XML, XML-RPC of the wrong shape, bad JSON.
	ErrMalformed = errors.New("pypi: malformed answer")
)

// Fault is an XML-RPC fault answered by PyPI, for example -32500
// "ValueError: The changelog method has been deprecated...".
type Fault struct {
	Code   int64
	String string
}

func (f *Fault) Error() string {
	return fmt.Sprintf("pypi: xml-rpc fault %d: %s", f.Code, f.String)
}

// Is reports a fault wrapping HTTP 429 as ErrRateLimited.
func (f *Fault) Is(target error) bool {
	if target != ErrRateLimited {
		return false
	}
	s := strings.ToLower(f.String)
	return strings.Contains(s, "429") || strings.Contains(s, "too many requests") || strings.HasPrefix(s, "httptoomanyrequests")
}

// HTTPError is an answer with an unexpected HTTP status.
type HTTPError struct {
	URL        string
	StatusCode int
	Status     string
	// RetryAfter is the Retry-After header of a 429 or 503, if any.
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("pypi: %s: %s", e.URL, e.Status)
}

// Is reports 404 as ErrNotFound and 429 as ErrRateLimited.
func (e *HTTPError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == 404
	case ErrRateLimited:
		return e.StatusCode == 429
	}
	return false
}

// resetRegex finds PyPI's "Limit may reset in N seconds." in a fault.
var resetRegex = regexp.MustCompile(`(?i)reset in (\d{1,6}) seconds?`)

// RetryAfter reports how long PyPI asked the client to wait before the
// next call, from a rate-limit fault's "Limit may reset in N seconds" or a
// Retry-After header. ok is false when err says nothing about it.
func RetryAfter(err error) (d time.Duration, ok bool) {
	var f *Fault
	if errors.As(err, &f) {
		if m := resetRegex.FindStringSubmatch(f.String); m != nil {
			n, _ := strconv.Atoi(m[1])
			return time.Duration(n) * time.Second, true
		}
	}
	var h *HTTPError
	if errors.As(err, &h) && h.RetryAfter > 0 {
		return h.RetryAfter, true
	}
	return 0, false
}

// parseRetryAfter reads a Retry-After header given in seconds; an HTTP
// date or garbage gives 0.
func parseRetryAfter(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > 86400 {
		return 0
	}
	return time.Duration(n) * time.Second
}
