package pypi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Release is the JSON API's answer for one release
// (GET /pypi/<name>/<version>/json).
type Release struct {
	Info       Info
	Files      []File // the release's files ("urls")
	LastSerial int64
}

// Project is the JSON API's answer for a project (GET /pypi/<name>/json).
type Project struct {
	Info       Info
	LastSerial int64
	// Releases maps each version to its files (empty for a release whose
	// files were all removed).
	Releases map[string][]File
}

// Info is the metadata part of a JSON API answer.
type Info struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	Summary        string `json:"summary"`
	RequiresPython string `json:"requires_python"`
	Yanked         bool   `json:"yanked"`
	YankedReason   string `json:"yanked_reason"`
}

// File is one distribution file of a release.
type File struct {
	Filename      string    `json:"filename"`
	URL           string    `json:"url"`
	SHA256        string    `json:"-"` // lower-case hex, from digests.sha256
	Size          int64     `json:"size"`
	PackageType   string    `json:"packagetype"` // "sdist", "bdist_wheel"...
	PythonVersion string    `json:"python_version"`
	UploadTime    time.Time `json:"-"` // zero when PyPI's time was unreadable
	Yanked        bool      `json:"yanked"`
	YankedReason  string    `json:"yanked_reason"`
}

// jsonFile is File as the JSON API writes it.
type jsonFile struct {
	File
	Digests struct {
		SHA256 string `json:"sha256"`
	} `json:"digests"`
	UploadTime string `json:"upload_time_iso_8601"`
}

func (j jsonFile) file() File {
	f := j.File
	f.SHA256 = strings.ToLower(j.Digests.SHA256)
	f.UploadTime, _ = time.Parse(time.RFC3339Nano, j.UploadTime)
	return f
}

func files(js []jsonFile) []File {
	out := make([]File, len(js))
	for i, j := range js {
		out[i] = j.file()
	}
	return out
}

// Release fetches one release from the JSON API. A project or version
// PyPI does not have is ErrNotFound.
func (c *Client) Release(ctx context.Context, name, version string) (*Release, error) {
	path := "/pypi/" + url.PathEscape(name) + "/" + url.PathEscape(version) + "/json"
	var rel *Release
	err := c.getJSON(ctx, path, func(data []byte) (err error) {
		rel, err = parseRelease(data)
		return err
	})
	return rel, err
}

// Project fetches a project and all its releases from the JSON API. A
// project PyPI does not have is ErrNotFound.
func (c *Client) Project(ctx context.Context, name string) (*Project, error) {
	var p *Project
	err := c.getJSON(ctx, "/pypi/"+url.PathEscape(name)+"/json", func(data []byte) (err error) {
		p, err = parseProject(data)
		return err
	})
	return p, err
}

// parseRelease reads the JSON API's answer for a release.
func parseRelease(data []byte) (*Release, error) {
	var doc struct {
		Info       Info       `json:"info"`
		LastSerial int64      `json:"last_serial"`
		URLs       []jsonFile `json:"urls"`
	}
	if err := decodeJSON(data, &doc); err != nil {
		return nil, err
	}
	return &Release{Info: doc.Info, LastSerial: doc.LastSerial, Files: files(doc.URLs)}, nil
}

// parseProject reads the JSON API's answer for a project.
func parseProject(data []byte) (*Project, error) {
	var doc struct {
		Info       Info                  `json:"info"`
		LastSerial int64                 `json:"last_serial"`
		Releases   map[string][]jsonFile `json:"releases"`
	}
	if err := decodeJSON(data, &doc); err != nil {
		return nil, err
	}
	p := &Project{Info: doc.Info, LastSerial: doc.LastSerial, Releases: make(map[string][]File, len(doc.Releases))}
	for v, js := range doc.Releases {
		p.Releases[v] = files(js)
	}
	return p, nil
}

// getJSON fetches path and hands the capped body to parse.
func (c *Client) getJSON(ctx context.Context, path string, parse func([]byte) error) error {
	endpoint, err := c.endpoint(path)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, orDefault(c.Timeout, DefaultTimeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return fmt.Errorf("pypi: json api %s: %w", path, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.send(req)
	if err != nil {
		return fmt.Errorf("json api: %w", err)
	}
	defer resp.Body.Close()
	data, err := readBody(resp, orDefault(c.MaxBody, DefaultMaxBody), "json api answer")
	if err != nil {
		return fmt.Errorf("json api %s: %w", endpoint, err)
	}
	if err := parse(data); err != nil {
		return fmt.Errorf("json api %s: %w", endpoint, err)
	}
	return nil
}

// decodeJSON decodes one JSON document into v.
func decodeJSON(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %w", err, ErrMalformed)
	}
	return nil
}
