package analyze

import "testing"

// A file's rules run before the other files are judged; whether the
// artifact uses the network elsewhere is settled after. A webhook in
// install code is critical when some file of the artifact reaches the
// network, high when none does.
func TestArtifactNetworkDecidedAfterFiles(t *testing.T) {
	setup := "from setuptools import setup\nHOOK = 'https://discord.com/api/webhooks/1/x'\nsetup(name='p')\n"
	sender := "import requests\n\ndef send(d):\n    requests.post('https://example.test', data=d)\n"
	quiet := "def send(d):\n    return d\n"
	for _, tt := range []struct {
		name   string
		helper string
		want   Severity
	}{
		{"network elsewhere", sender, Critical},
		{"no network", quiet, High},
	} {
		res := sdist(t, map[string]string{"setup.py": setup, "p/helper.py": tt.helper})
		got := Severity(-1)
		for _, f := range res.Findings {
			if f.Rule == "exfil-channel" && f.File == "p-1/setup.py" {
				got = f.Severity
			}
		}
		if got != tt.want {
			t.Errorf("%s: exfil-channel in setup.py is %v; want %v (findings %v)", tt.name, got, tt.want, res.Findings)
		}
	}
}
