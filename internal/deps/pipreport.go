package deps

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pep508"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// ParsePipReport reads pip's installation report (pip install --dry-run
// --report FILE): what pip resolved, which packages were requested (direct),
// the file each comes from with its hash, and the graph from each
// package's Requires-Dist.
func ParsePipReport(file string, data []byte) (*Lock, error) {
	if len(data) > maxLockBytes {
		return nil, fmt.Errorf("%s: %d bytes, larger than %d", file, len(data), maxLockBytes)
	}
	var rep struct {
		Version string `json:"version"`
		Install []struct {
			DownloadInfo struct {
				URL         string `json:"url"`
				ArchiveInfo *struct {
					Hash   string            `json:"hash"`
					Hashes map[string]string `json:"hashes"`
				} `json:"archive_info"`
				VCSInfo *struct {
					VCS      string `json:"vcs"`
					CommitID string `json:"commit_id"`
				} `json:"vcs_info"`
				DirInfo *struct {
					Editable bool `json:"editable"`
				} `json:"dir_info"`
			} `json:"download_info"`
			IsDirect  bool `json:"is_direct"`
			Requested bool `json:"requested"`
			Metadata  struct {
				Name         string   `json:"name"`
				Version      string   `json:"version"`
				RequiresDist []string `json:"requires_dist"`
			} `json:"metadata"`
		} `json:"install"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if rep.Version != "1" {
		return nil, fmt.Errorf("%s: report version %q, want \"1\"", file, rep.Version)
	}
	out := &Lock{}
	for _, it := range rep.Install {
		m := it.Metadata
		if m.Name == "" {
			out.Problems = append(out.Problems, Problem{File: file, Message: "installed item without a name"})
			continue
		}
		pkg := Package{Name: pkgname.Normalize(m.Name), Version: m.Version, Specifier: "==" + m.Version, Direct: it.Requested,
			Scope: "main", File: file, Source: Source{Kind: "index", URL: it.DownloadInfo.URL}}
		di := it.DownloadInfo
		switch {
		case di.VCSInfo != nil:
			pkg.Source = Source{Kind: "vcs", URL: di.VCSInfo.VCS + "+" + di.URL + "@" + di.VCSInfo.CommitID}
		case di.DirInfo != nil:
			pkg.Source = Source{Kind: "path", URL: di.URL, Editable: di.DirInfo.Editable}
		case it.IsDirect:
			pkg.Source.Kind = "url"
		}
		if ai := di.ArchiveInfo; ai != nil {
			f := File{Kind: fileKind(di.URL), Name: di.URL[strings.LastIndex(di.URL, "/")+1:], URL: di.URL}
			for _, alg := range sortedKeys(ai.Hashes) {
				pkg.Hashes = append(pkg.Hashes, alg+":"+ai.Hashes[alg])
			}
			if len(pkg.Hashes) == 0 && ai.Hash != "" {
				pkg.Hashes = append(pkg.Hashes, strings.Replace(ai.Hash, "=", ":", 1))
			}
			if len(pkg.Hashes) > 0 {
				f.Hash = pkg.Hashes[0]
			}
			pkg.Files = append(pkg.Files, f)
		}
		seen := map[string]bool{}
		for _, rd := range m.RequiresDist {
			r, err := pep508.Parse(rd)
			if err != nil {
				out.Problems = append(out.Problems, Problem{File: file, Message: fmt.Sprintf("%s: %v", m.Name, err)})
				continue
			}
			if r.Marker != nil && strings.Contains(r.Marker.String(), "extra ==") {
				continue // only with an extra nobody asked for here
			}
			if n := r.NormalizedName(); !seen[n] {
				seen[n] = true
				pkg.Requires = append(pkg.Requires, n)
			}
		}
		sort.Strings(pkg.Requires)
		out.Packages = append(out.Packages, pkg)
	}
	// Keep the edges pip followed: to packages it installs.
	installed := map[string]bool{}
	for _, p := range out.Packages {
		installed[p.Name] = true
	}
	for i := range out.Packages {
		kept := out.Packages[i].Requires[:0]
		for _, r := range out.Packages[i].Requires {
			if installed[r] {
				kept = append(kept, r)
			}
		}
		out.Packages[i].Requires = kept
	}
	return out, nil
}
