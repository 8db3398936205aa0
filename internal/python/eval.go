package python

import (
	"slices"
	"strconv"
	"strings"
)

// evalBudget bounds the nodes one evaluation visits; maxValueLen bounds
// the size of any value it builds.
const (
	evalBudget  = 20000
	maxValueLen = 16 << 20
)

// Eval evaluates the expression at node n as far as constants allow. It
// never runs code: it folds string operations, applies standard decoders
// to constants, and otherwise records what the value is computed from.
//
// Once the module's facts are extracted, results are kept: rules ask about
// the same arguments again and again.
func (m *Module) Eval(n int32) Value {
	if v, ok := m.memo[n]; ok {
		return v
	}
	if m.budget <= 0 {
		m.budget = evalBudget
	}
	v := m.eval(n, 0)
	if m.memo != nil {
		m.memo[n] = v
	}
	return v
}

func (m *Module) eval(n int32, depth int) Value {
	m.budget--
	if n < 0 {
		return Value{}
	}
	if depth > 64 || m.budget < 0 {
		m.params.truncs++
		return Value{}
	}
	t := m.Tree
	switch t.Nodes[n].Kind {
	case KString:
		return m.evalString(n, depth)
	case KConcatenated:
		var b strings.Builder
		all, isBytes := true, false
		var parts []Value
		for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
			v := m.eval(c, depth+1)
			parts = append(parts, v)
			isBytes = isBytes || v.Bytes
			if !v.Known || b.Len()+len(v.S) > maxValueLen {
				all = false
				continue
			}
			b.WriteString(v.S)
		}
		if all {
			return known(b.String(), isBytes)
		}
		return Value{From: merge(parts...)}
	case KInteger:
		s := strings.ReplaceAll(strings.ToLower(t.Text(n)), "_", "")
		v, err := strconv.ParseInt(s, 0, 64)
		if err != nil {
			return Value{}
		}
		return Value{Int: v, IsInt: true}
	case KParenthesized:
		return m.eval(t.FirstChild(n), depth+1)
	case KIdentifier:
		name := t.Text(n)
		if m.evaluating[name] {
			return Value{}
		}
		s := m.slotAt(n, name)
		if v, ok := m.constOf(s); ok {
			if v.Partial != "" {
				// A partly known string keeps every flow into the name.
				v.From = merge(v, Value{From: m.flowsOf(s)})
			}
			return v
		}
		v := Value{From: m.flowsOf(s)}
		if s.fn >= 0 {
			// A parameter: what the function's calls pass.
			if p, ok := m.paramValue(s, depth); ok {
				p.From = merge(p, v)
				v = p
			}
		}
		if c, ok := m.canonicalOf(s); ok && c != name {
			if k, ok := stdlibConstants[c]; ok && len(v.From) == 0 {
				return known(k, false) // from string import ascii_lowercase
			}
			if k, ok := m.moduleConst(s, v, name); ok {
				return k // from pkg.config import URL
			}
			v = addFrom(v, c)
		} else if k, ok := m.moduleConst(s, v, name); ok {
			return k // from .config import URL: known by its own name
		}
		return v
	case KAttribute:
		name := m.resolve(n, 0)
		if k, ok := stdlibConstants[name]; ok {
			return known(k, false)
		}
		if k, ok := m.externalAttr(n); ok {
			return k // from . import config; config.URL
		}
		obj := m.eval(t.ChildByField(n, FObject), depth+1)
		v := Value{From: obj.From}
		return addFrom(v, name)
	case KSubscript:
		return m.evalSubscript(n, depth)
	case KBinaryOperator:
		return m.evalBinary(n, depth)
	case KList, KTuple:
		var elems []Value
		for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
			if t.Nodes[c].Kind == KComment {
				continue
			}
			elems = append(elems, m.eval(c, depth+1))
			if len(elems) > 1<<16 {
				break
			}
		}
		return Value{Elems: elems, IsSeq: true, From: merge(elems...)}
	case KDictionary:
		return m.evalDict(n, depth)
	case KUnaryOperator:
		v := m.eval(t.ChildByField(n, FArgument), depth+1)
		if op := strings.TrimSpace(string(t.Src[t.Nodes[n].Start:t.Nodes[n].End])); v.IsInt && op != "" {
			switch op[0] {
			case '-':
				return Value{Int: -v.Int, IsInt: true}
			case '~':
				return Value{Int: ^v.Int, IsInt: true}
			case '+':
				return v
			}
		}
		return Value{From: v.From}
	case KCall:
		return m.evalCall(n, depth)
	case KKeywordArgument:
		return m.eval(t.ChildByField(n, FValue), depth+1)
	case KListComprehension, KGeneratorExpr:
		return m.evalComprehension(n, depth)
	case KConditionalExpr:
		if v, ok := m.evalConditional(n, depth); ok {
			return v
		}
	}
	// Anything else: what its parts come from.
	var vs []Value
	for c := t.FirstChild(n); c >= 0 && len(vs) < 32; c = t.NextSibling(c) {
		vs = append(vs, m.eval(c, depth+1))
	}
	return Value{From: merge(vs...)}
}

func (m *Module) evalString(n int32, depth int) Value {
	t := m.Tree
	first := t.FirstChild(n)
	if first < 0 || t.Nodes[first].Kind != KStringStart {
		return Value{}
	}
	prefix, _ := stringPrefix(t.Text(first))
	raw, isBytes := strings.Contains(prefix, "r"), strings.Contains(prefix, "b")
	bodyStart := t.Nodes[first].End
	if end := t.NextSibling(first); end >= 0 {
		// A plain literal — body then end, no interpolation — is decoded
		// straight into its value, without a builder's copy.
		if k := t.Nodes[end].Kind; k == KStringContent || k == KEscapeSequence {
			end = t.NextSibling(end)
		}
		if end >= 0 && t.Nodes[end].Kind == kStringEnd {
			return known(m.unescapeSpan(bodyStart, t.Nodes[end].Start, raw, isBytes), isBytes)
		}
	}
	var b strings.Builder
	all := true
	var parts []Value
	pos := bodyStart
	for c := t.NextSibling(first); c >= 0; c = t.NextSibling(c) {
		node := &t.Nodes[c]
		if node.Kind == KInterpolation {
			b.WriteString(m.unescapeSpan(pos, node.Start, raw, isBytes))
			v := m.eval(t.FirstChild(c), depth+1)
			parts = append(parts, v)
			if v.Known {
				b.WriteString(v.S)
			} else if v.IsInt {
				b.WriteString(strconv.FormatInt(v.Int, 10))
			} else {
				all = false
				b.WriteString(partialText(v))
			}
			pos = node.End
			continue
		}
		if node.Kind != KStringContent && node.Kind != KEscapeSequence {
			// string_end: the body stops here.
			b.WriteString(m.unescapeSpan(pos, node.Start, raw, isBytes))
			pos = node.End
			break
		}
	}
	if !all {
		return Value{From: merge(parts...), Partial: b.String()}
	}
	return known(b.String(), isBytes)
}

// isLiteral reports the kinds of plain literals, whose values come from no
// call or name.
func isLiteral(k Kind) bool {
	return k == KString || k == KConcatenated || k == KInteger || k == kFloat || k == kTrue || k == kFalse || k == kNone
}

func (m *Module) unescapeSpan(from, to uint32, raw, isBytes bool) string {
	if to <= from {
		return ""
	}
	s := string(m.Tree.Src[from:to])
	if raw {
		return s
	}
	return unescape(s, isBytes)
}

func (m *Module) evalSubscript(n int32, depth int) Value {
	t := m.Tree
	obj := m.eval(t.ChildByField(n, FValue), depth+1)
	key := t.ChildByField(n, FSubscript)
	if key >= 0 && t.Nodes[key].Kind == KSlice && obj.Known {
		if s, ok := m.slice(obj.S, key, depth); ok {
			return Value{S: s, Known: true, Bytes: obj.Bytes, Decoders: obj.Decoders}
		}
	}
	if key >= 0 && obj.IsSeq && !obj.Cycle {
		if k := m.eval(key, depth+1); k.IsInt && k.Int >= -int64(len(obj.Elems)) && k.Int < int64(len(obj.Elems)) {
			if k.Int < 0 {
				k.Int += int64(len(obj.Elems))
			}
			return obj.Elems[k.Int]
		}
	}
	if key >= 0 && (obj.Known || obj.IsDict) && t.Nodes[key].Kind != KSlice {
		if v, ok := index(obj, m.eval(key, depth+1)); ok {
			return v
		}
	}
	v := Value{From: merge(obj, m.eval(key, depth+1))}
	if r := m.resolve(t.ChildByField(n, FValue), 0); r != "" {
		v = addFrom(v, r)
	}
	return v
}

// slice applies a constant [start:stop:step] to s (by bytes; good enough
// for the ASCII payloads it matters for).
func (m *Module) slice(s string, n int32, depth int) (string, bool) {
	t := m.Tree
	text := t.Text(n)
	parts := strings.Split(text, ":")
	if len(parts) > 3 {
		return "", false
	}
	vals := []int64{0, int64(len(s)), 1}
	set := []bool{false, false, false}
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		v, err := strconv.ParseInt(p, 0, 64)
		if err != nil {
			// An expression (s[i:i+2] in a loop): the child of the
			// slice that starts in this part, evaluated.
			var ok bool
			if v, ok = m.slicePart(n, len(strings.Join(parts[:i], ":"))+i, depth); !ok {
				return "", false
			}
		}
		vals[i], set[i] = v, true
	}
	step := vals[2]
	if step == 0 {
		return "", false
	}
	length := int64(len(s))
	norm := func(v int64, def int64, isSet bool, lo, hi int64) int64 {
		if !isSet {
			return def
		}
		if v < 0 {
			v += length
		}
		return max(lo, min(v, hi))
	}
	var b strings.Builder
	if step > 0 {
		start, stop := norm(vals[0], 0, set[0], 0, length), norm(vals[1], length, set[1], 0, length)
		for i := start; i < stop; i += step {
			b.WriteByte(s[i])
		}
	} else {
		start, stop := norm(vals[0], length-1, set[0], -1, length-1), norm(vals[1], -1, set[1], -1, length-1)
		for i := start; i > stop; i += step {
			b.WriteByte(s[i])
		}
	}
	return b.String(), true
}

// slicePart evaluates the expression of slice n that starts at byte off
// of its text, to an integer.
func (m *Module) slicePart(n int32, off, depth int) (int64, bool) {
	t := m.Tree
	start := t.Nodes[n].Start
	for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
		if rel := int(t.Nodes[c].Start - start); rel >= off && strings.TrimSpace(string(t.Src[start+uint32(off):t.Nodes[c].Start])) == "" {
			if v := m.eval(c, depth+1); v.IsInt {
				return v.Int, true
			}
			return 0, false
		}
	}
	return 0, false
}

func (m *Module) evalBinary(n int32, depth int) Value {
	t := m.Tree
	l, r := t.ChildByField(n, FLeft), t.ChildByField(n, FRight)
	if l < 0 || r < 0 {
		return Value{}
	}
	op := strings.TrimSpace(string(t.Src[t.Nodes[l].End:t.Nodes[r].Start]))
	a, b := m.eval(l, depth+1), m.eval(r, depth+1)
	switch op {
	case "+":
		if a.Known && b.Known && len(a.S)+len(b.S) <= maxValueLen {
			return Value{S: a.S + b.S, Known: true, Bytes: a.Bytes, Decoders: slices.Concat(a.Decoders, b.Decoders), PlainLead: plainLead(a, b)}
		}
		if a.IsInt && b.IsInt {
			return Value{Int: a.Int + b.Int, IsInt: true}
		}
		if a.IsSeq && b.IsSeq {
			return Value{Elems: append(append([]Value{}, a.Elems...), b.Elems...), IsSeq: true, From: merge(a, b)}
		}
		if a.Known || b.Known || a.Partial != "" || b.Partial != "" {
			if p := partialText(a) + partialText(b); len(p) <= maxValueLen {
				// What decoded the known parts stays named: a hidden
				// address with a key appended is still hidden.
				return Value{From: merge(a, b), Partial: p, Decoders: slices.Concat(a.Decoders, b.Decoders), PlainLead: plainLead(a, b)}
			}
		}
	case "*":
		if a.Known && b.IsInt && b.Int >= 0 && int64(len(a.S))*b.Int <= maxValueLen {
			return known(strings.Repeat(a.S, int(b.Int)), a.Bytes)
		}
		if a.IsInt && b.IsInt {
			return Value{Int: a.Int * b.Int, IsInt: true}
		}
	case "%":
		if a.IsInt && b.IsInt {
			if v, ok := intOp(op, a.Int, b.Int); ok {
				return Value{Int: v, IsInt: true}
			}
		}
		if a.Known {
			if s, ok := percentFormat(a.S, b); ok {
				return known(s, a.Bytes)
			}
			if s, ok := percentFormat(a.S, partialArgs(b)); ok {
				return Value{From: merge(a, b), Partial: s}
			}
		}
	default:
		if a.IsInt && b.IsInt {
			if v, ok := intOp(op, a.Int, b.Int); ok {
				return Value{Int: v, IsInt: true}
			}
		}
	}
	return Value{From: merge(a, b)}
}

// plainLead is the PlainLead of a + b: a's own when a was decoded, else
// a's whole text and b's lead.
func plainLead(a, b Value) int {
	if len(a.Decoders) > 0 || len(b.Decoders) == 0 {
		return a.PlainLead
	}
	return len(partialText(a)) + b.PlainLead
}

// partialText renders what is known of a string value, "?" for the rest.
func partialText(v Value) string {
	switch {
	case v.Known:
		return v.S
	case v.Partial != "":
		return v.Partial
	case v.IsInt:
		return strconv.FormatInt(v.Int, 10)
	}
	return "?"
}

// partialArgs stands "?" in for the unknown format arguments.
func partialArgs(v Value) Value {
	if v.IsSeq {
		out := Value{IsSeq: true}
		for _, e := range v.Elems {
			out.Elems = append(out.Elems, known(partialText(e), false))
		}
		return out
	}
	return known(partialText(v), false)
}

// percentFormat applies "%s"-style formatting with constant arguments.
func percentFormat(format string, arg Value) (string, bool) {
	args := []Value{arg}
	if arg.IsSeq {
		args = arg.Elems
	}
	var b strings.Builder
	k := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 >= len(format) {
			b.WriteByte(format[i])
			continue
		}
		i++
		if format[i] == '%' {
			b.WriteByte('%')
			continue
		}
		for i < len(format) && strings.IndexByte("0123456789.-+ #", format[i]) >= 0 {
			i++
		}
		if i >= len(format) || k >= len(args) {
			return "", false
		}
		v := args[k]
		k++
		switch {
		case v.Known:
			b.WriteString(v.S)
		case v.IsInt && format[i] == 'c':
			b.WriteRune(rune(v.Int))
		case v.IsInt:
			b.WriteString(strconv.FormatInt(v.Int, 10))
		default:
			return "", false
		}
	}
	return b.String(), b.Len() <= maxValueLen
}

// evalComprehension folds "[chr(c) for c in [...]]" and the like: a
// comprehension whose element is a foldable function of the loop
// variables over a constant sequence. A cipher it applies to a constant
// string tags the result (see cipherOf).
func (m *Module) evalComprehension(n int32, depth int) Value {
	t := m.Tree
	body := t.FirstChild(n)
	if body < 0 {
		return Value{}
	}
	var forClause int32 = -1
	for c := t.NextSibling(body); c >= 0; c = t.NextSibling(c) {
		if t.Nodes[c].Kind == kForIn {
			if forClause >= 0 {
				return Value{} // nested loops: not folded
			}
			forClause = c
		}
	}
	if forClause < 0 {
		return Value{From: m.eval(body, depth+1).From}
	}
	left, right := t.ChildByField(forClause, FLeft), t.ChildByField(forClause, FRight)
	if left < 0 || right < 0 {
		return Value{}
	}
	cipher := m.cipherOf(body)
	seq := m.evalSeq(right, depth, cipher != "")
	in, ok := seqElems(seq)
	if !ok || len(in) > maxLoopElems {
		return Value{From: seq.From}
	}
	names := m.targetNames(left)
	if names == nil {
		return Value{}
	}
	slots := m.slotsAt(n, names)
	saved := m.saveConsts(slots)
	defer m.restoreConsts(saved)
	elems := make([]Value, 0, len(in))
	for _, e := range in {
		if !m.bindTarget(slots, e) {
			return Value{From: seq.From}
		}
		v, ok := m.loopEval(body, depth)
		if !ok {
			return Value{From: seq.From}
		}
		elems = append(elems, v)
	}
	out := Value{Elems: elems, IsSeq: true}
	if cipher != "" && (seq.Known || seq.IsSeq) && changed(in, elems) {
		out.Decoders = withDecoder(seq.Decoders, cipher)
	}
	return out
}
