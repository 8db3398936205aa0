package pep508

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pep440"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// Requirement is one parsed dependency specification.
type Requirement struct {
	// Name as written; compare with pkgname.Normalize.
	Name   string
	Extras []string // sorted
	// Specifier is empty for a URL requirement or an unpinned name.
	Specifier Specifier
	URL       string
	Marker    *Marker // nil when there is none
}

// maxRequirement bounds one requirement's length.
const maxRequirement = 8 << 10

var (
	reName   = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?`)
	reExtra  = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$`)
	reURLish = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://\S+$|^file:\S+$`)
)

// Parse parses a PEP 508 dependency specification.
func Parse(s string) (*Requirement, error) {
	if len(s) > maxRequirement {
		return nil, fmt.Errorf("requirement longer than %d bytes", maxRequirement)
	}
	in := s
	s = strings.TrimSpace(s)
	r := &Requirement{Name: reName.FindString(s)}
	if r.Name == "" {
		return nil, fmt.Errorf("invalid requirement %q: no project name", in)
	}
	rest := strings.TrimLeft(s[len(r.Name):], " \t")
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return nil, fmt.Errorf("invalid requirement %q: unclosed extras", in)
		}
		for _, e := range strings.Split(rest[1:end], ",") {
			e = strings.TrimSpace(e)
			if e == "" {
				continue
			}
			if !reExtra.MatchString(e) {
				return nil, fmt.Errorf("invalid requirement %q: bad extra %q", in, e)
			}
			r.Extras = append(r.Extras, e)
		}
		if strings.Count(rest[1:end], ",") > 0 && len(r.Extras) != strings.Count(rest[1:end], ",")+1 {
			return nil, fmt.Errorf("invalid requirement %q: empty extra", in)
		}
		sort.Strings(r.Extras)
		rest = strings.TrimLeft(rest[end+1:], " \t")
	}
	markerText := ""
	if strings.HasPrefix(rest, "@") {
		// name @ url [; marker]: the URL ends at whitespace; a marker after
		// it needs whitespace before the semicolon.
		rest = strings.TrimLeft(rest[1:], " \t")
		url := rest
		if i := strings.IndexAny(rest, " \t"); i >= 0 {
			url, rest = rest[:i], strings.TrimLeft(rest[i:], " \t")
			if rest != "" && !strings.HasPrefix(rest, ";") {
				return nil, fmt.Errorf("invalid requirement %q: text after the URL", in)
			}
		} else {
			rest = ""
		}
		if !reURLish.MatchString(url) {
			return nil, fmt.Errorf("invalid requirement %q: %q is not a URL", in, url)
		}
		r.URL = url
	} else {
		spec := rest
		if i := strings.IndexByte(rest, ';'); i >= 0 {
			spec, rest = rest[:i], rest[i:]
		} else {
			rest = ""
		}
		spec = strings.TrimSpace(spec)
		if strings.HasPrefix(spec, "(") {
			if !strings.HasSuffix(spec, ")") {
				return nil, fmt.Errorf("invalid requirement %q: unclosed '('", in)
			}
			spec = strings.TrimSpace(spec[1 : len(spec)-1])
		} else if strings.ContainsAny(spec, "()") {
			return nil, fmt.Errorf("invalid requirement %q: stray parenthesis", in)
		}
		if spec != "" && !strings.ContainsAny(spec[:1], "<>=!~") {
			return nil, fmt.Errorf("invalid requirement %q: expected a version specifier, got %q", in, spec)
		}
		sp, err := ParseSpecifier(spec)
		if err != nil {
			return nil, fmt.Errorf("invalid requirement %q: %w", in, err)
		}
		r.Specifier = sp
	}
	if strings.HasPrefix(rest, ";") {
		markerText = strings.TrimSpace(rest[1:])
		if markerText == "" {
			return nil, fmt.Errorf("invalid requirement %q: empty marker", in)
		}
		m, err := ParseMarker(markerText)
		if err != nil {
			return nil, fmt.Errorf("invalid requirement %q: %w", in, err)
		}
		r.Marker = m
	} else if rest != "" {
		return nil, fmt.Errorf("invalid requirement %q: unexpected %q", in, rest)
	}
	return r, nil
}

// NormalizedName is the PEP 503 form of the name.
func (r *Requirement) NormalizedName() string { return pkgname.Normalize(r.Name) }

func parseVersion(s string) (pep440.Version, error) { return pep440.Parse(s) }
