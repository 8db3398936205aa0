package analyze

import (
	"regexp"
	"slices"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// reWalletSecretPrompt matches a prompt for a crypto wallet's secret: its
// seed or recovery words, its mnemonic, a private key.
var reWalletSecretPrompt = regexp.MustCompile(`(?i)\b(seed|recovery|secret|backup)[\s_-]*(phrases?|words?)\b|\bmnemonic\b|\bpriv(ate)?[\s_-]*key\b`)

// exfilChannel: hosts that exist to receive stolen data or serve payloads.
type exfilChannel struct{}

var _ Rule = (*exfilChannel)(nil)

func (exfilChannel) Info() RuleInfo {
	return RuleInfo{ID: "exfil-channel", Severity: High,
		Description: "Code names an exfiltration or staging channel: a chat webhook or bot API, an out-of-band interaction or DNS-log host, a request catcher or tunnel, a pastebin or anonymous file drop.",
		Triggers:    slices.Concat([]string{"webhook", "telegram", "pastebin", "ngrok"}, networkWords)}
}

func (x exfilChannel) Check(f *file, r *reporter) {
	hasNet, hasExec := false, false
	for _, c := range f.calls {
		hasNet = hasNet || c.net
		hasExec = hasExec || c.proc || c.dyn
	}
	acts := hasNet || hasExec
	for _, c := range f.calls {
		if !c.net {
			continue
		}
		a, ok := urlArg(c)
		if !ok {
			continue
		}
		// An address nobody may read: the destination itself is encoded.
		if v := f.mod.Eval(a); hiddenAddress(v) {
			dest := textSoFar(v)
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, shortName(c.Name)+" contacts an address hidden by "+strings.Join(v.Decoders, " → ")+": "+dest, dest)
			break
		}
	}
	if c, param, dest, ok := forwardsSecret(f); ok {
		// A function given a wallet's secret that sends to a channel
		// made for receiving stolen data: the intent is in the
		// destination, wherever the function sits.
		r.report(x.Info(), f, Critical, true, c.Line, c.Col, c.ctx, shortName(c.Name)+" in a function given "+param+" sends to "+dest, dest)
	}
	for _, c := range f.calls {
		if !strings.HasPrefix(c.Name, "socket.gethostbyname") && !strings.HasPrefix(c.Name, "socket.getaddrinfo") || len(c.Args) == 0 {
			continue
		}
		v := f.mod.Eval(c.Args[0])
		if !v.Known {
			continue
		}
		if isCallbackHost(v.S) {
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "resolves an out-of-band callback host: "+v.S, v.S)
			break
		}
		if name := ownNameLabel(f.path, v.S); name != "" && c.ctx.Executes() {
			// Dependency-confusion probes announce each install by
			// resolving their own name under the prober's domain.
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "resolves "+v.S+", a host named after its own package "+name+", at "+string(c.ctx)+" time: an install announced by DNS", v.S)
			break
		}
	}
	seen := map[string]bool{}
	for _, s := range f.strs {
		for _, h := range s.hits {
			if seen[h.class] {
				continue
			}
			sev := Severity(-1)
			switch h.class {
			case indCatcher:
				// Request catchers and DNS-log hosts have no place in code
				// that runs on install or import and reaches out.
				sev = High
				if acts && s.ctx.Executes() || hasNet || s.ctx.Executes() && f.artifactUsesNet() {
					sev = Critical
				}
			case indWebhook:
				sev = High
				if hasNet || s.ctx.Executes() && f.artifactUsesNet() {
					sev = Critical
				}
				if userSuppliedToken(f, s, h.match) && len(s.via) == 0 && f.payload == "" && !collectsIdentity(f) {
					// A bot or webhook whose token the user supplies is the
					// user's own channel (progress bars and notifiers that
					// post to a chat); a thief builds in the token of the
					// channel it reads.
					seen[h.class] = true
					r.report(x.Info(), f, Low, false, s.line, 0, s.ctx, "posts to a chat bot or webhook whose token is given at run time: "+h.match, h.match)
					continue
				}
			case indPaste:
				sev = Medium
				if hasNet && hasExec {
					sev = Critical
				} else if hasNet {
					sev = High
				}
			}
			if sev < 0 {
				continue
			}
			any := false
			switch {
			case len(s.via) > 0 || f.payload != "":
				sev = Critical // an exfiltration endpoint hidden inside encoded data
			case h.class != indPaste && collectsIdentity(f):
				// A channel next to code that collects who and where the
				// user is: a stealer, wherever it runs.
				sev, any = Critical, true
			}
			seen[h.class] = true
			r.report(x.Info(), f, sev, any, s.line, 0, s.ctx, "names a "+strings.ReplaceAll(h.class, "-", " ")+": "+h.match, h.match)
		}
	}
}

// userSuppliedToken reports a chat API address whose token the code is
// given by who runs it: the constant text ends where the token goes, and
// the token is an attribute of the object, a parameter of the function
// or read from the environment. A token imported from the package's own
// modules, or assigned in it, is the author's.
func userSuppliedToken(f *file, s strFact, match string) bool {
	i := strings.Index(strings.ToLower(s.s), strings.ToLower(match))
	if i < 0 || s.node < 0 {
		return false
	}
	if rest := s.s[i+len(match):]; rest != "" && rest[0] != '?' {
		return false
	}
	for _, other := range f.strs {
		if reBotToken.MatchString(other.s) {
			return false // the token is in the file, handed to a helper
		}
	}
	t := f.mod.Tree
	var params []string
	if fn := f.mod.Enclosing(s.node); fn >= 0 {
		params = f.mod.Params(fn)
	}
	for c := t.FirstChild(s.node); c >= 0; c = t.NextSibling(c) {
		if t.Nodes[c].Kind != python.KInterpolation {
			continue
		}
		expr := strings.TrimSpace(strings.Trim(t.Text(c), "{}"))
		if j := strings.IndexAny(expr, "!:"); j >= 0 {
			expr = expr[:j]
		}
		return strings.HasPrefix(expr, "self.") || strings.HasPrefix(expr, "cls.") ||
			strings.Contains(expr, "environ") || strings.Contains(expr, "getenv") || slices.Contains(params, expr)
	}
	// A literal the token is appended to: the function is given it, or,
	// for a prefix kept as a constant (a class's API = ".../bot"), a
	// function of the file is.
	if fn := f.mod.Enclosing(s.node); fn < 0 {
		for _, d := range f.mod.Funcs {
			params = append(params, f.mod.Params(d.Node)...)
		}
	}
	for _, p := range params {
		if strings.Contains(strings.ToLower(p), "token") {
			return true
		}
	}
	return false
}

// reSecretParam matches a parameter named for a wallet's secret: a private
// key, a mnemonic, seed or recovery words, a passphrase.
var reSecretParam = regexp.MustCompile(`(?i)^_*(priv(ate)?_?key|mnemonics?|seeds?(_?(phrases?|words?))?|pass_?phrase|(secret|recovery|backup)_?(phrases?|words?|key)|wallet_?(key|secret|seed))$`)

// reSecretFunc matches a function named for what it is given: a private
// key, a mnemonic or seed phrase (parse_private_key, _parsePrivateKey).
var reSecretFunc = regexp.MustCompile(`(?i)priv(ate)?_?key|mnemonic|seed_?phrase|recovery_?phrase|secret_?phrase`)

// reSecretMaker matches a function that makes or finds a secret rather
// than being given one (generate_private_key(size), load_private_key(path)).
var reSecretMaker = regexp.MustCompile(`(?i)^_*(gen|generate|create|new|make|random|load|read|find|get)`)

// secretParam names the parameter of function fn that holds a wallet's
// secret: one named for it, or the first one of a function named for it.
func secretParam(mod *python.Module, fn int32) string {
	params := mod.Params(fn)
	for _, p := range params {
		if reSecretParam.MatchString(p) {
			return p
		}
	}
	if d := mod.FuncByNode(fn); d != nil && reSecretFunc.MatchString(d.Name) && !reSecretMaker.MatchString(d.Name) {
		for _, p := range params {
			if p != "self" && p != "cls" {
				return p
			}
		}
	}
	return ""
}

// forwardsSecret finds a network call, in a function given a wallet's
// secret (secretParam), whose destination is where stolen data is
// received (exfilDestination), or hidden with a run-time key appended.
func forwardsSecret(f *file) (callFact, string, string, bool) {
	for _, c := range f.calls {
		if !c.net || c.Func < 0 {
			continue
		}
		param := secretParam(f.mod, c.Func)
		if param == "" {
			continue
		}
		if dest, ok := exfilDestination(f, c); ok {
			return c, param, dest, true
		}
	}
	return callFact{}, "", "", false
}

// hiddenAddress reports a URL value whose host some decoder produced: a
// decoded address, with anything appended, or a scheme joined in front
// of a decoded host. A readable address with a decoded key appended is
// not hidden.
func hiddenAddress(v python.Value) bool {
	text := textSoFar(v)
	loc := reURL.FindStringIndex(text)
	if len(v.Decoders) == 0 || loc == nil {
		return false
	}
	host := loc[0] + strings.Index(text[loc[0]:loc[1]], "//") + 2
	return host >= v.PlainLead
}

// urlArg is the node of a network call's URL: its url= keyword, else its
// first argument.
func urlArg(c callFact) (int32, bool) {
	if a, ok := c.Kwargs["url"]; ok {
		return a, true
	}
	if method, ok := socketSend(c.Name); ok {
		// A socket's send takes the data first: only sendto names where
		// it goes, after it.
		if method == "sendto" && len(c.Args) > 1 {
			return c.Args[1], true
		}
		return 0, false
	}
	if len(c.Args) > 0 {
		return c.Args[0], true
	}
	return 0, false
}

// socketSend reports a socket's (or a WebSocket's, or a TLS socket's)
// method that sends the data it is given: send, sendall, sendto, sendmsg.
func socketSend(name string) (string, bool) {
	i := strings.LastIndex(name, "().")
	if i < 0 || !strings.Contains(strings.ToLower(name[:i]), "socket") {
		return "", false
	}
	switch m := name[i+3:]; m {
	case "send", "sendall", "sendto", "sendmsg":
		return m, true
	}
	return "", false
}

// exfilDestination describes a network call's destination when it is
// where stolen data is received or second stages are kept: an
// exfiltration channel (a webhook, bot API, request catcher or paste
// site), a bare public IP, or an address the code decodes at run time.
func exfilDestination(f *file, c callFact) (string, bool) {
	a, ok := urlArg(c)
	if !ok {
		return "", false
	}
	v := f.mod.Eval(a)
	dest := textSoFar(v)
	if dest == "" {
		return "", false
	}
	if hiddenAddress(v) {
		return "an address hidden by " + strings.Join(v.Decoders, " → ") + ": " + dest, true
	}
	for _, h := range scanIndicators(dest) {
		switch {
		case h.class == indCatcher, h.class == indWebhook, h.class == indPaste:
			return "a " + strings.ReplaceAll(h.class, "-", " ") + ": " + h.match, true
		case h.class == indRawIP && !isPrivateOrLocal(h.match):
			return "a bare IP address: " + h.match, true
		}
	}
	return "", false
}

// collectsIdentity reports code that gathers the user's identity or
// secrets: host and user names, the public IP, browser or wallet stores,
// or a prompt that asks the user for a wallet's secret (seed words, a
// mnemonic, a private key: what no service has any need to be told).
func collectsIdentity(f *file) bool {
	for _, c := range f.calls {
		switch strings.TrimSuffix(c.Name, "()") {
		case "socket.gethostname", "getpass.getuser", "os.getlogin", "platform.node", "platform.uname", "os.uname", "uuid.getnode", "socket.getfqdn":
			return true
		case "builtins.input", "getpass.getpass":
			if len(c.Args) > 0 {
				if v := f.mod.Eval(c.Args[0]); v.Known && reWalletSecretPrompt.MatchString(v.S) {
					return true
				}
			}
		}
	}
	for _, s := range f.strs {
		for _, h := range s.hits {
			switch h.class {
			case indIPLookup, indBrowser, indDiscord, indWallet, indGameToken:
				return true
			}
		}
	}
	return false
}

// ownNameLabel returns the package name a host name's first label
// repeats, when the host lies under a domain of three labels or more
// that is not named after the package: "pkg_x.probe.example" from
// pkg_x/__init__.py. The package is the file's directory, or the
// distribution's root (name-version) for setup.py.
func ownNameLabel(file, host string) string {
	labels := strings.Split(strings.ToLower(strings.TrimSuffix(host, ".")), ".")
	if len(labels) < 3 {
		return ""
	}
	first := normalizeLabel(labels[0])
	if len(first) < 5 {
		return ""
	}
	for _, l := range labels[1:] {
		if normalizeLabel(l) == first {
			return "" // the package's own domain
		}
	}
	dirs := strings.Split(file, "/")
	for i, d := range dirs[:len(dirs)-1] {
		if i == 0 {
			if j := strings.LastIndexByte(d, '-'); j > 0 {
				d = d[:j] // the sdist root: name-version
			}
		}
		if normalizeLabel(d) == first {
			return d
		}
	}
	return ""
}

// normalizeLabel folds case and the separators names and labels use.
func normalizeLabel(s string) string {
	return strings.NewReplacer("-", "", "_", "", ".", "").Replace(strings.ToLower(s))
}

// isCallbackHost recognises the hosts of out-of-band interaction services
// (interactsh, Burp Collaborator, canary tokens...): a fixed name whose
// subdomain is a long random token, as in
// "x.c8s1fa0k2d9qv7mxw3ht5yb4.example". Such a lookup is the callback.
func isCallbackHost(h string) bool {
	labels := strings.Split(strings.TrimSuffix(strings.ToLower(h), "."), ".")
	if len(labels) < 3 {
		return false
	}
	for _, l := range labels[:len(labels)-2] {
		if len(l) < 20 {
			continue
		}
		digits, letters := 0, 0
		for _, r := range l {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case r >= 'a' && r <= 'z':
				letters++
			default:
				digits, letters = -1000, -1000
			}
		}
		if digits >= 4 && letters >= 8 {
			return true
		}
	}
	return false
}
