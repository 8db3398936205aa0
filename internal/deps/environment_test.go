package deps

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/safeguard-dev/safeguard/internal/metadata"
)

// writeWheel writes a minimal pure wheel of name==version whose METADATA
// carries requires.
func writeWheel(t *testing.T, dir, name, version string, requires ...string) {
	t.Helper()
	meta := fmt.Sprintf("Metadata-Version: 2.1\nName: %s\nVersion: %s\n", name, version)
	for _, r := range requires {
		meta += "Requires-Dist: " + r + "\n"
	}
	di := name + "-" + version + ".dist-info/"
	files := [][2]string{
		{name + "/__init__.py", "VALUE = 1\n"},
		{di + "METADATA", meta},
		{di + "WHEEL", "Wheel-Version: 1.0\nGenerator: safeguard-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	}
	var record bytes.Buffer
	for _, f := range files {
		sum := sha256.Sum256([]byte(f[1]))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f[0], base64.RawURLEncoding.EncodeToString(sum[:]), len(f[1]))
	}
	fmt.Fprintf(&record, "%sRECORD,,\n", di)
	files = append(files, [2]string{di + "RECORD", record.String()})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, _ := zw.Create(f[0])
		w.Write([]byte(f[1]))
	}
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, name+"-"+version+"-py3-none-any.whl"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A real virtualenv, made by the machine's Python, with wheels pip installs
// offline: the inventory lists what pip lists, and the graph pip followed.
func TestEnvironmentAgainstPip(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	tmp := t.TempDir()
	wheels := filepath.Join(tmp, "wheels")
	os.Mkdir(wheels, 0o755)
	writeWheel(t, wheels, "alpha", "1.0", "beta>=2", "gamma; sys_platform == 'win32'", "delta; extra == 'x'")
	writeWheel(t, wheels, "beta", "2.0")
	venv := filepath.Join(tmp, "venv")
	run := func(name string, args ...string) []byte {
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), "PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_NO_INPUT=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %v: %v", name, args, err)
		}
		return out
	}
	run(py, "-m", "venv", venv)
	vpy := filepath.Join(venv, "bin", "python")
	run(vpy, "-m", "pip", "install", "--quiet", "--no-index", "--find-links", wheels, "alpha")
	// One wheel installed by path: pip records it, and its hash, in
	// direct_url.json.
	local := filepath.Join(tmp, "local")
	os.Mkdir(local, 0o755)
	writeWheel(t, local, "epsilon", "0.5")
	epsilonWheel := filepath.Join(local, "epsilon-0.5-py3-none-any.whl")
	run(vpy, "-m", "pip", "install", "--quiet", "--no-index", epsilonWheel)
	var listed []struct{ Name, Version string }
	if err := json.Unmarshal(run(vpy, "-m", "pip", "list", "--format", "json"), &listed); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range listed {
		want = append(want, normalizeForTest(l.Name)+"=="+l.Version)
	}
	sort.Strings(want)

	inv, err := ParseEnvironment(venv)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var alpha, beta *Package
	for i, p := range inv.Packages {
		got = append(got, p.Name+"=="+p.Version)
		switch p.Name {
		case "alpha":
			alpha = &inv.Packages[i]
		case "beta":
			beta = &inv.Packages[i]
		case "epsilon":
			data, _ := os.ReadFile(epsilonWheel)
			want := fmt.Sprintf("sha256:%x", sha256.Sum256(data))
			if p.Source.Kind != "url" || len(p.Hashes) != 1 || p.Hashes[0] != want {
				t.Errorf("epsilon, installed from a file: source %+v hashes %v, want url and %s", p.Source, p.Hashes, want)
			}
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("inventory against pip list (-pip +ours):\n%s", d)
	}
	if alpha == nil || beta == nil {
		t.Fatalf("alpha or beta missing: %v", got)
	}
	if !alpha.Direct || beta.Direct {
		t.Errorf("requested: alpha %v, beta %v; want alpha only", alpha.Direct, beta.Direct)
	}
	if d := cmp.Diff([]string{"beta"}, alpha.Requires); d != "" {
		t.Errorf("alpha's edges (-want +got):\n%s", d)
	}
	if _, err := ParseEnvironment(tmp); err == nil {
		t.Error("a directory without site-packages was read")
	}
}

func normalizeForTest(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = c + 32
		case c == '_' || c == '.':
			b[i] = '-'
		}
	}
	return string(b)
}

func TestArchiveHashes(t *testing.T) {
	for _, tt := range []struct{ json, want string }{
		{`{"url":"file:///x.whl","archive_info":{"hash":"sha256=AB12","hashes":{"sha256":"ab12","md5":"ff"}}}`, "md5:ff sha256:ab12"},
		{`{"url":"file:///x.whl","archive_info":{"hash":"sha256=AB12"}}`, "sha256:ab12"},
		{`{"url":"file:///x.whl","archive_info":{}}`, ""},
		{`{"url":"file:///x","dir_info":{}}`, ""},
	} {
		du, err := metadata.ParseDirectURL([]byte(tt.json))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(archiveHashes(du), " "); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.json, got, tt.want)
		}
	}
}
