package python

import "testing"

func TestTopLevelConstants(t *testing.T) {
	src := []byte("" +
		"URL = 'https://example.invalid/x'  # where\n" +
		"RAW: str = r'C:\\temp\\n'\n" +
		"KEY = b'\\x41B'\n" +
		"TWICE = 'a'\nTWICE = 'b'\n" +
		"GROWN = 'a'\nGROWN += 'b'\n" +
		"EXPR = 'a' + x\n" +
		"LONG = '''one line'''\n" +
		"OPEN = '''spans\nlines'''\n" +
		"FMT = f'{x}'\n" +
		"    INDENTED = 'no'\n" +
		"if x == 'y': pass\n" +
		"CMP == 'z'\n")
	got := TopLevelConstants(src)
	want := map[string]string{"URL": "https://example.invalid/x", "RAW": `C:\temp\n`, "KEY": "AB", "LONG": "one line"}
	for k, w := range want {
		if v, ok := got[k]; !ok || !v.Known || v.S != w {
			t.Errorf("%s = %+v, want %q", k, v, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s = %+v, want no constant", k, got[k])
		}
	}
	if !got["KEY"].Bytes || got["URL"].Bytes {
		t.Errorf("bytes flags: KEY %v, URL %v", got["KEY"].Bytes, got["URL"].Bytes)
	}
}

func TestLoadWithExternal(t *testing.T) {
	consts := map[string]string{"cfg.URL": "https://example.invalid/c"}
	ext := func(imp Import, member string) (Value, bool) {
		name := imp.Module
		for _, part := range []string{imp.Name, member} {
			if part != "" {
				name += "." + part
			}
		}
		s, ok := consts[name]
		return known(s, false), ok
	}
	tests := []struct {
		name, src string
		want      string // the known value of the first call's argument, "" for none
	}{
		{"a member imported by name", "from cfg import URL\ndef f():\n    get(URL)\n", "https://example.invalid/c"},
		{"a module's attribute", "import cfg\nget(cfg.URL)\n", "https://example.invalid/c"},
		{"rebound after the import", "from cfg import URL\nURL = make()\nget(URL)\n", ""},
		{"a parameter of the same name", "from cfg import URL\ndef f(URL):\n    get(URL)\n", ""},
		{"imported inside a function", "def f():\n    from cfg import URL\n    get(URL)\n", ""},
		{"a name the module does not define", "from cfg import OTHER\nget(OTHER)\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := LoadWith([]byte(tt.src), ext)
			if err != nil {
				t.Fatal(err)
			}
			var got Value
			for _, c := range m.Calls {
				if c.Name == "get" {
					got = m.Eval(c.Args[0])
				}
			}
			if tt.want == "" && got.Known || tt.want != "" && (!got.Known || got.S != tt.want) {
				t.Errorf("value %+v, want %q", got, tt.want)
			}
		})
	}
}

func FuzzTopLevelConstants(f *testing.F) {
	for _, s := range []string{"URL = 'x'\n", "K: str = b'\\x41'\n", "A = '''a'''\nA += 'b'\n", "B = r'\\'\n", "C = 'unterminated\n", "if = 'x'\n", "D=''#\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for name, v := range TopLevelConstants(src) {
			if name == "" || !identStartByte(name[0]) || !v.Known {
				t.Fatalf("constant %q = %+v", name, v)
			}
		}
	})
}
