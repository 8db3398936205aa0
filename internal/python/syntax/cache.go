package syntax

import "crypto/sha256"

// A Parser with reuse keeps trees by the SHA-256 of their source, so that
// a file seen again — the same setup.py in every version of a package, an
// archive appended to itself — is parsed once. Trees are immutable; each
// caller still extracts its own facts from the shared tree.

// cacheMin is the smallest source looked up: under 4 KiB, hashing and
// bookkeeping would cost about as much as parsing.
const cacheMin = 4096

// treeWeight is what a tree of src counts against a cache's limit.
func treeWeight(src []byte, t *Tree) int64 { return int64(len(src)) + 32*int64(len(t.Nodes)) }

// parseCached parses src, or returns the tree of identical source parsed
// before.
func (p *Parser) parseCached(src []byte) (*Tree, error) {
	key := sha256.Sum256(src)
	if t, ok := p.trees.get(key); ok {
		return t, nil
	}
	t, err := p.parse(src)
	if err != nil {
		return nil, err
	}
	p.trees.put(key, t, treeWeight(t.Src, t))
	return t, nil
}
