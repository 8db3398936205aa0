package pypi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// maxValueDepth bounds the nesting of arrays and structs in an answer;
// PyPI's deepest (a changelog) is an array of arrays.
const maxValueDepth = 32

// decodeResponse reads an XML-RPC methodResponse. The value it returns is
// one of int64, string, bool, float64, nil, []any or map[string]any; a
// fault answer is returned as a *Fault error. Anything else is an error
// wrapping ErrMalformed that says what was wrong and where.
func decodeResponse(r io.Reader) (any, error) {
	d := &rpcDecoder{x: xml.NewDecoder(r)}
	v, err := d.response()
	if err != nil {
		var f *Fault
		if errors.As(err, &f) || errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		line, col := d.x.InputPos()
		return nil, fmt.Errorf("xml-rpc answer, line %d column %d: %w: %w", line, col, err, ErrMalformed)
	}
	return v, nil
}

type rpcDecoder struct {
	x *xml.Decoder
}

func (d *rpcDecoder) response() (any, error) {
	if err := d.start("methodResponse"); err != nil {
		return nil, err
	}
	tag, err := d.anyStart()
	if err != nil {
		return nil, err
	}
	var v any
	switch tag {
	case "params":
		if err := d.start("param"); err != nil {
			return nil, err
		}
		if err := d.start("value"); err != nil {
			return nil, err
		}
		if v, err = d.value(0); err != nil {
			return nil, err
		}
		if err := d.ends("param", "params"); err != nil {
			return nil, err
		}
	case "fault":
		if err := d.start("value"); err != nil {
			return nil, err
		}
		fv, err := d.value(0)
		if err != nil {
			return nil, err
		}
		if err := d.ends("fault"); err != nil {
			return nil, err
		}
		f, err := faultOf(fv)
		if err != nil {
			return nil, err
		}
		if err := d.ends("methodResponse"); err != nil {
			return nil, err
		}
		return nil, f
	default:
		return nil, fmt.Errorf("want <params> or <fault>, got <%s>", tag)
	}
	if err := d.ends("methodResponse"); err != nil {
		return nil, err
	}
	if t, err := d.tag(); err != io.ErrUnexpectedEOF {
		if err == nil {
			err = fmt.Errorf("%s after </methodResponse>", describe(t))
		}
		return nil, err
	}
	return v, nil
}

func faultOf(v any) (*Fault, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("fault is %s, want a struct", typeName(v))
	}
	code, ok1 := m["faultCode"].(int64)
	s, ok2 := m["faultString"].(string)
	if !ok1 || !ok2 {
		return nil, errors.New("fault without an int faultCode and a string faultString")
	}
	return &Fault{Code: code, String: s}, nil
}

// token returns the next token that matters: comments, processing
// instructions and whitespace-only text between elements are skipped by
// the callers that do not want text.
func (d *rpcDecoder) token() (xml.Token, error) {
	for {
		t, err := d.x.RawToken()
		if err != nil {
			if errors.Is(err, ErrTooLarge) {
				return nil, err
			}
			if err == io.EOF {
				return nil, io.EOF
			}
			return nil, err
		}
		switch t := t.(type) {
		case xml.Comment, xml.ProcInst:
			continue
		case xml.Directive:
			return nil, errors.New("unexpected <!...> directive")
		case xml.StartElement:
			if t.Name.Space != "" {
				return nil, fmt.Errorf("unexpected namespace prefix in <%s:%s>", t.Name.Space, t.Name.Local)
			}
		}
		return t, nil
	}
}

// tag returns the next start or end element, skipping whitespace text.
func (d *rpcDecoder) tag() (xml.Token, error) {
	for {
		t, err := d.token()
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		if cd, ok := t.(xml.CharData); ok {
			if len(bytes.TrimSpace(cd)) != 0 {
				return nil, fmt.Errorf("unexpected text %q", clip(string(cd)))
			}
			continue
		}
		return t, nil
	}
}

// anyStart reads the next start element and returns its name.
func (d *rpcDecoder) anyStart() (string, error) {
	t, err := d.tag()
	if err != nil {
		return "", err
	}
	s, ok := t.(xml.StartElement)
	if !ok {
		return "", fmt.Errorf("want a start tag, got %s", describe(t))
	}
	return s.Name.Local, nil
}

func (d *rpcDecoder) start(name string) error {
	got, err := d.anyStart()
	if err != nil {
		return fmt.Errorf("want <%s>: %w", name, err)
	}
	if got != name {
		return fmt.Errorf("want <%s>, got <%s>", name, got)
	}
	return nil
}

// ends reads the given end elements in order.
func (d *rpcDecoder) ends(names ...string) error {
	for _, name := range names {
		t, err := d.tag()
		if err != nil {
			return fmt.Errorf("want </%s>: %w", name, err)
		}
		if e, ok := t.(xml.EndElement); !ok || e.Name.Local != name {
			return fmt.Errorf("want </%s>, got %s", name, describe(t))
		}
	}
	return nil
}

// text reads character data up to the end element name; no element may
// come in between.
func (d *rpcDecoder) text(name string) (string, error) {
	var buf []byte
	for {
		t, err := d.token()
		if err == io.EOF {
			return "", io.ErrUnexpectedEOF
		}
		if err != nil {
			return "", err
		}
		switch t := t.(type) {
		case xml.CharData:
			buf = append(buf, t...)
		case xml.EndElement:
			if t.Name.Local != name {
				return "", fmt.Errorf("want </%s>, got </%s>", name, t.Name.Local)
			}
			return string(buf), nil
		default:
			return "", fmt.Errorf("want text in <%s>, got %s", name, describe(t))
		}
	}
}

// value reads what follows <value> up to and including </value>.
func (d *rpcDecoder) value(depth int) (any, error) {
	if depth > maxValueDepth {
		return nil, fmt.Errorf("values nested deeper than %d", maxValueDepth)
	}
	var text []byte
	for {
		t, err := d.token()
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.CharData:
			text = append(text, t...)
			continue
		case xml.EndElement:
			if t.Name.Local != "value" {
				return nil, fmt.Errorf("want </value>, got </%s>", t.Name.Local)
			}
			return string(text), nil // a value without a type is a string
		case xml.StartElement:
			if len(bytes.TrimSpace(text)) != 0 {
				return nil, fmt.Errorf("text %q before <%s>", clip(string(text)), t.Name.Local)
			}
			v, err := d.typed(t.Name.Local, depth)
			if err != nil {
				return nil, err
			}
			return v, d.ends("value")
		}
	}
}

// typed reads a typed value after its start tag, up to its end tag.
func (d *rpcDecoder) typed(kind string, depth int) (any, error) {
	switch kind {
	case "string":
		return d.text(kind)
	case "int", "i4", "i8":
		s, err := d.text(kind)
		if err != nil {
			return nil, err
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace([]byte(s))), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("<%s>%s</%s> is not an integer", kind, clip(s), kind)
		}
		return n, nil
	case "boolean":
		s, err := d.text(kind)
		if err != nil {
			return nil, err
		}
		switch string(bytes.TrimSpace([]byte(s))) {
		case "0":
			return false, nil
		case "1":
			return true, nil
		}
		return nil, fmt.Errorf("<boolean>%s</boolean> is neither 0 nor 1", clip(s))
	case "double":
		s, err := d.text(kind)
		if err != nil {
			return nil, err
		}
		f, err := strconv.ParseFloat(string(bytes.TrimSpace([]byte(s))), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("<double>%s</double> is not a finite number", clip(s))
		}
		return f, nil
	case "nil":
		return nil, d.ends("nil")
	case "array":
		return d.array(depth)
	case "struct":
		return d.structure(depth)
	}
	return nil, fmt.Errorf("unsupported value type <%s>", kind)
}

func (d *rpcDecoder) array(depth int) (any, error) {
	if err := d.start("data"); err != nil {
		return nil, err
	}
	items := []any{}
	for {
		t, err := d.tag()
		if err != nil {
			return nil, err
		}
		if e, ok := t.(xml.EndElement); ok && e.Name.Local == "data" {
			return items, d.ends("array")
		}
		if s, ok := t.(xml.StartElement); !ok || s.Name.Local != "value" {
			return nil, fmt.Errorf("want <value> or </data> in an array, got %s", describe(t))
		}
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
}

func (d *rpcDecoder) structure(depth int) (any, error) {
	m := map[string]any{}
	for {
		t, err := d.tag()
		if err != nil {
			return nil, err
		}
		if e, ok := t.(xml.EndElement); ok && e.Name.Local == "struct" {
			return m, nil
		}
		if s, ok := t.(xml.StartElement); !ok || s.Name.Local != "member" {
			return nil, fmt.Errorf("want <member> or </struct> in a struct, got %s", describe(t))
		}
		if err := d.start("name"); err != nil {
			return nil, err
		}
		name, err := d.text("name")
		if err != nil {
			return nil, err
		}
		if err := d.start("value"); err != nil {
			return nil, err
		}
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		m[name] = v
		if err := d.ends("member"); err != nil {
			return nil, err
		}
	}
}

func describe(t xml.Token) string {
	switch t := t.(type) {
	case xml.StartElement:
		return "<" + t.Name.Local + ">"
	case xml.EndElement:
		return "</" + t.Name.Local + ">"
	case xml.CharData:
		return fmt.Sprintf("text %q", clip(string(t)))
	}
	return fmt.Sprintf("%T", t)
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "nil"
	case int64:
		return "an int"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64:
		return "a double"
	case []any:
		return "an array"
	case map[string]any:
		return "a struct"
	}
	return fmt.Sprintf("%T", v)
}

// clip shortens text quoted in an error.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
