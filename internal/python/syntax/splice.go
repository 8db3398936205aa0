package syntax

import (
	"bytes"
	"fmt"
	"os"
	"slices"
)

// Code carries tables too: a dictionary of a thousand entries in the
// middle of a module, a list of character codes, a lookup of names. The
// grammar parses them at a microsecond a node, and the data parser
// (datamod.go) reads them a hundred times faster, so large tables are
// spliced: findTables finds each display of literals (and names) of at
// least spliceMin bytes where an expression starts, the data parser builds
// its nodes, the grammar parses the source with the table's inside blanked
// (line breaks kept, so every offset, row and column stays), and
// spliceTables puts the table's nodes in place of the empty display the
// grammar saw.
//
// The result is the tree a full parse builds. A table is spliced only
// where the grammar, given the blanked source, made an empty list, tuple
// or dictionary of exactly the table's span, in a tree without errors;
// otherwise the whole source is parsed. Inside brackets the grammar reads
// a display of literals the same way wherever it stands, and the data
// parser builds its nodes as the grammar does (TestDataTreesMatchGrammar,
// TestSpliceMatchesFullParse, FuzzSplice). With SAFEGUARD_CHECK_SPLICE=1
// every spliced tree is compared with a full parse, node for node.

// spliceMin is the smallest table spliced: below it the grammar is fast
// enough.
const spliceMin = 512

// checkSplice compares every spliced tree with a full parse and panics
// on a difference.
var checkSplice = os.Getenv("SAFEGUARD_CHECK_SPLICE") == "1"

// table is a display spliced: its span in the source and its nodes in the
// data parser's slice.
type table struct{ start, end, lo, hi int }

// exprWord reports the keywords after which a bracket opens a display,
// not a subscript or a call.
func exprWord(w []byte) bool {
	if len(w) < 2 || len(w) > 6 || w[0] < 'a' {
		return false
	}
	switch string(w) {
	case "in", "return", "yield", "and", "or", "not", "is", "if", "else", "elif", "while", "assert", "await", "from":
		return true
	}
	return false
}

// findTables returns the tables of src, escapes masked, in order, and the
// data parser holding their nodes. It reads src as tokens only as far as
// it must: strings and comments are skipped, and a bracket is tried as a
// table when the token before it ends an expression's left context (an
// operator, an opening bracket, a comma, a keyword, a new statement).
// A wrong guess costs a full parse, never a wrong tree.
func findTables(src []byte) (*dataParser, []table) {
	if bytes.IndexByte(src, 0) >= 0 {
		return nil, nil // the grammar reads a NUL as the end of input
	}
	var p *dataParser
	var out []table
	expr, depth := true, 0
	budget := 2*len(src) + 4096 // bytes read by tables that failed
	// indent is the indentation of the statement's first line, newLine
	// whether it is still to be measured.
	indent, newLine := 0, true
	for i := 0; i < len(src); {
		c := src[i]
		if newLine && c != ' ' && c != '\t' && c != '\f' && c != '\r' && c != '\n' && c != '#' {
			indent, newLine = indentAt(src, i), false
		}
		switch {
		case c == '\n':
			if depth <= 0 {
				expr, newLine = true, true
			}
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '\'' || c == '"':
			if i = skipString(src, i); i < 0 {
				return nil, nil
			}
			expr = false
		case isNameByte(c) || c >= 0x80:
			j := i
			for j < len(src) && (isNameByte(src[j]) || src[j] >= 0x80) {
				j++
			}
			if j < len(src) && (src[j] == '\'' || src[j] == '"') && j-i <= 3 {
				if i = skipString(src, j); i < 0 {
					return nil, nil
				}
				expr = false
				continue
			}
			expr = exprWord(src[i:j])
			i = j
		case c == '[' || c == '(' || c == '{':
			if expr && budget > 0 {
				if p == nil {
					p = &dataParser{src: src, inCode: true}
				}
				if end, ok := p.table(i, indent, &out); ok {
					i, expr = end, false
					continue
				} else {
					budget -= end - i
				}
			}
			depth++
			expr = true
			i++
		case c == ')' || c == ']' || c == '}':
			depth--
			expr = false
			i++
		case c == '.':
			expr = false
			i++
		case c == '\\':
			i += 2
		default:
			expr = true
			i++
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return p, out
}

// table reads the display opening at i. It returns its end and true when
// it is one of literals, appended to out if large enough; else how far it
// read and false.
func (p *dataParser) table(i, indent int, out *[]table) (int, bool) {
	// Tables are tried in source order: the rows counted up to i are
	// counted once, whatever is read past i by a table that fails.
	p.advance(i)
	at, row, lineStart, lo := p.at, p.row, p.lineStart, len(p.nodes)
	p.pos = i
	var ok bool
	switch p.src[i] {
	case '[':
		ok = p.container(KList, ']', -1, 0, 0)
	case '(':
		ok = p.container(KTuple, ')', -1, 0, 0)
	default:
		ok = p.container(KDictionary, '}', -1, 0, 0)
	}
	if ok && p.pos-i >= spliceMin && indentedIn(p.src[i:p.pos], indent) && !loneCR(p.src[i:p.pos]) {
		*out = append(*out, table{start: i, end: p.pos, lo: lo, hi: len(p.nodes)})
		return p.pos, true
	}
	end := p.pos
	p.at, p.row, p.lineStart, p.nodes = at, row, lineStart, p.nodes[:lo]
	return end, ok
}

// The grammar's scanner ends a block when a line is indented less than
// the block, even inside brackets where a closing bracket cannot come
// next (after a colon or an operator); Python does not, and the table's
// nodes are those of Python's reading. So a table is spliced only when
// none of its lines is indented less than the statement holding it: the
// full parse then reads it without a dedent too.

// indentAt is the indentation of the line holding offset i, as the
// grammar's scanner counts it: a tab is 8 columns, a form feed or a
// carriage return resets.
func indentAt(src []byte, i int) int {
	start := bytes.LastIndexByte(src[:i], '\n') + 1
	n := 0
	for _, c := range src[start:i] {
		switch c {
		case '\t':
			n += 8
		case '\f', '\r':
			n = 0
		default:
			n++
		}
	}
	return n
}

// indentedIn reports whether every line that starts inside t and holds
// more than blanks is indented at least indent.
func indentedIn(t []byte, indent int) bool {
	for i := bytes.IndexByte(t, '\n'); i >= 0; {
		j := i + 1
		for j < len(t) && (t[j] == ' ' || t[j] == '\t' || t[j] == '\f' || t[j] == '\r') {
			j++
		}
		if j < len(t) && t[j] != '\n' && indentAt(t, j) < indent {
			return false
		}
		next := bytes.IndexByte(t[j:], '\n')
		if next < 0 {
			break
		}
		i = j + next
	}
	return true
}

// loneCR reports a carriage return not followed by a line feed, where
// the grammar's rows and the data parser's could differ.
func loneCR(t []byte) bool {
	for i := bytes.IndexByte(t, '\r'); i >= 0; {
		if i+1 >= len(t) || t[i+1] != '\n' {
			return true
		}
		next := bytes.IndexByte(t[i+1:], '\r')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

// skipString returns the end of the string literal whose quote is at i,
// or -1 when it is not closed.
func skipString(s []byte, i int) int {
	q := s[i]
	n := 1
	if i+2 < len(s) && s[i+1] == q && s[i+2] == q {
		n = 3
	}
	for j := i + n; j < len(s); j++ {
		switch c := s[j]; {
		case c == '\\':
			j++
		case c == '\n' && n == 1:
			return -1
		case c == q && (n == 1 || j+2 < len(s) && s[j+1] == q && s[j+2] == q):
			return j + n
		}
	}
	return -1
}

// blankTables returns a copy of src with the inside of each table blanked:
// every byte but line breaks becomes a space.
func blankTables(src []byte, tables []table) []byte {
	out := bytes.Clone(src)
	for _, t := range tables {
		for j := t.start + 1; j < t.end-1; j++ {
			if out[j] != '\n' && out[j] != '\r' {
				out[j] = ' '
			}
		}
	}
	return out
}

// spliceTables returns t, parsed from the blanked source, with each
// table's nodes in place of its empty display, or nil when t is not as
// expected (errors, a table not parsed as a display of its span).
func spliceTables(t *Tree, p *dataParser, tables []table) *Tree {
	if t.HasError {
		return nil
	}
	extra := 0
	for _, tb := range tables {
		extra += tb.hi - tb.lo - 1
	}
	nodes := make([]Node, 0, len(t.Nodes)+extra)
	remap := make([]int32, len(t.Nodes))
	k := 0
	for i, n := range t.Nodes {
		if n.Parent >= 0 {
			n.Parent = remap[n.Parent]
		}
		remap[i] = int32(len(nodes))
		n.first, n.next = -1, -1
		if k < len(tables) && int(n.Start) >= tables[k].start {
			tb := tables[k]
			if int(n.Start) > tb.start {
				return nil // no display of the table's span
			}
			if int(n.End) == tb.end && t.Nodes[i].first < 0 && (n.Kind == KList || n.Kind == KTuple || n.Kind == KDictionary) {
				root := p.nodes[tb.lo]
				if root.Row != n.Row || root.Col != n.Col {
					return nil
				}
				base := int32(len(nodes))
				for j := tb.lo; j < tb.hi; j++ {
					m := p.nodes[j]
					if j == tb.lo {
						m.Parent, m.Field = n.Parent, n.Field
					} else {
						m.Parent = base + m.Parent - int32(tb.lo)
					}
					m.first, m.next = -1, -1
					nodes = append(nodes, m)
				}
				k++
				continue
			}
		}
		nodes = append(nodes, n)
	}
	if k < len(tables) {
		return nil
	}
	link(nodes)
	return &Tree{Src: t.Src, Nodes: nodes}
}

// checkSameTree panics, for SAFEGUARD_CHECK_SPLICE, when the spliced tree s
// differs from the full parse full.
func checkSameTree(s, full *Tree, src []byte) {
	if s.HasError != full.HasError || !slices.Equal(s.Nodes, full.Nodes) {
		panic(fmt.Sprintf("syntax: spliced tree differs from the full parse of %d bytes starting %q", len(src), src[:min(len(src), 200)]))
	}
}
