package proxy

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/httpserve"
)

// pageTimeout bounds a project page request (prescans included).
const pageTimeout = 3 * time.Minute

// Serve serves s on ln until ctx ends, then shuts down gracefully: it stops
// accepting, lets requests in flight finish for up to grace, and returns.
func Serve(ctx context.Context, ln net.Listener, s *Server, grace time.Duration) error {
	return httpserve.Serve(ctx, ln, s.Handler(), grace, httpserve.Limits{})
}

// withTimeout bounds page requests; file responses stream as long as the
// client reads (their fetch and scan have their own bound).
func (s *Server) withTimeout(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/simple/") {
		ctx, cancel := context.WithTimeout(r.Context(), pageTimeout)
		defer cancel()
		r = r.WithContext(ctx)
	}
	s.ServeHTTP(w, r)
}

// Handler is the index as an http.Handler with its page-request bound,
// for a server that hosts it beside other parts.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.withTimeout) }
