package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/scan"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/netpolicy"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// scanTimeout bounds one fetch and scan, whoever waits for it.
const scanTimeout = 10 * time.Minute

// flight is one fetch-and-scan that concurrent requests share.
type flight struct {
	file string // fileKey of the file fetched
	done chan struct{}
	v    *store.Verdict
	err  error
}

// file serves a distribution file: only once it is cached, verified,
// scanned and allowed.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	project := pkgname.Normalize(r.PathValue("project"))
	sum := strings.ToLower(r.PathValue("sha"))
	filename := r.PathValue("filename")
	if !validSHA256(sum) || len(project) > maxProjectName || !pkgname.Valid(project) {
		http.Error(w, "no such file", http.StatusNotFound)
		return
	}
	if strings.HasSuffix(filename, ".metadata") {
		s.metadataFile(w, r, project, sum, strings.TrimSuffix(filename, ".metadata"))
		return
	}
	ctx := r.Context()
	f, err := s.findFile(ctx, project, sum, filename)
	if err != nil {
		findError(w, err)
		return
	}
	if d, refused := s.refusal(f); refused {
		s.decide(ctx, r, project, *f, d)
		if d.Rule == "hash-mismatch" {
			http.Error(w, "refused: "+filename+": "+d.Reason, http.StatusBadGateway)
			return
		}
		refuse(w, filename, d)
		return
	}
	d, decided := s.opt.Policy.Static(project, f, s.opt.Now())
	if !decided {
		if page, err := s.upstreamPage(ctx, project); err == nil {
			d, decided = s.opt.Policy.Typosquat(project, page, s.opt.Now())
		}
	}
	if !decided {
		if ms, err := s.opt.Known.Lookup(ctx, project, f.Version()); err == nil && len(ms) > 0 {
			d = s.opt.Policy.Verdict(project, f.Version(), "", true, fmt.Sprintf("%s %s is known malicious (%s): %s", project, f.Version(), firstNonEmpty(ms[0].ID, ms[0].Source), ms[0].Summary))
			decided = !d.Allow
		}
	}
	if !decided {
		v, err := s.scanFile(ctx, project, *f, s.opt.MaxFileBytes)
		if errors.Is(err, errHashMismatch) {
			s.metrics.hashMismatch.Add(1)
			s.decide(ctx, r, project, *f, block("hash-mismatch", err.Error()))
			http.Error(w, "refused: "+filename+": "+err.Error(), http.StatusBadGateway)
			return
		}
		if d, ok := blockedBy(err); ok {
			s.decide(ctx, r, project, *f, d)
			refuse(w, filename, d)
			return
		}
		if err != nil {
			s.metrics.upstreamErrs.Add(1)
			s.opt.Logger.Warn("fetch and scan", "file", filename, "error", err)
			http.Error(w, "could not fetch and scan "+filename+": "+err.Error(), http.StatusBadGateway)
			return
		}
		d = s.opt.Policy.Verdict(project, f.Version(), v.Verdict, hasKnownFinding(v.Findings), explain(v))
	}
	s.decide(ctx, r, project, *f, d)
	if !d.Allow {
		refuse(w, filename, d)
		return
	}
	fh, err := os.Open(s.opt.Cache.Path(sum))
	if err != nil {
		http.Error(w, "cache: "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer fh.Close()
	st, _ := fh.Stat()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "max-age=31536000, immutable")
	s.metrics.bytesServed.Add(st.Size())
	http.ServeContent(w, r, filename, st.ModTime(), fh) // streams from disk; Range works
}

// refuse answers a request for a blocked file: 403 and the reason.
func refuse(w http.ResponseWriter, filename string, d Decision) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintf(w, "Safeguard blocked %s (rule %s): %s\n", filename, d.Rule, d.Reason)
}

// refusal is why f is never fetched: its page says so (see vet), or an
// earlier fetch was refused or did not match the hash. (A hash that
// belongs to a file of another name is found where verdicts are read.)
func (s *Server) refusal(f *File) (Decision, bool) {
	if f.refused != nil {
		return *f.refused, true
	}
	s.flightMu.Lock()
	d, bad := s.unfetchable[fileKey(f)]
	s.flightMu.Unlock()
	return d, bad
}

// decide records a decision in the log, the metrics and the store.
func (s *Server) decide(ctx context.Context, r *http.Request, project string, f File, d Decision) {
	rec := decisionRecord(clientOf(r), project, f, d)
	s.metrics.decision(rec.Action, d.Rule)
	if s.opt.OnDecision != nil {
		s.opt.OnDecision(project, f.Filename, d)
	}
	s.opt.Logger.Info("decision", "action", rec.Action, "rule", d.Rule, "project", project, "file", f.Filename, "reason", d.Reason)
	if d.Allow {
		select {
		case s.decisions <- rec:
			return
		default: // the writer is behind: write this one here
		}
	}
	if _, err := s.opt.Store.AddDecision(context.WithoutCancel(ctx), rec); err != nil {
		s.opt.Logger.Error("store decision", "error", err)
	}
}

// decisionRecord is d on f as the decision log keeps it.
func decisionRecord(client, project string, f File, d Decision) store.Decision {
	action := "allow"
	if !d.Allow {
		action = "block"
	}
	sum := f.SHA256()
	if !validSHA256(sum) {
		sum = "" // a malformed claim is in the reason
	}
	return store.Decision{At: time.Now(), Project: project, Filename: f.Filename, SHA256: sum, Action: action, Rule: d.Rule, Reason: d.Reason, Client: client}
}

// findFile finds a file on its project's upstream page by hash and name.
func (s *Server) findFile(ctx context.Context, project, sum, filename string) (*File, error) {
	p, err := s.upstreamPage(ctx, project)
	if err != nil {
		return nil, err
	}
	for i := range p.Files {
		if p.Files[i].SHA256() == sum && p.Files[i].Filename == filename {
			f := p.Files[i]
			return &f, nil
		}
	}
	return nil, fmt.Errorf("%s: %w on the %s page", filename, errNotFound, project)
}

// scanFile returns the verdict on f: stored, or after fetching (into the
// cache, verified against the index's hash) and scanning it. Concurrent
// callers for the same file share one fetch and one scan, which goes on
// when the first caller leaves.
func (s *Server) scanFile(ctx context.Context, project string, f File, max int64) (*store.Verdict, error) {
	sum, key := f.SHA256(), fileKey(&f)
	if v, err := s.verdict(ctx, sum); err == nil && s.opt.Cache.Has(sum) {
		if d, other := otherFile(&f, v); other {
			return nil, &blockedError{d}
		}
		s.metrics.cacheHits.Add(1)
		return v, nil
	}
	// Flights are keyed by hash, so that the cache entry of one hash is
	// filled and judged by one file at a time: a second file claiming
	// the same hash waits, then is judged against the first one's
	// verdict (another name: refused) or, when the first one's fetch
	// failed, fetches its own bytes.
	for {
		s.flightMu.Lock()
		fl := s.flights[sum]
		if fl == nil {
			fl = &flight{file: key, done: make(chan struct{})}
			s.flights[sum] = fl
			go func() {
				fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), scanTimeout)
				defer cancel()
				fl.v, fl.err = s.fetchAndScan(fctx, project, f, max)
				s.flightMu.Lock()
				delete(s.flights, sum)
				s.flightMu.Unlock()
				close(fl.done)
			}()
		}
		s.flightMu.Unlock()
		select {
		case <-fl.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if fl.file == key {
			return fl.v, fl.err
		}
		if fl.err == nil {
			if d, other := otherFile(&f, fl.v); other {
				return nil, &blockedError{d}
			}
			return fl.v, nil
		}
		if d, bad := s.refusal(&f); bad {
			return nil, &blockedError{d}
		}
	}
}

func (s *Server) fetchAndScan(ctx context.Context, project string, f File, max int64) (*store.Verdict, error) {
	sum := f.SHA256()
	if !s.opt.Cache.Has(sum) {
		s.metrics.cacheMisses.Add(1)
		body, _, err := s.opt.Upstream.Open(ctx, f.upstream)
		if errors.Is(err, netpolicy.ErrRefused) {
			d := fetchRefused(f.upstream, err)
			s.unfetchableFile(&f, d)
			return nil, &blockedError{d}
		}
		if err != nil {
			return nil, err
		}
		_, err = s.opt.Cache.Fill(sum, body, max)
		body.Close()
		if errors.Is(err, errHashMismatch) {
			s.unfetchableFile(&f, block("hash-mismatch", errHashMismatch.Error()))
		}
		if err != nil {
			return nil, err
		}
	} else {
		s.metrics.cacheHits.Add(1)
	}
	if v, err := s.verdict(ctx, sum); err == nil {
		if d, other := otherFile(&f, v); other {
			return nil, &blockedError{d}
		}
		return v, nil // scanned before a restart; the file was cached again
	}
	select {
	case s.scanSlots <- struct{}{}:
		defer func() { <-s.scanSlots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if s.opt.beforeScan != nil {
		s.opt.beforeScan(f.Filename)
	}
	start := time.Now()
	data, err := artifact.ReadFileCapped(s.opt.Cache.Path(sum), max)
	if err != nil {
		return nil, err
	}
	res, err := scan.One(ctx, scan.Input{Path: f.Filename, Data: data}, scan.Config{Known: s.opt.Known, Excerpt: scan.StoredExcerpt})
	if err != nil {
		return nil, err
	}
	findings, _ := json.Marshal(res.Findings)
	v := store.Verdict{SHA256: sum, Filename: f.Filename, Project: project, Version: f.Version(), Verdict: string(res.Verdict),
		Score: res.Score, Findings: findings, Engine: s.opt.Engine, ScannedAt: time.Now()}
	s.metrics.scans.Add(1)
	s.metrics.scanMillis.Add(time.Since(start).Milliseconds())
	if err := s.opt.Store.PutVerdict(ctx, v); err != nil {
		return nil, err
	}
	s.memo.put(&v)
	s.bump(project)
	s.opt.Logger.Info("scanned", "file", f.Filename, "verdict", v.Verdict, "score", v.Score, "ms", time.Since(start).Milliseconds())
	return &v, nil
}

// unfetchableFile keeps f off pages until a restart, for d.
func (s *Server) unfetchableFile(f *File, d Decision) {
	s.flightMu.Lock()
	s.unfetchable[fileKey(f)] = d
	s.flightMu.Unlock()
}

// explain names a verdict's strongest findings with file and line.
func explain(v *store.Verdict) string {
	var fs []analyze.Finding
	json.Unmarshal(v.Findings, &fs)
	var parts []string
	for i, f := range fs {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(fs)-3))
			break
		}
		loc := f.File
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		parts = append(parts, fmt.Sprintf("[%s, %s] %s: %s", f.Rule, f.Context, loc, f.Message))
	}
	if len(parts) == 0 {
		return "verdict " + v.Verdict
	}
	return "verdict " + v.Verdict + ": " + strings.Join(parts, "; ")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// findError answers a request for a file findFile could not find.
func findError(w http.ResponseWriter, err error) {
	code := http.StatusBadGateway
	if errors.Is(err, errNotFound) {
		code = http.StatusNotFound
	}
	http.Error(w, err.Error(), code)
}
