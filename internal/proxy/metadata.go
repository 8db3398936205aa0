package proxy

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"

	"github.com/safeguard-dev/safeguard/internal/netpolicy"
)

// maxMetadataBytes bounds a .metadata file (PEP 658).
const maxMetadataBytes = 16 << 20

// metadataFile serves a wheel's core metadata (PEP 658), fetched from
// upstream and verified against the hash the upstream page gives for it.
// Pages advertise core-metadata only where that hash exists. Metadata is
// not code, so it needs no scan; pip reads it to resolve without
// downloading wheels it will not install.
func (s *Server) metadataFile(w http.ResponseWriter, r *http.Request, project, sum, filename string) {
	f, err := s.findFile(r.Context(), project, sum, filename)
	if err != nil {
		findError(w, err)
		return
	}
	if d, refused := s.refusal(f); refused {
		refuse(w, filename+".metadata", d)
		return
	}
	var hashes map[string]string
	if json.Unmarshal(f.CoreMetadata, &hashes) != nil || !validSHA256(hashes["sha256"]) {
		http.Error(w, "no core metadata with a hash for "+filename, http.StatusNotFound)
		return
	}
	want := hashes["sha256"]
	if !s.opt.Cache.Has(want) {
		body, _, err := s.opt.Upstream.Open(r.Context(), f.upstream+".metadata")
		if errors.Is(err, netpolicy.ErrRefused) {
			s.opt.Logger.Warn("metadata fetch refused", "project", project, "file", filename, "error", err)
			refuse(w, filename+".metadata", fetchRefused(f.upstream+".metadata", err))
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		_, err = s.opt.Cache.Fill(want, body, maxMetadataBytes)
		body.Close()
		if err != nil {
			if errors.Is(err, errHashMismatch) {
				s.metrics.hashMismatch.Add(1)
			}
			http.Error(w, "refused: "+filename+".metadata: "+err.Error(), http.StatusBadGateway)
			return
		}
	}
	fh, err := os.Open(s.opt.Cache.Path(want))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer fh.Close()
	st, _ := fh.Stat()
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, filename+".metadata", st.ModTime(), fh)
}
