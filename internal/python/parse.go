package python

import (
	"os"
	"sync"

	"github.com/safeguard-dev/safeguard/internal/python/syntax"
)

// Tree is a parsed file: its source and its named nodes in preorder.
type Tree = syntax.Tree

// Node is one named syntax node.
type Node = syntax.Node

// Kind is a grammar symbol of a named node.
type Kind = syntax.Kind

// Field is a grammar field name id.
type Field = syntax.Field

// ParseTimeout bounds the time spent parsing one file.
const ParseTimeout = syntax.ParseTimeout

// ErrTimeout is returned when a file takes longer than ParseTimeout.
var ErrTimeout = syntax.ErrTimeout

// reuseEnv names the environment variable that, set to "off", turns the
// shared parser's reuse paths off for the whole process.
const reuseEnv = "SAFEGUARD_PARSER_REUSE"

// sharedParser is the parser Parse and Load use, made on first use; its
// caches serve the whole process.
var sharedParser = sync.OnceValue(func() *syntax.Parser {
	o := syntax.DefaultOptions()
	if os.Getenv(reuseEnv) == "off" {
		o.Reuse = false
	}
	return syntax.NewParser(o)
})

// Parse parses src with the shared parser; see syntax.Parser.Parse.
func Parse(src []byte) (*Tree, error) { return sharedParser().Parse(src) }
