package metadata

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// maxINIKeys bounds the keys kept from one INI file.
const maxINIKeys = 100000

// INIValue is one key's value with the line it started on.
type INIValue struct {
	Key   string
	Value string
	Line  int
}

// INISection is one [section] of an INI file, keys in file order.
type INISection struct {
	Name   string
	Line   int
	Values []INIValue
}

// Get returns the value of key (case-insensitive), and whether it exists.
func (s *INISection) Get(key string) (string, bool) {
	for i := len(s.Values) - 1; i >= 0; i-- {
		if strings.EqualFold(s.Values[i].Key, key) {
			return s.Values[i].Value, true
		}
	}
	return "", false
}

// INI is a file in Python configparser syntax.
type INI struct {
	Sections []*INISection
	Problems []Problem
}

// Section returns the named section (case-sensitive, as configparser), or nil.
func (f *INI) Section(name string) *INISection {
	for _, s := range f.Sections {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// ParseINI reads configparser syntax: "[section]" headers, "key = value"
// (or "key: value" when colon is true), indented continuation lines joined
// with "\n", and "#" or ";" comment lines.
func ParseINI(data []byte, colon bool) *INI {
	f := &INI{}
	if !utf8.Valid(data) {
		f.Problems = append(f.Problems, Problem{Message: "not valid UTF-8; invalid bytes replaced"})
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	var cur *INISection
	var last *INIValue
	keys := 0
	for i, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		lineNo := i + 1
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			last = nil
			continue
		}
		if trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && last != nil {
			last.Value += "\n" + trimmed
			continue
		}
		last = nil
		if trimmed[0] == '[' {
			end := strings.IndexByte(trimmed, ']')
			if end < 0 {
				f.Problems = append(f.Problems, Problem{Line: lineNo, Message: "unclosed section header"})
				continue
			}
			cur = &INISection{Name: strings.TrimSpace(trimmed[1:end]), Line: lineNo}
			f.Sections = append(f.Sections, cur)
			continue
		}
		sep := strings.IndexByte(trimmed, '=')
		if colon {
			if c := strings.IndexByte(trimmed, ':'); c >= 0 && (sep < 0 || c < sep) {
				sep = c
			}
		}
		if sep <= 0 {
			f.Problems = append(f.Problems, Problem{Line: lineNo, Message: "not a key = value line: " + clip(trimmed)})
			continue
		}
		if cur == nil {
			f.Problems = append(f.Problems, Problem{Line: lineNo, Message: "key outside any section"})
			continue
		}
		if keys++; keys > maxINIKeys {
			f.Problems = append(f.Problems, Problem{Line: lineNo, Message: "too many keys; rest ignored"})
			return f
		}
		cur.Values = append(cur.Values, INIValue{
			Key:   strings.TrimSpace(trimmed[:sep]),
			Value: strings.TrimSpace(trimmed[sep+1:]),
			Line:  lineNo,
		})
		last = &cur.Values[len(cur.Values)-1]
	}
	return f
}
