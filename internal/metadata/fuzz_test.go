package metadata

import (
	"flag"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/safeguard-dev/safeguard/internal/fuzzseed"
)

func FuzzParseCore(f *testing.F) {
	f.Add([]byte("Metadata-Version: 2.1\nName: a\nVersion: 1\n\nbody"))
	f.Add([]byte("Name: x\n  cont\nDescription: a\n       |b\n"))
	f.Add([]byte("\xef\xbb\xbfName:\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := ParseCore(data)
		for _, s := range append([]string{c.Name, c.Version, c.Description}, c.RequiresDist...) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 escaped the parser: %q", s)
			}
		}
		if c.Name != "" && !strings.Contains(string(data), strings.SplitN(c.Name, "\n", 2)[0]) && utf8.Valid(data) {
			t.Fatalf("name %q is not in the input", c.Name)
		}
	})
}

func FuzzParseRecord(f *testing.F) {
	f.Add([]byte("a.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\nx/RECORD,,\n"))
	f.Add([]byte("\"a\"\"b\",sha512=AA==,1\n,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := ParseRecord(data)
		for _, e := range r.Entries {
			if e.Path == "" || e.Size < -1 || (e.Algorithm == "" && e.Digest != nil) {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}

func FuzzParseINI(f *testing.F) {
	f.Add([]byte("[metadata]\nname = x\n[options]\ninstall_requires =\n  a\n  b\n"), true)
	f.Add([]byte("[console_scripts]\na = b:c [d]\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, colon bool) {
		ParseSetupCfg(data)
		ParseEntryPoints(data)
		ParseINI(data, colon)
	})
}

func FuzzParsePyproject(f *testing.F) {
	f.Add([]byte("[build-system]\nrequires=[\"a\"]\n[project]\nname=\"x\"\nlicense={text=\"y\"}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParsePyproject(data)
	})
}

var writeSeeds = flag.Bool("write-seeds", false, "write the fuzz seed corpus to testdata/fuzz")

func TestWriteFuzzSeeds(t *testing.T) {
	if !*writeSeeds {
		t.Skip("run with -write-seeds to regenerate testdata/fuzz")
	}
	for _, name := range []string{"PKG-INFO-1.1", "METADATA-2.4"} {
		must(t, fuzzseed.Write(".", "FuzzParseCore", readTestdata(t, name)))
	}
	for _, rec := range []string{
		"a.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\nx-1.dist-info/RECORD,,\n",
		"\"quoted \"\"name\"\"\",sha512=AA==,1\n\"unterminated,\n",
	} {
		must(t, fuzzseed.Write(".", "FuzzParseRecord", []byte(rec)))
	}
	must(t, fuzzseed.Write(".", "FuzzParseINI", []byte("[options]\ninstall_requires =\n  a\n  b ; comment\n"), true))
	must(t, fuzzseed.Write(".", "FuzzParsePyproject", []byte("[build-system]\nbackend-path=[\".\"]\n[project]\ndependencies=[1]\n")))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
