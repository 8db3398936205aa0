package python

/*
#cgo CFLAGS: -std=c11 -O2 -D_POSIX_C_SOURCE=200112L
#include "flatten.h"
#include "arena.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"time"
	"unsafe"

	sitter "github.com/tree-sitter/go-tree-sitter"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// language is the Python grammar, for symbol and field ids.
var language = sitter.NewLanguage(python.Language())

func init() {
	// go-tree-sitter routes every allocation through Go callbacks; plain C
	// allocation is about 1.6x faster for parsing, and an arena dropped
	// after each parse faster still.
	C.sg_arena_install()
}

// ParseTimeout bounds the time spent parsing one file.
const ParseTimeout = 2 * time.Second

// ErrTimeout is returned when a file takes longer than ParseTimeout.
var ErrTimeout = errors.New("python: parse timed out")

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

// Parse parses src. Files that are not valid Python still parse: the
// parser recovers and marks the broken parts as ERROR nodes. Escape
// sequences in string literals are masked before parsing (maskEscapes), so
// the tree has no escape_sequence nodes; literals are decoded from Src. A
// large module of nothing but literal assignments is read without the
// grammar (parseData).
func Parse(src []byte) (*Tree, error) {
	if len(src) > 1<<31-1 {
		return nil, fmt.Errorf("python: source of %d bytes is too large", len(src))
	}
	masked := maskEscapes(src)
	if len(masked) >= dataMin {
		if t := parseData(masked); t != nil {
			t.Src = src
			return t, nil
		}
	}
	t, err := parseReusing(masked)
	if t != nil {
		t.Src = src
	}
	return t, err
}

// parseFresh parses src from scratch.
func parseFresh(src []byte) (*Tree, error) {
	var out *C.sg_node
	var hasErr C.int
	var srcPtr *C.char
	if len(src) > 0 {
		srcPtr = (*C.char)(unsafe.Pointer(&src[0]))
	}
	n := int64(C.sg_parse(srcPtr, C.uint32_t(len(src)), C.uint64_t(ParseTimeout/time.Microsecond), &out, &hasErr))
	runtime.KeepAlive(src)
	defer C.sg_free(out)
	return treeOf(src, out, n, hasErr)
}

// treeOf copies n flattened nodes out of C; n is 0 after a timeout and
// negative when memory ran out.
func treeOf(src []byte, out *C.sg_node, n int64, hasErr C.int) (*Tree, error) {
	switch {
	case n == 0:
		return nil, ErrTimeout
	case n < 0:
		return nil, errOutOfMemory
	}
	buf := unsafe.Slice(out, n)
	nodes := make([]Node, n)
	for i := range nodes {
		b := &buf[i]
		nodes[i] = Node{Start: uint32(b.start), End: uint32(b.end), Row: uint32(b.row), Col: uint32(b.col),
			Parent: int32(b.parent), Kind: Kind(b.kind), Field: Field(b.field), first: -1, next: -1}
	}
	link(nodes)
	return &Tree{Src: src, Nodes: nodes, HasError: hasErr != 0}, nil
}

var errOutOfMemory = errors.New("python: out of memory while parsing")

// parseOnly parses and walks src without copying nodes out; for
// benchmarks that separate parsing from flattening.
func parseOnly(src []byte) int {
	var out *C.sg_node
	var hasErr C.int
	n := int(C.sg_parse((*C.char)(unsafe.Pointer(&src[0])), C.uint32_t(len(src)), C.uint64_t(ParseTimeout/time.Microsecond), &out, &hasErr))
	C.sg_free(out)
	return n
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
