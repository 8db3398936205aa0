package python

import (
	"strconv"
	"strings"
)

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

// seqElems returns the elements a for loop over v visits: a sequence's,
// the characters of a string, the integers of bytes.
func seqElems(v Value) ([]Value, bool) {
	switch {
	case v.IsSeq && !v.Cycle:
		return v.Elems, true
	case v.Known && v.Bytes:
		if len(v.S) > maxLoopElems {
			return nil, false
		}
		out := make([]Value, len(v.S))
		for i := 0; i < len(v.S); i++ {
			out[i] = Value{Int: int64(v.S[i]), IsInt: true}
		}
		return out, true
	case v.Known:
		if len(v.S) > maxLoopElems {
			return nil, false
		}
		out := make([]Value, 0, len(v.S))
		for _, r := range v.S {
			out = append(out, known(string(r), false))
		}
		return out, true
	case v.IsDict:
		out := make([]Value, 0, len(v.Dict))
		for k := range v.Dict {
			out = append(out, keyValue(k))
		}
		return out, true
	}
	return nil, false
}

// dictKey is the key a constant has in a Dict: strings and integers.
func dictKey(v Value) (string, bool) {
	switch {
	case v.Known:
		return "s" + v.S, true
	case v.IsInt:
		return "i" + strconv.FormatInt(v.Int, 10), true
	}
	return "", false
}

// keyValue inverts dictKey.
func keyValue(k string) Value {
	if strings.HasPrefix(k, "i") {
		n, _ := strconv.ParseInt(k[1:], 10, 64)
		return Value{Int: n, IsInt: true}
	}
	return known(strings.TrimPrefix(k, "s"), false)
}

// maxDictEntries bounds the dictionaries kept as tables, and maxTableKey
// the source of their keys ('\x41', 0x41).
const (
	maxDictEntries = 512
	maxTableKey    = 8
)

// evalDict evaluates a small dictionary of constants as a table; any
// other dictionary is only what its entries are computed from.
func (m *Module) evalDict(n int32, depth int) Value {
	t := m.Tree
	pairs, literal := 0, true
	for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
		if t.Nodes[c].Kind != KPair {
			continue
		}
		pairs++
		k, v := t.ChildByField(c, FKey), t.ChildByField(c, FValue)
		if k < 0 || v < 0 || !isLiteral(t.Nodes[k].Kind) || !isLiteral(t.Nodes[v].Kind) ||
			t.Nodes[k].End-t.Nodes[k].Start > maxTableKey {
			literal = false // a character table maps characters or codes
		}
	}
	if literal && pairs > 0 && pairs <= maxDictEntries {
		d := make(map[string]Value, pairs)
		for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
			if t.Nodes[c].Kind != KPair {
				continue
			}
			if k, ok := dictKey(m.eval(t.ChildByField(c, FKey), depth+1)); ok {
				d[k] = m.eval(t.ChildByField(c, FValue), depth+1)
			}
		}
		return Value{Dict: d, IsDict: true}
	}
	// Only where the entries come from matters; literals come from
	// nowhere, and a table of them is skipped without decoding it.
	var vs []Value
	for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
		if t.Nodes[c].Kind != KPair {
			continue
		}
		for _, e := range [2]int32{t.ChildByField(c, FKey), t.ChildByField(c, FValue)} {
			if e >= 0 && !isLiteral(t.Nodes[e].Kind) {
				vs = append(vs, m.eval(e, depth+1))
			}
		}
	}
	return Value{From: merge(vs...)}
}

// cipherBuiltin folds the builtins ciphers are written with.
func (m *Module) cipherBuiltin(name string, args []Value) (Value, bool) {
	arg := func(i int) Value {
		if i < len(args) {
			return args[i]
		}
		return Value{}
	}
	switch name {
	case "builtins.ord":
		if a := arg(0); a.Known {
			if a.Bytes && len(a.S) == 1 {
				return Value{Int: int64(a.S[0]), IsInt: true}, true
			}
			if r := []rune(a.S); len(r) == 1 {
				return Value{Int: int64(r[0]), IsInt: true}, true
			}
		}
	case "builtins.len":
		a := arg(0)
		switch {
		case a.Known && a.Bytes:
			return Value{Int: int64(len(a.S)), IsInt: true}, true
		case a.Known:
			return Value{Int: int64(len([]rune(a.S))), IsInt: true}, true
		case a.IsSeq && !a.Cycle:
			return Value{Int: int64(len(a.Elems)), IsInt: true}, true
		case a.IsDict:
			return Value{Int: int64(len(a.Dict)), IsInt: true}, true
		}
	case "builtins.range", "builtins.enumerate", "builtins.zip":
		if v, ok := m.sequenceBuiltin(name, args); ok {
			return v, true
		}
	case "itertools.cycle":
		if es, ok := seqElems(arg(0)); ok && len(es) > 0 {
			return Value{Elems: es, IsSeq: true, Cycle: true}, true
		}
	case "builtins.list", "builtins.tuple":
		if len(args) == 0 {
			return Value{IsSeq: true}, true
		}
		if es, ok := seqElems(arg(0)); ok && (m.wantSeq || len(es) <= maxUnwantedSeq) {
			return Value{Elems: es, IsSeq: true, Decoders: arg(0).Decoders}, true
		}
	case "builtins.str.maketrans", "builtins.bytes.maketrans", "string.maketrans":
		return maketrans(args)
	}
	return Value{}, false
}

// maxUnwantedSeq bounds the sequences range, enumerate and zip build
// outside the loops that may decipher with them.
const maxUnwantedSeq = 256

// sequenceBuiltin folds range, enumerate and zip: long only when a loop
// that may decipher asked for its sequence (see wantSeq).
func (m *Module) sequenceBuiltin(name string, args []Value) (Value, bool) {
	arg := func(i int) Value {
		if i < len(args) {
			return args[i]
		}
		return Value{}
	}
	limit := maxLoopElems
	if !m.wantSeq {
		limit = maxUnwantedSeq
	}
	switch name {
	case "builtins.range":
		start, stop, step := int64(0), int64(0), int64(1)
		switch {
		case len(args) == 1 && arg(0).IsInt:
			stop = arg(0).Int
		case len(args) >= 2 && arg(0).IsInt && arg(1).IsInt:
			start, stop = arg(0).Int, arg(1).Int
			if len(args) == 3 {
				if !arg(2).IsInt || arg(2).Int == 0 {
					return Value{}, false
				}
				step = arg(2).Int
			}
		default:
			return Value{}, false
		}
		if n := (stop - start) / step; n > int64(limit) {
			return Value{}, false
		}
		var out []Value
		for i := start; step > 0 && i < stop || step < 0 && i > stop; i += step {
			out = append(out, Value{Int: i, IsInt: true})
		}
		return Value{Elems: out, IsSeq: true}, true
	case "builtins.enumerate":
		es, ok := seqElems(arg(0))
		if !ok || len(es) > limit {
			return Value{}, false
		}
		base := int64(0)
		if b := arg(1); b.IsInt {
			base = b.Int
		}
		out := make([]Value, len(es))
		for i, e := range es {
			out[i] = Value{Elems: []Value{{Int: base + int64(i), IsInt: true}, e}, IsSeq: true}
		}
		return Value{Elems: out, IsSeq: true}, true
	case "builtins.zip":
		return zipValues(args, limit)
	}
	return Value{}, false
}

// zipValues zips sequences; a cycled one repeats to the others' length.
func zipValues(args []Value, limit int) (Value, bool) {
	n := -1
	lists := make([][]Value, len(args))
	for i, a := range args {
		if a.Cycle {
			lists[i] = a.Elems
			continue
		}
		es, ok := seqElems(a)
		if !ok {
			return Value{}, false
		}
		lists[i] = es
		if n < 0 || len(es) < n {
			n = len(es)
		}
	}
	if n < 0 || n > limit {
		return Value{}, false
	}
	out := make([]Value, n)
	for j := range n {
		tuple := make([]Value, len(args))
		for i, a := range args {
			if a.Cycle {
				tuple[i] = lists[i][j%len(lists[i])]
			} else {
				tuple[i] = lists[i][j]
			}
		}
		out[j] = Value{Elems: tuple, IsSeq: true}
	}
	return Value{Elems: out, IsSeq: true}, true
}

// maketrans builds the table of str.maketrans: ordinals to ordinals.
func maketrans(args []Value) (Value, bool) {
	d := map[string]Value{}
	ordOf := func(v Value) (int64, bool) {
		if v.IsInt {
			return v.Int, true
		}
		if r := []rune(v.S); v.Known && len(r) == 1 {
			return int64(r[0]), true
		}
		return 0, false
	}
	switch {
	case len(args) == 1 && args[0].IsDict:
		for k, v := range args[0].Dict {
			o, ok := ordOf(keyValue(k))
			if !ok {
				return Value{}, false
			}
			d["i"+strconv.FormatInt(o, 10)] = v
		}
	case len(args) >= 2 && args[0].Known && args[1].Known:
		from, to := []rune(args[0].S), []rune(args[1].S)
		if args[0].Bytes {
			from, to = bytesRunes(args[0].S), bytesRunes(args[1].S)
		}
		if len(from) != len(to) {
			return Value{}, false
		}
		for i := range from {
			d["i"+strconv.Itoa(int(from[i]))] = Value{Int: int64(to[i]), IsInt: true}
		}
		if len(args) == 3 && args[2].Known {
			for _, r := range args[2].S {
				d["i"+strconv.Itoa(int(r))] = Value{}
			}
		}
	default:
		return Value{}, false
	}
	return Value{Dict: d, IsDict: true}, true
}

func bytesRunes(s string) []rune {
	out := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = rune(s[i])
	}
	return out
}

// translate applies a translation table to s, as str.translate does.
func translate(s Value, table Value) (Value, bool) {
	if !s.Known || !table.IsDict {
		return Value{}, false
	}
	var b strings.Builder
	put := func(r rune) bool {
		v, ok := table.Dict["i"+strconv.Itoa(int(r))]
		switch {
		case !ok:
			if s.Bytes {
				b.WriteByte(byte(r))
			} else {
				b.WriteRune(r)
			}
		case v.IsInt && s.Bytes:
			b.WriteByte(byte(v.Int))
		case v.IsInt:
			b.WriteRune(rune(v.Int))
		case v.Known:
			b.WriteString(v.S)
		case !v.IsSeq && len(v.From) == 0:
			// None: deleted.
		default:
			return false
		}
		return b.Len() <= maxValueLen
	}
	if s.Bytes {
		for i := 0; i < len(s.S); i++ {
			if !put(rune(s.S[i])) {
				return Value{}, false
			}
		}
	} else {
		for _, r := range s.S {
			if !put(r) {
				return Value{}, false
			}
		}
	}
	return Value{S: b.String(), Known: true, Bytes: s.Bytes, Decoders: append(append([]string{}, s.Decoders...), cipherMap)}, true
}

// intOp folds an arithmetic or bitwise operator on constant integers, as
// Python computes it (floor division and modulo).
func intOp(op string, a, b int64) (int64, bool) {
	switch op {
	case "+":
		return a + b, true
	case "-":
		return a - b, true
	case "*":
		return a * b, true
	case "^":
		return a ^ b, true
	case "&":
		return a & b, true
	case "|":
		return a | b, true
	case "<<":
		if b < 0 || b > 62 {
			return 0, false
		}
		return a << b, true
	case ">>":
		if b < 0 {
			return 0, false
		}
		return a >> min(b, 63), true
	case "%", "//":
		if b == 0 {
			return 0, false
		}
		q, r := a/b, a%b
		if r != 0 && (r < 0) != (b < 0) {
			q--
			r += b
		}
		if op == "%" {
			return r, true
		}
		return q, true
	}
	return 0, false
}

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

// tableMethod folds the methods of translation: a table's get, a
// string's translate.
func (m *Module) tableMethod(recv Value, method string, args []Value, call int32) (Value, bool) {
	switch {
	case recv.IsDict && method == "get" && len(args) >= 1:
		if k, ok := dictKey(args[0]); ok {
			if v, ok := recv.Dict[k]; ok {
				return v, true
			}
			if len(args) == 2 {
				return args[1], true
			}
		}
	case recv.Known && method == "translate" && len(args) == 1:
		if v, ok := translate(recv, args[0]); ok && v.S != recv.S {
			m.addPayload(call, v)
			return v, true
		}
	}
	return Value{}, false
}

// index folds s[i] on a constant string (a character; an integer for
// bytes) and t[k] on a table.
func index(obj, k Value) (Value, bool) {
	if obj.IsDict {
		if key, ok := dictKey(k); ok {
			v, ok := obj.Dict[key]
			return v, ok
		}
		return Value{}, false
	}
	if !k.IsInt {
		return Value{}, false
	}
	if obj.Bytes {
		i := k.Int
		if i < 0 {
			i += int64(len(obj.S))
		}
		if i < 0 || i >= int64(len(obj.S)) {
			return Value{}, false
		}
		return Value{Int: int64(obj.S[i]), IsInt: true}, true
	}
	i := k.Int
	if i < 0 {
		i += int64(len(obj.S)) // by bytes: the ASCII payloads this is for
	}
	if i < 0 || i >= int64(len(obj.S)) {
		return Value{}, false
	}
	if obj.S[i] < 0x80 {
		return known(obj.S[i:i+1], false), true
	}
	if len(obj.S) > 4096 {
		return Value{}, false // indexing runes is linear: not in a loop
	}
	r := []rune(obj.S)
	if k.Int < 0 || k.Int >= int64(len(r)) {
		return Value{}, false
	}
	return known(string(r[k.Int]), false), true
}

// splitValue folds str.split: obfuscators keep character codes in a
// string ("104,101,108").
func splitValue(recv, sep Value, hasSep bool, limit int) (Value, bool) {
	var parts []string
	switch {
	case hasSep && sep.Known && sep.S != "":
		parts = strings.Split(recv.S, sep.S)
	case !hasSep || !sep.Known && !sep.IsInt && len(sep.From) == 0:
		parts = strings.Fields(recv.S)
	default:
		return Value{}, false
	}
	if len(parts) > limit {
		return Value{}, false
	}
	out := make([]Value, len(parts))
	for i, p := range parts {
		out[i] = Value{S: p, Known: true, Bytes: recv.Bytes}
	}
	return Value{Elems: out, IsSeq: true, Decoders: recv.Decoders}, true
}
