// Package pypitest is a fake PyPI for tests: an HTTP server that speaks
// the parts of PyPI the monitor follows exactly as PyPI does (XML-RPC
// changelog_last_serial and changelog_since_serial, the retired changelog
// answering its fault, the JSON API per release and per project, and file
// downloads), with uploads, yanks, removals, quarantines and role changes
// made by the test. It can rate-limit like PyPI (a 429 fault) and serve
// broken answers on request (malformed XML-RPC, truncated JSON, a wrong
// sha256, a huge Content-Length), and it counts the calls it answers.
//
// It is an ordinary package, not a _test file, so tests of other packages
// and helper processes can use it: Start listens on a loopback port, and a
// Server is also an http.Handler for any listener. It is not a PyPI
// replacement and holds everything in memory.
package pypitest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// DefaultBatchLimit is PyPI's most rows per changelog_since_serial.
const DefaultBatchLimit = 50000

// Server is a fake PyPI. Its methods are safe for concurrent use, also
// while it serves.
type Server struct {
	mux *http.ServeMux
	ts  *httptest.Server

	mu       sync.Mutex
	now      func() time.Time
	uploader string
	batch    int
	rate     int         // XML-RPC calls allowed per second; 0: no limit
	recent   []time.Time // XML-RPC calls in the last second
	faults   map[Fault]int
	calls    Calls
	journal  []row
	projects map[string]*project // by normalised name
	files    map[string]*file    // by filename, removed ones too
}

// NewServer returns a fake PyPI that is not listening: serve it with
// Start, or as an http.Handler under any listener (its file URLs follow
// the Host each request arrives at).
func NewServer() *Server {
	s := &Server{
		now:      time.Now,
		uploader: "uploader",
		batch:    DefaultBatchLimit,
		faults:   map[Fault]int{},
		projects: map[string]*project{},
		files:    map[string]*file{},
	}
	s.calls.Methods = map[string]int{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /pypi", s.serveXMLRPC)
	mux.HandleFunc("POST /pypi/", s.serveXMLRPC)
	mux.HandleFunc("POST /RPC2", s.serveXMLRPC)
	mux.HandleFunc("GET /pypi/{name}/json", s.serveProject)
	mux.HandleFunc("GET /pypi/{name}/{version}/json", s.serveRelease)
	mux.HandleFunc("GET /packages/{h1}/{h2}/{h3}/{filename}", s.serveFile)
	s.mux = mux
	return s
}

// Start returns a fake PyPI listening on a loopback port. Close it when
// done.
func Start() *Server {
	s := NewServer()
	s.ts = httptest.NewServer(s)
	return s
}

// URL is the base URL of a started server ("http://127.0.0.1:port"), the
// BaseURL of a pypi.Client; empty if the server was not started.
func (s *Server) URL() string {
	if s.ts == nil {
		return ""
	}
	return s.ts.URL
}

// Close stops a started server.
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.Close()
	}
}

// ServeHTTP answers one request as PyPI would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// SetBatchLimit sets the most rows one changelog_since_serial answers
// (PyPI: 50,000), so tests can page through a journal with few rows.
func (s *Server) SetBatchLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= 0 {
		n = DefaultBatchLimit
	}
	s.batch = n
}

// SetRateLimit lets through at most perSecond XML-RPC calls in any second
// and answers the others with PyPI's 429 fault; 0 switches it off (the
// default). PyPI allows about one call a second.
func (s *Server) SetRateLimit(perSecond int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate, s.recent = perSecond, nil
}

// SetClock sets the clock that timestamps journal rows and uploads.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetUploader sets the user who becomes Owner of the projects Publish
// creates (default "uploader").
func (s *Server) SetUploader(user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.uploader = user
}
