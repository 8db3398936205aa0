package python

import "strings"

// The builtins loops and ciphers iterate with, folded on constants: ord,
// len, range, enumerate, zip, itertools.cycle, list, str.split, integer
// arithmetic.

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
	}
	return nil, false
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
