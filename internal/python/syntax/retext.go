package syntax

import "bytes"

// A campaign's files often differ from their base only inside string
// literals: the package name in setup(name=...) and packages=[...]. Text
// changed inside a string's content, when neither the old nor the new
// text holds a quote, backslash, brace, line break or NUL, cannot change
// how the file tokenises or parses: the string is still one string_content
// token. Such a file's tree is the base's tree with offsets moved, built
// without the parser.

// maxRetextSpans bounds the string contents one derivation may change.
const maxRetextSpans = 16

// retextSpan is one string content whose text changed: it ends at end in
// the base's source, on row, and grows by delta bytes.
type retextSpan struct {
	end   uint32
	row   uint32
	delta int64
}

// retext derives the tree of src from base, the tree of old, when the two
// sources differ only inside string contents; p and s are the lengths of
// their common prefix and suffix. It returns nil when they differ in any
// other way.
func retext(base *Tree, old, src []byte, p, s int) *Tree {
	if base.HasError {
		// Error recovery weighs the bytes it skips, so a longer string
		// could be recovered from differently.
		return nil
	}
	lo, hi := p, len(old)-s // the changed region in old
	// The string contents touching the changed region, in source order.
	var contents []int32
	for i := range base.Nodes {
		n := &base.Nodes[i]
		if int(n.Start) > hi {
			break
		}
		if n.Kind == KStringContent && int(n.End) >= lo {
			if n.first >= 0 || len(contents) == maxRetextSpans {
				return nil
			}
			contents = append(contents, int32(i))
		}
	}
	if len(contents) == 0 {
		return nil
	}
	// Outside the contents the text must be unchanged; each content's new
	// text runs to the next byte a content cannot hold, which must be the
	// quote that closed the old one.
	spans := make([]retextSpan, 0, len(contents))
	oldAt, newAt := min(lo, int(base.Nodes[contents[0]].Start)), min(lo, int(base.Nodes[contents[0]].Start))
	for _, c := range contents {
		n := &base.Nodes[c]
		gap := old[oldAt:n.Start]
		if !bytes.HasPrefix(src[newAt:], gap) {
			return nil
		}
		newAt += len(gap)
		was := old[n.Start:n.End]
		if int(n.End) >= len(old) || (old[n.End] != '"' && old[n.End] != '\'') || contentStop(was) != len(was) {
			return nil
		}
		now := contentStop(src[newAt:])
		if now == 0 {
			return nil // an empty string has no content node
		}
		spans = append(spans, retextSpan{end: n.End, row: n.Row, delta: int64(now - len(was))})
		oldAt, newAt = int(n.End), newAt+now
	}
	// The rest of the region, then the common suffix.
	if !bytes.Equal(old[oldAt:], src[newAt:]) {
		return nil
	}
	return &Tree{Src: src, Nodes: shiftNodes(base.Nodes, spans), HasError: base.HasError}
}

// derive is retext, counted in p.retexted when it derives a tree.
func (p *Parser) derive(base *Tree, old, src []byte, pre, suf int) *Tree {
	t := retext(base, old, src, pre, suf)
	if t != nil {
		p.retexted.Add(1)
	}
	return t
}

// contentStop is the length of the prefix of b that a string content can
// hold without changing how its string tokenises.
func contentStop(b []byte) int {
	for i, c := range b {
		switch c {
		case '"', '\'', '\\', '{', '}', '\n', '\r', 0:
			return i
		}
	}
	return len(b)
}

// shiftNodes copies nodes, moving every offset at or after a span's end by
// its delta, and the columns after it on its row.
func shiftNodes(nodes []Node, spans []retextSpan) []Node {
	out := make([]Node, len(nodes))
	copy(out, nodes)
	first := spans[0].end
	for i := range out {
		n := &out[i]
		if n.End < first {
			continue
		}
		var ds, de, dc int64
		for _, sp := range spans {
			if sp.end <= n.Start {
				ds += sp.delta
				if sp.row == n.Row {
					dc += sp.delta
				}
			}
			if sp.end <= n.End {
				de += sp.delta
			}
		}
		n.Start = uint32(int64(n.Start) + ds)
		n.End = uint32(int64(n.End) + de)
		n.Col = uint32(int64(n.Col) + dc)
	}
	return out
}
