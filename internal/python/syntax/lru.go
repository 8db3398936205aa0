package syntax

import (
	"container/list"
	"sync"
)

// lru keeps values by key up to a total weight, dropping the least
// recently used first. It is safe for concurrent use.
type lru[K comparable, V any] struct {
	mu      sync.Mutex
	max     int64
	weight  int64
	order   *list.List // front: most recently used
	entries map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key    K
	val    V
	weight int64
}

func newLRU[K comparable, V any](max int64) *lru[K, V] {
	return &lru[K, V]{max: max, order: list.New(), entries: map[K]*list.Element{}}
}

// get returns the value kept for key, marking it recently used.
func (c *lru[K, V]) get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry[K, V]).val, true
}

// put keeps val under key unless key has a value already. A value heavier
// than a quarter of the limit is not kept: it would evict everything else.
func (c *lru[K, V]) put(key K, val V, weight int64) {
	if weight > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	c.entries[key] = c.order.PushFront(&lruEntry[K, V]{key: key, val: val, weight: weight})
	c.weight += weight
	for c.weight > c.max {
		last := c.order.Back()
		ent := last.Value.(*lruEntry[K, V])
		c.order.Remove(last)
		delete(c.entries, ent.key)
		c.weight -= ent.weight
	}
}
