package deps

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ParsePipReport reads pip's installation report (pip install --dry-run
// --report FILE): what pip resolved, which packages were requested (direct),
// the file each comes from with its hash, and the graph from each
// package's Requires-Dist.
func ParsePipReport(file string, data []byte) (*Lock, error) {
	var rep struct {
		Version     string            `json:"version"`
		Environment map[string]string `json:"environment"`
		Install     []struct {
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
	if err := decodeLock(file, data, &rep, json.Unmarshal); err != nil {
		return nil, err
	}
	if rep.Version != "1" {
		return nil, fmt.Errorf("%s: report version %q, want \"1\"", file, rep.Version)
	}
	out := &Lock{}
	var requires [][]string // Requires-Dist of each package, in order
	for _, it := range rep.Install {
		m := it.Metadata
		pkg, ok := out.entry(file, nil, 0, m.Name, m.Version)
		if !ok {
			continue
		}
		pkg.Direct, pkg.Source.URL = it.Requested, it.DownloadInfo.URL
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
		out.Packages = append(out.Packages, pkg)
		requires = append(requires, m.RequiresDist)
	}
	// The edges pip followed: markers evaluated in the environment it
	// reports, to packages it installs.
	installed := map[string]bool{}
	for _, p := range out.Packages {
		installed[p.Name] = true
	}
	env := map[string]string{"extra": ""}
	for k, v := range rep.Environment {
		env[k] = v
	}
	for i := range out.Packages {
		names, errs := requiresDist(requires[i], env, installed)
		out.Packages[i].addRequires(names...)
		for _, err := range errs {
			out.Problems = append(out.Problems, Problem{File: file, Message: fmt.Sprintf("%s: %v", out.Packages[i].Name, err)})
		}
	}
	return out, nil
}
