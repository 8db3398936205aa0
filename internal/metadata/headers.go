package metadata

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// maxFields bounds how many header fields one message may hold.
const maxFields = 10000

// Field is one "Name: value" header, continuation lines joined with "\n".
type Field struct {
	Name  string
	Value string
}

// Message is an RFC 822-style message as used by core metadata and WHEEL:
// header fields, then an optional body after the first blank line.
type Message struct {
	Fields   []Field
	Body     string
	Problems []Problem
}

// Get returns the first value of the named field (case-insensitive).
func (m *Message) Get(name string) string {
	for _, f := range m.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// All returns every value of the named field, in order.
func (m *Message) All(name string) []string {
	var out []string
	for _, f := range m.Fields {
		if strings.EqualFold(f.Name, name) {
			out = append(out, f.Value)
		}
	}
	return out
}

// ParseMessage parses header fields and body. It accepts LF and CRLF line
// ends, replaces invalid UTF-8, and records lines it cannot read as problems.
func ParseMessage(data []byte) *Message {
	m := &Message{}
	if !utf8.Valid(data) {
		m.Problems = append(m.Problems, Problem{Message: "not valid UTF-8; invalid bytes replaced"})
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.TrimPrefix(text, "\uFEFF")
	lineNo := 0
	for len(text) > 0 {
		line, rest, _ := strings.Cut(text, "\n")
		lineNo++
		if strings.TrimSpace(line) == "" {
			m.Body = rest
			return m
		}
		text = rest
		if line[0] == ' ' || line[0] == '\t' {
			if len(m.Fields) == 0 {
				m.Problems = append(m.Problems, Problem{Line: lineNo, Message: "continuation line before any field"})
				continue
			}
			f := &m.Fields[len(m.Fields)-1]
			f.Value += "\n" + continuation(f.Name, line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) == "" || strings.ContainsAny(name, " \t") {
			m.Problems = append(m.Problems, Problem{Line: lineNo, Message: "not a header field: " + clip(line)})
			continue
		}
		if len(m.Fields) >= maxFields {
			m.Problems = append(m.Problems, Problem{Line: lineNo, Message: "too many fields; rest ignored"})
			return m
		}
		m.Fields = append(m.Fields, Field{Name: name, Value: strings.TrimSpace(value)})
	}
	return m
}

// continuation strips the indentation of a folded line. Old PKG-INFO files
// indent Description continuation lines with 8 spaces, or with 7 or 8
// spaces and a "|" that keeps the line's own leading spaces.
func continuation(field, line string) string {
	if strings.EqualFold(field, "Description") {
		for _, prefix := range []string{"       |", "        |", "        "} {
			if rest, ok := strings.CutPrefix(line, prefix); ok {
				return rest
			}
		}
	}
	return strings.TrimLeft(line, " \t")
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
