package proxy

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"sort"
	"sync"
	"time"
)

// maxCachedPages bounds the project pages kept in memory (upstream's and
// served ones each).
const maxCachedPages = 10_000

// upstreamPage returns the upstream project page, reusing one fetched
// within PageTTL. The returned page is shared: do not modify it.
func (s *Server) upstreamPage(ctx context.Context, name string) (*Project, error) {
	s.pagesMu.Lock()
	c := s.pages[name]
	s.pagesMu.Unlock()
	if c != nil && s.opt.Now().Sub(c.fetched) < s.opt.PageTTL {
		return c.p, nil
	}
	p, err := s.opt.Upstream.Project(ctx, name)
	if err != nil {
		return nil, err
	}
	now := s.opt.Now()
	s.pagesMu.Lock()
	if len(s.pages) >= maxCachedPages {
		for k, c := range s.pages { // drop what expired; if nothing did, start over
			if now.Sub(c.fetched) >= s.opt.PageTTL {
				delete(s.pages, k)
			}
		}
		if len(s.pages) >= maxCachedPages {
			clear(s.pages)
		}
	}
	s.pages[name] = &cachedPage{p: p, fetched: now}
	s.pagesMu.Unlock()
	return p, nil
}

// servedPage is the project page as the proxy serves it: files the policy
// blocks removed (scanning the newest ones first, within the prescan
// bounds), file URLs pointing at the proxy, versions recomputed.
func (s *Server) servedPage(ctx context.Context, name string) (*servedEntry, error) {
	now := s.opt.Now()
	gen := s.generation(name)
	if e := s.served.get(name, now, s.opt.PageTTL, gen); e != nil {
		return e, nil
	}
	up, err := s.upstreamPage(ctx, name)
	if err != nil {
		return nil, err
	}
	out := &Project{Name: up.Name, Files: []File{}, Versions: []string{}, Status: up.Status, Meta: ProjectMeta{APIVersion: apiVersion, LastSerial: up.Meta.LastSerial}}
	known := map[string]bool{}
	var candidates []File
	squat, isSquat := s.opt.Policy.Typosquat(name, up, now)
	for _, f := range up.Files {
		if f.refused != nil {
			s.refusedOnPage(ctx, name, f, *f.refused)
			continue
		}
		if isSquat {
			s.removed(name, f, squat)
			continue
		}
		if d, decided := s.opt.Policy.Static(name, &f, now); decided && !d.Allow {
			s.removed(name, f, d)
			continue
		}
		v := f.Version()
		if _, ok := known[v]; !ok {
			ms, err := s.opt.Known.Lookup(ctx, name, v)
			known[v] = err == nil && len(ms) > 0 && s.opt.Policy.Block.KnownMalicious
		}
		if known[v] {
			s.removed(name, f, block("known-malicious", fmt.Sprintf("%s %s is in the known-malicious database", name, v)))
			continue
		}
		candidates = append(candidates, f)
	}
	s.prescan(ctx, name, candidates)
	had, kept := map[string]bool{}, map[string]bool{}
	for _, f := range up.Files {
		had[f.Version()] = true
	}
	for _, f := range candidates {
		if d, refused := s.refusal(&f); refused {
			s.refusedOnPage(ctx, name, f, d)
			continue
		}
		if v, err := s.verdict(ctx, f.SHA256()); err == nil {
			if d, other := otherFile(&f, v); other {
				s.refusedOnPage(ctx, name, f, d)
				continue
			}
			if d := s.opt.Policy.Verdict(name, f.Version(), v.Verdict, hasKnownFinding(v.Findings), explain(v)); !d.Allow {
				s.removed(name, f, d)
				continue
			}
		}
		f.URL = "/files/" + url.PathEscape(name) + "/" + f.SHA256() + "/" + url.PathEscape(f.Filename)
		if metadataAttr(f.CoreMetadata) == "true" || metadataAttr(f.CoreMetadata) == "" {
			// Advertise core metadata only with a hash we can verify what
			// we serve against (PEP 714).
			f.CoreMetadata = nil
		}
		kept[f.Version()] = true
		out.Files = append(out.Files, f)
	}
	// PEP 700 versions: upstream's, less those whose every file was
	// removed; versions that never had files stay.
	for _, v := range up.Versions {
		if !had[v] || kept[v] {
			out.Versions = append(out.Versions, v)
		}
	}
	if len(up.Versions) == 0 {
		out.recomputeVersions()
	}
	// Built from verdicts up to gen (a scan finishing meanwhile bumps it,
	// so the next request rebuilds).
	return s.served.put(name, out, now, gen), nil
}

// prescan fetches and scans, before the page is served, the files of the
// newest versions that have no verdict yet, within the policy's bounds;
// the rest are scanned when downloaded.
func (s *Server) prescan(ctx context.Context, name string, files []File) {
	ps := s.opt.Policy.Prescan
	if ps.Versions <= 0 || ps.BudgetBytes <= 0 {
		return
	}
	byVersion := map[string][]File{}
	var versions []string
	for _, f := range files {
		v := f.Version()
		if _, ok := byVersion[v]; !ok {
			versions = append(versions, v)
		}
		byVersion[v] = append(byVersion[v], f)
	}
	sort.SliceStable(versions, func(i, j int) bool { return versionLess(versions[j], versions[i]) })
	if len(versions) > ps.Versions {
		versions = versions[:ps.Versions]
	}
	var todo []File
	budget := int64(ps.BudgetBytes)
	for _, v := range versions {
		for _, f := range byVersion[v] {
			if _, err := s.verdict(ctx, f.SHA256()); err == nil {
				continue
			}
			size := int64(0)
			if f.Size != nil {
				size = *f.Size
			}
			if size > int64(ps.MaxFileBytes) || size > budget {
				continue
			}
			budget -= size
			todo = append(todo, f)
		}
	}
	if len(todo) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(ps.Timeout))
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, f := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := s.scanFile(ctx, name, f, int64(ps.MaxFileBytes)); err != nil {
				s.opt.Logger.Warn("prescan", "project", name, "file", f.Filename, "error", err)
			}
		}()
	}
	wg.Wait()
}

// hasKnownFinding reports stored findings that include a known-malicious
// match.
func hasKnownFinding(findings []byte) bool {
	return bytes.Contains(findings, []byte(`"rule":"known-malicious"`))
}

// removed notes a file left off a page.
func (s *Server) removed(project string, f File, d Decision) {
	s.opt.Logger.Debug("removed from page", "project", project, "file", f.Filename, "rule", d.Rule, "reason", d.Reason)
	if s.opt.OnRemoved != nil {
		s.opt.OnRemoved(project, f.Filename, d)
	}
}
