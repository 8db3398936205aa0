package pypi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// scanAll returns the tokens of data as "<name", "</name" and "text"
// strings, adjacent texts merged; ok is false when the scanner refuses
// the document.
func scanAll(data []byte) (toks []string, err error) {
	s := scanner{buf: data}
	for {
		t, err := s.next()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case tokEOF:
			return toks, nil
		case tokStart:
			toks = append(toks, "<"+string(t.name))
		case tokEnd:
			toks = append(toks, "</"+string(t.name))
		case tokText:
			toks = appendText(toks, string(t.text))
		}
	}
}

func appendText(toks []string, text string) []string {
	if n := len(toks); n > 0 && !strings.HasPrefix(toks[n-1], "<") {
		toks[n-1] += text
		return toks
	}
	if text == "" {
		return toks
	}
	return append(toks, text)
}

// referenceScan is scanAll done by encoding/xml.
func referenceScan(data []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var toks []string
	for {
		t, err := d.RawToken()
		if err == io.EOF {
			return toks, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			toks = append(toks, "<"+t.Name.Local)
		case xml.EndElement:
			toks = append(toks, "</"+t.Name.Local)
		case xml.CharData:
			toks = appendText(toks, string(t))
		case xml.Directive:
			return nil, errors.New("directive")
		}
	}
}

func TestScanner(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"python's answer", "<?xml version='1.0'?>\n<a>\n<b>x</b>\n</a>\n", []string{"\n", "<a", "\n", "<b", "x", "</b", "\n", "</a", "\n"}},
		{"self-closing", "<nil/><x />", []string{"<nil", "</nil", "<x", "</x"}},
		{"references", "<s>&lt;&#233;&#x1F600;&amp;&quot;&apos;&gt;</s>", []string{"<s", "<é😀&\"'>", "</s"}},
		{"cdata and comment", "<s>a<![CDATA[<b>&amp;]]><!-- c -->d</s>", []string{"<s", "a<b>&amp;d", "</s"}},
		{"carriage returns", "<s>a\r\nb\rc</s>", []string{"<s", "a\nb\nc", "</s"}},
		{"spaces in tags", "<s >x</s\n>", []string{"<s", "x", "</s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scanAll([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			ref, err := referenceScan([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(ref, got); d != "" {
				t.Errorf("differs from encoding/xml (-xml +scanner):\n%s", d)
			}
		})
	}
}

// FuzzScanner holds the scanner to encoding/xml: what it accepts,
// encoding/xml accepts too and splits into the same tokens.
func FuzzScanner(f *testing.F) {
	f.Add([]byte("<?xml version='1.0'?>\n<methodResponse><params><param><value><string>a&amp;b</string></value></param></params></methodResponse>\n"))
	f.Add([]byte("<a><![CDATA[x]]><!-- c --><b/>&#x41;\r\n</a>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := scanAll(data)
		if err != nil {
			return
		}
		want, err := referenceScan(data)
		if err != nil {
			t.Fatalf("scanner accepts what encoding/xml refuses (%v)", err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("(-encoding/xml +scanner):\n%s", d)
		}
	})
}
