package pypitest

import (
	"maps"
	"time"
)

// Fault is a broken answer the server can be asked to give.
type Fault int

// Faults to inject with Inject.
const (
	// MalformedXMLRPC cuts an XML-RPC answer off in the middle of a value.
	MalformedXMLRPC Fault = iota + 1
	// TruncatedJSON cuts a JSON API answer in half.
	TruncatedJSON
	// WrongSHA256 makes the JSON API give a digest that is not the file's.
	WrongSHA256
	// HugeContentLength makes a file answer declare 10 GB and send a few
	// bytes.
	HugeContentLength
	// Unavailable answers any request with HTTP 503.
	Unavailable
)

// HugeLength is the Content-Length HugeContentLength declares.
const HugeLength = 10 << 30

// Inject makes the next times answers that f applies to broken (XML-RPC
// answers for MalformedXMLRPC, JSON API answers for TruncatedJSON and
// WrongSHA256, file downloads for HugeContentLength, any answer for
// Unavailable). A negative times breaks them until Inject(f, 0).
func (s *Server) Inject(f Fault, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if times == 0 {
		delete(s.faults, f)
		return
	}
	s.faults[f] = times
}

// take reports whether this answer should carry fault f, using up one of
// its injections. Call with s.mu held.
func (s *Server) take(f Fault) bool {
	n := s.faults[f]
	switch {
	case n == 0:
		return false
	case n > 0:
		if n == 1 {
			delete(s.faults, f)
		} else {
			s.faults[f] = n - 1
		}
	}
	s.calls.Faults++
	return true
}

// Calls counts the requests the server answered.
type Calls struct {
	XMLRPC      int            // XML-RPC calls, rate-limited ones included
	Methods     map[string]int // XML-RPC calls by method name
	RateLimited int            // XML-RPC calls answered with the 429 fault
	JSON        int            // JSON API requests
	Files       int            // file downloads
	Faults      int            // answers broken by Inject
}

// Calls returns the counts so far.
func (s *Server) Calls() Calls {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.calls
	c.Methods = maps.Clone(s.calls.Methods)
	return c
}

// limited reports whether an XML-RPC call is over the rate limit and
// records it when it is not (a refused call does not count, as in PyPI's
// moving window). Call with s.mu held.
func (s *Server) limited() bool {
	if s.rate <= 0 {
		return false
	}
	now := time.Now() // wall time, whatever SetClock says: clients back off in it
	keep := s.recent[:0]
	for _, t := range s.recent {
		if now.Sub(t) < time.Second {
			keep = append(keep, t)
		}
	}
	s.recent = keep
	if len(s.recent) >= s.rate {
		s.calls.RateLimited++
		return true
	}
	s.recent = append(s.recent, now)
	return false
}
