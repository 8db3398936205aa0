package analyze

import (
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// exfilFiles: local files sent over the network.
type exfilFiles struct{}

var _ Rule = (*exfilFiles)(nil)

func (exfilFiles) Info() RuleInfo {
	return RuleInfo{ID: "exfiltrates-files", Severity: Critical,
		Description: "The contents of local files are uploaded (a multipart `files=` upload, data read from a file as the request body, a socket's or a chat bot's message) by code that runs on install, at interpreter start or on import: session files, keys and documents leaving the machine. Credentials from the cloud SDKs' getters, a keyring or a credential file read with configparser sent on install or import, or anywhere to a chat bot, webhook, bare IP or hidden address, are theft too.",
		Triggers:    networkWords}
}

func (x exfilFiles) Check(f *file, r *reporter) {
	credFile := false
	for _, s := range f.strs {
		for _, h := range s.hits {
			credFile = credFile || h.class == indCredFile
		}
	}
	for _, c := range f.calls {
		if !c.net && !(c.proc && isShellSender(c.sh.tool)) {
			continue
		}
		for _, a := range sentArgs(c) {
			v := f.mod.Eval(a)
			if src := fileContentSource(v); src != "" {
				sev, dest := Critical, ""
				if len(c.Args) > 0 {
					if u := f.mod.Eval(c.Args[0]); u.Known && isDropHost(u.S) {
						dest = " to " + u.S
					}
				}
				if !c.ctx.Executes() && dest == "" {
					sev = High // upload methods are what many SDKs are for
				}
				r.report(x.Info(), f, sev, false, c.Line, c.Col, c.ctx, shortName(c.Name)+" uploads the contents of a local file ("+shortName(src)+")"+dest)
				break
			}
			if src := credentialSource(v, credFile); src != "" {
				// Cloud helpers send tokens to the service they log in
				// to; sent on install or import, or to where stolen data
				// is received, credentials are stolen.
				dest, anyCtx := chatLibrary(f, c)
				if dest == "" {
					dest, anyCtx = exfilDestination(f, c)
				}
				msg, sev := shortName(c.Name)+" sends credentials ("+src+")", High
				if anyCtx {
					msg += " to " + dest
				}
				if anyCtx || c.ctx.Executes() {
					sev = Critical
				}
				r.report(x.Info(), f, sev, anyCtx, c.Line, c.Col, c.ctx, msg)
				break
			}
		}
	}
}

// sentArgs are the arguments of a network call that carry what it sends:
// the body keywords, a chat library's message and document, and the
// positional arguments after the address of a request or a datagram (all
// of them for a socket's or a bot's send methods, which take none, and
// for a command that sends, such as curl).
func sentArgs(c callFact) []int32 {
	var args []int32
	for _, k := range []string{"files", "data", "json", "content", "text", "caption", "document", "body", "message"} {
		if a, ok := c.Kwargs[k]; ok {
			args = append(args, a)
		}
	}
	from := -1
	switch m := shortAPI(c.Name); {
	case c.proc:
		from = 0 // curl's command line, or its argument list
	case strings.HasPrefix(m, "send") && m != "sendto":
		from = 0 // sock.send(data), bot.send_message(chat, text)
	case m == "sendto", m == "post", m == "put", m == "patch", m == "request", m == "urlopen", m == "Request":
		from = 1 // after the address
	}
	if from >= 0 && from < len(c.Args) {
		args = append(args, c.Args[from:]...)
	}
	return args
}

// fileContentSource names the file read a sent value came from, or "".
func fileContentSource(v python.Value) string {
	for _, from := range v.From {
		if strings.HasPrefix(from, "builtins.open()") || strings.HasPrefix(from, "io.open()") || strings.HasPrefix(from, "pathlib.Path().read_bytes") || strings.HasPrefix(from, "pathlib.Path().open") {
			return from
		}
	}
	return ""
}

// credentialSource names the credential store a sent value came from:
// the cloud SDKs' credential getters, a keyring, or a config parser in a
// file that names a credential file (~/.aws/credentials).
func credentialSource(v python.Value, credFile bool) string {
	for _, from := range v.From {
		switch {
		case strings.Contains(from, "get_credentials()") || strings.Contains(from, "get_frozen_credentials()"):
			return "the AWS SDK's credentials"
		case strings.HasPrefix(from, "google.auth.default"):
			return "Google's default credentials"
		case strings.Contains(from, "DefaultAzureCredential()") || strings.Contains(from, "AzureCliCredential()"):
			return "Azure credentials"
		case strings.HasPrefix(from, "keyring.get_password") || strings.HasPrefix(from, "keyring.get_credential"):
			return "the system keyring"
		case credFile && (strings.HasPrefix(from, "configparser.ConfigParser()") || strings.HasPrefix(from, "configparser.RawConfigParser()")):
			return "a credential file read with configparser"
		}
	}
	return ""
}

// chatLibrary reports a call of a chat client library (telebot,
// python-telegram-bot, discord_webhook, dhooks) built with a constant
// token or webhook: the author's own channel.
func chatLibrary(f *file, c callFact) (string, bool) {
	for _, lib := range []string{"telebot.", "telegram.", "discord_webhook.", "dhooks."} {
		if !strings.HasPrefix(c.Name, lib) {
			continue
		}
		for _, s := range f.strs {
			if reBotToken.MatchString(s.s) {
				return "a chat bot whose token the code holds (" + strings.TrimSuffix(lib, ".") + ")", true
			}
			for _, h := range s.hits {
				if h.class == indWebhook && !userSuppliedToken(f, s, h.match) {
					return "a chat webhook the code holds (" + h.match + ")", true
				}
			}
		}
	}
	return "", false
}

// reBotToken matches a Telegram bot token: the bot's number, a colon and
// 35 characters.
var reBotToken = regexp.MustCompile(`\b\d{6,12}:[A-Za-z0-9_-]{30,}\b`)

// isDropHost reports a hard-coded upload address no service API uses: a
// bare IP address or a port other than the web's.
func isDropHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	if net.ParseIP(u.Hostname()) != nil {
		return !isPrivateOrLocal(u.Scheme + "://" + u.Hostname())
	}
	switch u.Port() {
	case "", "80", "443", "8080", "8443":
		return false
	}
	return u.Hostname() != "localhost"
}
