package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// Remote is a server's API, asked with a token.
type Remote struct {
	// URL is the server's root, "http://127.0.0.1:8080".
	URL   string
	Token string
	// HTTP sends the requests; a client with a one-minute timeout if nil.
	HTTP *http.Client
}

var _ Monitor = (*Remote)(nil)

// maxAnswer caps what is read of an answer.
const maxAnswer = 32 << 20

// call sends a request with body (JSON-encoded unless nil) and decodes a
// 2xx answer into out (unless nil); an error answer becomes an error
// carrying the server's message, store.ErrNotFound for 404.
func (c *Remote) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.URL, "/")+path, rd)
	if err != nil {
		return fmt.Errorf("--server %q: %w", c.URL, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: time.Minute}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		var e apiError
		json.Unmarshal(data, &e)
		if e.Error == "" {
			e.Error = strings.TrimSpace(string(data))
		}
		if resp.StatusCode == http.StatusNotFound {
			return fmt.Errorf("%s: %w", e.Error, store.ErrNotFound)
		}
		if resp.StatusCode == http.StatusBadRequest {
			return fmt.Errorf("%w: %s", ErrBadRequest, e.Error)
		}
		return fmt.Errorf("server answered %s: %s", resp.Status, e.Error)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("server's answer: %w", err)
	}
	return nil
}

// Register implements Monitor: the dependency files under path (the
// file, or a directory's top-level dependency files) are sent by content.
func (c *Remote) Register(ctx context.Context, reg Registration, path string) (*Registered, error) {
	if path != "" {
		files, err := deps.DependencyFiles(path)
		if err != nil {
			return nil, err
		}
		reg.Files = map[string]string{}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			reg.Files[filepath.Base(f)] = string(data)
		}
	}
	var out Registered
	return &out, c.call(ctx, http.MethodPost, "/api/v1/projects", reg, &out)
}

// Projects implements Monitor.
func (c *Remote) Projects(ctx context.Context) ([]store.Project, error) {
	var out []store.Project
	return out, c.call(ctx, http.MethodGet, "/api/v1/projects", nil, &out)
}

// Project implements Monitor.
func (c *Remote) Project(ctx context.Context, name string) (*ProjectView, error) {
	var out ProjectView
	return &out, c.call(ctx, http.MethodGet, "/api/v1/projects/"+url.PathEscape(name), nil, &out)
}

// RemoveProject implements Monitor.
func (c *Remote) RemoveProject(ctx context.Context, name string) error {
	return c.call(ctx, http.MethodDelete, "/api/v1/projects/"+url.PathEscape(name), nil, nil)
}

// Alerts implements Monitor.
func (c *Remote) Alerts(ctx context.Context, f store.AlertFilter) ([]store.Alert, error) {
	q := url.Values{}
	if f.Project != "" {
		q.Set("project", f.Project)
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var out []store.Alert
	return out, c.call(ctx, http.MethodGet, "/api/v1/alerts?"+q.Encode(), nil, &out)
}

// Alert implements Monitor.
func (c *Remote) Alert(ctx context.Context, id string) (*AlertView, error) {
	var out AlertView
	return &out, c.call(ctx, http.MethodGet, "/api/v1/alerts/"+url.PathEscape(id), nil, &out)
}
