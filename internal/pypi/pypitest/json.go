package pypitest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// jsonFile is a file as PyPI's JSON API writes it.
type jsonFile struct {
	CommentText       string            `json:"comment_text"`
	Digests           map[string]string `json:"digests"`
	Downloads         int               `json:"downloads"`
	Filename          string            `json:"filename"`
	HasSig            bool              `json:"has_sig"`
	MD5Digest         string            `json:"md5_digest"`
	PackageType       string            `json:"packagetype"`
	PythonVersion     string            `json:"python_version"`
	RequiresPython    *string           `json:"requires_python"`
	Size              int               `json:"size"`
	UploadTime        string            `json:"upload_time"`
	UploadTimeISO8601 string            `json:"upload_time_iso_8601"`
	URL               string            `json:"url"`
	Yanked            bool              `json:"yanked"`
	YankedReason      *string           `json:"yanked_reason"`
}

// jsonInfo is the part of PyPI's "info" the fake knows.
type jsonInfo struct {
	Name           string   `json:"name"`
	Version        string   `json:"version"`
	Summary        string   `json:"summary"`
	RequiresPython *string  `json:"requires_python"`
	RequiresDist   []string `json:"requires_dist"`
	PackageURL     string   `json:"package_url"`
	ProjectURL     string   `json:"project_url"`
	ReleaseURL     string   `json:"release_url"`
	Yanked         bool     `json:"yanked"`
	YankedReason   *string  `json:"yanked_reason"`
}

// base is the scheme and host a request came to, so file URLs work under
// any listener.
func base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// fileJSON describes f. Call with s.mu held.
func (s *Server) fileJSON(r *http.Request, rel *release, f *file) jsonFile {
	j := jsonFile{
		Digests:           map[string]string{"md5": f.md5, "sha256": f.sha256},
		Downloads:         -1,
		Filename:          f.filename,
		MD5Digest:         f.md5,
		PackageType:       f.packageType,
		PythonVersion:     f.pyVersion,
		Size:              len(f.data),
		UploadTime:        f.uploaded.Format("2006-01-02T15:04:05"),
		UploadTimeISO8601: f.uploaded.Format("2006-01-02T15:04:05.000000Z"),
		URL:               base(r) + f.path(),
		Yanked:            rel.yanked,
	}
	if rel.yanked {
		j.YankedReason = &rel.yankedReason
	}
	if s.take(WrongSHA256) {
		j.Digests["sha256"] = strings.Repeat("0", 64)
	}
	return j
}

// infoJSON describes a release of p. Call with s.mu held.
func infoJSON(r *http.Request, p *project, rel *release) jsonInfo {
	u := base(r) + "/project/" + url.PathEscape(p.name) + "/"
	info := jsonInfo{
		Name: p.name, Version: rel.version, RequiresDist: nil,
		PackageURL: u, ProjectURL: u, ReleaseURL: u + url.PathEscape(rel.version) + "/",
		Yanked: rel.yanked,
	}
	if rel.yanked {
		info.YankedReason = &rel.yankedReason
	}
	return info
}

// found looks up the project of a JSON API request, redirecting a name not
// spelled as published to its canonical URL as PyPI does. It answers 404
// itself and returns nil for a missing or quarantined project. Call with
// s.mu held.
func (s *Server) found(w http.ResponseWriter, r *http.Request, name, rest string) *project {
	p := s.projects[pkgname.Normalize(name)]
	if p == nil || p.quarantined {
		http.Error(w, `{"message": "Not Found"}`, http.StatusNotFound)
		return nil
	}
	if name != p.name {
		http.Redirect(w, r, "/pypi/"+url.PathEscape(p.name)+rest, http.StatusMovedPermanently)
		return nil
	}
	return p
}

func (s *Server) serveRelease(w http.ResponseWriter, r *http.Request) {
	name, version := r.PathValue("name"), r.PathValue("version")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls.JSON++
	if s.unavailable(w) {
		return
	}
	p := s.found(w, r, name, "/"+url.PathEscape(version)+"/json")
	if p == nil {
		return
	}
	rel := p.releases[version]
	if rel == nil {
		http.Error(w, `{"message": "Not Found"}`, http.StatusNotFound)
		return
	}
	urls := []jsonFile{}
	for _, f := range rel.files {
		urls = append(urls, s.fileJSON(r, rel, f))
	}
	s.writeJSON(w, map[string]any{
		"info": infoJSON(r, p, rel), "last_serial": p.lastSerial,
		"urls": urls, "vulnerabilities": []any{},
	})
}

func (s *Server) serveProject(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls.JSON++
	if s.unavailable(w) {
		return
	}
	p := s.found(w, r, name, "/json")
	if p == nil {
		return
	}
	// PyPI's "info" and "urls" are the latest release; the fake takes the
	// last one published that is not yanked (or the last one).
	var latest *release
	releases := map[string][]jsonFile{}
	for _, v := range p.order {
		rel := p.releases[v]
		files := []jsonFile{}
		for _, f := range rel.files {
			files = append(files, s.fileJSON(r, rel, f))
		}
		releases[v] = files
		if latest == nil || !rel.yanked || latest.yanked {
			latest = rel
		}
	}
	doc := map[string]any{"last_serial": p.lastSerial, "releases": releases, "urls": []jsonFile{}, "vulnerabilities": []any{}}
	if latest != nil {
		doc["info"], doc["urls"] = infoJSON(r, p, latest), releases[latest.version]
	} else {
		doc["info"] = jsonInfo{Name: p.name}
	}
	s.writeJSON(w, doc)
}

// writeJSON answers doc, cut in half if TruncatedJSON is injected. Call
// with s.mu held.
func (s *Server) writeJSON(w http.ResponseWriter, doc any) {
	out, err := json.Marshal(doc)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if s.take(TruncatedJSON) {
		out = out[:len(out)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.Write(out)
}

// unavailable answers 503 when Unavailable is injected. Call with s.mu
// held.
func (s *Server) unavailable(w http.ResponseWriter) bool {
	if !s.take(Unavailable) {
		return false
	}
	w.Header().Set("Retry-After", "1")
	http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
	return true
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls.Files++
	if s.unavailable(w) {
		s.mu.Unlock()
		return
	}
	f := s.files[r.PathValue("filename")]
	if f == nil || f.removed || f.path() != r.URL.Path || s.projects[f.project] == nil || s.projects[f.project].quarantined {
		s.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	huge := s.take(HugeContentLength)
	data, uploaded := f.data, f.uploaded
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Last-Modified", uploaded.Format(http.TimeFormat))
	if huge {
		w.Header().Set("Content-Length", strconv.FormatInt(HugeLength, 10))
		w.WriteHeader(http.StatusOK)
		w.Write(data[:min(len(data), 512)])
		return // the server closes the connection short of the length
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
