package python

import (
	"strconv"
	"strings"
)

// Tables ciphers look characters up in: small dictionaries of constants,
// str.maketrans and str.translate, indexing of constant strings.

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
