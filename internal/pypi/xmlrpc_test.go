package pypi

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const head = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
const tail = "</param>\n</params>\n</methodResponse>\n"

func TestDecodeResponse(t *testing.T) {
	tests := []struct {
		name string
		body string
		want any
	}{
		{"int", head + "<value><int>42</int></value>\n" + tail, int64(42)},
		{"i4 and i8", head + "<value><array><data><value><i4>-7</i4></value><value><i8>9000000000</i8></value></data></array></value>" + tail, []any{int64(-7), int64(9000000000)}},
		{"untyped value is a string", head + "<value>plain &amp; simple</value>" + tail, "plain & simple"},
		{"string with references", head + "<value><string>a&lt;b&gt;&#233;&#x41;</string></value>" + tail, "a<b>éA"},
		{"empty string", head + "<value><string></string></value>" + tail, ""},
		{"boolean, double, nil", head + "<value><array><data>\n<value><boolean>1</boolean></value>\n<value><double>-1.5</double></value>\n<value><nil/></value>\n</data></array></value>" + tail, []any{true, -1.5, nil}},
		{"struct", head + "<value><struct>\n<member>\n<name>a</name>\n<value><int>1</int></value>\n</member>\n<member><name>b</name><value>x</value></member></struct></value>" + tail, map[string]any{"a": int64(1), "b": "x"}},
		{"empty array", head + "<value><array><data>\n</data></array></value>\n" + tail, []any{}},
		{"comments and spaces", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- hi -->\n<methodResponse> <params> <param> <value> <int> 5 </int> </value> </param> </params> </methodResponse>\n\n", int64(5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeResponse([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got.any()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestDecodeFault(t *testing.T) {
	body := "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>-32500</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>HTTPTooManyRequests: The action could not be performed because there were too many requests by the client. Limit may reset in 3 seconds.</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n"
	_, err := decodeResponse([]byte(body))
	var f *Fault
	if !errors.As(err, &f) || f.Code != -32500 || !errors.Is(err, ErrRateLimited) || errors.Is(err, ErrMalformed) {
		t.Fatalf("got %v, want a rate-limit fault", err)
	}
	if d, ok := RetryAfter(err); !ok || d.Seconds() != 3 {
		t.Errorf("RetryAfter = %v, %v", d, ok)
	}
}

// TestDecodeMalformed checks that bad answers are ErrMalformed errors
// that say what was wrong.
func TestDecodeMalformed(t *testing.T) {
	deep := head + strings.Repeat("<value><array><data>", 40) + strings.Repeat("</data></array></value>", 40) + tail
	tests := []struct{ name, body, text string }{
		{"empty", "", "line 1 column 1: unexpected EOF"},
		{"html error page", "<html><body>502 Bad Gateway</body></html>", "want <methodResponse>, got <html>"},
		{"truncated", head + "<value><array><data>\n<value><arr", "unexpected EOF"},
		{"unclosed value", head + "<value><int>1</int>" + tail, "want </value>, got </param>"},
		{"bad int", head + "<value><int>12x</int></value>" + tail, "<int>12x</int> is not an integer"},
		{"int overflow", head + "<value><int>99999999999999999999</int></value>" + tail, "is not an integer"},
		{"bad boolean", head + "<value><boolean>yes</boolean></value>" + tail, "neither 0 nor 1"},
		{"nan", head + "<value><double>NaN</double></value>" + tail, "not a finite number"},
		{"unknown type", head + "<value><base64>AA==</base64></value>" + tail, "unsupported value type <base64>"},
		{"too deep", deep, "nested deeper than 32"},
		{"element in string", head + "<value><string>a<b/></string></value>" + tail, "want text in <string>, got <b>"},
		{"text before type", head + "<value>x<int>1</int></value>" + tail, `text "x" before <int>`},
		{"two documents", head + "<value>x</value>" + tail + "<methodResponse/>", "<methodResponse> after </methodResponse>"},
		{"mismatched end", head + "<value><string>x</int></value>" + tail, "want </string>, got </int>"},
		{"doctype", "<!DOCTYPE x [<!ENTITY a \"b\">]>" + head, "directive"},
		{"undefined entity", head + "<value>&bomb;</value>" + tail, "invalid character entity"},
		{"namespace", head + "<value><x:int>1</x:int></value>" + tail, "namespace"},
		{"fault without code", "<methodResponse><fault><value><struct></struct></value></fault></methodResponse>", "fault without an int faultCode"},
		{"fault not a struct", "<methodResponse><fault><value>oops</value></fault></methodResponse>", "fault is a string"},
		{"latin-1", "<?xml version='1.0' encoding='iso-8859-1'?>" + head, "iso-8859-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeResponse([]byte(tt.body))
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("got %v, want ErrMalformed saying %q", err, tt.text)
			}
		})
	}
}

// TestEncodeRoundTrip checks that what encodeValue writes decodes to the
// same value.
func TestEncodeRoundTrip(t *testing.T) {
	v := []any{int64(1), int64(1 << 40), "a<&>\"b", true, false, 2.5, nil, []any{}, map[string]any{"k": []any{"v"}}}
	got := roundTrip(t, v)
	if d := cmp.Diff(v, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	call, err := encodeCall("changelog_since_serial", 5)
	if err != nil {
		t.Fatal(err)
	}
	want := "<?xml version=\"1.0\"?>\n<methodCall>\n<methodName>changelog_since_serial</methodName>\n<params>\n<param><value><int>5</int></value></param>\n</params>\n</methodCall>\n"
	if string(call) != want {
		t.Errorf("encodeCall =\n%s\nwant\n%s", call, want)
	}
}

// roundTrip encodes v as a methodResponse and decodes it again.
func roundTrip(t testing.TB, v any) any {
	t.Helper()
	return decoded(t, v).any()
}

// decoded encodes v as a methodResponse and returns the decoded value.
func decoded(t testing.TB, v any) value {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>")
	if err := encodeValue(&b, v, 0); err != nil {
		t.Fatal(err)
	}
	b.WriteString("</param>\n</params>\n</methodResponse>\n")
	got, err := decodeResponse(b.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	return got
}

func TestDecodeTrailing(t *testing.T) {
	for _, end := range []string{"<x", "junk", "<!-- open"} {
		body := head + "<value>x</value>" + tail + end
		if _, err := decodeResponse([]byte(body)); !errors.Is(err, ErrMalformed) {
			t.Errorf("answer ending in %q: %v, want ErrMalformed", end, err)
		}
	}
}
