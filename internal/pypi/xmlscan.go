package pypi

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// scanner splits an XML document held in memory into the tokens XML-RPC
// uses: start tags, end tags and text. It is a subset of XML made for
// speed (encoding/xml reads PyPI's changelog at about 10 MB/s): text comes
// back as a slice of the input when it holds no reference or carriage
// return, and names are never copied. It refuses what XML-RPC never
// holds, with an error: attributes, namespace prefixes, non-ASCII names,
// DOCTYPE and other directives, encodings other than UTF-8. What it
// accepts it reads as encoding/xml does (a fuzz test holds it to that).
type scanner struct {
	buf     []byte
	pos     int
	closing []byte // the end tag owed by a self-closing <name/>
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

// token is a start or end tag (name) or text (decoded). Both slices are
// valid only until the next call to next.
type token struct {
	kind tokKind
	name []byte
	text []byte
}

// xmlDecl is the XML declaration encoding/xml accepts without a
// CharsetReader: version 1.0, encoding UTF-8 if any.
var xmlDecl = regexp.MustCompile(`^xml(\s+version\s*=\s*("1\.0"|'1\.0'))?(\s+encoding\s*=\s*("(?i:utf-8)"|'(?i:utf-8)'))?(\s+standalone\s*=\s*("(yes|no)"|'(yes|no)'))?\s*$`)

func (s *scanner) errorf(format string, args ...any) error {
	line := 1 + bytes.Count(s.buf[:s.pos], []byte("\n"))
	col := s.pos - bytes.LastIndexByte(s.buf[:s.pos], '\n')
	return fmt.Errorf("line %d column %d: %w", line, col, fmt.Errorf(format, args...))
}

// next returns the next start tag, end tag or text, skipping comments and
// processing instructions; tokEOF at the end of the input.
func (s *scanner) next() (token, error) {
	if s.closing != nil {
		name := s.closing
		s.closing = nil
		return token{kind: tokEnd, name: name}, nil
	}
	for {
		if s.pos >= len(s.buf) {
			return token{kind: tokEOF}, nil
		}
		if s.buf[s.pos] != '<' {
			return s.text()
		}
		rest := s.buf[s.pos:]
		var second byte
		if len(rest) > 1 {
			second = rest[1]
		}
		switch {
		case second == '!' && bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("--"))
			if end < 0 {
				return token{}, s.errorf("unexpected EOF in a comment")
			}
			if 4+end+2 >= len(rest) || rest[4+end+2] != '>' {
				return token{}, s.errorf(`"--" inside a comment`)
			}
			if err := s.checkChars(rest[4 : 4+end]); err != nil {
				return token{}, err
			}
			s.pos += 4 + end + 3
		case second == '!' && bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end := bytes.Index(rest[9:], []byte("]]>"))
			if end < 0 {
				return token{}, s.errorf("unexpected EOF in CDATA")
			}
			raw := rest[9 : 9+end]
			if err := s.checkChars(raw); err != nil {
				return token{}, err
			}
			s.pos += 9 + end + 3
			return token{kind: tokText, text: s.newlines(raw)}, nil
		case second == '!':
			return token{}, s.errorf("unexpected <!...> directive")
		case second == '?':
			if err := s.procInst(rest); err != nil {
				return token{}, err
			}
		case second == '/':
			name, n, err := s.tagName(rest[2:])
			if err != nil {
				return token{}, err
			}
			n += 2
			for n < len(rest) && isSpace(rest[n]) {
				n++
			}
			if n >= len(rest) {
				return token{}, s.errorf("%w in </%s", errScanEOF, name)
			}
			if rest[n] != '>' {
				return token{}, s.errorf("want > to end </%s", name)
			}
			s.pos += n + 1
			return token{kind: tokEnd, name: name}, nil
		default:
			name, n, err := s.tagName(rest[1:])
			if err != nil {
				return token{}, err
			}
			n++
			for n < len(rest) && isSpace(rest[n]) {
				n++
			}
			switch {
			case n < len(rest) && rest[n] == '>':
				s.pos += n + 1
			case n+1 < len(rest) && rest[n] == '/' && rest[n+1] == '>':
				s.pos += n + 2
				s.closing = name
			case n >= len(rest) || rest[n] == '/' && n+1 == len(rest):
				return token{}, s.errorf("%w in <%s", errScanEOF, name)
			case isNameByte(rest[n]):
				return token{}, s.errorf("attributes in <%s>: XML-RPC has none", name)
			default:
				return token{}, s.errorf("want > to end <%s", name)
			}
			return token{kind: tokStart, name: name}, nil
		}
	}
}

// procInst skips <?target ...?>, checking an XML declaration.
func (s *scanner) procInst(rest []byte) error {
	end := bytes.Index(rest[2:], []byte("?>"))
	if end < 0 {
		return s.errorf("unexpected EOF in <?...?>")
	}
	end += 2
	body := rest[2:end]
	target, _, err := s.tagName(body)
	if err != nil {
		return s.errorf("want a target name after <?")
	}
	if len(body) > len(target) && !isSpace(body[len(target)]) {
		return s.errorf("want a space after <?%s", target)
	}
	if string(target) == "xml" && !xmlDecl.Match(body) {
		return s.errorf("unsupported XML declaration <?%s?>: want version 1.0, UTF-8", clip(string(body)))
	}
	if err := s.checkChars(body); err != nil {
		return err
	}
	s.pos += end + 2
	return nil
}

// tagName reads an ASCII element name at the start of b; n is its length.
func (s *scanner) tagName(b []byte) (name []byte, n int, err error) {
	for n < len(b) && isNameByte(b[n]) {
		n++
	}
	if n == 0 {
		if len(b) == 0 {
			return nil, 0, s.errorf("%w after <", errScanEOF)
		}
		if b[0] >= utf8.RuneSelf {
			return nil, 0, s.errorf("non-ASCII element name")
		}
		return nil, 0, s.errorf("want an element name after <")
	}
	if c := b[0]; c == '-' || c == '.' || ('0' <= c && c <= '9') {
		return nil, 0, s.errorf("element name %q starts with %q", b[:n], c)
	}
	if n < len(b) && (b[n] == ':' || b[n] >= utf8.RuneSelf) {
		return nil, 0, s.errorf("namespace prefix or non-ASCII character in element name %q", b[:n])
	}
	return b[:n], n, nil
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// text reads character data up to the next '<', decoding references.
func (s *scanner) text() (token, error) {
	end := bytes.IndexByte(s.buf[s.pos:], '<')
	if end < 0 {
		end = len(s.buf) - s.pos
	}
	raw := s.buf[s.pos : s.pos+end]
	if err := s.checkChars(raw); err != nil {
		return token{}, err
	}
	if i := bytes.Index(raw, []byte("]]>")); i >= 0 {
		s.pos += i
		return token{}, s.errorf("]]> outside CDATA")
	}
	if bytes.IndexByte(raw, '&') < 0 {
		s.pos += end
		return token{kind: tokText, text: s.newlines(raw)}, nil
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		amp := bytes.IndexByte(raw[i:], '&')
		if amp < 0 {
			out = append(out, raw[i:]...)
			break
		}
		out = append(out, raw[i:i+amp]...)
		i += amp
		semi := bytes.IndexByte(raw[i:], ';')
		if semi < 0 || semi > 12 {
			s.pos += i
			return token{}, s.errorf("invalid character entity %q", clip(string(raw[i:])))
		}
		ref := raw[i+1 : i+semi]
		r, ok := entity(ref)
		if !ok {
			s.pos += i
			return token{}, s.errorf("invalid character entity &%s;", ref)
		}
		out = utf8.AppendRune(out, r)
		i += semi + 1
	}
	s.pos += end
	return token{kind: tokText, text: s.newlines(out)}, nil
}

// entity resolves a predefined entity or a character reference.
func entity(ref []byte) (rune, bool) {
	switch string(ref) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	digits, base := ref[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || digits[0] == '+' || digits[0] == '-' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || !isXMLChar(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// newlines turns "\r\n" and a lone "\r" into "\n", as XML requires.
func (s *scanner) newlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\r' {
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, b[i])
	}
	return out
}

// checkChars refuses bytes that are not UTF-8 or not XML characters.
func (s *scanner) checkChars(b []byte) error {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				s.pos += i
				return s.errorf("illegal character code %U", rune(c))
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			s.pos += i
			return s.errorf("invalid UTF-8")
		}
		if !isXMLChar(r) {
			s.pos += i
			return s.errorf("illegal character code %U", r)
		}
		i += n
	}
	return nil
}

// isXMLChar reports whether r is a character XML 1.0 allows.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

var errScanEOF = errors.New("unexpected EOF")
