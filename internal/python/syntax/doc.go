// Package syntax parses Python source into flat syntax trees with
// tree-sitter, never executing it. It is the cgo layer of Safeguard's
// Python front end: the grammar binding, an arena allocator for
// tree-sitter, a walk over tree-sitter's private subtree layout, and the
// paths that build a tree from an earlier one instead of parsing.
//
// A Parser parses one source in one C call and copies the named nodes
// into a Go slice (Tree.Nodes), so that walking a tree costs no cgo calls.
// With Options.Reuse, a Parser keeps recent trees and reuses them where
// sources repeat: identical ones (cache.go), ones that differ only inside
// strings (retext.go, skeleton.go), and campaign families parsed
// incrementally (reparse.go). Every such path builds the tree a fresh
// parse would; turning Reuse off changes how fast trees are built, never
// what they are. Package python's shared parser has Reuse on unless the
// environment sets SAFEGUARD_PARSER_REUSE=off, which CI does to check
// exactly that on the evaluation corpus.
//
// Tree-sitter's allocator is process-wide: the first Parser made routes it
// through this package's arena (arena.c) for the rest of the process.
//
// It is not for evaluating or judging code: names, constants and calls
// are package python's, what is malicious is package analyze's.
package syntax
