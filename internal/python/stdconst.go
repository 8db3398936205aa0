package python

// stdlibConstants are the string constants of the standard library that
// character maps are built from (str.maketrans(string.ascii_lowercase,
// string.ascii_lowercase[::-1]) is atbash).
var stdlibConstants = map[string]string{
	"string.ascii_lowercase": "abcdefghijklmnopqrstuvwxyz",
	"string.ascii_uppercase": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"string.ascii_letters":   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"string.digits":          "0123456789",
	"string.hexdigits":       "0123456789abcdefABCDEF",
	"string.octdigits":       "01234567",
	"string.punctuation":     "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
	"string.whitespace":      " \t\n\r\x0b\x0c",
	"string.printable":       "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c",
}
