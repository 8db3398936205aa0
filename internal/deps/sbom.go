package deps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// What this package reads of an SBOM (CycloneDX or SPDX JSON, written by
// any tool): the PyPI packages among its components, found by purl.

// maxSBOMComponents bounds the components (CycloneDX) or packages (SPDX)
// read from one SBOM, of every ecosystem; maxSBOMDepth bounds how deep
// CycloneDX components nest.
const (
	maxSBOMComponents = 100_000
	maxSBOMDepth      = 16
)

// sbomParserFor returns the registered parser of the SBOM format a JSON
// file's content names (`"bomFormat": "CycloneDX"` or an `"spdxVersion"`),
// nil when it names neither: a .json file named on the command line is
// read by what it is, whatever its name.
func sbomParserFor(fsys fs.FS, name string) (Parser, error) {
	data, err := readCapped(fsys, name)
	if err != nil {
		return nil, err
	}
	var head struct {
		BOMFormat   string `json:"bomFormat"`
		SPDXVersion string `json:"spdxVersion"`
	}
	if json.Unmarshal(data, &head) != nil {
		return nil, nil
	}
	want := ""
	switch {
	case head.BOMFormat == "CycloneDX":
		want = cycloneDXInfo.Name
	case head.SPDXVersion != "":
		want = spdxInfo.Name
	}
	for _, p := range parsers {
		if want != "" && p.Info().Name == want {
			return p, nil
		}
	}
	return nil, nil
}

// sbomPackage is a component's purl read as a PyPI package: normalised
// name, version and source (a vcs_url or download_url qualifier); false
// with the purl's type ("" when it is not a purl) for anything else.
func sbomPackage(purl string) (Package, string, bool) {
	u, err := packageurl.FromString(purl)
	if err != nil {
		return Package{}, "", false
	}
	if u.Type != packageurl.TypePyPi {
		return Package{}, u.Type, false
	}
	q := u.Qualifiers.Map()
	src := Source{Kind: "index"}
	if v := q["vcs_url"]; v != "" {
		src = Source{Kind: "vcs", URL: v}
	} else if v := q["download_url"]; v != "" {
		src = Source{Kind: "url", URL: v}
	}
	return Package{Name: pkgname.Normalize(u.Name), Version: u.Version, Source: src}, u.Type, true
}

// hashAlgs maps the digest names of CycloneDX ("SHA-256") and SPDX
// ("SHA256"), upper-cased without separators, to hashlib's.
var hashAlgs = map[string]string{
	"MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "SHA384": "sha384", "SHA512": "sha512",
	"SHA3256": "sha3_256", "SHA3384": "sha3_384", "SHA3512": "sha3_512", "BLAKE2B512": "blake2b",
}

var algSeparators = strings.NewReplacer("-", "", "_", "")

// sbomHash writes an SBOM digest as a lock does, "sha256:<hex>"; false
// for an algorithm pip cannot check (BLAKE3, BLAKE2b-256...).
func sbomHash(alg, value string) (string, bool) {
	name, ok := hashAlgs[strings.ToUpper(algSeparators.Replace(alg))]
	if !ok || value == "" {
		return "", false
	}
	return name + ":" + strings.ToLower(value), true
}

// skipped counts the components an SBOM lists that are not PyPI
// packages, by purl type, for one problem that says so.
type skipped map[string]int

func (s skipped) add(typ string) {
	if typ == "" {
		typ = "no purl"
	}
	s[typ]++
}

func (s skipped) problem(file string) []Problem {
	if len(s) == 0 {
		return nil
	}
	n, parts := 0, make([]string, 0, len(s))
	for _, t := range sortedKeys(s) {
		n += s[t]
		parts = append(parts, fmt.Sprintf("%s %d", t, s[t]))
	}
	what := fmt.Sprintf("%d components are not PyPI packages and are", n)
	if n == 1 {
		what = "1 component is not a PyPI package and is"
	}
	return []Problem{{File: file, Message: fmt.Sprintf("%s not read (%s)", what, strings.Join(parts, ", "))}}
}

// setRequires gives p the graph edges in set: normalised, sorted.
func setRequires(p *Package, set map[string]bool) {
	p.Requires = sortedKeys(set)
}

// stringLines maps each string value of a JSON key ("purl") to the lines
// it is found on, in order: one pass over the file, so each component
// can take its line by value without a position-keeping decoder.
type stringLines map[string][]int

func keyLines(data []byte, key string) stringLines {
	out := stringLines{}
	pat := []byte(`"` + key + `"`)
	line, last := 1, 0
	for i := 0; ; {
		j := bytes.Index(data[i:], pat)
		if j < 0 {
			return out
		}
		at := i + j
		i = at + len(pat)
		k := i
		for k < len(data) && isJSONSpace(data[k]) {
			k++
		}
		if k >= len(data) || data[k] != ':' {
			continue // a value, not a key
		}
		k++
		for k < len(data) && isJSONSpace(data[k]) {
			k++
		}
		if k >= len(data) || data[k] != '"' {
			continue
		}
		end := k + 1
		for end < len(data) && data[end] != '"' {
			if data[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(data) {
			return out
		}
		line += bytes.Count(data[last:at], []byte{'\n'})
		last = at
		v := string(data[k+1 : end])
		if strings.IndexByte(v, '\\') >= 0 {
			if json.Unmarshal(data[k:end+1], &v) != nil {
				continue
			}
		}
		out[v] = append(out[v], line)
		i = end + 1
	}
}

// take returns the next line a value is found on, 0 when none is left.
func (s stringLines) take(v string) int {
	lines := s[v]
	if len(lines) == 0 {
		return 0
	}
	s[v] = lines[1:]
	return lines[0]
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
