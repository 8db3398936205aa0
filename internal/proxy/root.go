package proxy

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	xhtml "golang.org/x/net/html"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// rootTTL is how long the upstream's project list is reused.
const rootTTL = 10 * time.Minute

type rootList struct {
	names   []string
	fetched time.Time
}

// root serves the list of projects: upstream's, fetched at most every ten
// minutes (pip and uv never ask for it; people and mirrors do).
func (s *Server) root(w http.ResponseWriter, r *http.Request) {
	media := negotiate(r.Header.Get("Accept"))
	if media == "" {
		http.Error(w, "not acceptable", http.StatusNotAcceptable)
		return
	}
	names, err := s.rootNames(r.Context())
	if err != nil {
		s.metrics.upstreamErrs.Add(1)
		http.Error(w, "upstream failed: "+err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Cache-Control", "max-age=600, public")
	w.Header().Set("Content-Type", media)
	if media == mediaJSON {
		type entry struct {
			Name string `json:"name"`
		}
		out := struct {
			Meta     ProjectMeta `json:"meta"`
			Projects []entry     `json:"projects"`
		}{Meta: ProjectMeta{APIVersion: apiVersion}}
		for _, n := range names {
			out.Projects = append(out.Projects, entry{n})
		}
		json.NewEncoder(w).Encode(out)
		return
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" content=\"" + apiVersion + "\">\n<title>Simple index</title>\n</head>\n<body>\n")
	for _, n := range names {
		fmt.Fprintf(&b, "<a href=\"/simple/%s/\">%s</a>\n", html.EscapeString(pkgname.Normalize(n)), html.EscapeString(n))
	}
	b.WriteString("</body>\n</html>\n")
	io.WriteString(w, b.String())
}

func (s *Server) rootNames(ctx context.Context) ([]string, error) {
	s.pagesMu.Lock()
	c := s.rootCache
	s.pagesMu.Unlock()
	if c != nil && s.opt.Now().Sub(c.fetched) < rootTTL {
		return c.names, nil
	}
	names, err := s.opt.Upstream.Root(ctx)
	if err != nil {
		return nil, err
	}
	s.pagesMu.Lock()
	s.rootCache = &rootList{names: names, fetched: s.opt.Now()}
	s.pagesMu.Unlock()
	return names, nil
}

// Root fetches the upstream's list of project names.
func (u *Upstream) Root(ctx context.Context) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.base.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", mediaJSON+", "+mediaHTML+";q=0.2, "+mediaLegacy+";q=0.1")
	resp, err := u.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("upstream %s: %s", u.base, resp.Status)
	}
	body := io.LimitReader(resp.Body, maxIndexBytes)
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	var names []string
	if ct == mediaJSON || ct == "application/json" {
		var idx struct {
			Projects []struct {
				Name string `json:"name"`
			} `json:"projects"`
		}
		if err := json.NewDecoder(body).Decode(&idx); err != nil {
			return nil, fmt.Errorf("upstream index: %w", err)
		}
		for _, p := range idx.Projects {
			names = append(names, p.Name)
		}
		return names, nil
	}
	doc, err := xhtml.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("upstream index: %w", err)
	}
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && n.Data == "a" {
			if t := text(n); t != "" {
				names = append(names, t)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return names, nil
}
