package pypi

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// maxValueDepth bounds the nesting of arrays and structs in an answer;
// PyPI's deepest (a changelog) is an array of arrays.
const maxValueDepth = 32

// decodeResponse reads an XML-RPC methodResponse and returns its value; a
// fault answer is returned as a *Fault error. Anything else is an error
// wrapping ErrMalformed that says what was wrong and where.
func decodeResponse(data []byte) (value, error) {
	d := &rpcDecoder{s: scanner{buf: data}}
	v, err := d.response()
	if err != nil {
		var f *Fault
		if errors.As(err, &f) {
			return value{}, err
		}
		return value{}, fmt.Errorf("xml-rpc answer: %w: %w", err, ErrMalformed)
	}
	return v, nil
}

type rpcDecoder struct {
	s scanner
	// stack holds the items of the arrays being read, so that each array
	// is allocated once at its final size.
	stack []value
}

func (d *rpcDecoder) response() (value, error) {
	if err := d.start("methodResponse"); err != nil {
		return value{}, err
	}
	tag, err := d.anyStart()
	if err != nil {
		return value{}, err
	}
	var v value
	switch tag {
	case "params":
		if err := d.start("param"); err != nil {
			return value{}, err
		}
		if err := d.start("value"); err != nil {
			return value{}, err
		}
		if v, err = d.value(0); err != nil {
			return value{}, err
		}
		if err := d.end("param"); err != nil {
			return value{}, err
		}
		if err := d.end("params"); err != nil {
			return value{}, err
		}
	case "fault":
		if err := d.start("value"); err != nil {
			return value{}, err
		}
		fv, err := d.value(0)
		if err != nil {
			return value{}, err
		}
		if err := d.end("fault"); err != nil {
			return value{}, err
		}
		f, err := faultOf(fv)
		if err != nil {
			return value{}, d.s.errorf("%v", err)
		}
		if err := d.end("methodResponse"); err != nil {
			return value{}, err
		}
		return value{}, f
	default:
		return value{}, d.s.errorf("want <params> or <fault>, got <%s>", tag)
	}
	if err := d.end("methodResponse"); err != nil {
		return value{}, err
	}
	for {
		t, err := d.s.next()
		switch {
		case err != nil:
			return value{}, err
		case t.kind == tokEOF:
			return v, nil
		case t.kind != tokText || len(bytes.TrimSpace(t.text)) != 0:
			return value{}, d.s.errorf("%s after </methodResponse>", describe(t))
		}
	}
}

func faultOf(v value) (*Fault, error) {
	if v.kind != valStruct {
		return nil, fmt.Errorf("fault is %s, want a struct", v.typeName())
	}
	code, s := v.fields["faultCode"], v.fields["faultString"]
	if code.kind != valInt || s.kind != valString {
		return nil, errors.New("fault without an int faultCode and a string faultString")
	}
	return &Fault{Code: code.num, String: s.str}, nil
}

// tag returns the next start or end tag, skipping whitespace text.
func (d *rpcDecoder) tag() (token, error) {
	for {
		t, err := d.s.next()
		if err != nil {
			return token{}, err
		}
		switch t.kind {
		case tokEOF:
			return token{}, d.s.errorf("%w", errScanEOF)
		case tokText:
			if len(bytes.TrimSpace(t.text)) != 0 {
				return token{}, d.s.errorf("unexpected text %q", clip(string(t.text)))
			}
			continue
		}
		return t, nil
	}
}

// anyStart reads the next start tag and returns its name.
func (d *rpcDecoder) anyStart() (string, error) {
	t, err := d.tag()
	if err != nil {
		return "", err
	}
	if t.kind != tokStart {
		return "", d.s.errorf("want a start tag, got %s", describe(t))
	}
	return string(t.name), nil
}

// start reads the start tag name.
func (d *rpcDecoder) start(name string) error { return d.expect(tokStart, name) }

// end reads the end tag name.
func (d *rpcDecoder) end(name string) error { return d.expect(tokEnd, name) }

func (d *rpcDecoder) expect(kind tokKind, name string) error {
	t, err := d.tag()
	if err != nil {
		return err
	}
	if t.kind != kind || string(t.name) != name {
		slash := ""
		if kind == tokEnd {
			slash = "/"
		}
		return d.s.errorf("want <%s%s>, got %s", slash, name, describe(t))
	}
	return nil
}

// texts reads the text up to the next tag and returns it with that tag
// (tokEOF at the end of the input). The text is valid until the next
// token.
func (d *rpcDecoder) texts() ([]byte, token, error) {
	var text []byte
	for n := 0; ; n++ {
		t, err := d.s.next()
		if err != nil {
			return nil, token{}, err
		}
		if t.kind != tokText {
			return text, t, nil
		}
		if n == 0 {
			text = t.text
		} else {
			text = append(text[:len(text):len(text)], t.text...)
		}
	}
}

// text reads character data up to the end tag name; no element may come
// in between. The result is valid until the next token.
func (d *rpcDecoder) text(name string) ([]byte, error) {
	text, t, err := d.texts()
	switch {
	case err != nil:
		return nil, err
	case t.kind == tokEOF:
		return nil, d.s.errorf("%w in <%s>", errScanEOF, name)
	case t.kind != tokEnd:
		return nil, d.s.errorf("want text in <%s>, got %s", name, describe(t))
	case string(t.name) != name:
		return nil, d.s.errorf("want </%s>, got </%s>", name, t.name)
	}
	return text, nil
}

// value reads what follows <value> up to and including </value>.
func (d *rpcDecoder) value(depth int) (value, error) {
	if depth > maxValueDepth {
		return value{}, d.s.errorf("values nested deeper than %d", maxValueDepth)
	}
	text, t, err := d.texts()
	switch {
	case err != nil:
		return value{}, err
	case t.kind == tokEOF:
		return value{}, d.s.errorf("%w in <value>", errScanEOF)
	case t.kind == tokEnd:
		if string(t.name) != "value" {
			return value{}, d.s.errorf("want </value>, got </%s>", t.name)
		}
		return value{kind: valString, str: string(text)}, nil // a value without a type is a string
	}
	if len(bytes.TrimSpace(text)) != 0 {
		return value{}, d.s.errorf("text %q before <%s>", clip(string(text)), t.name)
	}
	v, err := d.typed(t.name, depth)
	if err != nil {
		return value{}, err
	}
	return v, d.end("value")
}

// typed reads a typed value after its start tag, up to its end tag.
func (d *rpcDecoder) typed(name []byte, depth int) (value, error) {
	switch string(name) {
	case "string":
		s, err := d.text("string")
		return value{kind: valString, str: string(s)}, err
	case "int":
		return d.integer("int")
	case "i4":
		return d.integer("i4")
	case "i8":
		return d.integer("i8")
	case "boolean":
		s, err := d.text("boolean")
		if err != nil {
			return value{}, err
		}
		switch string(bytes.TrimSpace(s)) {
		case "0":
			return value{kind: valBool, num: 0}, nil
		case "1":
			return value{kind: valBool, num: 1}, nil
		}
		return value{}, d.s.errorf("<boolean>%s</boolean> is neither 0 nor 1", clip(string(s)))
	case "double":
		s, err := d.text("double")
		if err != nil {
			return value{}, err
		}
		f, err := strconv.ParseFloat(string(bytes.TrimSpace(s)), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return value{}, d.s.errorf("<double>%s</double> is not a finite number", clip(string(s)))
		}
		return value{kind: valDouble, num: int64(math.Float64bits(f))}, nil
	case "nil":
		return value{kind: valNil}, d.end("nil")
	case "array":
		return d.array(depth)
	case "struct":
		return d.structure(depth)
	}
	return value{}, d.s.errorf("unsupported value type <%s>", name)
}

// integer reads the text of an <int>, <i4> or <i8> up to its end tag.
func (d *rpcDecoder) integer(kind string) (value, error) {
	s, err := d.text(kind)
	if err != nil {
		return value{}, err
	}
	n, ok := parseInt(bytes.TrimSpace(s))
	if !ok {
		return value{}, d.s.errorf("<%s>%s</%s> is not an integer", kind, clip(string(s)), kind)
	}
	return value{kind: valInt, num: n}, nil
}

// parseInt reads a decimal int64 with an optional sign, without the
// allocation strconv.ParseInt makes of a byte slice.
func parseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg, b = b[0] == '-', b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return -int64(n), true
	}
	if n > 1<<63-1 {
		return 0, false
	}
	return int64(n), true
}

func (d *rpcDecoder) array(depth int) (value, error) {
	if err := d.start("data"); err != nil {
		return value{}, err
	}
	base := len(d.stack)
	defer func() { d.stack = d.stack[:base] }()
	for {
		t, err := d.tag()
		if err != nil {
			return value{}, err
		}
		if t.kind == tokEnd && string(t.name) == "data" {
			items := make([]value, len(d.stack)-base)
			copy(items, d.stack[base:])
			return value{kind: valArray, arr: items}, d.end("array")
		}
		if t.kind != tokStart || string(t.name) != "value" {
			return value{}, d.s.errorf("want <value> or </data> in an array, got %s", describe(t))
		}
		v, err := d.value(depth + 1)
		if err != nil {
			return value{}, err
		}
		d.stack = append(d.stack, v)
	}
}

func (d *rpcDecoder) structure(depth int) (value, error) {
	m := map[string]value{}
	for {
		t, err := d.tag()
		if err != nil {
			return value{}, err
		}
		if t.kind == tokEnd && string(t.name) == "struct" {
			return value{kind: valStruct, fields: m}, nil
		}
		if t.kind != tokStart || string(t.name) != "member" {
			return value{}, d.s.errorf("want <member> or </struct> in a struct, got %s", describe(t))
		}
		if err := d.start("name"); err != nil {
			return value{}, err
		}
		name, err := d.text("name")
		if err != nil {
			return value{}, err
		}
		key := string(name)
		if err := d.start("value"); err != nil {
			return value{}, err
		}
		v, err := d.value(depth + 1)
		if err != nil {
			return value{}, err
		}
		m[key] = v
		if err := d.end("member"); err != nil {
			return value{}, err
		}
	}
}

func describe(t token) string {
	switch t.kind {
	case tokStart:
		return "<" + string(t.name) + ">"
	case tokEnd:
		return "</" + string(t.name) + ">"
	case tokText:
		return fmt.Sprintf("text %q", clip(string(t.text)))
	}
	return "the end"
}

// clip shortens text quoted in an error.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
