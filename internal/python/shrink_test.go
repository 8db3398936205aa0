package python

import (
	"bytes"
	"strings"
	"testing"
)

func TestShrinkEscapes(t *testing.T) {
	blob := strings.Repeat(`\x00\x90MZ\t`, maxEscapeRun/2) // 12 bytes a step: 6 times the longest run kept
	src := "import os\np = 'x.exe'\nopen(p, 'wb').write(b'MZ" + blob + "')\nos.startfile(p)\n"
	got := shrinkEscapes([]byte(src))
	if want := len(src) - len(blob) + maxEscapeRun; len(got) != want {
		t.Fatalf("shrunk to %d bytes, want %d", len(got), want)
	}
	if bytes.Count(got, []byte("\n")) != strings.Count(src, "\n") {
		t.Error("lines changed")
	}
	m, err := Load([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range m.Calls {
		names = append(names, c.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "os.startfile") || m.Calls[len(m.Calls)-1].Line != 4 {
		t.Errorf("calls after the blob: %v (last on line %d)", names, m.Calls[len(m.Calls)-1].Line)
	}
	small := "x = b'" + strings.Repeat(`\x41`, 1000) + "'\n"
	if got := shrinkEscapes([]byte(small)); string(got) != small {
		t.Error("a small file was changed")
	}
	// Long lines of code are never cut, escapes or not.
	code := "x = [" + strings.Repeat("1, ", 600000) + "]\ny = '\\x41'" + strings.Repeat(" + '\\x41'", 70000) + "\n"
	if got := shrinkEscapes([]byte(code)); string(got) != code {
		t.Error("code was cut")
	}
	// Escapes outside any literal (no quote on the line) are not cut.
	bare := strings.Repeat(`\x41`, 2*maxEscapeRun) + "\n"
	if got := shrinkEscapes([]byte(bare)); string(got) != bare {
		t.Error("text outside a literal was cut")
	}
}
