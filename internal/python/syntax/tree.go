package syntax

// Tree is a parsed file: its source and its named nodes in preorder.
type Tree struct {
	Src []byte
	// Nodes are never modified once a tree is built: trees derived from
	// one another and the caches share them.
	Nodes []Node
	// HasError is true when the parser had to recover from syntax errors.
	HasError bool
}

// Node is one named syntax node. Children follow their parent in Nodes;
// use Tree.Children to iterate them.
type Node struct {
	Start, End uint32 // byte offsets in Src
	Row, Col   uint32 // 0-based start position
	Parent     int32  // index in Nodes, -1 for the root
	Kind       Kind
	Field      Field
	first      int32 // first named child, -1 if none
	next       int32 // next named sibling, -1 if none
}

// link fills the first-child and next-sibling indexes.
func link(nodes []Node) {
	last := make([]int32, len(nodes))
	for i := range last {
		last[i] = -1
	}
	for i := range nodes {
		p := nodes[i].Parent
		if p < 0 {
			continue
		}
		if last[p] < 0 {
			nodes[p].first = int32(i)
		} else {
			nodes[last[p]].next = int32(i)
		}
		last[p] = int32(i)
	}
}

// Text returns the source text of node i.
func (t *Tree) Text(i int32) string {
	n := &t.Nodes[i]
	return string(t.Src[n.Start:n.End])
}

// Bytes returns the source bytes of node i without copying.
func (t *Tree) Bytes(i int32) []byte {
	n := &t.Nodes[i]
	return t.Src[n.Start:n.End]
}

// Children returns the indexes of node i's named children.
func (t *Tree) Children(i int32) []int32 {
	var out []int32
	for c := t.Nodes[i].first; c >= 0; c = t.Nodes[c].next {
		out = append(out, c)
	}
	return out
}

// FirstChild returns node i's first named child, or -1.
func (t *Tree) FirstChild(i int32) int32 { return t.Nodes[i].first }

// NextSibling returns node i's next named sibling, or -1.
func (t *Tree) NextSibling(i int32) int32 { return t.Nodes[i].next }

// ChildByField returns node i's first named child in field f, or -1.
func (t *Tree) ChildByField(i int32, f Field) int32 {
	for c := t.Nodes[i].first; c >= 0; c = t.Nodes[c].next {
		if t.Nodes[c].Field == f {
			return c
		}
	}
	return -1
}

// Line returns the 1-based line of node i.
func (t *Tree) Line(i int32) int { return int(t.Nodes[i].Row) + 1 }
