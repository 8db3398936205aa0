package python

import "strings"

// Ciphers folded on constants: XOR with a constant or repeating key,
// Caesar and atbash shifts, character maps and translation tables, as
// obfuscators write them in comprehensions and loops. A sequence they turn
// into a string or bytes is tagged with the cipher as a decoder, so the
// plaintext is seen as a payload.

// Cipher names, as they appear among a value's decoders.
const (
	cipherXOR = "xor"
	cipherMap = "character map"
)

// maxLoopWork bounds the nodes one module's folded comprehensions and
// loops may visit in all, and maxLoopElems the elements one may produce.
const (
	maxLoopWork  = 4 << 20
	maxLoopElems = 1 << 16
)

// cipherOf names the cipher a comprehension or loop body applies to the
// elements it visits: XOR, arithmetic on character codes, or a lookup in
// a table; "" for a body that only copies or converts them.
func (m *Module) cipherOf(body int32) string {
	t := m.Tree
	found := ""
	end := t.Nodes[body].End
	for i := body; i < int32(len(t.Nodes)) && t.Nodes[i].Start < end; i++ {
		switch t.Nodes[i].Kind {
		case KBinaryOperator:
			l, r := t.ChildByField(i, FLeft), t.ChildByField(i, FRight)
			if l < 0 || r < 0 {
				continue
			}
			switch strings.TrimSpace(string(t.Src[t.Nodes[l].End:t.Nodes[r].Start])) {
			case "^":
				return cipherXOR
			case "+", "-", "%":
				found = cipherMap
			}
		case KSubscript:
			found = cipherMap
		case KCall:
			if fn := t.ChildByField(i, FFunction); fn >= 0 && t.Nodes[fn].Kind == KAttribute {
				if a := fieldText(t, fn, FAttribute); a == "get" || a == "translate" || a == "index" || a == "find" {
					found = cipherMap
				}
			}
		}
	}
	return found
}

// changed reports whether a cipher's output differs from its input: a
// body that maps every element to itself deciphers nothing.
func changed(in, out []Value) bool {
	for i := range min(len(in), len(out)) {
		a, b := in[i], out[i]
		switch {
		case a.IsInt && b.IsInt:
			if a.Int != b.Int {
				return true
			}
		case a.Known && b.Known:
			if a.S != b.S {
				return true
			}
		case a.Known && b.IsInt:
			if r := []rune(a.S); len(r) != 1 || int64(r[0]) != b.Int {
				return true
			}
		case a.IsInt && b.Known:
			if r := []rune(b.S); len(r) != 1 || int64(r[0]) != a.Int {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// withDecoder tags a value with a cipher once.
func withDecoder(ds []string, name string) []string {
	if name == "" || len(ds) > 0 && ds[len(ds)-1] == name {
		return ds
	}
	return append(append([]string{}, ds...), name)
}

// mayDecipher reports a call that may turn a cipher's output into a
// string: bytes(...), "".join(...) of a comprehension, .translate(...).
// Such calls are evaluated when the module is loaded, so their plaintext
// is among its payloads.
func (m *Module) mayDecipher(call int32) bool {
	t := m.Tree
	fn := t.ChildByField(call, FFunction)
	if fn < 0 {
		return false
	}
	if t.Nodes[fn].Kind == KAttribute && fieldText(t, fn, FAttribute) == "translate" {
		return true
	}
	args := m.callArgs(call)
	if len(args) == 0 {
		return false
	}
	if k := t.Nodes[args[0]].Kind; k != KGeneratorExpr && k != KListComprehension {
		return false
	}
	if t.Nodes[fn].Kind == KAttribute {
		return fieldText(t, fn, FAttribute) == "join"
	}
	switch m.resolve(fn, 0) {
	case "builtins.bytes", "builtins.bytearray":
		return true
	}
	return false
}

// deciphered finishes a string built from a sequence: the sequence's
// cipher tags it, and the plaintext is a payload of the call.
func (m *Module) deciphered(call int32, seq, out Value) Value {
	if len(seq.Decoders) == 0 {
		return out
	}
	out.Decoders = withDecoder(seq.Decoders, "")
	if call >= 0 {
		m.addPayload(call, out)
	}
	return out
}
