// Package python is Safeguard's Python front end: it parses Python source
// (3.x and the Python 2 still found in old setup.py files) with
// tree-sitter, never executing it, and turns it into facts the analysis
// engine reasons about — imports and aliases, calls by canonical name
// ("os.system", "subprocess.Popen", "builtins.exec"), constant strings
// after evaluation and decoding, function and class structure.
//
// Parsing happens in C in one call per file: the tree is flattened into a
// Go slice (see flatten.c and walk.c), so that walking it costs no cgo
// calls. Trees are reused where sources repeat: identical ones (cache.go),
// ones that differ only inside strings (retext.go, skeleton.go), and
// campaign families parsed incrementally (reparse.go).
//
// It does not decide what is malicious; package analyze does.
package python
