package knownbad

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// The OSV API: the three calls of osv.dev's API v1
// (https://google.github.io/osv.dev/api/) over a Store, so that OSV
// clients can ask Safeguard's database instead of, or beside, osv.dev.
//
//	POST /v1/query       {"package": {"name", "ecosystem"} | {"purl"}, "version"}
//	                     → {"vulns": [full OSV records]}, or {} for none
//	POST /v1/querybatch  {"queries": [query, ...]} (at most MaxBatchQueries)
//	                     → {"results": [{"vulns": [{"id", "modified"}]} | {}, ...]}
//	GET  /v1/vulns/{id}  → the full record, withdrawn ones included
//
// Only the ecosystem "PyPI" (purl type "pypi") is known; a query for
// another ecosystem answers {}. Queries by commit are refused (400).
// Withdrawn records never appear in query answers. Every answer fits in one
// page: page_token is accepted and ignored, next_page_token never set.
//
// Name-list entries have no OSV record. The API shows each as a minimal
// one with the synthetic id "SAFEGUARD-LIST-<source>-<normalised name>"
// (ListID), a summary, the zero modified time, database_specific.source,
// and one affected PyPI package with the listed versions, or the range
// {"introduced": "0"} when the list names every version.
//
// Errors are answered as osv.dev answers them: the HTTP status (400, 404,
// 405, 413) and a JSON body {"code": N, "message": "..."} in which N is
// the gRPC status code osv.dev's gateway uses (3 invalid argument,
// 5 not found, 8 resource exhausted, 12 unimplemented, 13 internal).

// Limits on what a client may send.
const (
	MaxQueryBytes   = 1 << 20 // one /v1/query body
	MaxBatchBytes   = 4 << 20 // one /v1/querybatch body
	MaxBatchQueries = 1000    // queries in one /v1/querybatch, as osv.dev
	maxIDBytes      = 512
)

// ListIDPrefix starts the synthetic id of a name-list entry.
const ListIDPrefix = "SAFEGUARD-LIST-"

// NewAPI returns an http.Handler serving the OSV API over store.
func NewAPI(store Store) http.Handler {
	a := &api{store: store}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/query", a.query)
	mux.HandleFunc("POST /v1/querybatch", a.queryBatch)
	mux.HandleFunc("GET /v1/vulns/{id}", a.vuln)
	mux.HandleFunc("/v1/query", methodNotAllowed("POST"))
	mux.HandleFunc("/v1/querybatch", methodNotAllowed("POST"))
	mux.HandleFunc("/v1/vulns/{id}", methodNotAllowed("GET, HEAD"))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
	})
	return mux
}

type api struct{ store Store }

// apiQuery is one query, as osv.dev takes it.
type apiQuery struct {
	Commit  string `json:"commit"`
	Version string `json:"version"`
	Package *struct {
		Name      string `json:"name"`
		Ecosystem string `json:"ecosystem"`
		Purl      string `json:"purl"`
	} `json:"package"`
	PageToken string `json:"page_token"`
}

// batchVuln is a query result in a batch: id and modified only.
type batchVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
}

func (a *api) query(w http.ResponseWriter, r *http.Request) {
	var q apiQuery
	if !decode(w, r, MaxQueryBytes, &q) {
		return
	}
	name, version, known, err := q.resolve()
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var out struct {
		Vulns []*Record `json:"vulns,omitempty"`
	}
	if known {
		ms, err := a.lookup(r.Context(), name, version)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "lookup: "+err.Error())
			return
		}
		var ls []listing
		for _, m := range ms {
			if m.ID == "" && ls == nil {
				if ls, err = listingsOf(r.Context(), a.store, name); err != nil {
					writeError(w, http.StatusInternalServerError, "lookup: "+err.Error())
					return
				}
			}
			rec, err := a.full(r.Context(), m, ls)
			if err != nil {
				writeError(w, http.StatusInternalServerError, "record "+m.ID+": "+err.Error())
				return
			}
			if rec != nil && !rec.IsWithdrawn() {
				out.Vulns = append(out.Vulns, rec)
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *api) queryBatch(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Queries []apiQuery `json:"queries"`
	}
	if !decode(w, r, MaxBatchBytes, &req) {
		return
	}
	if len(req.Queries) > MaxBatchQueries {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("too many queries: %d, at most %d in one batch", len(req.Queries), MaxBatchQueries))
		return
	}
	type result struct {
		Vulns []batchVuln `json:"vulns,omitempty"`
	}
	out := struct {
		Results []result `json:"results"`
	}{Results: make([]result, len(req.Queries))}
	for i, q := range req.Queries {
		name, version, known, err := q.resolve()
		if err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("query %d: %v", i, err))
			return
		}
		if !known {
			continue
		}
		ms, err := a.lookup(r.Context(), name, version)
		if err != nil {
			writeError(w, http.StatusInternalServerError, fmt.Sprintf("query %d: lookup: %v", i, err))
			return
		}
		for _, m := range ms {
			out.Results[i].Vulns = append(out.Results[i].Vulns, batchVuln{ID: matchID(m), Modified: m.Modified})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *api) vuln(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	rec, err := a.record(r.Context(), id)
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, "Bug not found.")
	case err != nil:
		writeError(w, http.StatusInternalServerError, "record: "+err.Error())
	default:
		writeJSON(w, http.StatusOK, rec)
	}
}

// resolve checks a query and returns the package and version it asks
// about; known is false for an ecosystem the database does not hold.
func (q *apiQuery) resolve() (name, version string, known bool, err error) {
	switch {
	case q.Commit != "":
		return "", "", false, errors.New("queries by commit are not supported: query by package and version")
	case q.Package == nil:
		return "", "", false, errors.New("package is required")
	}
	p := q.Package
	if p.Purl != "" {
		if p.Name != "" || p.Ecosystem != "" {
			return "", "", false, errors.New("give either package.purl or package.name and package.ecosystem, not both")
		}
		typ, name, version, err := parsePurl(p.Purl)
		if err != nil {
			return "", "", false, err
		}
		if version != "" && q.Version != "" {
			return "", "", false, errors.New("version given both in the purl and in the query")
		}
		if version == "" {
			version = q.Version
		}
		return name, version, typ == "pypi" && pkgname.Valid(name), nil
	}
	if p.Name == "" || p.Ecosystem == "" {
		return "", "", false, errors.New("package.name and package.ecosystem are required (or package.purl)")
	}
	return p.Name, q.Version, p.Ecosystem == "PyPI" && pkgname.Valid(p.Name), nil
}

// parsePurl splits a package URL (pkg:type/[namespace/]name[@version]
// [?qualifiers][#subpath]) into lower-case type, name and version.
func parsePurl(s string) (typ, name, version string, err error) {
	bad := func(why string) (string, string, string, error) {
		return "", "", "", fmt.Errorf("invalid purl %q: %s", s, why)
	}
	if len(s) < 4 || !strings.EqualFold(s[:4], "pkg:") {
		return bad(`want "pkg:type/name@version"`)
	}
	rest := strings.TrimLeft(s[4:], "/")
	rest, _, _ = strings.Cut(rest, "#")
	rest, _, _ = strings.Cut(rest, "?")
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		if version, err = url.PathUnescape(rest[i+1:]); err != nil || version == "" {
			return bad("bad version")
		}
		rest = rest[:i]
	}
	typ, path, ok := strings.Cut(rest, "/")
	if !ok || typ == "" {
		return bad("no type or name")
	}
	typ = strings.ToLower(typ)
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if typ == "pypi" && len(segs) != 1 {
		return bad("a pypi purl has no namespace")
	}
	if name, err = url.PathUnescape(segs[len(segs)-1]); err != nil || name == "" {
		return bad("bad name")
	}
	return typ, name, version, nil
}

// lookup returns the matches for name at version, without duplicates.
func (a *api) lookup(ctx context.Context, name, version string) ([]Match, error) {
	ms, err := a.store.Lookup(ctx, name, version)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := ms[:0:0]
	for _, m := range ms {
		if id := matchID(m); !seen[id] {
			seen[id] = true
			out = append(out, m)
		}
	}
	return out, nil
}

// full returns the OSV record behind a match; ls holds the name-list
// entries of the match's name.
func (a *api) full(ctx context.Context, m Match, ls []listing) (*Record, error) {
	if m.ID != "" {
		return a.store.Record(ctx, m.ID)
	}
	for _, l := range ls {
		if l.source == m.Source && pkgname.Equal(l.name, m.Name) {
			return l.record(), nil
		}
	}
	return listing{name: m.Name, source: m.Source, unknownVersions: true}.record(), nil
}

// record returns the record with id, synthetic ones included.
func (a *api) record(ctx context.Context, id string) (*Record, error) {
	if len(id) > maxIDBytes {
		return nil, ErrNotFound
	}
	rest, ok := strings.CutPrefix(id, ListIDPrefix)
	if !ok {
		return a.store.Record(ctx, id)
	}
	// The source may hold "-" too: try each split of "<source>-<name>".
	for i := 0; i < len(rest); i++ {
		if rest[i] != '-' {
			continue
		}
		src, name := rest[:i], rest[i+1:]
		if !pkgname.Valid(name) || pkgname.Normalize(name) != name {
			continue
		}
		ls, err := listingsOf(ctx, a.store, name)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			if idPart(l.source) == src {
				return l.record(), nil
			}
		}
	}
	return nil, ErrNotFound
}

// decode reads a JSON body of at most limit bytes into v, answering the
// error itself when it cannot.
func decode(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	err := dec.Decode(v)
	if err == nil {
		if dec.Decode(&struct{}{}) != io.EOF {
			err = errors.New("more than one JSON value")
		}
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", limit))
	case errors.Is(err, io.EOF):
		writeError(w, http.StatusBadRequest, "empty request body: want a JSON object")
	default:
		writeError(w, http.StatusBadRequest, "bad JSON: "+err.Error())
	}
	return false
}

func methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here: use "+allow)
	}
}

// grpcCodes maps the HTTP statuses we answer with to the gRPC codes
// osv.dev puts in its error bodies.
var grpcCodes = map[int]int{
	http.StatusBadRequest:            3,
	http.StatusNotFound:              5,
	http.StatusRequestEntityTooLarge: 8,
	http.StatusMethodNotAllowed:      12,
	http.StatusInternalServerError:   13,
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}{grpcCodes[status], msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		msg, _ := json.Marshal("encode answer: " + err.Error())
		fmt.Fprintf(&buf, "{\"code\":13,\"message\":%s}\n", msg)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
