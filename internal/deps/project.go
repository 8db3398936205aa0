package deps

import (
	"strings"

	"github.com/safeguard-dev/safeguard/internal/licenses"
	"github.com/safeguard-dev/safeguard/internal/metadata"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// pyprojectSelf is the project a pyproject.toml describes: [project], else
// [tool.poetry]; nil when neither names it.
func pyprojectSelf(file string, p *metadata.Pyproject, lines *lineIndex) *Package {
	name, version, license := p.Name, p.Version, p.License
	if name == "" {
		if tool, ok := p.Raw["tool"].(map[string]any); ok {
			if poetry, ok := tool["poetry"].(map[string]any); ok {
				name, _ = poetry["name"].(string)
				version, _ = poetry["version"].(string)
				license, _ = poetry["license"].(string)
			}
		}
	}
	if strings.HasPrefix(license, "file: ") {
		license = "" // the licence is in a file we do not read
	}
	return self(file, lines.of("name"), name, version, licenses.FromText(license))
}

// setupcfgSelf is the project setup.cfg's [metadata] describes.
func setupcfgSelf(file string, ini *metadata.INI) *Package {
	s := ini.Section("metadata")
	if s == nil {
		return nil
	}
	name, _ := s.Get("name")
	version, _ := s.Get("version")
	license, _ := s.Get("license")
	line := 0
	for _, v := range s.Values {
		if v.Key == "name" {
			line = v.Line
		}
	}
	if strings.HasPrefix(version, "attr:") || strings.HasPrefix(version, "file:") {
		version = "" // computed when built
	}
	return self(file, line, name, version, licenses.FromText(license))
}

func self(file string, line int, name, version string, lic *licenses.License) *Package {
	if name == "" {
		return nil
	}
	return &Package{Name: pkgname.Normalize(name), Version: version, Source: Source{Kind: "path", URL: "."}, License: lic, Scope: "main", File: file, Line: line}
}
