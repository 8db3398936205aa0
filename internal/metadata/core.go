package metadata

import (
	"strings"
)

// Core is a distribution's core metadata (PKG-INFO in an sdist or egg,
// METADATA in a wheel), metadata versions 1.0 to 2.4: PEP 566 fields,
// PEP 643 Dynamic, PEP 639 License-Expression and License-File.
type Core struct {
	MetadataVersion        string            `json:"metadata_version,omitempty"`
	Name                   string            `json:"name,omitempty"`
	Version                string            `json:"version,omitempty"`
	Summary                string            `json:"summary,omitempty"`
	Description            string            `json:"-"`
	DescriptionContentType string            `json:"description_content_type,omitempty"`
	Keywords               string            `json:"keywords,omitempty"`
	HomePage               string            `json:"home_page,omitempty"`
	DownloadURL            string            `json:"download_url,omitempty"`
	Author                 string            `json:"author,omitempty"`
	AuthorEmail            string            `json:"author_email,omitempty"`
	Maintainer             string            `json:"maintainer,omitempty"`
	MaintainerEmail        string            `json:"maintainer_email,omitempty"`
	License                string            `json:"license,omitempty"`
	LicenseExpression      string            `json:"license_expression,omitempty"`
	LicenseFiles           []string          `json:"license_files,omitempty"`
	Classifiers            []string          `json:"classifiers,omitempty"`
	RequiresDist           []string          `json:"requires_dist,omitempty"`
	RequiresPython         string            `json:"requires_python,omitempty"`
	RequiresExternal       []string          `json:"requires_external,omitempty"`
	ProjectURLs            map[string]string `json:"project_urls,omitempty"`
	ProvidesExtra          []string          `json:"provides_extra,omitempty"`
	ProvidesDist           []string          `json:"provides_dist,omitempty"`
	ObsoletesDist          []string          `json:"obsoletes_dist,omitempty"`
	Platforms              []string          `json:"platforms,omitempty"`
	SupportedPlatforms     []string          `json:"supported_platforms,omitempty"`
	Dynamic                []string          `json:"dynamic,omitempty"`
	Problems               []Problem         `json:"problems,omitempty"`
}

// ParseCore parses PKG-INFO or METADATA. The message body, when present,
// is the description (metadata 2.1 and later); otherwise the Description
// field is.
func ParseCore(data []byte) *Core {
	m := ParseMessage(data)
	c := &Core{
		MetadataVersion:        m.Get("Metadata-Version"),
		Name:                   m.Get("Name"),
		Version:                m.Get("Version"),
		Summary:                m.Get("Summary"),
		Description:            m.Get("Description"),
		DescriptionContentType: m.Get("Description-Content-Type"),
		Keywords:               m.Get("Keywords"),
		HomePage:               m.Get("Home-page"),
		DownloadURL:            m.Get("Download-URL"),
		Author:                 m.Get("Author"),
		AuthorEmail:            m.Get("Author-email"),
		Maintainer:             m.Get("Maintainer"),
		MaintainerEmail:        m.Get("Maintainer-email"),
		License:                m.Get("License"),
		LicenseExpression:      m.Get("License-Expression"),
		LicenseFiles:           m.All("License-File"),
		Classifiers:            m.All("Classifier"),
		RequiresDist:           m.All("Requires-Dist"),
		RequiresPython:         m.Get("Requires-Python"),
		RequiresExternal:       m.All("Requires-External"),
		ProvidesExtra:          m.All("Provides-Extra"),
		ProvidesDist:           m.All("Provides-Dist"),
		ObsoletesDist:          m.All("Obsoletes-Dist"),
		Platforms:              m.All("Platform"),
		SupportedPlatforms:     m.All("Supported-Platform"),
		Dynamic:                m.All("Dynamic"),
		Problems:               m.Problems,
	}
	if strings.TrimSpace(m.Body) != "" {
		c.Description = m.Body
	}
	for _, u := range m.All("Project-URL") {
		label, url, ok := strings.Cut(u, ",")
		if !ok {
			c.Problems = append(c.Problems, Problem{Message: "Project-URL without a label: " + clip(u)})
			continue
		}
		if c.ProjectURLs == nil {
			c.ProjectURLs = map[string]string{}
		}
		c.ProjectURLs[strings.TrimSpace(label)] = strings.TrimSpace(url)
	}
	if c.Name == "" {
		c.Problems = append(c.Problems, Problem{Message: "no Name field"})
	}
	if c.Version == "" {
		c.Problems = append(c.Problems, Problem{Message: "no Version field"})
	}
	return c
}

// LicenseSummary returns the most precise licence statement present: the
// SPDX expression, else the License field's first line, else the licence
// classifiers joined.
func (c *Core) LicenseSummary() string {
	if c.LicenseExpression != "" {
		return c.LicenseExpression
	}
	if l, _, _ := strings.Cut(strings.TrimSpace(c.License), "\n"); l != "" && !strings.EqualFold(l, "UNKNOWN") {
		return clip(l)
	}
	var cls []string
	for _, cl := range c.Classifiers {
		if rest, ok := strings.CutPrefix(cl, "License :: "); ok {
			cls = append(cls, rest)
		}
	}
	return strings.Join(cls, "; ")
}
