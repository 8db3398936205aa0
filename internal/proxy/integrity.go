package proxy

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/safeguard-dev/safeguard/internal/netpolicy"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// The rules of files the proxy never fetches: an upstream page cannot make
// it fetch what it should not, nor let a hash stand for another file.
const (
	ruleNoHash        = "no-hash"
	ruleBadHash       = "bad-hash"
	ruleDuplicateHash = "duplicate-hash"
	ruleFetchRefused  = "fetch-refused"
)

// vet marks the files of a freshly read page that are never fetched: no
// SHA-256, one that is not 64 hex digits, one that another file on the
// page claims too (the cache and the verdicts are keyed by hash, so one
// hash must name one file), or a URL the fetch policy refuses.
func (p *Project) vet(g *netpolicy.Guard) {
	claims := map[string]map[string]bool{} // hash -> files claiming it
	for _, f := range p.Files {
		if sum := f.SHA256(); validSHA256(sum) {
			if claims[sum] == nil {
				claims[sum] = map[string]bool{}
			}
			claims[sum][f.Filename+"\x00"+f.upstream] = true
		}
	}
	for i := range p.Files {
		f := &p.Files[i]
		var d Decision
		switch sum := f.SHA256(); {
		case sum == "":
			d = block(ruleNoHash, "the index gives no SHA-256 to verify the download against")
		case !validSHA256(sum):
			d = block(ruleBadHash, fmt.Sprintf("the index gives %q as the SHA-256, which is not 64 hex digits", trim(sum, 80)))
		case len(claims[sum]) > 1:
			d = block(ruleDuplicateHash, fmt.Sprintf("%d files on the page claim the SHA-256 %s; one hash must name one file", len(claims[sum]), sum))
		default:
			u, err := url.Parse(f.upstream)
			if err == nil {
				err = g.CheckURL(u)
			}
			if err == nil {
				continue
			}
			d = fetchRefused(f.upstream, err)
		}
		f.refused = &d
	}
}

// trim shortens s to n bytes for a message.
func trim(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// fileKey names one file of one page: its claimed hash alone does not.
func fileKey(f *File) string { return f.SHA256() + "\x00" + f.Filename + "\x00" + f.upstream }

// fetchRefused is the decision on a file whose fetch from rawURL the
// fetch policy refused with err: what was refused and why, and what the
// operator can do.
func fetchRefused(rawURL string, err error) Decision {
	reason := err.Error()
	var r *netpolicy.RefusedError
	if errors.As(err, &r) {
		reason = r.Error()
		if r.What != rawURL {
			reason = rawURL + ": " + reason // a redirect or a dial
		}
		if r.Allowable {
			reason += "; if the host is trusted, allow it with --allow-file-host"
		}
	}
	return block(ruleFetchRefused, reason)
}

// blockedError is a fetch and scan that ended in a block instead of a
// verdict: the fetch policy refused the fetch, or the hash is another
// file's.
type blockedError struct{ d Decision }

func (e *blockedError) Error() string { return e.d.Reason }

// blockedBy is the decision a blockedError carries.
func blockedBy(err error) (Decision, bool) {
	var b *blockedError
	if errors.As(err, &b) {
		return b.d, true
	}
	return Decision{}, false
}

// otherFile reports a verdict on f's hash that was made on a file of
// another name: the hash is claimed by two files, and the verdict is not
// this one's.
func otherFile(f *File, v *store.Verdict) (Decision, bool) {
	if v.Filename == "" || v.Filename == f.Filename {
		return Decision{}, false
	}
	return block(ruleDuplicateHash, fmt.Sprintf("the index gives %s the SHA-256 of %s (project %s), fetched and scanned under that name; one hash must name one file",
		f.Filename, v.Filename, v.Project)), true
}

// refusedOnPage leaves a file the proxy will not fetch off its page,
// logging it as a warning and recording it in the decision log once per
// file and rule while the proxy runs.
func (s *Server) refusedOnPage(ctx context.Context, project string, f File, d Decision) {
	s.removed(project, f, d)
	key := project + "\x00" + fileKey(&f) + "\x00" + d.Rule
	s.notedMu.Lock()
	seen := s.noted[key]
	if !seen {
		if len(s.noted) >= maxCachedPages {
			clear(s.noted)
		}
		s.noted[key] = true
	}
	s.notedMu.Unlock()
	if seen {
		return
	}
	s.opt.Logger.Warn("refused on page", "project", project, "file", f.Filename, "url", f.upstream, "rule", d.Rule, "reason", d.Reason)
	if _, err := s.opt.Store.AddDecision(context.WithoutCancel(ctx), decisionRecord("", project, f, d)); err != nil {
		s.opt.Logger.Error("store decision", "error", err)
	}
}
