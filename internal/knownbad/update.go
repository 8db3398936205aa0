package knownbad

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// DefaultURL is OSV's export of every PyPI record; its MAL- records are the
// malicious-packages feed.
const DefaultURL = "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"

// maxDownload bounds a downloaded archive (OSV's PyPI export is tens of MiB).
const maxDownload = 1 << 30

// Import builds the database an update installs: the embedded snapshot
// plus what from holds. from is an http(s) URL of an OSV zip, a local
// .zip, a directory of records (a checkout of the malicious-packages
// repository), a single record (.json with an "id"), or a name list
// ({"name": null | ["version", ...]}). Nothing is written: on error the
// caller keeps its database.
func Import(ctx context.Context, from string, client *http.Client) (*DB, error) {
	db, err := ReadSnapshot(bytes.NewReader(snapshotData))
	if err != nil {
		return nil, err
	}
	if err := db.importFrom(ctx, from, client); err != nil {
		return nil, err
	}
	return db, nil
}

func (db *DB) importFrom(ctx context.Context, from string, client *http.Client) error {
	if strings.HasPrefix(from, "http://") || strings.HasPrefix(from, "https://") {
		data, err := download(ctx, from, client)
		if err != nil {
			return err
		}
		return db.AddZip(data, from)
	}
	st, err := os.Stat(from)
	if err != nil {
		return err
	}
	if st.IsDir() {
		bad, err := db.LoadFS(os.DirFS(from), ".", from)
		if err != nil {
			return fmt.Errorf("%d records could not be read: %w", bad, err)
		}
		return nil
	}
	if st.Size() > maxDownload {
		return fmt.Errorf("%s: %d bytes, larger than %d", from, st.Size(), maxDownload)
	}
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")) {
		return db.AddZip(data, from)
	}
	return db.addFile(data, from)
}

// addFile adds a single record or a name list, told apart by their shape.
func (db *DB) addFile(data []byte, source string) error {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return fmt.Errorf("%s: neither an OSV record nor a name list: %w", source, err)
	}
	if _, ok := probe["id"]; ok {
		if _, ok := probe["affected"]; ok || probe["modified"] != nil {
			return db.addJSON(data, source, false)
		}
	}
	l, err := ParseList(data)
	if err != nil {
		return fmt.Errorf("%s: neither an OSV record nor a name list: %w", source, err)
	}
	db.AddList(l, source)
	return nil
}

func download(ctx context.Context, url string, client *http.Client) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %s: %s", url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDownload+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", url, err)
	}
	if len(data) > maxDownload {
		return nil, fmt.Errorf("download %s: larger than %d bytes", url, maxDownload)
	}
	if resp.ContentLength >= 0 && int64(len(data)) != resp.ContentLength {
		return nil, fmt.Errorf("download %s: %d of %d bytes", url, len(data), resp.ContentLength)
	}
	return data, nil
}
