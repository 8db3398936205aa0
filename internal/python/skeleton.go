package python

import "bytes"

// A campaign's small files — a 2 KB setup.py uploaded under hundreds of
// names — differ only in their strings, and are too small for the
// families of reparse.go, which need 16 KiB. skeletons keeps recent trees
// by a hash of their source with the contents of quoted strings left out:
// a file whose skeleton was seen gets its tree from the earlier file by
// retext, which checks that the two really differ only inside string
// contents. The hash only finds a candidate; a collision costs one failed
// retext.

const (
	// skeletonMin is the smallest source looked up: smaller ones parse
	// in a few microseconds.
	skeletonMin = 512
	// skeletonWeight bounds the memory kept: source bytes plus 32 bytes a
	// node.
	skeletonWeight = 32 << 20
)

// skeletonEntry is a source, escapes masked, and its tree.
type skeletonEntry struct {
	src  []byte
	tree *Tree
}

var skeletons = newLRU[uint64, skeletonEntry](skeletonWeight)

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
func reuseSkeleton(key uint64, src []byte) *Tree {
	ent, ok := skeletons.get(key)
	if !ok {
		return nil
	}
	if bytes.Equal(ent.src, src) {
		// Nodes are never modified once built, so they are shared.
		return &Tree{Src: src, Nodes: ent.tree.Nodes, HasError: ent.tree.HasError}
	}
	p, s := commonEnds(ent.src, src)
	return retext(ent.tree, ent.src, src, p, s)
}

// putSkeleton keeps t, the tree of src, unless its skeleton has a tree
// already.
func putSkeleton(key uint64, src []byte, t *Tree) {
	if _, ok := skeletons.get(key); ok {
		return
	}
	skeletons.put(key, skeletonEntry{src: bytes.Clone(src), tree: t}, treeWeight(src, t))
}
