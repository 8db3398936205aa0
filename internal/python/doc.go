// Package python is Safeguard's Python front end: it parses Python source
// (3.x and the Python 2 still found in old setup.py files) with
// tree-sitter, never executing it, and turns it into facts the analysis
// engine reasons about — imports and aliases, calls by canonical name
// ("os.system", "subprocess.Popen", "builtins.exec"), constant strings
// after evaluation and decoding, function and class structure.
//
// Parsing is package syntax's: tree-sitter in one C call per file, the
// tree flattened into a Go slice, trees reused where sources repeat. Load
// and Parse share one syntax.Parser for the process, made on first use
// with syntax.DefaultOptions. Setting the environment variable
// SAFEGUARD_PARSER_REUSE=off before that turns its reuse paths off (the
// identical-source cache, trees derived by retext, incremental reparse):
// every tree is then parsed afresh, which must change nothing but speed,
// and CI scans the evaluation corpus both ways to check that it does not.
//
// It does not decide what is malicious; package analyze does.
package python
