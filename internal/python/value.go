package python

import "slices"

// Value is what static evaluation knows about an expression.
type Value struct {
	// S is the value of a constant string or bytes expression, when Known.
	S string
	// Partial is the string with "?" for the parts that are not constant,
	// for strings built from constants and run-time values.
	Partial string
	Known   bool
	Bytes   bool
	// Int is the value of a constant integer, when IsInt.
	Int   int64
	IsInt bool
	// Elems are the elements of a constant list or tuple.
	Elems []Value
	IsSeq bool
	// Cycle marks a sequence that repeats forever (itertools.cycle).
	Cycle bool
	// Dict maps the keys of a small constant dictionary (see dictKey) to
	// their values, when IsDict: character maps and translation tables.
	Dict   map[string]Value
	IsDict bool
	// From lists the canonical names of the calls and attributes the value
	// is computed from ("requests.get()", "os.environ", "socket.gethostname()").
	From []string
	// Decoders lists the decoders that turned constants into S, outermost
	// last ("base64.b64decode", "zlib.decompress").
	Decoders []string
	// PlainLead, when Decoders is set, is how many bytes of the text
	// (S or Partial) come before the first decoded byte: set where a
	// plain string is joined in front of a decoded one
	// ('https://api.example/?key=' + b64decode(k)), 0 elsewhere.
	PlainLead int
}

func known(s string, isBytes bool) Value { return Value{S: s, Known: true, Bytes: isBytes} }

// merge returns the union of the From sets of vs.
func merge(vs ...Value) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range vs {
		for _, f := range v.From {
			if !seen[f] && len(out) < 64 {
				seen[f] = true
				out = append(out, f)
			}
		}
		for _, e := range v.Elems {
			for _, f := range e.From {
				if !seen[f] && len(out) < 64 {
					seen[f] = true
					out = append(out, f)
				}
			}
		}
	}
	return out
}

func addFrom(v Value, names ...string) Value {
	for _, n := range names {
		if n == "" {
			continue
		}
		dup := false
		for _, f := range v.From {
			if f == n {
				dup = true
				break
			}
		}
		if !dup && len(v.From) < 64 {
			// Values are shared (constants, Eval's memo): never append
			// into another value's array.
			v.From = append(slices.Clip(v.From), n)
		}
	}
	return v
}

// DerivesFrom reports whether any name in v.From satisfies pred.
func (v Value) DerivesFrom(pred func(string) bool) bool {
	for _, f := range v.From {
		if pred(f) {
			return true
		}
	}
	return false
}
