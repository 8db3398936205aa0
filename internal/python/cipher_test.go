package python

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// pyBytes renders b as a Python bytes literal of \x escapes.
func pyBytes(b []byte) string {
	var s strings.Builder
	s.WriteString(`b"`)
	for _, c := range b {
		fmt.Fprintf(&s, `\x%02x`, c)
	}
	s.WriteString(`"`)
	return s.String()
}

func xorWith(s string, key []byte) []byte {
	out := make([]byte, len(s))
	for i := range len(s) {
		out[i] = s[i] ^ key[i%len(key)]
	}
	return out
}

func shift(s string, k int) string {
	out := []rune{}
	for _, r := range s {
		out = append(out, r+rune(k))
	}
	return string(out)
}

// payloadWith returns the payload of m that holds want, or fails.
func payloadWith(t *testing.T, m *Module, want string) StringLit {
	t.Helper()
	for _, p := range m.Payloads {
		if strings.Contains(p.Value.S, want) {
			return p
		}
	}
	var got []string
	for _, p := range m.Payloads {
		got = append(got, fmt.Sprintf("%q %v", p.Value.S, p.Value.Decoders))
	}
	t.Fatalf("no payload holds %q; payloads: %v", want, got)
	return StringLit{}
}

const plain = "import os; os.system('id')"

func TestCipherFolding(t *testing.T) {
	single := pyBytes(xorWith(plain, []byte{0x5a}))
	keyed := pyBytes(xorWith(plain, []byte("k3y")))
	shifted := strings.ReplaceAll(shift(plain, 3), "'", `\'`)
	tests := []struct {
		name, src, cipher string
	}{
		{"single-byte xor in a generator", fmt.Sprintf("d = %s\nexec(bytes(b ^ 0x5a for b in d))\n", single), cipherXOR},
		{"repeating key with enumerate", fmt.Sprintf("k = b'k3y'\nd = %s\nexec(bytes(c ^ k[i %% len(k)] for i, c in enumerate(d)).decode())\n", keyed), cipherXOR},
		{"repeating key with zip and cycle", fmt.Sprintf("import itertools\nd = %s\nexec(bytes(a ^ b for a, b in zip(d, itertools.cycle(b'k3y'))))\n", keyed), cipherXOR},
		{"chr of ord xor on a string", fmt.Sprintf("s = %q\nexec(''.join(chr(ord(c) ^ 90) for c in s))\n", string(xorWith(plain, []byte{90}))), cipherXOR},
		{"caesar shift", fmt.Sprintf("s = '%s'\nexec(''.join([chr(ord(c) - 3) for c in s]))\n", shifted), cipherMap},
		{"loop into an accumulator", fmt.Sprintf("d = %s\nk = b'k3y'\nout = ''\nfor i in range(len(d)):\n    out += chr(d[i] ^ k[i %% len(k)])\nexec(out)\n", keyed), cipherXOR},
		{"loop appending to a bytearray", fmt.Sprintf("d = %s\nbuf = bytearray()\nfor b in d:\n    buf.append(b ^ 0x5a)\nexec(bytes(buf))\n", single), cipherXOR},
		{"helper function with a loop", fmt.Sprintf("def dec(data, key):\n    r = ''\n    for i, c in enumerate(data):\n        r = r + chr(c ^ key[i %% len(key)])\n    return r\nexec(dec(%s, b'k3y'))\n", keyed), cipherXOR},
		{"maketrans and translate", fmt.Sprintf("t = str.maketrans('abcdefghijklmnopqrstuvwxyz', 'zyxwvutsrqponmlkjihgfedcba')\nexec(%q.translate(t))\n", atbash(plain)), cipherMap},
		{"atbash of lower-case letters in a conditional comprehension", fmt.Sprintf("s = %q\nexec(''.join(chr(ord('a') + ord('z') - ord(c)) if c.islower() else c for c in s))\n", atbash(plain)), cipherMap},
		{"a shift that keeps spaces and punctuation", fmt.Sprintf("s = '%s'\nexec(''.join(c if c in \" ;.()'\" else chr(ord(c) - 3) for c in s))\n", strings.ReplaceAll(shiftLetters(plain, 3), "'", `\'`)), cipherMap},
		{"character map dict", fmt.Sprintf("m = {%s}\ns = %q\nexec(''.join(m.get(c, c) for c in s))\n", atbashDict(), atbash(plain)), cipherMap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := load(t, tt.src)
			p := payloadWith(t, m, "os.system('id')")
			if !slices.Contains(p.Value.Decoders, tt.cipher) {
				t.Errorf("decoders %v, want %s", p.Value.Decoders, tt.cipher)
			}
			for _, c := range m.Calls {
				if c.Name == "builtins.exec" {
					if v := m.Eval(c.Args[0]); !strings.Contains(v.S, "os.system") || len(v.Decoders) == 0 {
						t.Errorf("exec argument %q %v, want the plaintext with its cipher", v.S, v.Decoders)
					}
				}
			}
		})
	}
}

func atbash(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = 'z' - (c - 'a')
		}
	}
	return string(b)
}

func atbashDict() string {
	var parts []string
	for c := 'a'; c <= 'z'; c++ {
		parts = append(parts, fmt.Sprintf("'%c': '%c'", c, 'z'-(c-'a')))
	}
	return strings.Join(parts, ", ")
}

// Copies and conversions of constants decipher nothing: no cipher tag,
// no payload.
func TestCipherLookAlikes(t *testing.T) {
	for _, src := range []string{
		"s = 'import os'\nx = ''.join(c for c in s)\n",
		"s = 'import os'\ncodes = [ord(c) for c in s]\nx = bytes(codes)\n",
		"s = 'hello world'\nx = ''.join(c.upper() for c in s)\n",
		"flags = 0x10 ^ 0x20\nout = ''\nfor c in 'abc':\n    out += c\n",
	} {
		m := load(t, src)
		for _, p := range m.Payloads {
			t.Errorf("%q: payload %q %v", src, p.Value.S, p.Value.Decoders)
		}
	}
}

// A loop over a huge constant stops at its budget rather than running.
func TestCipherBounded(t *testing.T) {
	src := fmt.Sprintf("d = b'%s'\nfor _ in range(3):\n    x = bytes(b ^ 1 for b in d)\nout = ''\nfor i in range(10**9):\n    out += chr(i %% 256)\n", strings.Repeat("A", 1<<20))
	m := load(t, src)
	if m.loopWork > maxLoopWork+elemBudget {
		t.Errorf("loop work %d past the cap %d", m.loopWork, maxLoopWork)
	}
}

// Codes kept in a split string, hex pairs sliced in a loop, map(chr) of
// a deciphered list.
func TestCipherForms(t *testing.T) {
	var codes, hexed []string
	for _, c := range []byte(plain) {
		codes = append(codes, fmt.Sprint(int(c^7)))
		hexed = append(hexed, fmt.Sprintf("%02x", c^0x11))
	}
	for _, src := range []string{
		fmt.Sprintf("exec(''.join(chr(int(x) ^ 7) for x in '%s'.split(',')))\n", strings.Join(codes, ",")),
		fmt.Sprintf("h = '%s'\nexec(''.join(chr(int(h[i:i+2], 16) ^ 0x11) for i in range(0, len(h), 2)))\n", strings.Join(hexed, "")),
		fmt.Sprintf("exec(''.join(map(chr, [int(x) ^ 7 for x in '%s'.split()])))\n", strings.Join(codes, " ")),
	} {
		m := load(t, src)
		p := payloadWith(t, m, "os.system('id')")
		if !slices.Contains(p.Value.Decoders, cipherXOR) {
			t.Errorf("%q: decoders %v, want xor", src, p.Value.Decoders)
		}
	}
}

// shiftLetters shifts every character but spaces and ;.()' by n.
func shiftLetters(s string, n int) string {
	b := []byte(s)
	for i, c := range b {
		if !strings.ContainsRune(" ;.()'", rune(c)) {
			b[i] = c + byte(n)
		}
	}
	return string(b)
}
