package syntax

import (
	"bytes"
	"strings"
)

// Packages vendor tables as Python modules: fonts, character maps, word
// lists, generated lookups, a megabyte of dictionary literals. The grammar
// takes about a microsecond a node, and a table is nothing but nodes: the
// font tables of one package took 1.2 s to parse.
//
// parseData builds the tree of such a module directly. It accepts a small
// subset of Python, a module of literal assignments:
//
//	module     = { comment | docstring | name "=" literal } — one a line, at column 0
//	literal    = strings | number | True | False | None | list | tuple | dict | set
//	strings    = string { string }   (implicit concatenation)
//
// where containers hold literals, strings carry no f prefix, and numbers
// are decimal, hex, octal or binary integers or simple floats. On anything
// else — a call, an operator, a comment inside brackets, a backslash left
// after masking — it gives up and the grammar parses the file. The trees it
// builds are node for node those of the grammar (TestDataTreesMatchGrammar,
// FuzzParseData).

// dataMin is the smallest source tried: smaller files parse fast anyway.
const dataMin = 32 << 10

// maxDataDepth bounds the nesting of containers.
const maxDataDepth = 100

type dataParser struct {
	src   []byte
	pos   int
	nodes []Node
	// Row and column of offset at, advanced as nodes are added in order.
	at, row, lineStart int
	// inCode also takes names and negative numbers, which a table in code
	// holds (splice.go); a data module's statements stay literals only.
	inCode bool
}

// parseData returns the tree of src, escapes already masked, or nil when
// src is not a module of literal assignments.
func parseData(src []byte) *Tree {
	if bytes.IndexByte(src, 0) >= 0 {
		return nil // the grammar reads a NUL as the end of input
	}
	for i := bytes.IndexByte(src, '\r'); i >= 0; {
		if i+1 >= len(src) || src[i+1] != '\n' {
			return nil // a lone carriage return: lines as the grammar counts them differ
		}
		next := bytes.IndexByte(src[i+1:], '\r')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	// A string is four nodes, a pair or a number one: sized by the quotes,
	// the node slice is not copied as it grows.
	quotes := bytes.Count(src, []byte{'\''}) + bytes.Count(src, []byte{'"'})
	p := &dataParser{src: src, nodes: make([]Node, 0, 3*quotes+len(src)/16+16)}
	if !p.module() {
		return nil
	}
	link(p.nodes)
	return &Tree{Src: src, Nodes: p.nodes}
}

// add appends a node starting at start and returns its index; its end is
// set by the caller once known.
func (p *dataParser) add(k Kind, f Field, parent int32, start int) int32 {
	p.advance(start)
	p.nodes = append(p.nodes, Node{Start: uint32(start), Row: uint32(p.row), Col: uint32(start - p.lineStart), Parent: parent, Kind: k, Field: f, first: -1, next: -1})
	return int32(len(p.nodes) - 1)
}

// advance counts the rows up to offset to.
func (p *dataParser) advance(to int) {
	for ; p.at < to; p.at++ {
		if p.src[p.at] == '\n' {
			p.row++
			p.lineStart = p.at + 1
		}
	}
}

func (p *dataParser) leaf(k Kind, f Field, parent int32, start, end int) {
	i := p.add(k, f, parent, start)
	p.nodes[i].End = uint32(end)
}

func (p *dataParser) module() bool {
	// The module starts at its first token.
	root := p.add(KModule, 0, -1, skipLines(p.src, 0))
	for {
		// Blank lines and comments, each on a line of its own.
		lineStart := p.pos
		p.spaces()
		switch {
		case p.pos == len(p.src):
			p.nodes[root].End = uint32(len(p.src))
			return true
		case p.src[p.pos] == '\n' || p.src[p.pos] == '\r':
			p.pos++
			continue
		case p.src[p.pos] == '#':
			start := p.pos
			p.toLineEnd()
			p.leaf(KComment, 0, root, start, p.pos)
			continue
		case p.pos != lineStart:
			return false // indented code
		}
		if !p.statement(root) || !p.lineEnd() {
			return false
		}
	}
}

// statement reads a docstring or an assignment of a literal to a name.
func (p *dataParser) statement(root int32) bool {
	start := p.pos
	stmt := p.add(KExpressionStmt, 0, root, start)
	if isQuoteStart(p.src, p.pos) {
		if !p.literal(stmt, 0, 0, false) {
			return false
		}
		p.nodes[stmt].End = uint32(p.pos)
		return true
	}
	end := p.name()
	if end < 0 {
		return false
	}
	assign := p.add(KAssignment, 0, stmt, start)
	p.leaf(KIdentifier, FLeft, assign, start, end)
	p.pos = end
	p.spaces()
	if p.pos >= len(p.src) || p.src[p.pos] != '=' || p.pos+1 < len(p.src) && p.src[p.pos+1] == '=' {
		return false
	}
	p.pos++
	p.spaces()
	if !p.literal(assign, FRight, 0, false) {
		return false
	}
	p.nodes[assign].End = uint32(p.pos)
	p.nodes[stmt].End = uint32(p.pos)
	return true
}

// lineEnd accepts the end of a statement: spaces, then a line break or the
// end of the file. A comment after code is declined: where the grammar
// hangs it depends on what follows.
func (p *dataParser) lineEnd() bool {
	p.spaces()
	switch {
	case p.pos == len(p.src):
		return true
	case p.src[p.pos] == '\n':
		p.pos++
		return true
	case p.src[p.pos] == '\r' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '\n':
		p.pos += 2
		return true
	}
	return false
}

// literal reads one literal into a node of parent with field f. Inside
// brackets line breaks are spaces.
func (p *dataParser) literal(parent int32, f Field, depth int, inBrackets bool) bool {
	if depth > maxDataDepth || p.pos >= len(p.src) {
		return false
	}
	c := p.src[p.pos]
	switch {
	case isQuoteStart(p.src, p.pos):
		return p.stringLits(parent, f, inBrackets)
	case c >= '0' && c <= '9' || c == '.' && p.pos+1 < len(p.src) && isDigit(p.src[p.pos+1]):
		return p.number(parent, f)
	case c == '-' && p.inCode && p.pos+1 < len(p.src) && isDigit(p.src[p.pos+1]):
		op := p.add(KUnaryOperator, f, parent, p.pos)
		p.pos++
		if !p.number(op, FArgument) {
			return false
		}
		p.nodes[op].End = uint32(p.pos)
		return true
	case c == '[':
		return p.container(KList, ']', parent, f, depth)
	case c == '(':
		return p.container(KTuple, ')', parent, f, depth)
	case c == '{':
		return p.container(KDictionary, '}', parent, f, depth)
	}
	end := p.name()
	var k Kind
	switch string(p.src[p.pos:max(end, p.pos)]) {
	case "True":
		k = KTrue
	case "False":
		k = KFalse
	case "None":
		k = KNone
	default:
		if !p.inCode || end < 0 {
			return false
		}
		k = KIdentifier
	}
	p.leaf(k, f, parent, p.pos, end)
	p.pos = end
	return true
}

// stringLits reads a string or an implicit concatenation of strings.
func (p *dataParser) stringLits(parent int32, f Field, inBrackets bool) bool {
	// Find the strings first: a concatenation's node precedes theirs.
	var spans [][4]int // start, body start, body end, end
	at := p.pos
	for {
		s, ok := scanString(p.src, at)
		if !ok {
			return false
		}
		spans = append(spans, s)
		next := s[3]
		if inBrackets {
			next = skipLines(p.src, next)
		} else {
			next = skipBlank(p.src, next)
		}
		if !isQuoteStart(p.src, next) {
			break
		}
		at = next
	}
	owner, sf := parent, f
	if len(spans) > 1 {
		owner = p.add(KConcatenated, f, parent, spans[0][0])
		p.nodes[owner].End = uint32(spans[len(spans)-1][3])
		sf = 0
	}
	for _, s := range spans {
		str := p.add(KString, sf, owner, s[0])
		p.nodes[str].End = uint32(s[3])
		p.leaf(KStringStart, 0, str, s[0], s[1])
		if s[2] > s[1] {
			p.leaf(KStringContent, 0, str, s[1], s[2])
		}
		p.leaf(KStringEnd, 0, str, s[2], s[3])
	}
	p.pos = spans[len(spans)-1][3]
	return true
}

// container reads a list, a tuple, or a dictionary or set (kind says
// which bracket; a brace holding no colon is a set).
func (p *dataParser) container(k Kind, closing byte, parent int32, f Field, depth int) bool {
	start := p.pos
	node := p.add(k, f, parent, start)
	p.pos++
	count, commas := 0, 0
	for {
		if !p.blank() {
			return false
		}
		if p.pos >= len(p.src) {
			return false
		}
		if p.src[p.pos] == closing {
			break
		}
		if count > commas {
			return false // two items without a comma between
		}
		if k == KDictionary || k == KSet {
			if !p.dictItem(node, &k, count, depth) {
				return false
			}
		} else if !p.literal(node, 0, depth+1, true) {
			return false
		}
		count++
		if !p.blank() || p.pos >= len(p.src) {
			return false
		}
		if p.src[p.pos] == ',' {
			commas++
			p.pos++
		}
	}
	if k == KTuple && count == 1 && commas == 0 {
		return false // a parenthesized expression, not a tuple
	}
	p.pos++
	p.nodes[node].Kind = k
	p.nodes[node].End = uint32(p.pos)
	return true
}

// dictItem reads a key: value pair, or a set element; the first item
// decides which the braces hold.
func (p *dataParser) dictItem(node int32, k *Kind, count, depth int) bool {
	if *k == KSet {
		return p.literal(node, 0, depth+1, true)
	}
	pair := p.add(KPair, 0, node, p.pos)
	if !p.literal(pair, FKey, depth+1, true) || !p.blank() || p.pos >= len(p.src) {
		return false
	}
	if p.src[p.pos] != ':' {
		if count > 0 {
			return false
		}
		// A set: the key read is its first element.
		p.nodes = append(p.nodes[:pair], p.nodes[pair+1:]...)
		for i := int(pair); i < len(p.nodes); i++ {
			if p.nodes[i].Parent > pair {
				p.nodes[i].Parent--
			} else if p.nodes[i].Parent == pair {
				p.nodes[i].Parent = node
			}
		}
		p.nodes[pair].Field = 0
		*k = KSet
		return true
	}
	p.pos++
	if !p.blank() || !p.literal(pair, FValue, depth+1, true) {
		return false
	}
	p.nodes[pair].End = uint32(p.pos)
	return true
}

// number reads an integer or a float: decimal digits with an optional
// fraction and exponent, or a 0x, 0o or 0b integer. Imaginary and
// Python 2 long suffixes are declined.
func (p *dataParser) number(parent int32, f Field) bool {
	s, i := p.src, p.pos
	k := KInteger
	if s[i] == '0' && i+1 < len(s) && strings.IndexByte("xXoObB", s[i+1]) >= 0 {
		digit := isHexDigit
		switch s[i+1] | 0x20 {
		case 'o':
			digit = func(c byte) bool { return c >= '0' && c <= '7' }
		case 'b':
			digit = func(c byte) bool { return c == '0' || c == '1' }
		}
		i += 2
		if i < len(s) && s[i] == '_' {
			i++
		}
		if i = digitRun(s, i, digit); i < 0 {
			return false
		}
	} else {
		if s[i] == '0' && i+1 < len(s) && isDigit(s[i+1]) {
			return false // a Python 2 octal, or a zero-padded number
		}
		if s[i] != '.' {
			if i = digitRun(s, i, isDigit); i < 0 {
				return false
			}
		}
		if i < len(s) && s[i] == '.' {
			k = KFloat
			i++
			for i < len(s) && isDigit(s[i]) {
				i++
			}
		}
		if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
			k = KFloat
			i++
			if i < len(s) && (s[i] == '+' || s[i] == '-') {
				i++
			}
			start := i
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			if i == start {
				return false
			}
		}
	}
	if i < len(s) && (isNameByte(s[i]) || s[i] == '.') {
		return false
	}
	p.leaf(k, f, parent, p.pos, i)
	p.pos = i
	return true
}

// digitRun returns the end of the digits at i, single underscores
// allowed between them, or -1 when there are none or an underscore is
// misplaced.
func digitRun(s []byte, i int, digit func(byte) bool) int {
	if i >= len(s) || !digit(s[i]) {
		return -1
	}
	for i < len(s) && digit(s[i]) {
		i++
		if i+1 < len(s) && s[i] == '_' && digit(s[i+1]) {
			i++
		}
	}
	return i
}

// name returns the end of the ASCII identifier at p.pos, or -1.
func (p *dataParser) name() int {
	s, i := p.src, p.pos
	if i >= len(s) || !(isNameByte(s[i]) && !isDigit(s[i])) {
		return -1
	}
	for i < len(s) && isNameByte(s[i]) {
		i++
	}
	if i < len(s) && s[i] >= 0x80 {
		return -1
	}
	if keywords[string(s[p.pos:i])] {
		return -1
	}
	return i
}

// keywords are the reserved words a statement cannot assign to, and the
// soft keywords that start statements of their own.
var keywords = map[string]bool{
	"and": true, "as": true, "assert": true, "async": true, "await": true, "break": true, "class": true, "continue": true,
	"def": true, "del": true, "elif": true, "else": true, "except": true, "exec": true, "finally": true, "for": true,
	"from": true, "global": true, "if": true, "import": true, "in": true, "is": true, "lambda": true, "nonlocal": true,
	"not": true, "or": true, "pass": true, "print": true, "raise": true, "return": true, "try": true, "while": true,
	"with": true, "yield": true, "match": true, "case": true, "type": true,
}

// spaces skips blanks on the line.
func (p *dataParser) spaces() { p.pos = skipBlank(p.src, p.pos) }

// blank skips blanks and line breaks, inside brackets; a comment there
// declines.
func (p *dataParser) blank() bool {
	p.pos = skipLines(p.src, p.pos)
	return p.pos >= len(p.src) || p.src[p.pos] != '#'
}

// toLineEnd moves to the line feed ending a comment; a carriage return
// before it is part of the comment, as the grammar has it.
func (p *dataParser) toLineEnd() {
	for p.pos < len(p.src) && p.src[p.pos] != '\n' {
		p.pos++
	}
}

// skipBlank skips spaces and tabs.
func skipBlank(s []byte, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func skipLines(s []byte, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// isQuoteStart reports a string literal at i: up to two prefix letters
// (not f or t, whose strings hold code) and a quote.
func isQuoteStart(s []byte, i int) bool {
	for j := i; j < len(s) && j < i+3; j++ {
		switch s[j] {
		case '\'', '"':
			return true
		case 'r', 'R', 'b', 'B', 'u', 'U':
			continue
		}
		return false
	}
	return false
}

// scanString returns the spans of the string literal at i: its start, the
// start and end of its body, and its end. It declines unterminated
// strings, prefixes Python rejects, and any backslash: after masking, a
// backslash left is one whose meaning depends on context.
func scanString(s []byte, i int) ([4]int, bool) {
	start := i
	for i < len(s) && s[i] != '\'' && s[i] != '"' {
		i++
	}
	if !validPrefix(s[start:i]) || i >= len(s) {
		return [4]int{}, false
	}
	q := s[i]
	triple := i+2 < len(s) && s[i+1] == q && s[i+2] == q
	n := 1
	if triple {
		n = 3
	}
	body := i + n
	for j := body; j < len(s); j++ {
		switch c := s[j]; {
		case c == '\\':
			return [4]int{}, false
		case c == '\n' || c == '\r':
			if !triple {
				return [4]int{}, false
			}
		case c == q && (!triple || j+2 < len(s) && s[j+1] == q && s[j+2] == q):
			return [4]int{start, body, j, j + n}, true
		}
	}
	return [4]int{}, false
}

func validPrefix(p []byte) bool {
	switch len(p) {
	case 0:
		return true
	case 1:
		return true // r, b or u: isQuoteStart admitted nothing else
	case 2:
		a, b := p[0]|0x20, p[1]|0x20
		return a == 'r' && b == 'b' || a == 'b' && b == 'r'
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

func isNameByte(c byte) bool {
	return c == '_' || isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
