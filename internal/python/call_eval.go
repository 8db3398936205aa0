package python

import (
	"strconv"
	"strings"
)

// evalCall folds calls on constants: string methods, chr/bytes, and the
// standard decoders. A call it cannot fold yields a value computed from
// the callee and the arguments.
func (m *Module) evalCall(n int32, depth int) Value {
	t := m.Tree
	fn := t.ChildByField(n, FFunction)
	name := m.resolve(fn, 0)
	args := m.callArgs(n)
	argv := make([]Value, len(args))
	for i, a := range args {
		argv[i] = m.eval(a, depth+1)
	}
	if name == "os.path.join" || name == "posixpath.join" || name == "ntpath.join" {
		return joinPath(name, argv)
	}
	if name == "os.path.expanduser" && len(argv) == 1 && argv[0].Known && strings.HasPrefix(argv[0].S, "~") {
		// ~/.ssh/authorized_keys: the home directory is known only at
		// run time, the rest of the path is the program's own.
		return addFrom(Value{From: merge(argv...), Partial: "?" + argv[0].S[1:]}, name+"()")
	}
	// A method bound to a constant earlier: j = "".join; j([...]).
	if fn >= 0 && t.Nodes[fn].Kind == KIdentifier {
		if attr, ok := m.bound[t.Text(fn)]; ok {
			fn = attr
		}
	}
	// Methods called on a constant receiver: "sep".join(...), b"..".decode().
	if fn >= 0 && t.Nodes[fn].Kind == KAttribute {
		recv := m.eval(t.ChildByField(fn, FObject), depth+1)
		if v, ok := m.tableMethod(recv, fieldText(t, fn, FAttribute), argv, n); ok {
			return v
		}
		if v, ok := m.method(recv, fieldText(t, fn, FAttribute), argv, n); ok {
			return v
		}
		if len(recv.From) > 0 {
			argv = append(argv, recv)
		}
	}
	if v, ok := m.builtinCall(name, argv, n); ok {
		return v
	}
	if v, ok := m.inlineCall(name, argv, depth); ok {
		return v
	}
	v := Value{From: merge(argv...)}
	for _, a := range argv {
		for _, d := range a.Decoders {
			v = addFrom(v, d+"()") // decoded data flows on through the call
		}
	}
	if name != "" {
		v = addFrom(v, name+"()")
	}
	return v
}

func (m *Module) method(recv Value, method string, args []Value, call int32) (Value, bool) {
	arg := func(i int) Value {
		if i < len(args) {
			return args[i]
		}
		return Value{}
	}
	if !recv.Known {
		return Value{}, false
	}
	switch method {
	case "join":
		a := arg(0)
		if !a.IsSeq && a.Known {
			// "".join("abc") joins the characters.
			return Value{S: strings.Join(strings.Split(a.S, ""), recv.S), Known: true}, true
		}
		if !a.IsSeq {
			return Value{}, false
		}
		parts := make([]string, 0, len(a.Elems))
		size := 0
		for _, e := range a.Elems {
			if e.IsInt && recv.Bytes && e.Int >= 0 && e.Int < 256 {
				e = known(string([]byte{byte(e.Int)}), true)
			}
			if !e.Known {
				return Value{From: merge(a)}, true
			}
			size += len(e.S) + len(recv.S)
			if size > maxValueLen {
				return Value{}, false
			}
			parts = append(parts, e.S)
		}
		return m.deciphered(call, a, Value{S: strings.Join(parts, recv.S), Known: true, Bytes: recv.Bytes}), true
	case "decode":
		enc := "utf-8"
		if a := arg(0); a.Known {
			enc = strings.ToLower(a.S)
		}
		return m.codec(recv, enc, call, true)
	case "encode":
		enc := "utf-8"
		if a := arg(0); a.Known {
			enc = strings.ToLower(a.S)
		}
		return m.codec(recv, enc, call, false)
	case "replace":
		if a, b := arg(0), arg(1); a.Known && b.Known && a.S != "" {
			if out := strings.ReplaceAll(recv.S, a.S, b.S); len(out) <= maxValueLen {
				return Value{S: out, Known: true, Bytes: recv.Bytes, Decoders: recv.Decoders}, true
			}
		}
	case "strip", "lstrip", "rstrip":
		cut := " \t\r\n\v\f"
		if a := arg(0); a.Known {
			cut = a.S
		}
		s := recv.S
		switch method {
		case "strip":
			s = strings.Trim(s, cut)
		case "lstrip":
			s = strings.TrimLeft(s, cut)
		default:
			s = strings.TrimRight(s, cut)
		}
		return Value{S: s, Known: true, Bytes: recv.Bytes, Decoders: recv.Decoders}, true
	case "split":
		limit := maxBoundElems // what a name keeps
		if m.wantSeq {
			limit = maxLoopElems
		}
		return splitValue(recv, arg(0), len(args) > 0, limit)
	case "lower":
		return Value{S: strings.ToLower(recv.S), Known: true, Bytes: recv.Bytes}, true
	case "upper":
		return Value{S: strings.ToUpper(recv.S), Known: true, Bytes: recv.Bytes}, true
	case "format":
		return pyFormat(recv.S, args)
	case "fromhex":
		// bytes.fromhex(...) is resolved by name; "".fromhex does not exist.
	}
	return Value{}, false
}

// pyFormat applies str.format with positional constant arguments.
func pyFormat(format string, args []Value) (Value, bool) {
	var b strings.Builder
	next := 0
	partial := false
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '{' && i+1 < len(format) && format[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		if c == '}' && i+1 < len(format) && format[i+1] == '}' {
			b.WriteByte('}')
			i++
			continue
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(format[i:], '}')
		if end < 0 {
			return Value{}, false
		}
		field, _, _ := strings.Cut(format[i+1:i+end], ":")
		idx := next
		if field != "" {
			v, err := strconv.Atoi(field)
			if err != nil {
				return Value{From: merge(args...)}, true
			}
			idx = v
		} else {
			next++
		}
		if idx >= len(args) {
			return Value{}, false
		}
		b.WriteString(partialText(args[idx]))
		if a := args[idx]; !a.Known && !a.IsInt {
			partial = true
		}
		i += end
	}
	if partial {
		return Value{From: merge(args...), Partial: b.String()}, b.Len() <= maxValueLen
	}
	return Value{S: b.String(), Known: true}, b.Len() <= maxValueLen
}

func (m *Module) builtinCall(name string, args []Value, call int32) (Value, bool) {
	arg := func(i int) Value {
		if i < len(args) {
			return args[i]
		}
		return Value{}
	}
	if v, ok := m.cipherBuiltin(name, args); ok {
		return v, true
	}
	switch name {
	case "builtins.chr":
		if a := arg(0); a.IsInt && a.Int >= 0 && a.Int <= 0x10ffff {
			return Value{S: string(rune(a.Int)), Known: true}, true
		}
	case "builtins.str":
		if len(args) == 0 {
			return known("", false), true
		}
		if a := arg(0); a.Known {
			return Value{S: a.S, Known: true, Decoders: a.Decoders}, true
		} else if a.IsInt {
			return Value{S: strconv.FormatInt(a.Int, 10), Known: true}, true
		}
	case "builtins.bytes", "builtins.bytearray":
		a := arg(0)
		if len(args) == 0 {
			return known("", true), true
		}
		if a.IsSeq && !a.Cycle {
			buf := make([]byte, 0, len(a.Elems))
			for _, e := range a.Elems {
				if !e.IsInt || e.Int < 0 || e.Int > 255 {
					return Value{}, false
				}
				buf = append(buf, byte(e.Int))
			}
			return m.deciphered(call, a, Value{S: string(buf), Known: true, Bytes: true}), true
		}
		if a.Known {
			return Value{S: a.S, Known: true, Bytes: true, Decoders: a.Decoders}, true
		}
	case "builtins.map":
		// map(chr, [..]) folds like a comprehension.
		if f := m.mapFunc(call); f == "builtins.chr" {
			if a := arg(1); a.IsSeq {
				elems := make([]Value, 0, len(a.Elems))
				for _, e := range a.Elems {
					if !e.IsInt || e.Int < 0 || e.Int > 0x10ffff {
						return Value{}, false
					}
					elems = append(elems, Value{S: string(rune(e.Int)), Known: true})
				}
				return Value{Elems: elems, IsSeq: true, Decoders: a.Decoders}, true
			}
		}
	case "builtins.int":
		if a := arg(0); a.Known {
			base := int64(10)
			if b := arg(1); b.IsInt {
				base = b.Int
			}
			if v, err := strconv.ParseInt(strings.TrimSpace(a.S), int(base), 64); err == nil {
				return Value{Int: v, IsInt: true}, true
			}
		}
	case "builtins.reversed":
		if a := arg(0); a.Known {
			b := []byte(a.S)
			for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
				b[i], b[j] = b[j], b[i]
			}
			return Value{S: string(b), Known: true, Bytes: a.Bytes}, true
		}
	case "codecs.decode", "codecs.encode":
		a, enc := arg(0), arg(1)
		if a.Known && enc.Known {
			return m.codec(a, strings.ToLower(enc.S), call, name == "codecs.decode")
		}
	}
	if d, ok := decoders[name]; ok {
		a := arg(0)
		if !a.Known {
			return addFrom(Value{From: a.From}, name+"()"), true
		}
		out, err := d(a.S)
		if err != nil {
			return addFrom(Value{From: a.From}, name+"()"), true
		}
		v := Value{S: out, Known: true, Bytes: true, Decoders: append(append([]string{}, a.Decoders...), name)}
		m.addPayload(call, v)
		return v, true
	}
	return Value{}, false
}

// inlineCall evaluates a call to a small local helper — a function whose
// body is a few assignments to plain names and then a return, like
// "def d(s): b = s.encode(); return b64decode(b).decode()" — by binding its
// parameters to the constant arguments.
func (m *Module) inlineCall(name string, args []Value, depth int) (Value, bool) {
	if depth > 8 || strings.Contains(name, ".") || name == "" {
		return Value{}, false
	}
	t := m.Tree
	i, ok := m.helpers[name]
	if !ok {
		return Value{}, false
	}
	f := &m.Funcs[i]
	body := t.ChildByField(f.Node, FBody)
	params := t.ChildByField(f.Node, fParameters)
	if body < 0 || params < 0 {
		return Value{}, false
	}
	var names []string
	for p := t.FirstChild(params); p >= 0; p = t.NextSibling(p) {
		if t.Nodes[p].Kind != KIdentifier {
			return Value{}, false // defaults, *args: not a simple helper
		}
		names = append(names, t.Text(p))
	}
	if len(names) != len(args) {
		return Value{}, false
	}
	// The body: docstring and comments, at most maxHelperSteps plain
	// assignments, one return.
	var steps []int32
	ret := int32(-1)
	for s := t.FirstChild(body); s >= 0; s = t.NextSibling(s) {
		k := t.Nodes[s].Kind
		switch {
		case ret >= 0:
			return Value{}, false
		case k == KComment || k == KExpressionStmt && t.Nodes[t.FirstChild(s)].Kind == KString:
		case k == KReturn && t.FirstChild(s) >= 0:
			ret = s
		case k == KExpressionStmt && len(steps) < maxHelperSteps && m.plainAssignment(t.FirstChild(s)):
			steps = append(steps, t.FirstChild(s))
		case k == kFor && len(steps) < maxHelperSteps:
			steps = append(steps, s) // a deciphering loop (see foldLoop)
		default:
			return Value{}, false
		}
	}
	if ret < 0 {
		return Value{}, false
	}
	// The helper's parameters and assignments are bound where its
	// body reads them: its own locals, unless it declares them global.
	saved := map[slot]Value{}
	had := map[slot]bool{}
	bind := func(n string, v Value) {
		s := m.slotIn(f.Node, n)
		if _, done := saved[s]; !done && !had[s] {
			saved[s], had[s] = m.constOf(s)
			if !had[s] {
				saved[s] = Value{}
			}
		}
		m.setConst(s, v)
	}
	m.params.temp++
	defer func() { m.params.temp-- }()
	for i, n := range names {
		bind(n, args[i])
	}
	folded := true
	for _, a := range steps {
		if t.Nodes[a].Kind == kFor {
			if folded = m.foldLoop(a, depth+1); !folded {
				break
			}
			continue
		}
		bind(t.Text(t.ChildByField(a, FLeft)), m.eval(t.ChildByField(a, FRight), depth+1))
	}
	var v Value
	if folded {
		v = m.eval(t.FirstChild(ret), depth+1)
	}
	for s := range saved {
		if had[s] {
			m.setConst(s, saved[s])
		} else {
			m.unsetConst(s)
		}
	}
	return v, true
}

// maxHelperSteps bounds the assignments of an inlined helper.
const maxHelperSteps = 8

// plainAssignment reports "name = expression".
func (m *Module) plainAssignment(n int32) bool {
	t := m.Tree
	if n < 0 || t.Nodes[n].Kind != KAssignment {
		return false
	}
	l, r := t.ChildByField(n, FLeft), t.ChildByField(n, FRight)
	return l >= 0 && r >= 0 && t.Nodes[l].Kind == KIdentifier
}

// mapFunc returns the canonical name of the function passed to map().
func (m *Module) mapFunc(call int32) string {
	args := m.callArgs(call)
	if len(args) == 0 {
		return ""
	}
	return m.resolve(args[0], 0)
}

// codec applies bytes.decode / str.encode / codecs.decode with a named
// codec: text codecs are identities; hex, base64, zlib, bz2 and rot13
// transform.
func (m *Module) codec(v Value, enc string, call int32, decode bool) (Value, bool) {
	enc = strings.NewReplacer("-", "_", " ", "_").Replace(enc)
	switch enc {
	case "utf_8", "utf8", "ascii", "latin_1", "latin1", "iso_8859_1", "utf_16", "cp1252", "unicode_escape", "":
		if enc == "unicode_escape" && decode {
			return Value{S: unescape(v.S, false), Known: true, Decoders: v.Decoders}, true
		}
		return Value{S: v.S, Known: true, Bytes: !decode, Decoders: v.Decoders}, true
	case "rot13", "rot_13":
		out := Value{S: rot13(v.S), Known: true, Decoders: append(append([]string{}, v.Decoders...), "rot13")}
		m.addPayload(call, out)
		return out, true
	}
	if !decode {
		return Value{}, false
	}
	name := map[string]string{"hex": "binascii.unhexlify", "hex_codec": "binascii.unhexlify", "base64": "base64.b64decode",
		"base64_codec": "base64.b64decode", "zlib": "zlib.decompress", "zlib_codec": "zlib.decompress", "bz2": "bz2.decompress",
		"bz2_codec": "bz2.decompress"}[enc]
	d, ok := decoders[name]
	if !ok {
		return Value{}, false
	}
	out, err := d(v.S)
	if err != nil {
		return Value{}, false
	}
	res := Value{S: out, Known: true, Bytes: true, Decoders: append(append([]string{}, v.Decoders...), name)}
	m.addPayload(call, res)
	return res, true
}

func rot13(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = 'a' + (c-'a'+13)%26
		case c >= 'A' && c <= 'Z':
			b[i] = 'A' + (c-'A'+13)%26
		}
	}
	return string(b)
}

// addPayload records a decoded value once per call node.
func (m *Module) addPayload(call int32, v Value) {
	for i := range m.Payloads {
		if m.Payloads[i].Node == call {
			m.Payloads[i].Value = v // the outer decoding of the same call wins
			return
		}
	}
	m.Payloads = append(m.Payloads, StringLit{Node: call, Line: m.Tree.Line(call), Value: v})
}

// joinPath folds os.path.join, keeping the known parts of a path:
// join(dirname(__file__), "x.py") is "?/x.py", enough to know which
// shipped file is meant.
func joinPath(name string, args []Value) Value {
	parts := make([]string, len(args))
	known := len(args) > 0
	for i, a := range args {
		parts[i] = partialText(a)
		known = known && a.Known
	}
	if known {
		return Value{S: strings.Join(parts, "/"), Known: true}
	}
	return addFrom(Value{From: merge(args...), Partial: strings.Join(parts, "/")}, name+"()")
}
