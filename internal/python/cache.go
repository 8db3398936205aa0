package python

import "crypto/sha256"

// trees keeps parsed trees by the SHA-256 of their source, so that a file
// seen again — the same setup.py in every version of a package, an
// archive appended to itself — is parsed once. Trees are immutable; each
// Load still extracts its own Module from the shared tree.
var trees = newLRU[[32]byte, *Tree](cacheWeight)

// cacheWeight bounds the memory the cache holds: source bytes plus 32
// bytes a node.
const cacheWeight = 64 << 20

// treeWeight is what a tree of src counts against a cache's limit.
func treeWeight(src []byte, t *Tree) int64 { return int64(len(src)) + 32*int64(len(t.Nodes)) }

// parseCached parses src, or returns the tree of identical source parsed
// before. Files under 4 KiB are parsed directly: hashing and bookkeeping
// would cost about as much.
func parseCached(src []byte) (*Tree, error) {
	if len(src) < 4096 {
		return Parse(src)
	}
	key := sha256.Sum256(src)
	if t, ok := trees.get(key); ok {
		return t, nil
	}
	t, err := Parse(src)
	if err != nil {
		return nil, err
	}
	trees.put(key, t, treeWeight(t.Src, t))
	return t, nil
}
