package analyze

import (
	"slices"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// exfilHostInfo: machine and user details sent over the network.
type exfilHostInfo struct{}

var _ Rule = (*exfilHostInfo)(nil)

func (exfilHostInfo) Info() RuleInfo {
	return RuleInfo{ID: "exfiltrates-host-info", Severity: Critical,
		Description:        "Details of the machine or user (hostname, user name, working directory, environment, IP) are sent over the network or through DNS: the dependency-confusion probe and the first step of most stealers. Two of host, user and working directory sent by module-level code are a beacon in any context.",
		Triggers:           slices.Concat(networkWords, processWords),
		AnyContextTriggers: []string{"$(whoami", "$(hostname", "`whoami`", "`hostname`", "%USERNAME%", "%COMPUTERNAME%"}}
}

func (x exfilHostInfo) Check(f *file, r *reporter) {
	probes := runsProbe(f)
	for _, c := range f.calls {
		if c.proc && isShellSender(c.sh.tool) {
			if m := reShellFingerprint.FindString(c.cmd); m != "" {
				// No test or tool has a reason to splice the user's identity
				// into a request: this holds in any context.
				r.report(x.Info(), f, Critical, true, c.Line, c.Col, c.ctx, c.sh.tool+" sends "+m, c.cmd)
				continue
			}
		}
		if !c.net && !(c.proc && isShellSender(c.sh.tool)) || c.net && setsUp(c.Name) {
			continue
		}
		var sources []string
		args := append([]int32{}, c.Args...)
		if (strings.HasSuffix(c.Name, "urlretrieve") || c.Name == "wget.download") && len(args) > 1 {
			args = args[:1] // the rest name where the download is saved
		}
		// A variable of the environment in a request's credentials
		// (auth=, headers=) is a token the user configured, sent to the
		// service it is for; to where stolen data is kept it is theft.
		var creds []int32
		for k, a := range c.Kwargs {
			// filename= and out= name where a download is saved; sock=
			// is the channel a client connects through (an SSH proxy
			// command started with the user's $SHELL), not data sent.
			if k != "filename" && k != "out" && k != "sock" {
				args = append(args, a)
			}
			if k == "auth" || k == "headers" || k == "username" || k == "user" {
				creds = append(creds, a)
			}
		}
		if setsHeader(c.Name) && len(c.Args) > 1 {
			creds = append(creds, c.Args[1]) // req.add_header('Authorization', ...): headers= by a method
		}
		if len(creds) > 0 {
			if _, toDrop := exfilDestination(f, c); !c.net || toDrop {
				creds = nil
			}
		}
		urlNode := int32(-1)
		if c.net {
			if u, ok := urlArg(c); ok {
				urlNode = u
				if uv := f.mod.Eval(u); !c.ctx.Executes() && toThisMachine(uv) || fileURL(uv) {
					continue // a tool's local helper (an IDE's link opener on localhost), a browser shown a local file
				}
			}
		}
		dns := strings.HasPrefix(c.Name, "socket.gethostbyname") || strings.HasPrefix(c.Name, "socket.getaddrinfo") || strings.HasPrefix(c.Name, "dns.")
		if dns && len(c.Args) > 0 && serviceLookup(f.mod.Eval(c.Args[0])) {
			continue // _mqtt._tcp.<the local domain>: finding a service, as SRV records are for
		}
		// A socket client's function that sends what the environment
		// holds (AUTH with $CACHE_PASSWORD) speaks to the service it is
		// configured for, as a request's credentials do; run on install
		// or import, or from module-level code, it is sending the
		// environment away.
		_, sock := socketSend(c.Name)
		clientSend := sock && c.Func >= 0 && !c.ctx.Executes()
		for _, a := range args {
			if dns && f.mod.Tree.Nodes[a].Kind == python.KCall {
				continue // gethostbyname(gethostname()) looks up the local address
			}
			v := f.mod.Eval(a)
			if k := f.mod.Tree.Nodes[a].Kind; dns && (k == python.KIdentifier || k == python.KBooleanOperator || k == python.KConditionalExpr) && !v.Known && v.Partial == "" &&
				slices.ContainsFunc(v.From, isOwnHostName) && !slices.ContainsFunc(v.From, func(from string) bool { return isFingerprint(from) && !isOwnHostName(from) }) {
				// this_host = gethostname(); getaddrinfo(this_host), or
				// getaddrinfo(host or gethostname()): the same local
				// lookup, through a name or a default.
				continue
			}
			if dns && !v.Known && v.Partial == "" && c.Func >= 0 && slices.Contains(f.mod.Params(c.Func), f.mod.Tree.Text(a)) {
				// A resolver's wrapper looking up the name it was given:
				// whatever its callers pass whole (the local host's name
				// for getfqdn), no name built around the host's details.
				continue
			}
			// An address taken whole from the environment is where the
			// user configured the service to be, not data sent to it.
			configured := a == urlNode && !v.Known && (v.Partial == "" || v.Partial[0] == '?') ||
				len(c.Args) > 0 && a == c.Args[0] && socketAddress(c.Name) // sd_notify connecting to $NOTIFY_SOCKET
			for _, from := range v.From {
				if (configured || slices.Contains(creds, a) || clientSend) && isEnvRead(from) {
					continue
				}
				if slices.Contains(creds, a) && identities([]string{from}) > 0 && strings.HasSuffix(c.Name, "connect") {
					continue // ssh.connect(host, username=getpass.getuser()): logging in as oneself
				}
				if (isFingerprint(from) || probes && isProcess(from)) && !slices.Contains(sources, from) {
					sources = append(sources, from)
				}
			}
		}
		if len(sources) > 0 {
			// Module-level code that sends who and where the user is
			// (two of host, user, working directory) is a beacon:
			// whoever runs the script, or imports the module, announces
			// the machine. A function doing it may be logging in.
			if c.Func < 0 && identities(sources) >= 2 {
				r.report(x.Info(), f, Critical, true, c.Line, c.Col, c.ctx, shortName(c.Name)+" sends "+strings.Join(sources, ", ")+" from module-level code: a beacon")
				return
			}
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, shortName(c.Name)+" sends "+strings.Join(sources, ", "))
			return
		}
	}
	// The flow is lost (a packet built by hand, a helper in between), but
	// code that runs on install or import both asks who the user is and
	// talks to the network.
	var who, net *callFact
	for i := range f.calls {
		c := &f.calls[i]
		switch {
		case !c.ctx.Executes():
		case isWhoAmI(c.Name):
			if !offeredAtPrompt(f, c) {
				who = first2(who, c)
			}
		case c.net && sends(c):
			net = first2(net, c)
		}
	}
	if who != nil && net != nil {
		r.report(x.Info(), f, Critical, false, net.Line, net.Col, net.ctx, "asks who the user is ("+shortName(who.Name)+", line "+itoa(who.Line)+") and uses the network ("+shortName(net.Name)+") at "+string(net.ctx)+" time")
	}
}

// offeredAtPrompt reports a call for the user's or the machine's name
// whose answer its function shows in a prompt to the person at the
// keyboard (input('GitHub username [{0}]: '.format(name)) or name): a
// default for a login the user confirms or replaces. Code that harvests
// the name does not stop to ask, and nobody answers a prompt under pip.
func offeredAtPrompt(f *file, who *callFact) bool {
	name := strings.TrimSuffix(who.Name, "()")
	for i := range f.calls {
		p := &f.calls[i]
		if p.Func != who.Func || p.Line < who.Line || !isPrompt(p.Name) {
			continue
		}
		for _, a := range p.Args {
			if slices.ContainsFunc(f.mod.Eval(a).From, func(from string) bool { return strings.TrimSuffix(from, "()") == name }) {
				return true
			}
		}
	}
	return false
}

// isPrompt names the calls that ask the person at the keyboard for a line:
// input, a project's wrapper of it (safe_input), click's and typer's
// prompt, rich's Prompt.ask.
func isPrompt(name string) bool {
	name = strings.TrimPrefix(name, "builtins.")
	return name == "input" || name == "raw_input" || strings.HasSuffix(name, "_input") || strings.HasSuffix(name, ".prompt") || strings.HasSuffix(name, "Prompt.ask")
}

// setsHeader reports a method that sets one header of a request: its
// second argument is the header's value.
func setsHeader(name string) bool {
	return strings.HasSuffix(name, ".add_header") || strings.HasSuffix(name, ".add_unredirected_header") || strings.HasSuffix(name, ".putheader")
}

// socketAddress reports a socket call whose first argument is the
// address it connects, binds or sends to.
func socketAddress(name string) bool {
	return strings.HasPrefix(name, "socket.") && (strings.HasSuffix(name, ".connect") || strings.HasSuffix(name, ".bind") || strings.HasSuffix(name, ".connect_ex"))
}

// serviceLookup reports a DNS name of a service record (_service._tcp.
// or _udp. before the domain).
func serviceLookup(v python.Value) bool {
	name := textSoFar(v)
	return strings.HasPrefix(name, "_") && (strings.Contains(name, "._tcp.") || strings.Contains(name, "._udp."))
}

// fileURL reports a file: URL, which a browser opens from the disk.
func fileURL(v python.Value) bool {
	dest := textSoFar(v)
	return len(dest) >= 5 && strings.EqualFold(dest[:5], "file:")
}

// toThisMachine reports an address on the machine itself: localhost or
// the loopback network.
func toThisMachine(v python.Value) bool {
	_, rest, ok := strings.Cut(textSoFar(v), "://")
	return ok && (strings.HasPrefix(rest, "localhost:") || strings.HasPrefix(rest, "localhost/") || rest == "localhost" || strings.HasPrefix(rest, "127."))
}

// isEnvRead reports a value read from the environment.
func isEnvRead(from string) bool {
	return strings.HasPrefix(from, "os.environ") || strings.HasPrefix(from, "os.getenv")
}

// identities counts the kinds of identity among a sent value's sources:
// the machine's name, the user's, the working directory.
func identities(sources []string) int {
	host, user, cwd := false, false, false
	for _, s := range sources {
		switch strings.TrimSuffix(s, "()") {
		case "socket.gethostname", "platform.node", "socket.getfqdn", "uuid.getnode":
			host = true
		case "getpass.getuser", "os.getlogin":
			user = true
		case "os.getcwd", "os.getcwdb":
			cwd = true
		}
	}
	n := 0
	for _, b := range []bool{host, user, cwd} {
		if b {
			n++
		}
	}
	return n
}

// isWhoAmI names the calls that return the user's or the machine's name;
// unlike uname or the platform, builds have no use for them.
func isWhoAmI(name string) bool {
	switch strings.TrimSuffix(name, "()") {
	case "socket.gethostname", "getpass.getuser", "os.getlogin", "platform.node", "socket.getfqdn", "uuid.getnode":
		return true
	}
	return false
}

// sends reports a network call that can carry data out: not a lookup of an
// address, and not a plain download (a build may fetch a library into a
// directory named after the user).
func sends(c *callFact) bool {
	if strings.HasPrefix(c.Name, "socket.getaddrinfo") || strings.HasPrefix(c.Name, "socket.gethostby") {
		return false
	}
	// Making a client or connecting carries no data: a UDP connect picks
	// the local address, an SSH login names its user; data goes by send,
	// request and the like.
	if strings.HasSuffix(c.Name, ".connect") || strings.HasSuffix(c.Name, ".bind") {
		return false
	}
	if setsUp(c.Name) {
		return false
	}
	if !strings.Contains(c.Name, "()") {
		// A client made, not yet used: paramiko.SSHClient,
		// http.client.HTTPSConnection (a Request is data to send).
		for _, suffix := range []string{"Client", "Session", "Connection", "PoolManager"} {
			if strings.HasSuffix(c.Name, suffix) {
				return false
			}
		}
	}
	if isCallOf(c.Name, downloadAPIs) {
		for _, k := range []string{"data", "params", "json", "headers", "files"} {
			if _, ok := c.Kwargs[k]; ok {
				return true
			}
		}
		return len(c.Args) > 1 && !strings.HasSuffix(c.Name, "urlretrieve")
	}
	return true
}

// setsUp reports a method call that sets a client up and sends nothing:
// load_system_host_keys, settimeout, set_missing_host_key_policy,
// getsockname, merge_environment_settings, mount, close.
func setsUp(name string) bool {
	i := strings.LastIndex(name, "().")
	if i < 0 {
		return false
	}
	m := name[i+3:]
	for _, p := range []string{"load_", "set", "get_", "getsock", "close", "merge_", "mount", "prepare"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

func first2(have, c *callFact) *callFact {
	if have != nil {
		return have
	}
	return c
}

// isOwnHostName reports a value that is this machine's name, whole: what
// a lookup of the local address resolves.
func isOwnHostName(from string) bool {
	switch from {
	case "socket.gethostname()", "socket.getfqdn()", "platform.node()":
		return true
	}
	return false
}
