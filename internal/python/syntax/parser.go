package syntax

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
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// ParseTimeout bounds the time spent parsing one file.
const ParseTimeout = 2 * time.Second

// ErrTimeout is returned when a file takes longer than ParseTimeout.
var ErrTimeout = errors.New("python: parse timed out")

var errOutOfMemory = errors.New("python: out of memory while parsing")

// Options configure a Parser. The zero value parses every source afresh
// and keeps nothing.
type Options struct {
	// Reuse builds trees from earlier ones where sources repeat, instead
	// of parsing: identical sources, sources that differ only inside
	// strings, and campaign families parsed incrementally. The trees are
	// those a fresh parse builds.
	Reuse bool
	// TreeCacheBytes bounds the memory of the identical-source cache:
	// source bytes plus 32 bytes a node.
	TreeCacheBytes int64
	// SkeletonCacheBytes bounds, likewise, the trees kept for sources
	// that differ only inside strings.
	SkeletonCacheBytes int64
	// Splice reads large tables in code with the data parser instead of
	// the grammar (splice.go). The trees are those of the grammar.
	Splice bool
}

// DefaultOptions are the options Safeguard scans with: reuse on, 64 MiB
// of identical-source trees and 32 MiB of skeletons, tables spliced.
func DefaultOptions() Options {
	return Options{Reuse: true, TreeCacheBytes: 64 << 20, SkeletonCacheBytes: 32 << 20, Splice: true}
}

// Parser parses Python source and, with Options.Reuse, keeps what it
// needs to reuse trees. It is safe for concurrent use.
type Parser struct {
	trees     *lru[[32]byte, *Tree]       // nil without reuse
	skeletons *lru[uint64, skeletonEntry] // nil without reuse
	families  *families                   // nil without reuse
	splice    bool
	// retexted counts trees derived without parsing, reparsed incremental
	// parses, spliced trees with tables read by the data parser; for tests
	// and benchmarks.
	retexted, reparsed, spliced atomic.Int64
}

// NewParser returns a parser with options o. A Parser holds C memory for
// its family bases: Close frees it, or the garbage collector once the
// Parser is unreachable.
func NewParser(o Options) *Parser {
	runtimeOnce.Do(startRuntime)
	p := &Parser{splice: o.Splice}
	if o.Reuse {
		p.trees = newLRU[[32]byte, *Tree](o.TreeCacheBytes)
		p.skeletons = newLRU[uint64, skeletonEntry](o.SkeletonCacheBytes)
		p.families = newFamilies()
		runtime.AddCleanup(p, (*families).release, p.families)
	}
	return p
}

// Close frees the C trees the parser keeps. The parser still works
// afterwards, with its family bases forgotten.
func (p *Parser) Close() {
	if p.families != nil {
		p.families.release()
	}
}

// runtimeOnce guards startRuntime: tree-sitter's allocator is a set of
// process-wide function pointers in its C runtime, not a per-parser
// setting, so it is installed once, by the first Parser.
var runtimeOnce sync.Once

// startRuntime routes tree-sitter's allocations through the arena and
// checks the direct walk (walk.go). go-tree-sitter routes every
// allocation through Go callbacks; plain C allocation is about 1.6x
// faster for parsing, and an arena dropped after each parse faster still.
// Both allocators are malloc outside a parse, so memory allocated before
// the switch is freed correctly after it.
func startRuntime() {
	C.sg_arena_install()
	checkWalk()
}

// Parse parses src. Files that are not valid Python still parse: the
// parser recovers and marks the broken parts as ERROR nodes. Escape
// sequences in string literals are masked before parsing (maskEscapes), so
// the tree has no escape_sequence nodes; literals are decoded from Src. A
// large module of nothing but literal assignments is read without the
// grammar (parseData). Trees may be shared with other callers: they must
// not be modified.
func (p *Parser) Parse(src []byte) (*Tree, error) {
	if p.trees != nil && len(src) >= cacheMin {
		return p.parseCached(src)
	}
	return p.parse(src)
}

// parse parses src, reusing trees of other sources but not those of
// identical ones.
func (p *Parser) parse(src []byte) (*Tree, error) {
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
	var t *Tree
	var err error
	if p.skeletons != nil {
		t, err = p.parseReusing(masked)
	} else {
		t, err = p.parseTables(masked)
	}
	if t != nil {
		t.Src = src
	}
	return t, err
}

// parseTables parses src, escapes masked, with its large tables read by
// the data parser (splice.go).
func (p *Parser) parseTables(src []byte) (*Tree, error) {
	var dp *dataParser
	var tables []table
	if p.splice && len(src) >= spliceMin {
		dp, tables = findTables(src)
	}
	if tables == nil {
		return p.parseGrammar(src)
	}
	t, err := p.parseGrammar(blankTables(src, tables))
	if err != nil {
		return nil, err
	}
	if s := spliceTables(t, dp, tables); s != nil {
		p.spliced.Add(1)
		if checkSplice {
			full, err := parseFresh(src)
			if err == nil {
				checkSameTree(s, full, src)
			}
		}
		return s, nil
	}
	return p.parseGrammar(src)
}

// parseGrammar parses src with the grammar, incrementally from a base of
// its family when the parser keeps them.
func (p *Parser) parseGrammar(src []byte) (*Tree, error) {
	if p.families != nil {
		return p.parseFamily(src)
	}
	return parseFresh(src)
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

// parseOnly parses and walks src without copying nodes out; for
// benchmarks that separate parsing from flattening.
func parseOnly(src []byte) int {
	var out *C.sg_node
	var hasErr C.int
	n := int(C.sg_parse((*C.char)(unsafe.Pointer(&src[0])), C.uint32_t(len(src)), C.uint64_t(ParseTimeout/time.Microsecond), &out, &hasErr))
	C.sg_free(out)
	return n
}
