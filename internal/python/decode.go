package python

import (
	"bytes"
	"compress/bzip2"
	"compress/zlib"
	"encoding/ascii85"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
)

// maxDecoded bounds what one decoder may produce: a blob may be a bomb.
const maxDecoded = 16 << 20

var errTooLarge = errors.New("decoded value too large")

// decoders are the standard-library decoders applied to constants, by the
// canonical name of the Python function.
var decoders = map[string]func(string) (string, error){
	"base64.b64decode":           b64,
	"base64.standard_b64decode":  b64,
	"base64.decodebytes":         b64,
	"base64.decodestring":        b64,
	"base64.urlsafe_b64decode":   b64url,
	"base64.b32decode":           func(s string) (string, error) { return decodeWith(base32.StdEncoding.DecodeString, s) },
	"base64.b16decode":           func(s string) (string, error) { return decodeWith(hex.DecodeString, s) },
	"base64.b85decode":           b85,
	"base64.a85decode":           a85,
	"binascii.a2b_base64":        b64,
	"binascii.unhexlify":         unhex,
	"binascii.a2b_hex":           unhex,
	"builtins.bytes.fromhex":     unhex,
	"builtins.bytearray.fromhex": unhex,
	"zlib.decompress":            func(s string) (string, error) { return inflate(s) },
	"gzip.decompress":            func(s string) (string, error) { return gunzip(s) },
	"bz2.decompress":             func(s string) (string, error) { return readCapped(bzip2.NewReader(strings.NewReader(s))) },
	"lzma.decompress":            unlzma,
}

func decodeWith(f func(string) ([]byte, error), s string) (string, error) {
	b, err := f(s)
	return string(b), err
}

func b64(s string) (string, error) {
	if strings.ContainsAny(s, " \n\r\t") {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
				return -1
			}
			return r
		}, s)
	}
	s = strings.TrimRight(s, "=")
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawURLEncoding.DecodeString(s)
	}
	return string(b), err
}

func b64url(s string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(s), "="))
	return string(b), err
}

func unhex(s string) (string, error) {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	return string(b), err
}

// b85 decodes Python's base64.b85decode alphabet (RFC 1924).
func b85(s string) (string, error) {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
	var idx [256]int
	for i := range idx {
		idx[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		idx[alphabet[i]] = i
	}
	pad := (5 - len(s)%5) % 5
	s += strings.Repeat("~", pad)
	out := make([]byte, 0, len(s)/5*4)
	for i := 0; i+5 <= len(s); i += 5 {
		var acc uint64
		for j := 0; j < 5; j++ {
			v := idx[s[i+j]]
			if v < 0 {
				return "", errors.New("invalid base85")
			}
			acc = acc*85 + uint64(v)
		}
		if acc > 0xffffffff {
			return "", errors.New("invalid base85 group")
		}
		out = append(out, byte(acc>>24), byte(acc>>16), byte(acc>>8), byte(acc))
	}
	return string(out[:len(out)-pad]), nil
}

func a85(s string) (string, error) {
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "<~"), "~>")
	dst := make([]byte, 4*len(s))
	n, _, err := ascii85.Decode(dst, []byte(s), true)
	return string(dst[:n]), err
}

func inflate(s string) (string, error) {
	r, err := zlib.NewReader(strings.NewReader(s))
	if err != nil {
		return "", err
	}
	return readCapped(r)
}

func gunzip(s string) (string, error) {
	r, err := gzip.NewReader(strings.NewReader(s))
	if err != nil {
		return "", err
	}
	return readCapped(r)
}

func unlzma(s string) (string, error) {
	if strings.HasPrefix(s, "\xfd7zXZ") {
		r, err := xz.NewReader(strings.NewReader(s))
		if err != nil {
			return "", err
		}
		return readCapped(r)
	}
	r, err := lzma.NewReader(strings.NewReader(s))
	if err != nil {
		return "", err
	}
	return readCapped(r)
}

func readCapped(r io.Reader) (string, error) {
	var b bytes.Buffer
	n, err := b.ReadFrom(io.LimitReader(r, maxDecoded+1))
	if n > maxDecoded {
		return "", errTooLarge
	}
	if err != nil && b.Len() == 0 {
		return "", err
	}
	return b.String(), nil
}
