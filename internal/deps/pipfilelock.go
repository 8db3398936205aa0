package deps

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

type pipfileEntry struct {
	Version  string   `json:"version"`
	Hashes   []string `json:"hashes"`
	Markers  string   `json:"markers"`
	Index    string   `json:"index"`
	Extras   []string `json:"extras"`
	Git      string   `json:"git"`
	Ref      string   `json:"ref"`
	Path     string   `json:"path"`
	File     string   `json:"file"`
	Editable bool     `json:"editable"`
}

var pipfileLockInfo = ParserInfo{
	Name:    "Pipfile.lock",
	Files:   []string{"Pipfile.lock"},
	Records: Records{Versions: true, Hashes: true, Scopes: true, Markers: true, Extras: true, Sources: true},
	Notes: "`default` packages are main, `develop` ones dev; the index each comes from by its URL. " +
		"The lock records hashes but not the files they belong to, no graph, and not which packages the Pipfile names.",
}

// ParsePipfileLock reads Pipfile.lock: "default" packages are main,
// "develop" ones dev. The lock records no graph and does not say which
// packages the Pipfile names.
func ParsePipfileLock(file string, data []byte) (*Lock, error) {
	var lf struct {
		Meta struct {
			Sources []struct {
				Name string `json:"name"`
				URL  string `json:"url"`
			} `json:"sources"`
		} `json:"_meta"`
		Default map[string]pipfileEntry `json:"default"`
		Develop map[string]pipfileEntry `json:"develop"`
	}
	if err := decodeLock(file, data, &lf, json.Unmarshal); err != nil {
		return nil, err
	}
	indexes := map[string]string{}
	for _, s := range lf.Meta.Sources {
		indexes[s.Name] = s.URL
	}
	out := &Lock{}
	for _, sec := range []struct {
		key     string
		scope   string
		entries map[string]pipfileEntry
	}{{`"default"`, "main", lf.Default}, {`"develop"`, "dev", lf.Develop}} {
		secStart := bytes.Index(data, []byte(sec.key))
		for _, name := range sortedKeys(sec.entries) {
			e := sec.entries[name]
			pkg := Package{Name: pkgname.Normalize(name), Specifier: e.Version, Extras: e.Extras, Marker: e.Markers, Hashes: e.Hashes,
				Scope: sec.scope, File: file, Line: lineAfter(data, secStart, `"`+name+`"`), Source: Source{Kind: "index", URL: indexes[e.Index]}}
			if v, ok := strings.CutPrefix(e.Version, "=="); ok && !strings.Contains(v, "*") {
				pkg.Version = v
			}
			if src, ok := lockedSource(e.Git, e.Ref, e.Path, e.File, e.Editable); ok {
				pkg.Source = src
			}
			out.Packages = append(out.Packages, pkg)
		}
	}
	return out, nil
}

// lineAfter is the line of the first needle at or after byte offset from
// (0 when from is negative or the needle is absent).
func lineAfter(data []byte, from int, needle string) int {
	if from < 0 {
		return 0
	}
	i := bytes.Index(data[from:], []byte(needle))
	if i < 0 {
		return 0
	}
	return bytes.Count(data[:from+i], []byte("\n")) + 1
}
