package syntax

import "testing"

func TestLRU(t *testing.T) {
	c := newLRU[string, int](40)
	c.put("a", 1, 10)
	c.put("b", 2, 10)
	c.put("a", 9, 10) // a key keeps its first value
	if v, ok := c.get("a"); !ok || v != 1 {
		t.Fatalf("get(a) = %d, %v; want 1, true", v, ok)
	}
	c.put("huge", 3, 11) // over a quarter of the limit: not kept
	if _, ok := c.get("huge"); ok {
		t.Error("a value heavier than a quarter of the limit was kept")
	}
	c.put("c", 3, 10)
	c.put("d", 4, 10)
	c.put("e", 5, 10) // over the limit: b, the least recently used, goes
	if _, ok := c.get("b"); ok {
		t.Error("the least recently used value was kept")
	}
	for _, k := range []string{"a", "c", "d", "e"} {
		if _, ok := c.get(k); !ok {
			t.Errorf("%s was dropped", k)
		}
	}
}
