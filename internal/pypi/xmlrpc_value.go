package pypi

import (
	"fmt"
	"math"
)

// valueKind is the type of a decoded XML-RPC value.
type valueKind uint8

const (
	valNil valueKind = iota
	valString
	valInt
	valBool
	valDouble
	valArray
	valStruct
)

// value is a decoded XML-RPC value. It is a struct rather than an any so
// that a changelog of 50,000 rows decodes without boxing every field.
type value struct {
	kind   valueKind
	str    string
	num    int64 // an int, a boolean as 0 or 1, or a double's bits
	arr    []value
	fields map[string]value
}

// any returns v as int64, string, bool, float64, nil, []any or
// map[string]any.
func (v value) any() any {
	switch v.kind {
	case valString:
		return v.str
	case valInt:
		return v.num
	case valBool:
		return v.num != 0
	case valDouble:
		return math.Float64frombits(uint64(v.num))
	case valArray:
		out := make([]any, len(v.arr))
		for i, e := range v.arr {
			out[i] = e.any()
		}
		return out
	case valStruct:
		out := make(map[string]any, len(v.fields))
		for k, e := range v.fields {
			out[k] = e.any()
		}
		return out
	}
	return nil
}

// typeName says what v is, for error messages.
func (v value) typeName() string {
	switch v.kind {
	case valNil:
		return "nil"
	case valString:
		return "a string"
	case valInt:
		return "an int"
	case valBool:
		return "a boolean"
	case valDouble:
		return "a double"
	case valArray:
		return fmt.Sprintf("an array of %d", len(v.arr))
	}
	return "a struct"
}
