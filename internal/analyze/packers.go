package analyze

import (
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// Packers: tools that turn a module into code no one can review, and run
// it when the module runs. PyArmor's packed modules call the runtime on
// an encrypted blob; pyobfuscate-style output renames every identifier to
// look-alike letters; Hyperion-style output first renames the builtins.
// Their runtime libraries, imported by a library, run nothing packed.

// packed describes how a module's own code is packed: the packer and the
// node where packed code starts running, or node -1.
type packed struct {
	packer string
	node   int32
}

// packerOf finds code packed by a known packer that runs when the module
// runs (not inside a function).
func packerOf(f *file) packed {
	if p := pyarmorCall(f); p.node >= 0 {
		return p
	}
	if p := renamedBuiltins(f); p.node >= 0 {
		return p
	}
	return lookAlikeNames(f)
}

// pyarmorCall finds __pyarmor__(__name__, __file__, b'...') at the top
// level: a module PyArmor packed, running its blob.
func pyarmorCall(f *file) packed {
	t := f.mod.Tree
	for _, c := range f.mod.Calls {
		if c.Func >= 0 || !strings.Contains(strings.ToLower(c.Name), "pyarmor") || len(c.Args) < 3 {
			continue
		}
		for _, a := range c.Args {
			if t.Nodes[a].Kind == python.KString && len(t.Text(a)) > 64 {
				return packed{"PyArmor", c.Node}
			}
		}
	}
	return packed{node: -1}
}

// renamedBuiltins finds the Hyperion-style start of a module: many
// builtins, exec or eval among them, bound to new names in one
// assignment (a, b, c, d = exec, str, map, ord).
func renamedBuiltins(f *file) packed {
	t := f.mod.Tree
	for i := range t.Nodes {
		n := int32(i)
		if t.Nodes[i].Kind != python.KAssignment || f.mod.Enclosing(n) >= 0 {
			continue
		}
		// Names bound at once (a, b, c = ...): a table of builtins kept
		// under one name (SAFE_FUNCTIONS = {abs, eval, ...}) renames none.
		l, r := t.ChildByField(n, python.FLeft), t.ChildByField(n, python.FRight)
		if r < 0 || l < 0 || t.Nodes[r].Kind == python.KIdentifier || t.Nodes[r].Kind == python.KCall {
			continue
		}
		if k := t.Nodes[l].Kind; k == python.KIdentifier || k == python.KAttribute || k == python.KSubscript {
			continue
		}
		builtins, runs := 0, false
		for c := t.FirstChild(r); c >= 0; c = t.NextSibling(c) {
			if t.Nodes[c].Kind != python.KIdentifier {
				continue
			}
			switch name := t.Text(c); {
			case name == "exec" || name == "eval" || name == "compile" || name == "__import__":
				runs = true
				builtins++
			case renamableBuiltins[name]:
				builtins++
			}
		}
		if runs && builtins >= 4 {
			return packed{"renamed builtins (Hyperion-style)", n}
		}
	}
	return packed{node: -1}
}

// renamableBuiltins are builtins obfuscators rebind before using.
var renamableBuiltins = map[string]bool{
	"str": true, "tuple": true, "map": true, "ord": true, "chr": true, "globals": true, "type": true, "bytes": true,
	"getattr": true, "setattr": true, "vars": true, "print": true, "len": true, "range": true, "list": true, "dict": true,
	"int": true, "bool": true, "open": true, "zip": true, "sum": true, "min": true, "max": true, "hasattr": true,
}

// lookAlikeNames finds pyobfuscate-style output: many identifiers made
// only of letters that look alike (IlIlI, O0O0O), and code run from
// computed values at the top level.
func lookAlikeNames(f *file) packed {
	t := f.mod.Tree
	seen := map[string]bool{}
	for i := range t.Nodes {
		if t.Nodes[i].Kind != python.KIdentifier {
			continue
		}
		if name := t.Text(int32(i)); !seen[name] && isLookAlikeName(name) {
			seen[name] = true
		}
	}
	if len(seen) < 8 {
		return packed{node: -1}
	}
	for _, c := range f.mod.Calls {
		if (c.Name == "builtins.exec" || c.Name == "builtins.eval" || c.Name == "builtins.setattr") && c.Func < 0 {
			return packed{"identifiers renamed to look-alike letters (pyobfuscate-style)", c.Node}
		}
	}
	return packed{node: -1}
}

// isLookAlikeName reports an identifier of at least five characters, all
// from one family of look-alikes, using both: I and l, or O and 0.
func isLookAlikeName(s string) bool {
	if len(s) < 5 {
		return false
	}
	il := strings.Trim(s, "_Il") == "" && strings.Contains(s, "I") && strings.Contains(s, "l")
	o0 := strings.Trim(s, "_O0") == "" && strings.Contains(s, "O") && strings.Contains(s, "0")
	return il || o0
}
