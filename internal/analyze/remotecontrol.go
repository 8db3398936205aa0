package analyze

import (
	"regexp"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// Remote control: a chat-bot handler or a web route that runs the text it
// receives as a command or as code. Whoever writes to the bot or the URL
// runs what they like on the machine: a reverse shell by another channel.
// A bot that runs a fixed command picked from a menu does not qualify:
// the text only chooses, it is not run.

// reReceivedText matches the canonical names of what a bot or a web
// handler receives: a chat message's text, a request's arguments or
// body.
var reReceivedText = regexp.MustCompile(`^(?:\w+\.)?(?:message|msg|update\.(?:effective_)?message|event(?:\.message)?|ctx\.message|interaction\.message)\.(?:text|content|raw_text|caption|message)\b|^flask\.request\.(?:args|form|values|data|json|get_json|get_data)\b|^(?:\w+\.)?request\.(?:args|form|values|GET|POST|json|query_params|body)\b|^self\.rfile\.read\b`)

// reHandlerDecorator matches decorators that make a function a bot
// command or a web route.
var reHandlerDecorator = regexp.MustCompile(`@\s*[\w.]*\.(?:command|message_handler|on_message|event|route|get|post|add_handler|handler|on)\b`)

func receivedText(s string) bool { return reReceivedText.MatchString(s) }

// remoteControl finds a process or code call in f whose whole command is
// text a handler received, and names the channel.
func remoteControl(f *file) (*callFact, string) {
	for i := range f.calls {
		c := &f.calls[i]
		if len(c.Args) == 0 || !(c.proc && (c.sh.tool == "" || c.sh.tool == "?") || c.Name == "builtins.exec" || c.Name == "builtins.eval") {
			continue
		}
		if strings.HasSuffix(c.Name, "().communicate") && !startsShell(f) {
			continue // input for the program started (a CGI script's request body), not a command
		}
		arg := c.Args[0]
		v := f.mod.Eval(arg)
		if v.IsSeq && len(v.Elems) > 0 {
			// An argument list: its program decides.
			if first := listFirst(f.mod, arg); first >= 0 {
				arg, v = first, f.mod.Eval(first)
			}
		}
		if v.DerivesFrom(receivedText) {
			return c, "text received by a bot or web handler"
		}
		if handlerParam(f.mod, c.Func, arg) && importsHandlerFramework(f.mod) {
			return c, "an argument of a bot command or web route"
		}
	}
	return nil, ""
}

// startsShell reports a process call in f starting a shell, which runs
// the input it is given as commands.
func startsShell(f *file) bool {
	for _, c := range f.calls {
		if c.proc && !strings.Contains(c.Name, "().") {
			switch programName(firstWord(c.cmd)) {
			case "sh", "bash", "zsh", "dash", "cmd", "powershell", "pwsh":
				return true
			}
		}
	}
	return false
}

// listFirst returns the first element of a list or tuple literal, or -1.
func listFirst(m *python.Module, n int32) int32 {
	t := m.Tree
	if k := t.Nodes[n].Kind; k != python.KList && k != python.KTuple {
		return -1
	}
	return t.FirstChild(n)
}

// handlerParam reports an argument that is a parameter (not the first,
// the context or self) of a decorated bot command or web route.
func handlerParam(m *python.Module, fn, arg int32) bool {
	t := m.Tree
	if fn >= 0 && t.Nodes[arg].Kind == python.KAttribute {
		// m.text, event.content: the text of the message the handler is
		// given, whatever its parameter is called.
		if a := t.ChildByField(arg, python.FAttribute); a >= 0 {
			switch t.Text(a) {
			case "text", "content", "caption", "raw_text":
				arg = t.ChildByField(arg, python.FObject)
			}
		}
	}
	if fn < 0 || arg < 0 || t.Nodes[arg].Kind != python.KIdentifier {
		return false
	}
	p := t.Nodes[fn].Parent
	if p < 0 || t.Nodes[p].Kind != python.KDecorated {
		return false
	}
	decorators := string(t.Src[t.Nodes[p].Start:t.Nodes[fn].Start])
	if !reHandlerDecorator.MatchString(decorators) || strings.Contains(decorators, "click.") || strings.Contains(decorators, "typer") {
		return false // a command-line tool runs what its own user types
	}
	name := t.Text(arg)
	params := m.Params(fn)
	for i, q := range params {
		if q == name && i > 0 || q == name && !strings.Contains(strings.ToLower(q), "ctx") && q != "self" && len(params) == 1 {
			return true
		}
	}
	return false
}

// handlerFrameworks are the chat-bot and web frameworks whose handlers
// receive text from others.
var handlerFrameworks = []string{"discord", "telebot", "telegram", "aiogram", "pyrogram", "telethon", "flask", "fastapi", "bottle",
	"django", "aiohttp", "tornado", "http.server", "sanic", "quart", "starlette", "slack_bolt"}

func importsHandlerFramework(m *python.Module) bool {
	for _, imp := range m.Imports {
		top := imp.Module
		for _, fw := range handlerFrameworks {
			if top == fw || strings.HasPrefix(top, fw+".") {
				return true
			}
		}
	}
	return false
}
