package analyze

import "strings"

// Canonical names of the APIs behaviours are made of. A name matches an
// entry exactly or, for entries ending in ".", by prefix.

var processAPIs = []string{
	"os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "os.startfile", "os.exec", "os.spawn", "os.posix_spawn",
	"subprocess.Popen", "subprocess.call", "subprocess.run", "subprocess.check_call", "subprocess.check_output",
	"subprocess.getoutput", "subprocess.getstatusoutput", "pty.spawn", "commands.getoutput", "commands.getstatusoutput",
	"popen2.", "platform.popen", "asyncio.create_subprocess_shell", "asyncio.create_subprocess_exec",
	"win32api.ShellExecute", "win32process.CreateProcess", "ctypes.windll.shell32.ShellExecuteW", "ctypes.windll.shell32.ShellExecuteA",
	"ctypes.windll.kernel32.WinExec",
}

var networkAPIs = []string{
	"requests.get", "requests.post", "requests.put", "requests.patch", "requests.delete", "requests.head", "requests.options",
	"requests.request", "requests.Session", "requests.session", "requests.api.", "httpx.get", "httpx.post", "httpx.put",
	"httpx.request", "httpx.stream", "httpx.Client", "httpx.AsyncClient", "urllib3.PoolManager", "urllib3.request",
	"urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool", "urllib3.connection_from_url", "aiohttp.ClientSession",
	"aiohttp.request", "pycurl.Curl", "websocket.create_connection", "websocket.WebSocket", "websocket.WebSocketApp",
	"websockets.connect", "ftplib.FTP", "smtplib.SMTP", "telnetlib.Telnet", "paramiko.SSHClient",
	"urllib.request.urlopen", "urllib.request.Request", "urllib.request.urlretrieve", "urllib.request.build_opener",
	"urllib.urlopen", "urllib.urlretrieve", "urllib2.urlopen", "urllib2.Request", "urllib.request.OpenerDirector",
	"http.client.HTTPConnection", "http.client.HTTPSConnection", "httplib.HTTPConnection", "httplib.HTTPSConnection",
	"socket.create_connection", "socket.socket().connect", "socket.socket().connect_ex", "socket.socket().sendto",
	"socket.socket().send", "socket.socket().sendall", "socket.gethostbyname", "socket.getaddrinfo", "dns.resolver.",
	"discord_webhook.", "dhooks.", "telebot.", "telegram.Bot", "discord.Webhook.", "discord.SyncWebhook.",
	// A browser opened on a URL requests it, query and all.
	"webbrowser.open", "webbrowser.open_new", "webbrowser.open_new_tab",
}

// downloadAPIs fetch content that can be saved and run.
var downloadAPIs = []string{
	"urllib.request.urlretrieve", "urllib.urlretrieve", "requests.get", "requests.Session().get", "urllib.request.urlopen",
	"urllib2.urlopen", "urllib.urlopen", "httpx.get", "wget.download",
}

var dynamicCodeAPIs = []string{
	"builtins.exec", "builtins.eval", "builtins.compile", "builtins.execfile", "marshal.loads", "pickle.loads", "cPickle.loads",
	"types.FunctionType", "types.CodeType", "dill.loads", "runpy.run_path", "runpy.run_module",
}

// decoderAPIs turn data into other data: what obfuscation is made of.
var decoderAPIs = []string{
	"base64.", "binascii.", "zlib.decompress", "gzip.decompress", "bz2.decompress", "lzma.decompress", "marshal.loads",
	"codecs.decode", "builtins.bytes.fromhex", "builtins.bytearray.fromhex", "fernet.Fernet", "cryptography.fernet.Fernet",
	"Crypto.Cipher.", "Cryptodome.Cipher.", "pyaes.", "rsa.decrypt",
}

// fingerprintSources identify the machine and user: what dependency-
// confusion probes and stealers send home.
var fingerprintSources = []string{
	"socket.gethostname()", "platform.node()", "platform.uname()", "os.uname()", "getpass.getuser()", "os.getlogin()",
	"os.getcwd()", "os.environ", "os.getenv()", "os.environ.get()", "uuid.getnode()", "pwd.getpwuid()", "socket.getfqdn()",
	"psutil.users()", "os.getcwdb()", "os.environ.copy()", "os.environ.items()",
}

func matchAPI(name string, list []string) bool {
	if name == "" {
		return false
	}
	for _, e := range list {
		if name == e || strings.HasSuffix(e, ".") && strings.HasPrefix(name, e) {
			return true
		}
		// A call's result or attribute: "requests.get().text" comes from "requests.get".
		if !strings.HasSuffix(e, ".") && strings.HasPrefix(name, e) && len(name) > len(e) && (name[len(e)] == '(' || name[len(e)] == '.') {
			return true
		}
	}
	return false
}

func isProcess(name string) bool { return matchAPI(name, processAPIs) }
func isNetwork(name string) bool { return matchAPI(name, networkAPIs) }
func isDynamic(name string) bool { return matchAPI(name, dynamicCodeAPIs) }

// isDecoder reports a call of a decoder, or what is made of its result.
// The encoders of the same modules (b64encode, hexlify, b2a_hex, crc32),
// and what is made of their output, decode nothing.
func isDecoder(name string) bool {
	if !matchAPI(name, decoderAPIs) {
		return false
	}
	fn, _, _ := strings.Cut(name, "()")
	fn = fn[strings.LastIndexByte(fn, '.')+1:]
	return !strings.Contains(fn, "encode") && fn != "hexlify" && !strings.HasPrefix(fn, "b2a_") && !strings.HasPrefix(fn, "crc")
}

func isDownload(name string) bool { return matchAPI(name, downloadAPIs) }
func isFingerprint(name string) bool {
	return matchAPI(name, fingerprintSources) || matchAPI(strings.TrimSuffix(name, "()"), fingerprintSources)
}

// isFileRead reports values read from local files (exec(open(...).read())
// of a version file is common and harmless).
func isFileRead(name string) bool {
	return strings.HasPrefix(name, "builtins.open()") || strings.HasPrefix(name, "io.open()") || strings.HasPrefix(name, "codecs.open()") ||
		strings.HasPrefix(name, "pathlib.Path") || strings.HasPrefix(name, "os.path.")
}

// isCallOf reports whether a call named name is a call of an API in list.
// A method called on what a function returned is not ("requests.post().split",
// "subprocess.run().append"); a method of an object an API constructs is
// ("requests.Session().get", "socket.socket().connect").
func isCallOf(name string, list []string) bool {
	if !matchAPI(name, list) {
		return false
	}
	i := strings.Index(name, "().")
	if i < 0 {
		return true
	}
	ctor := name[:i]
	if j := strings.LastIndexByte(ctor, '.'); j >= 0 {
		ctor = ctor[j+1:]
	}
	switch {
	case ctor == "":
		return true
	case ctor[0] >= 'A' && ctor[0] <= 'Z', ctor == "socket", ctor == "session", ctor == "build_opener", ctor == "create_connection", ctor == "urlopen", ctor == "Popen":
		return true
	}
	return false
}

// isDeserializer reports the calls that turn bytes into objects (pickle
// and its kin): dangerous on fetched data, ordinary on data made at run time.
func isDeserializer(name string) bool {
	return strings.HasPrefix(name, "pickle.") || strings.HasPrefix(name, "cPickle.") || strings.HasPrefix(name, "dill.")
}
