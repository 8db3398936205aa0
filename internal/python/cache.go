package python

import (
	"container/list"
	"crypto/sha256"
	"sync"
)

// treeCache keeps parsed trees by the SHA-256 of their source, so that a
// file seen again — the same setup.py in every version of a package, an
// archive appended to itself — is parsed once. Trees are immutable; each
// Load still extracts its own Module from the shared tree.
type treeCache struct {
	mu      sync.Mutex
	max     int64
	weight  int64
	order   *list.List // front: most recently used
	entries map[[32]byte]*list.Element
}

type cacheEntry struct {
	key    [32]byte
	tree   *Tree
	weight int64
}

// cacheWeight bounds the memory the cache holds: source bytes plus 32
// bytes a node.
const cacheWeight = 64 << 20

var trees = &treeCache{max: cacheWeight, order: list.New(), entries: map[[32]byte]*list.Element{}}

func (c *treeCache) get(key [32]byte) *Tree {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cacheEntry).tree
	}
	return nil
}

func (c *treeCache) put(key [32]byte, t *Tree) {
	w := int64(len(t.Src)) + 32*int64(len(t.Nodes))
	if w > c.max/4 {
		return // one huge file would evict everything else
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	c.entries[key] = c.order.PushFront(&cacheEntry{key: key, tree: t, weight: w})
	c.weight += w
	for c.weight > c.max {
		last := c.order.Back()
		ent := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.entries, ent.key)
		c.weight -= ent.weight
	}
}

// parseCached parses src, or returns the tree of identical source parsed
// before. Files under 4 KiB are parsed directly: hashing and bookkeeping
// would cost about as much.
func parseCached(src []byte) (*Tree, error) {
	if len(src) < 4096 {
		return Parse(src)
	}
	key := sha256.Sum256(src)
	if t := trees.get(key); t != nil {
		return t, nil
	}
	t, err := Parse(src)
	if err != nil {
		return nil, err
	}
	trees.put(key, t)
	return t, nil
}
