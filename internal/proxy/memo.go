package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/safeguard-dev/safeguard/internal/store"
)

// maxMemoVerdicts bounds the verdicts kept in memory.
const maxMemoVerdicts = 200_000

// verdictMemo keeps verdicts read or written, so cached pages and files
// do not ask the store each time. A verdict belongs to bytes, which never
// change.
type verdictMemo struct {
	mu sync.RWMutex
	m  map[string]*store.Verdict
}

func (m *verdictMemo) get(sum string) (*store.Verdict, bool) {
	m.mu.RLock()
	v, ok := m.m[sum]
	m.mu.RUnlock()
	return v, ok
}

func (m *verdictMemo) put(v *store.Verdict) {
	m.mu.Lock()
	if m.m == nil || len(m.m) >= maxMemoVerdicts {
		m.m = map[string]*store.Verdict{}
	}
	m.m[v.SHA256] = v
	m.mu.Unlock()
}

// verdict returns the stored verdict on sum, or store.ErrNotFound.
func (s *Server) verdict(ctx context.Context, sum string) (*store.Verdict, error) {
	if v, ok := s.memo.get(sum); ok {
		return v, nil
	}
	v, err := s.opt.Store.Verdict(ctx, sum)
	if err != nil {
		return nil, err
	}
	s.memo.put(v)
	return v, nil
}

// servedCache holds pages as served, until their upstream page expires or
// a new verdict on one of the project's files arrives.
type servedCache struct {
	mu    sync.Mutex
	pages map[string]*servedEntry
}

type servedEntry struct {
	p   *Project
	at  time.Time
	gen uint64

	mu       sync.Mutex
	rendered map[string][]byte // by media type
}

// render returns the page encoded for media, encoding it once.
func (e *servedEntry) render(media string) []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	if b, ok := e.rendered[media]; ok {
		return b
	}
	var buf bytes.Buffer
	if media == mediaJSON {
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.Encode(e.p)
	} else {
		writeHTMLPage(&buf, e.p)
	}
	if e.rendered == nil {
		e.rendered = map[string][]byte{}
	}
	e.rendered[media] = buf.Bytes()
	return buf.Bytes()
}

func (c *servedCache) get(name string, now time.Time, ttl time.Duration, gen uint64) *servedEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.pages[name]
	if e == nil || e.gen != gen || now.Sub(e.at) >= ttl {
		return nil
	}
	return e
}

func (c *servedCache) put(name string, p *Project, at time.Time, gen uint64) *servedEntry {
	e := &servedEntry{p: p, at: at, gen: gen}
	c.mu.Lock()
	if c.pages == nil || len(c.pages) >= maxCachedPages {
		c.pages = map[string]*servedEntry{}
	}
	c.pages[name] = e
	c.mu.Unlock()
	return e
}

// generation counts the verdicts stored per project; a served page built
// at an older generation is stale.
func (s *Server) generation(project string) uint64 {
	s.genMu.Lock()
	defer s.genMu.Unlock()
	return s.gens[project]
}

func (s *Server) bump(project string) {
	s.genMu.Lock()
	s.gens[project]++
	s.genMu.Unlock()
}
