package pypitest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// PyPI's fault codes and strings (warehouse's legacy XML-RPC views and
// pyramid_rpc).
const (
	codeWrapped        = -32500
	codeParse          = -32700
	codeMethodNotFound = -32601
	codeInvalidParams  = -32602
	rateLimitMessage   = "HTTPTooManyRequests: The action could not be performed because there were too many requests by the client. Limit may reset in 1 seconds."
	changelogMessage   = "ValueError: The changelog method has been deprecated, use changelog_since_serial instead."
)

// methodCall is the part of an XML-RPC request the fake reads.
type methodCall struct {
	Method string `xml:"methodName"`
	Params []struct {
		Value struct {
			Int    *string `xml:"int"`
			I4     *string `xml:"i4"`
			I8     *string `xml:"i8"`
			String *string `xml:"string"`
			Text   string  `xml:",chardata"`
		} `xml:"value"`
	} `xml:"params>param"`
}

// intParam returns parameter i when it is an integer (pydantic's
// StrictInt: a string holding digits is refused).
func (c *methodCall) intParam(i int) (int64, bool) {
	if i >= len(c.Params) {
		return 0, false
	}
	v := c.Params[i].Value
	for _, p := range []*string{v.Int, v.I4, v.I8} {
		if p != nil {
			n, err := strconv.ParseInt(strings.TrimSpace(*p), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

func (s *Server) serveXMLRPC(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var call methodCall
	if err == nil {
		err = xml.Unmarshal(body, &call)
	}
	s.mu.Lock()
	s.calls.XMLRPC++
	s.calls.Methods[call.Method]++
	if s.take(Unavailable) {
		s.mu.Unlock()
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		return
	}
	var out []byte
	switch {
	case s.limited():
		out = faultXML(codeWrapped, rateLimitMessage)
	case err != nil:
		out = faultXML(codeParse, "parse error; not well formed")
	default:
		out = s.answer(&call)
	}
	if s.take(MalformedXMLRPC) {
		out = malformed(out)
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.Write(out)
}

// answer runs a call. Call with s.mu held.
func (s *Server) answer(call *methodCall) []byte {
	switch call.Method {
	case "changelog_last_serial":
		return responseXML(func(b *bytes.Buffer) { intXML(b, int64(len(s.journal))) })
	case "changelog_since_serial":
		since, ok := call.intParam(0)
		if !ok || len(call.Params) != 1 {
			return faultXML(codeInvalidParams, "client error; serial: Input should be a valid integer")
		}
		return responseXML(func(b *bytes.Buffer) { s.rowsXML(b, since) })
	case "changelog":
		return faultXML(codeWrapped, changelogMessage)
	}
	return faultXML(codeMethodNotFound, "server error; requested method not found")
}

// rowsXML writes the journal after since, at most s.batch rows, as
// Python's xmlrpc.client writes a list of tuples.
func (s *Server) rowsXML(b *bytes.Buffer, since int64) {
	b.WriteString("<value><array><data>\n")
	start := max(since, 0)
	for i := start; i < int64(len(s.journal)) && i < start+int64(s.batch); i++ {
		e := s.journal[i]
		b.WriteString("<value><array><data>\n")
		stringXML(b, e.name)
		if e.version == "" {
			b.WriteString("<value><nil/></value>\n")
		} else {
			stringXML(b, e.version)
		}
		intXML(b, e.time)
		stringXML(b, cleanForXML(e.action))
		intXML(b, e.serial)
		b.WriteString("</data></array></value>\n")
	}
	b.WriteString("</data></array></value>\n")
}

func responseXML(value func(*bytes.Buffer)) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n")
	value(&b)
	b.WriteString("</param>\n</params>\n</methodResponse>\n")
	return b.Bytes()
}

func faultXML(code int64, msg string) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n")
	intXML(&b, code)
	b.WriteString("</member>\n<member>\n<name>faultString</name>\n")
	stringXML(&b, msg)
	b.WriteString("</member>\n</struct></value>\n</fault>\n</methodResponse>\n")
	return b.Bytes()
}

func intXML(b *bytes.Buffer, n int64) {
	fmt.Fprintf(b, "<value><int>%d</int></value>\n", n)
}

// xmlEscaper escapes as Python's xmlrpc.client does: &, < and > only.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func stringXML(b *bytes.Buffer, s string) {
	b.WriteString("<value><string>")
	xmlEscaper.WriteString(b, s)
	b.WriteString("</string></value>\n")
}

// cleanForXML does what warehouse does to an action before answering it:
// characters outside ASCII become character references (written as text,
// so the client sees "&#8230;") and characters XML cannot hold are dropped.
func cleanForXML(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
		case r >= 0x80:
			fmt.Fprintf(&b, "&#%d;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// malformed breaks an answer the way a cut connection or a broken proxy
// would: it stops halfway and ends inside a value.
func malformed(out []byte) []byte {
	half := len(out) / 2
	return append(out[:half:half], "<value><arr"...)
}
