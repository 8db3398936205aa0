// Package python is Safeguard's Python front end: it parses Python source
// (3.x and the Python 2 still found in old setup.py files) with
// tree-sitter, never executing it, and turns it into facts the analysis
// engine reasons about — imports and aliases, calls by canonical name
// ("os.system", "subprocess.Popen", "builtins.exec"), constant strings
// after evaluation and decoding, function and class structure.
//
// Parsing happens in C in one call per file: the tree is flattened into a
// Go slice (see flatten.c), so that walking it costs no cgo calls.
//
// It does not decide what is malicious; package analyze does.
package python
