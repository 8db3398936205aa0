package syntax

import "bytes"

// A campaign's small files — a 2 KB setup.py uploaded under hundreds of
// names — differ only in their strings, and are too small for the
// families of reparse.go, which need 16 KiB. A Parser's skeletons keep
// recent trees by a hash of their source with the contents of quoted
// strings left out: a file whose skeleton was seen gets its tree from the
// earlier file by retext, which checks that the two really differ only
// inside string contents. The hash only finds a candidate; a collision
// costs one failed retext.

// skeletonMin is the smallest source looked up: smaller ones parse in a
// few microseconds.
const skeletonMin = 512

// skeletonEntry is a source, escapes masked, and its tree.
type skeletonEntry struct {
	src  []byte
	tree *Tree
}

// skeletonKey hashes src without the bytes between a quote and the next
// same quote or line break (FNV-1a).
func skeletonKey(src []byte) uint64 {
	h := uint64(14695981039346656037)
	var q byte
	for _, c := range src {
		if q != 0 {
			if c != q && c != '\n' {
				continue
			}
			q = 0
		} else if c == '\'' || c == '"' {
			q = c
		}
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// reuseSkeleton returns the tree of src derived from a source with the
// same skeleton, or nil.
func (p *Parser) reuseSkeleton(key uint64, src []byte) *Tree {
	ent, ok := p.skeletons.get(key)
	if !ok {
		return nil
	}
	if bytes.Equal(ent.src, src) {
		// Nodes are never modified once built, so they are shared.
		return &Tree{Src: src, Nodes: ent.tree.Nodes, HasError: ent.tree.HasError}
	}
	pre, suf := commonEnds(ent.src, src)
	return p.derive(ent.tree, ent.src, src, pre, suf)
}

// putSkeleton keeps t, the tree of src, unless its skeleton has a tree
// already.
func (p *Parser) putSkeleton(key uint64, src []byte, t *Tree) {
	if _, ok := p.skeletons.get(key); ok {
		return
	}
	p.skeletons.put(key, skeletonEntry{src: bytes.Clone(src), tree: t}, treeWeight(src, t))
}
