package syntax

/*
#include "flatten.h"
*/
import "C"

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"runtime"
	"sync"
	"time"
	"unsafe"
)

// Campaigns upload the same file again and again with a few bytes
// changed: a setup.py that differs only in the package name, in hundreds
// of typosquats. Such a file is parsed incrementally from the tree of an
// earlier one: tree-sitter reuses every subtree outside the changed span,
// so a 67 KB obfuscated setup.py that takes 50 ms to parse takes well
// under one when only its last line differs.
//
// A file becomes a base the second time its opening (or closing) bytes are
// seen; the third and later files with the same opening or closing are
// edits of it. Each Parser with reuse keeps its bases in a small LRU of C
// trees.

const (
	// reparseMin is the smallest file worth a base: small files parse in
	// microseconds anyway.
	reparseMin = 16 << 10
	// reparseMax bounds a base's source; its tree is some tens of bytes a
	// node.
	reparseMax = 4 << 20
	// reparseKey is how many opening, or closing, bytes identify a family.
	reparseKey = 4 << 10
	// maxBases and maxBaseBytes bound the bases kept, in number and in
	// source bytes (their trees take some ten times that).
	maxBases     = 16
	maxBaseBytes = 8 << 20
	// maxSeen bounds the opening hashes remembered.
	maxSeen = 1 << 16
)

type base struct {
	keys [2][32]byte
	src  []byte
	tree *C.TSTree
	// pins counts parses using the tree; an evicted base is freed when
	// the last one ends.
	pins    int
	evicted bool
	elem    *list.Element
	// nodes is the base's flattened tree, for trees derived by retext.
	nodes *Tree
}

// families are the bases of a Parser and the family keys it has seen.
type families struct {
	mu    sync.Mutex
	seen  map[[32]byte]bool
	byKey map[[32]byte]*base
	order *list.List // front: most recently used
	bytes int        // source bytes of the bases kept
}

func newFamilies() *families {
	return &families{seen: map[[32]byte]bool{}, byKey: map[[32]byte]*base{}, order: list.New()}
}

// parseReusing parses src, reusing the tree of an earlier source where it
// can: one that differs only inside strings (skeleton.go), or a base of
// the same family. Skeletons are looked up before tables are spliced, so
// a source seen with other strings costs no search for tables.
func (p *Parser) parseReusing(src []byte) (*Tree, error) {
	if len(src) < skeletonMin {
		return parseFresh(src)
	}
	key := skeletonKey(src)
	if t := p.reuseSkeleton(key, src); t != nil {
		return t, nil
	}
	t, err := p.parseTables(src)
	if err == nil {
		p.putSkeleton(key, src, t)
	}
	return t, err
}

// parseFamily parses src, incrementally from a base of the same family
// when there is one. A family is known by its opening bytes or by its
// closing bytes: campaigns change a name at the end of a file, or a version
// near its start.
func (p *Parser) parseFamily(src []byte) (*Tree, error) {
	if len(src) < reparseMin || len(src) > reparseMax {
		return parseFresh(src)
	}
	keys := [2][32]byte{sha256.Sum256(src[:reparseKey]), sha256.Sum256(src[len(src)-reparseKey:])}
	keys[1][0] ^= 1 // opening and closing keys never collide
	f := p.families
	f.mu.Lock()
	var b *base
	second := -1
	for _, k := range keys {
		if b = f.byKey[k]; b != nil {
			b.pins++
			f.order.MoveToFront(b.elem)
			break
		}
	}
	if b == nil {
		if len(f.seen) >= maxSeen {
			clear(f.seen)
		}
		for i, k := range keys {
			if second < 0 && f.seen[k] {
				second = i
			}
			f.seen[k] = true
		}
	}
	f.mu.Unlock()
	switch {
	case b != nil:
		defer f.unpin(b)
		pre, suf := commonEnds(b.src, src)
		if t := p.derive(b.nodes, b.src, src, pre, suf); t != nil {
			return t, nil
		}
		if edit, ok := editOf(b.src, src, pre, suf); ok {
			return p.parseEdit(b, &edit, src)
		}
		return parseFresh(src)
	case second >= 0:
		return f.parseBase(keys, src)
	}
	return parseFresh(src)
}

func (f *families) unpin(b *base) {
	f.mu.Lock()
	b.pins--
	free := b.evicted && b.pins == 0
	f.mu.Unlock()
	if free {
		C.sg_tree_delete(b.tree)
	}
}

// commonEnds returns the lengths of the common prefix and, after it, the
// common suffix of old and src.
func commonEnds(old, src []byte) (p, s int) {
	// Blocks first, compared with the vectorised bytes.Equal, then bytes.
	const block = 64
	for p+block <= min(len(old), len(src)) && bytes.Equal(old[p:p+block], src[p:p+block]) {
		p += block
	}
	for p < len(old) && p < len(src) && old[p] == src[p] {
		p++
	}
	for s+block <= min(len(old), len(src))-p && bytes.Equal(old[len(old)-s-block:len(old)-s], src[len(src)-s-block:len(src)-s]) {
		s += block
	}
	for s < len(old)-p && s < len(src)-p && old[len(old)-1-s] == src[len(src)-1-s] {
		s++
	}
	return p, s
}

// editOf describes src as an edit of old: the span between their common
// prefix p and common suffix s. It declines when the span is most of the
// file.
func editOf(old, src []byte, p, s int) (C.TSInputEdit, bool) {
	if changed := len(src) - p - s; changed > len(src)/2 {
		return C.TSInputEdit{}, false
	}
	var e C.TSInputEdit
	e.start_byte = C.uint32_t(p)
	e.old_end_byte = C.uint32_t(len(old) - s)
	e.new_end_byte = C.uint32_t(len(src) - s)
	e.start_point = point(src, p)
	e.old_end_point = point(old, len(old)-s)
	e.new_end_point = point(src, len(src)-s)
	return e, true
}

// point is the row and byte column of offset off in src.
func point(src []byte, off int) C.TSPoint {
	row := bytes.Count(src[:off], []byte{'\n'})
	col := off - (bytes.LastIndexByte(src[:off], '\n') + 1)
	return C.TSPoint{row: C.uint32_t(row), column: C.uint32_t(col)}
}

func (p *Parser) parseEdit(b *base, edit *C.TSInputEdit, src []byte) (*Tree, error) {
	p.reparsed.Add(1)
	var out *C.sg_node
	var hasErr C.int
	n := int64(C.sg_parse_edit(b.tree, edit, (*C.char)(unsafe.Pointer(&src[0])), C.uint32_t(len(src)),
		C.uint64_t(ParseTimeout/time.Microsecond), &out, &hasErr))
	runtime.KeepAlive(src)
	defer C.sg_free(out)
	return treeOf(src, out, n, hasErr)
}

// parseBase parses src into a tree kept as the base of its family.
func (f *families) parseBase(keys [2][32]byte, src []byte) (*Tree, error) {
	var out *C.sg_node
	var hasErr C.int
	var n C.int64_t
	tree := C.sg_parse_keep((*C.char)(unsafe.Pointer(&src[0])), C.uint32_t(len(src)),
		C.uint64_t(ParseTimeout/time.Microsecond), &out, &hasErr, &n)
	runtime.KeepAlive(src)
	defer C.sg_free(out)
	t, err := treeOf(src, out, int64(n), hasErr)
	if tree == nil || err != nil {
		return t, err
	}
	b := &base{keys: keys, src: bytes.Clone(src), tree: tree, nodes: t}
	var drop []*C.TSTree
	f.mu.Lock()
	if f.byKey[keys[0]] != nil || f.byKey[keys[1]] != nil {
		drop = append(drop, tree) // another parse made the base first
	} else {
		b.elem = f.order.PushFront(b)
		f.byKey[keys[0]], f.byKey[keys[1]] = b, b
		f.bytes += len(b.src)
		for f.order.Len() > maxBases || f.bytes > maxBaseBytes && f.order.Len() > 1 {
			drop = f.evict(f.order.Back(), drop)
		}
	}
	f.mu.Unlock()
	for _, d := range drop {
		C.sg_tree_delete(d)
	}
	return t, nil
}

// evict forgets the base at e, with f.mu held, and appends its tree to
// drop unless a parse still uses it (unpin frees it then).
func (f *families) evict(e *list.Element, drop []*C.TSTree) []*C.TSTree {
	b := e.Value.(*base)
	f.order.Remove(e)
	delete(f.byKey, b.keys[0])
	delete(f.byKey, b.keys[1])
	f.bytes -= len(b.src)
	b.evicted = true
	if b.pins == 0 {
		drop = append(drop, b.tree)
	}
	return drop
}

// release forgets every base and frees its tree, now or when the last
// parse using it ends.
func (f *families) release() {
	var drop []*C.TSTree
	f.mu.Lock()
	for f.order.Len() > 0 {
		drop = f.evict(f.order.Back(), drop)
	}
	clear(f.seen)
	f.mu.Unlock()
	for _, d := range drop {
		C.sg_tree_delete(d)
	}
}
