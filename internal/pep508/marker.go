package pep508

import (
	"fmt"
	"strings"
)

// Marker is a parsed environment marker ("python_version < '3.8' and
// sys_platform == 'win32'").
type Marker struct {
	root *node
}

// node is an "and"/"or" of children, or a comparison.
type node struct {
	op          string // "and", "or", or a comparison operator
	left, right *node
	paren       bool // written in parentheses
	lhs, rhs    operand
}

type operand struct {
	variable string // a marker variable, or "" for a literal
	value    string
}

// markerVariables are the names PEP 508 defines (and the older dotted
// spellings packaging still accepts).
var markerVariables = map[string]string{
	"implementation_version": "implementation_version", "platform_python_implementation": "platform_python_implementation",
	"implementation_name": "implementation_name", "python_full_version": "python_full_version", "platform_release": "platform_release",
	"platform_version": "platform_version", "platform_machine": "platform_machine", "platform_system": "platform_system",
	"python_version": "python_version", "sys_platform": "sys_platform", "os_name": "os_name", "extra": "extra",
	"os.name": "os_name", "sys.platform": "sys_platform", "platform.version": "platform_version", "platform.machine": "platform_machine",
	"platform.python_implementation": "platform_python_implementation", "python_implementation": "platform_python_implementation",
}

// maxMarker bounds a marker's length and nesting.
const (
	maxMarker      = 4 << 10
	maxMarkerDepth = 32
)

// ParseMarker parses a marker expression.
func ParseMarker(s string) (*Marker, error) {
	if len(s) > maxMarker {
		return nil, fmt.Errorf("marker longer than %d bytes", maxMarker)
	}
	p := &markerParser{toks: nil}
	toks, err := lexMarker(s)
	if err != nil {
		return nil, err
	}
	p.toks = toks
	n, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.i != len(p.toks) {
		return nil, fmt.Errorf("invalid marker %q: unexpected %q", s, p.toks[p.i].text)
	}
	return &Marker{root: n}, nil
}

type token struct {
	kind string // "str", "var", "op", "(", ")", "and", "or"
	text string
}

var markerOps = []string{"===", "==", "!=", "<=", ">=", "~=", "<", ">"}

func lexMarker(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')':
			out = append(out, token{string(c), string(c)})
			i++
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("invalid marker %q: unterminated string", s)
			}
			out = append(out, token{"str", s[i+1 : i+1+j]})
			i += j + 2
		case strings.ContainsRune("=!<>~", rune(c)):
			op := ""
			for _, o := range markerOps {
				if strings.HasPrefix(s[i:], o) {
					op = o
					break
				}
			}
			if op == "" {
				return nil, fmt.Errorf("invalid marker %q: bad operator at %d", s, i)
			}
			out = append(out, token{"op", op})
			i += len(op)
		default:
			j := i
			for j < len(s) && (isAlnum(s[j]) || s[j] == '_' || s[j] == '.') {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("invalid marker %q: unexpected %q", s, c)
			}
			word := s[i:j]
			switch {
			case word == "and" || word == "or":
				out = append(out, token{word, word})
			case word == "in":
				out = append(out, token{"op", "in"})
			case word == "not":
				k := j
				for k < len(s) && s[k] == ' ' {
					k++
				}
				if !strings.HasPrefix(s[k:], "in") || k+2 < len(s) && isAlnum(s[k+2]) {
					return nil, fmt.Errorf("invalid marker %q: 'not' without 'in'", s)
				}
				out = append(out, token{"op", "not in"})
				j = k + 2
			default:
				v, ok := markerVariables[word]
				if !ok {
					return nil, fmt.Errorf("invalid marker %q: unknown variable %q", s, word)
				}
				out = append(out, token{"var", v})
			}
			i = j
		}
	}
	return out, nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

type markerParser struct {
	toks []token
	i    int
}

func (p *markerParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i].kind
	}
	return ""
}

func (p *markerParser) or(depth int) (*node, error) {
	left, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.peek() == "or" {
		p.i++
		right, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		left = &node{op: "or", left: left, right: right}
	}
	return left, nil
}

func (p *markerParser) and(depth int) (*node, error) {
	left, err := p.atom(depth)
	if err != nil {
		return nil, err
	}
	for p.peek() == "and" {
		p.i++
		right, err := p.atom(depth)
		if err != nil {
			return nil, err
		}
		left = &node{op: "and", left: left, right: right}
	}
	return left, nil
}

func (p *markerParser) atom(depth int) (*node, error) {
	if depth > maxMarkerDepth {
		return nil, fmt.Errorf("invalid marker: nested deeper than %d", maxMarkerDepth)
	}
	if p.peek() == "(" {
		p.i++
		n, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		n.paren = true
		if p.peek() != ")" {
			return nil, fmt.Errorf("invalid marker: missing ')'")
		}
		p.i++
		return n, nil
	}
	lhs, err := p.operand()
	if err != nil {
		return nil, err
	}
	if p.peek() != "op" {
		return nil, fmt.Errorf("invalid marker: expected an operator after %q", lhs.variable+lhs.value)
	}
	op := p.toks[p.i].text
	p.i++
	rhs, err := p.operand()
	if err != nil {
		return nil, err
	}
	return &node{op: op, lhs: lhs, rhs: rhs}, nil
}

func (p *markerParser) operand() (operand, error) {
	switch p.peek() {
	case "var":
		p.i++
		return operand{variable: p.toks[p.i-1].text}, nil
	case "str":
		p.i++
		return operand{value: p.toks[p.i-1].text}, nil
	}
	return operand{}, fmt.Errorf("invalid marker: expected a variable or a quoted string")
}

// String prints the marker as packaging does: variables bare, values in
// double quotes, parentheses where the source had them (a marker wholly in
// parentheses loses them).
func (m *Marker) String() string { return m.root.string(true) }

func (n *node) string(top bool) string {
	s := n.lhs.string() + " " + n.op + " " + n.rhs.string()
	if n.op == "and" || n.op == "or" {
		s = n.left.string(false) + " " + n.op + " " + n.right.string(false)
	}
	if n.paren && !top && (n.op == "and" || n.op == "or") {
		return "(" + s + ")"
	}
	return s
}

func (o operand) string() string {
	if o.variable != "" {
		return o.variable
	}
	if strings.Contains(o.value, `"`) {
		return "'" + o.value + "'" // a value holding " cannot hold ' too: the lexer has no escapes
	}
	return `"` + o.value + `"`
}

// Evaluate evaluates the marker in env, which maps marker variables to
// values ("python_version": "3.11"); a missing variable is "".
func (m *Marker) Evaluate(env map[string]string) (bool, error) { return m.root.eval(env) }

func (n *node) eval(env map[string]string) (bool, error) {
	switch n.op {
	case "and":
		l, err := n.left.eval(env)
		if err != nil || !l {
			return false, err
		}
		return n.right.eval(env)
	case "or":
		l, err := n.left.eval(env)
		if err != nil || l {
			return l, err
		}
		return n.right.eval(env)
	}
	lhs, rhs := n.lhs.resolve(env), n.rhs.resolve(env)
	switch n.op {
	case "in":
		return strings.Contains(rhs, lhs), nil
	case "not in":
		return !strings.Contains(rhs, lhs), nil
	}
	// A version comparison when the right side makes a specifier and the
	// left a version; else a comparison of strings.
	if sp, err := ParseSpecifier(n.op + rhs); err == nil {
		if _, err := parseVersion(lhs); err == nil {
			return sp.Contains(lhs, true), nil
		}
	}
	switch n.op {
	case "==":
		return lhs == rhs, nil
	case "!=":
		return lhs != rhs, nil
	case "<":
		return lhs < rhs, nil
	case "<=":
		return lhs <= rhs, nil
	case ">":
		return lhs > rhs, nil
	case ">=":
		return lhs >= rhs, nil
	}
	return false, fmt.Errorf("cannot compare %q %s %q", lhs, n.op, rhs)
}

func (o operand) resolve(env map[string]string) string {
	if o.variable != "" {
		return env[o.variable]
	}
	return o.value
}
