package analyze

import (
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// scanIndicatorsRef is the straightforward scan: lower-case the string and
// test every indicator's literals one by one. scanIndicators must agree.
func scanIndicatorsRef(s string) []hit {
	if len(s) < 4 {
		return nil
	}
	if len(s) > 256<<10 {
		s = s[:256<<10]
	}
	lower := strings.ToLower(s)
	var hits []hit
	for _, in := range indicators {
		found := len(in.prefilter) == 0
		for _, sub := range in.prefilter {
			found = found || strings.Contains(lower, sub)
		}
		if !found {
			continue
		}
		if m := in.re.FindString(s); m != "" {
			hits = append(hits, hit{in.name, m})
		}
	}
	return hits
}

var indicatorSamples = []string{
	"",
	"abc",
	"https://discord.com/api/webhooks/123/abc",
	"HTTPS://DISCORDAPP.COM/API/WEBHOOKS/1/x",
	"see webhook.site and hooks.slack.com/services/T0",
	"http://10.0.0.1:8080/x",
	"tcp://1.2.3.4",
	`C:\Users\x\AppData\Local\Google\Chrome\User Data`,
	"Local State",
	"Login Data",
	`AppData\Roaming\discord\Local Storage\leveldb`,
	"mfa." + strings.Repeat("a", 84),
	"~/.ssh/id_rsa and ~/.aws/credentials",
	"AWS_SECRET_ACCESS_KEY",
	"echo x >> ~/.bashrc; crontab -l",
	`Software\Microsoft\Windows\CurrentVersion\Run`,
	"xmrig --donate-level 1 stratum+tcp://pool",
	"powershell Add-MpPreference -ExclusionPath C:\\",
	"api.ipify.org",
	"exodus.wallet Electrum/wallets",
	// Lower-casing turns the Kelvin sign into k and invalid bytes into U+FFFD.
	"\u212Aey4.db at ~/.moz/\u212Aey4.db",
	"wallet.dat\xff\xfe",
	"\u0130\u212A .SSH/ID_RSA",
	"ordinary text with no indicator at all, just words",
	"{24}\\.{84}",
	// Long strings not in ASCII, searched around their literals and around
	// the Kelvin signs and long s's that spell them.
	strings.Repeat("é filler ", 600) + "\u017Ftratum+tcp://pool" + strings.Repeat(" filler", 600),
	strings.Repeat("\u017F", 900) + "x stratum+tcp://pool " + strings.Repeat("\u212A", 900),
	strings.Repeat("é ", 900) + "~/.\u017F\u017Fh/id_rsa \u212A" + strings.Repeat("é ", 900),
}

func TestScanIndicatorsMatchesReference(t *testing.T) {
	for _, s := range indicatorSamples {
		if diff := cmp.Diff(scanIndicatorsRef(s), scanIndicators(s), cmp.AllowUnexported(hit{})); diff != "" {
			t.Errorf("scanIndicators(%q) (-want +got):\n%s", s, diff)
		}
	}
}

func TestPrefilterLiteralsAreLowerCaseASCII(t *testing.T) {
	for _, in := range indicators {
		for _, lit := range in.prefilter {
			for i := 0; i < len(lit); i++ {
				if lit[i] >= 0x80 || lit[i] >= 'A' && lit[i] <= 'Z' {
					t.Errorf("%s: prefilter %q is not lower-case ASCII", in.name, lit)
				}
			}
		}
	}
}

func TestLiteralSet(t *testing.T) {
	groups := [][]string{{"he", "she"}, {"his", "hers"}, {"webhook"}, {"webhook.site"}, {"a"}}
	ls := newLiteralSet(groups)
	tests := []struct {
		in        string
		want      uint64
		wantASCII bool
	}{
		{"", 0, true},
		{"ushers", 1<<0 | 1<<1, true},
		{"HIS", 1 << 1, true},
		{"x WebHook.Site", 1<<2 | 1<<3, true},
		{"webhook.sit", 1 << 2, true},
		{"bA", 1 << 4, true},
		{"\u212A", 0, false},
		{"h\xffis", 0, false},
	}
	for _, tt := range tests {
		if got, ascii := ls.scan(tt.in); got != tt.want || ascii != tt.wantASCII {
			t.Errorf("scan(%q) = %b, %v; want %b, %v", tt.in, got, ascii, tt.want, tt.wantASCII)
		}
	}
}

func FuzzScanIndicators(f *testing.F) {
	for _, s := range indicatorSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if diff := cmp.Diff(scanIndicatorsRef(s), scanIndicators(s), cmp.AllowUnexported(hit{})); diff != "" {
			t.Errorf("scanIndicators(%q) (-want +got):\n%s", s, diff)
		}
	})
}

// indicatorCorpus is strings like those of real files: mostly ordinary
// identifiers, messages and URLs, a few indicators.
func indicatorCorpus() []string {
	var out []string
	for i := range 2000 {
		switch i % 10 {
		case 0:
			out = append(out, "https://pypi.org/project/example/")
		case 1:
			out = append(out, "utf-8")
		case 2:
			out = append(out, strings.Repeat("The quick brown fox jumps over the lazy dog. ", 20))
		case 3:
			out = append(out, indicatorSamples[i%len(indicatorSamples)])
		default:
			out = append(out, "some_identifier_name")
		}
	}
	return out
}

func BenchmarkScanIndicators(b *testing.B) {
	strs := indicatorCorpus()
	n := 0
	for _, s := range strs {
		n += len(s)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range strs {
			scanIndicators(s)
		}
	}
}

func BenchmarkScanIndicatorsRef(b *testing.B) {
	strs := indicatorCorpus()
	n := 0
	for _, s := range strs {
		n += len(s)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range strs {
			scanIndicatorsRef(s)
		}
	}
}

// generate writes a random string that re may match (assertions are
// ignored), folding case at random where the expression does.
func generate(rng *rand.Rand, re *syntax.Regexp, b *strings.Builder) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && rng.IntN(2) == 0 {
				r = unicode.SimpleFold(r)
			}
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		i := 2 * rng.IntN(len(re.Rune)/2)
		lo, hi := re.Rune[i], min(re.Rune[i+1], re.Rune[i]+50)
		b.WriteRune(lo + rune(rng.IntN(int(hi-lo)+1)))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('x')
	case syntax.OpCapture:
		generate(rng, re.Sub[0], b)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := 0, 3
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpQuest:
			hi = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
			if hi < 0 {
				hi = lo + 3
			}
		}
		for range lo + rng.IntN(hi-lo+1) {
			generate(rng, re.Sub[0], b)
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			generate(rng, sub, b)
		}
	case syntax.OpAlternate:
		generate(rng, re.Sub[rng.IntN(len(re.Sub))], b)
	}
}

// TestScanIndicatorsGenerated checks strings built to match each
// indicator, in assorted surroundings, against the reference scan.
func TestScanIndicatorsGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	contexts := []string{"", " ", "x", "/", "\\", "\n", "é", "\u212A"}
	matched := 0
	for _, in := range indicators {
		re, err := syntax.Parse(in.re.String(), syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		for range 3000 {
			var b strings.Builder
			b.WriteString(contexts[rng.IntN(len(contexts))])
			generate(rng, re, &b)
			b.WriteString(contexts[rng.IntN(len(contexts))])
			s := b.String()
			if in.re.MatchString(s) {
				matched++
			}
			if diff := cmp.Diff(scanIndicatorsRef(s), scanIndicators(s), cmp.AllowUnexported(hit{})); diff != "" {
				t.Fatalf("scanIndicators(%q) (-want +got):\n%s", s, diff)
			}
		}
	}
	if matched < len(indicators)*1000 {
		t.Errorf("only %d generated strings matched", matched)
	}
}

// TestScanIndicatorsLongStrings checks long strings, which are searched
// only around their literals, against the reference scan: generated
// matches amid kilobytes of text holding near misses of the same literals.
func TestScanIndicatorsLongStrings(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	decoys := []string{"cookies", "naïve ", "\u212Aey4.db ", "\u017Ftratum+tcp://", "://", "wallet", " bitcoin ", "Login Data ", "_token", "crontab", "webhook", "x.oast.zzz", "ngrok", "pastebin"}
	filler := func(b *strings.Builder) {
		for range rng.IntN(40) {
			b.WriteString(strings.Repeat("The quick brown fox. ", rng.IntN(20)))
			b.WriteString(decoys[rng.IntN(len(decoys))])
		}
	}
	matched := 0
	for _, in := range indicators {
		re, err := syntax.Parse(in.re.String(), syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		for range 16 {
			var b strings.Builder
			filler(&b)
			for range rng.IntN(3) {
				generate(rng, re, &b)
				filler(&b)
			}
			s := b.String()
			if len(s) > 2*searchWindow && in.re.MatchString(s) {
				matched++
			}
			if diff := cmp.Diff(scanIndicatorsRef(s), scanIndicators(s), cmp.AllowUnexported(hit{})); diff != "" {
				t.Fatalf("scanIndicators(%d bytes) (-want +got):\n%s", len(s), diff)
			}
		}
	}
	if matched < len(indicators)*5 {
		t.Errorf("only %d long strings matched", matched)
	}
}

func TestRegexCover(t *testing.T) {
	tests := []struct {
		expr string
		want []string
		ok   bool
	}{
		{`abc`, []string{"abc"}, true},
		{`(?i)AbC`, []string{"abc"}, true},
		{`a|bc`, []string{"a", "bc"}, true},
		{`a?`, nil, false},
		{`x*`, nil, false},
		{`\bfoo(?:bar|baz)?\b`, []string{"foo", "foobar", "foobaz"}, true},
		{`foo\w+bar`, []string{"foo"}, true},
		{`\w+\.bar`, []string{".bar"}, true},
		{`(?:https?|ftp)://\d+`, []string{"http://0", "http://1", "http://2", "http://3", "http://4", "http://5", "http://6", "http://7", "http://8", "http://9",
			"https://0", "https://1", "https://2", "https://3", "https://4", "https://5", "https://6", "https://7", "https://8", "https://9",
			"ftp://0", "ftp://1", "ftp://2", "ftp://3", "ftp://4", "ftp://5", "ftp://6", "ftp://7", "ftp://8", "ftp://9"}, true},
		{`a|.*`, nil, false},
		{`é`, nil, true}, // no ASCII text matches
	}
	for _, tt := range tests {
		got, ok := regexCover(tt.expr)
		if ok != tt.ok || !cmp.Equal(got, tt.want, cmpopts.SortSlices(func(a, b string) bool { return a < b }), cmpopts.EquateEmpty()) {
			t.Errorf("regexCover(%q) = %q, %v; want %q, %v", tt.expr, got, ok, tt.want, tt.ok)
		}
	}
}

// BenchmarkScanIndicatorsLong scans a 200 KB decoded program that names
// a few literals the indicators look for but matches none of them.
func BenchmarkScanIndicatorsLong(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 200<<10; i++ {
		sb.WriteString("def handler(request):\n    data = request.cookies.get('session')\n    return fetch('https://example.org/api', data)\n")
		if i%500 == 0 {
			sb.WriteString("# the wallet module keeps its state under ~/.config/app\n")
		}
	}
	s := sb.String()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		scanIndicators(s)
	}
}

func TestAnchored(t *testing.T) {
	for expr, want := range map[string]bool{`(?:^|/)Login Data$`: true, `\Ax`: true, `a[^/]+b`: false, `x\z`: true, `paste\.ee/r`: false} {
		if got := anchored(regexp.MustCompile(expr)); got != want {
			t.Errorf("anchored(%q) = %v, want %v", expr, got, want)
		}
	}
	if filter.windowed&(1<<2) == 0 { // paste-or-file-drop: [^/] only
		t.Error("an expression with a negated class is not searched in windows")
	}
}
