package pypi

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
)

// encodeCall writes an XML-RPC methodCall. Params may be int, int64,
// string, bool, float64, nil, []any and map[string]any.
func encodeCall(method string, params ...any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\"?>\n<methodCall>\n<methodName>")
	xml.EscapeText(&b, []byte(method))
	b.WriteString("</methodName>\n<params>\n")
	for i, p := range params {
		b.WriteString("<param>")
		if err := encodeValue(&b, p, 0); err != nil {
			return nil, fmt.Errorf("xml-rpc call %s, param %d: %w", method, i, err)
		}
		b.WriteString("</param>\n")
	}
	b.WriteString("</params>\n</methodCall>\n")
	return b.Bytes(), nil
}

func encodeValue(b *bytes.Buffer, v any, depth int) error {
	if depth > maxValueDepth {
		return fmt.Errorf("values nested deeper than %d", maxValueDepth)
	}
	b.WriteString("<value>")
	switch v := v.(type) {
	case nil:
		b.WriteString("<nil/>")
	case int:
		encodeInt(b, int64(v))
	case int64:
		encodeInt(b, v)
	case string:
		b.WriteString("<string>")
		xml.EscapeText(b, []byte(v))
		b.WriteString("</string>")
	case bool:
		if v {
			b.WriteString("<boolean>1</boolean>")
		} else {
			b.WriteString("<boolean>0</boolean>")
		}
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return fmt.Errorf("%v has no XML-RPC form", v)
		}
		b.WriteString("<double>" + strconv.FormatFloat(v, 'g', -1, 64) + "</double>")
	case []any:
		b.WriteString("<array><data>\n")
		for _, e := range v {
			if err := encodeValue(b, e, depth+1); err != nil {
				return err
			}
			b.WriteByte('\n')
		}
		b.WriteString("</data></array>")
	case map[string]any:
		b.WriteString("<struct>\n")
		for _, k := range slices.Sorted(maps.Keys(v)) {
			b.WriteString("<member><name>")
			xml.EscapeText(b, []byte(k))
			b.WriteString("</name>")
			if err := encodeValue(b, v[k], depth+1); err != nil {
				return err
			}
			b.WriteString("</member>\n")
		}
		b.WriteString("</struct>")
	default:
		return fmt.Errorf("cannot encode %T in XML-RPC", v)
	}
	b.WriteString("</value>")
	return nil
}

// encodeInt uses <int> (32 bits, what every server reads) when the
// value fits and the <i8> extension when it does not.
func encodeInt(b *bytes.Buffer, n int64) {
	tag := "int"
	if n > math.MaxInt32 || n < math.MinInt32 {
		tag = "i8"
	}
	b.WriteString("<" + tag + ">" + strconv.FormatInt(n, 10) + "</" + tag + ">")
}
