package analyze

import (
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
)

// UAC bypasses and new administrator accounts, next to the registry
// reads and account commands of ordinary tools.
func TestPrivilegePersistence(t *testing.T) {
	uac := "import winreg, subprocess\ndef elevate(cmd):\n    k = winreg.CreateKey(winreg.HKEY_CURRENT_USER, r'Software\\Classes\\ms-settings\\Shell\\Open\\command')\n    winreg.SetValueEx(k, 'DelegateExecute', 0, winreg.REG_SZ, '')\n    winreg.SetValueEx(k, '', 0, winreg.REG_SZ, cmd)\n    subprocess.Popen('C:\\\\Windows\\\\System32\\\\fodhelper.exe', shell=True)\n"
	tests := []struct {
		name    string
		files   map[string]string
		sev     Severity // of persistence; Info for none
		verdict Verdict
	}{
		{"fodhelper UAC bypass in a runtime helper", map[string]string{"p/util.py": uac}, Critical, Malicious},
		{"administrator account added at install", map[string]string{"setup.py": "import os\nos.system('net user support P@ssw0rd1 /add && net localgroup administrators support /add')\n"}, Critical, Malicious},
		{"account added by a runtime provisioning helper", map[string]string{"p/provision.py": "import subprocess\ndef add_user(name, pw):\n    subprocess.run(['net', 'user', name, pw, '/add'], check=True)\n"}, High, Suspicious},
		{"a settings app opening the ms-settings URI", map[string]string{"p/open.py": "import os\ndef display_settings():\n    os.startfile('ms-settings:display')\n"}, Info, Clean},
		{"listing local users", map[string]string{"p/users.py": "import subprocess\ndef users():\n    return subprocess.check_output(['net', 'user']).decode()\n"}, Info, Clean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sdist(t, tt.files)
			if r.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s; findings: %+v", r.Verdict, tt.verdict, r.Findings)
			}
			got := Info
			for _, f := range r.Findings {
				if f.Rule == "persistence" && f.Severity > got {
					got = f.Severity
				}
			}
			if got != tt.sev {
				t.Errorf("persistence at %s, want %s: %+v", got, tt.sev, r.Findings)
			}
		})
	}
}

// The cheap tests that run before the privilege expressions must accept
// every ASCII text the expressions match: generated matches, in assorted
// surroundings.
func TestPrivilegePreconditions(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tt := range []struct {
		name string
		re   *regexp.Regexp
		may  func(string) bool
	}{
		{"UAC key", reUACKey, mayBeUACKey},
		{"administrator account", reAdminAccount, mayAddAccount},
	} {
		re, err := syntax.Parse(tt.re.String(), syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		matched := 0
		for range 3000 {
			var b strings.Builder
			b.WriteString([]string{"", " ", "x", "\\", "\n"}[rng.IntN(5)])
			generate(rng, re, &b)
			s := b.String()
			if !isASCII([]byte(s)) || !tt.re.MatchString(s) {
				continue
			}
			matched++
			if !tt.may(s) {
				t.Fatalf("%s: %q matches, but the precondition refuses it", tt.name, s)
			}
		}
		if matched < 500 {
			t.Errorf("%s: only %d generated texts matched", tt.name, matched)
		}
	}
}

// foldOccurs agrees with a plain case-folded search, on random text made
// of the word's letters in both cases.
func TestFoldOccurs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, sub := range []string{"shell", "/add", "delegateexecute", "x"} {
		alphabet := sub + strings.ToUpper(sub) + " \\"
		for range 2000 {
			var b strings.Builder
			for range rng.IntN(40) {
				b.WriteByte(alphabet[rng.IntN(len(alphabet))])
			}
			s := b.String()
			want := strings.Contains(strings.ToLower(s), sub)
			if got := containsFold(s, sub); got != want {
				t.Fatalf("containsFold(%q, %q) = %v, want %v", s, sub, got, want)
			}
			at := strings.LastIndex(strings.ToLower(s), sub)
			if got := foldOccurs(s, sub, func(i int) bool { return i == at }); got != (at >= 0) {
				t.Fatalf("foldOccurs(%q, %q) at %d = %v", s, sub, at, got)
			}
		}
	}
}
