package metadata

import (
	"encoding/json"
	"fmt"
)

// DirectURL is direct_url.json (PEP 610): where an installed distribution
// came from when it did not come from an index.
type DirectURL struct {
	URL          string `json:"url"`
	Subdirectory string `json:"subdirectory,omitempty"`
	VCSInfo      *struct {
		VCS               string `json:"vcs"`
		CommitID          string `json:"commit_id"`
		RequestedRevision string `json:"requested_revision,omitempty"`
	} `json:"vcs_info,omitempty"`
	ArchiveInfo *struct {
		Hash   string            `json:"hash,omitempty"`
		Hashes map[string]string `json:"hashes,omitempty"`
	} `json:"archive_info,omitempty"`
	DirInfo *struct {
		Editable bool `json:"editable,omitempty"`
	} `json:"dir_info,omitempty"`
}

// ParseDirectURL parses direct_url.json.
func ParseDirectURL(data []byte) (*DirectURL, error) {
	var d DirectURL
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("parse direct_url.json: %w", err)
	}
	if d.URL == "" {
		return &d, fmt.Errorf("parse direct_url.json: no url")
	}
	return &d, nil
}
