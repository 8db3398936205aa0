package analyze

import (
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// exfilHostInfo: machine and user details sent over the network.
type exfilHostInfo struct{}

func (exfilHostInfo) Info() RuleInfo {
	return RuleInfo{ID: "exfiltrates-host-info", Severity: Critical,
		Description: "Details of the machine or user (hostname, user name, working directory, environment, IP) are sent over the network or through DNS: the dependency-confusion probe and the first step of most stealers."}
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
		if !c.net && !(c.proc && isShellSender(c.sh.tool)) {
			continue
		}
		var sources []string
		args := append([]int32{}, c.Args...)
		if (strings.HasSuffix(c.Name, "urlretrieve") || c.Name == "wget.download") && len(args) > 1 {
			args = args[:1] // the rest name where the download is saved
		}
		for k, a := range c.Kwargs {
			if k != "filename" && k != "out" {
				args = append(args, a)
			}
		}
		dns := strings.HasPrefix(c.Name, "socket.gethostbyname") || strings.HasPrefix(c.Name, "socket.getaddrinfo") || strings.HasPrefix(c.Name, "dns.")
		for _, a := range args {
			if dns && f.mod.Tree.Nodes[a].Kind == python.KCall {
				continue // gethostbyname(gethostname()) looks up the local address
			}
			v := f.mod.Eval(a)
			for _, from := range v.From {
				if (isFingerprint(from) || probes && isProcess(from)) && !contains(sources, from) {
					sources = append(sources, from)
				}
			}
		}
		if len(sources) > 0 {
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
			who = first2(who, c)
		case c.net && sends(c):
			net = first2(net, c)
		}
	}
	if who != nil && net != nil {
		r.report(x.Info(), f, Critical, false, net.Line, net.Col, net.ctx, "asks who the user is ("+shortName(who.Name)+", line "+itoa(who.Line)+") and uses the network ("+shortName(net.Name)+") at "+string(net.ctx)+" time")
	}
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

func first2(have, c *callFact) *callFact {
	if have != nil {
		return have
	}
	return c
}

// exfilChannel: hosts that exist to receive stolen data or serve payloads.
type exfilChannel struct{}

func (exfilChannel) Info() RuleInfo {
	return RuleInfo{ID: "exfil-channel", Severity: High,
		Description: "Code names an exfiltration or staging channel: a chat webhook or bot API, an out-of-band interaction or DNS-log host, a request catcher or tunnel, a pastebin or anonymous file drop."}
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
		a, ok := c.Kwargs["url"]
		if !ok && len(c.Args) > 0 {
			a, ok = c.Args[0], true
		}
		if !ok {
			continue
		}
		// An address nobody may read: the destination itself is encoded.
		if v := f.mod.Eval(a); v.Known && len(v.Decoders) > 0 && reURL.MatchString(v.S) {
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, shortName(c.Name)+" contacts an address hidden by "+strings.Join(v.Decoders, " → ")+": "+v.S, v.S)
			break
		}
	}
	for _, c := range f.calls {
		if !strings.HasPrefix(c.Name, "socket.gethostbyname") && !strings.HasPrefix(c.Name, "socket.getaddrinfo") || len(c.Args) == 0 {
			continue
		}
		if v := f.mod.Eval(c.Args[0]); v.Known && isCallbackHost(v.S) {
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "resolves an out-of-band callback host: "+v.S, v.S)
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
				if acts && s.ctx.Executes() || hasNet || f.artifactNet && s.ctx.Executes() {
					sev = Critical
				}
			case indWebhook:
				sev = High
				if hasNet || f.artifactNet && s.ctx.Executes() {
					sev = Critical
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

// collectsIdentity reports code that gathers the user's identity or
// secrets: host and user names, the public IP, browser or wallet stores.
func collectsIdentity(f *file) bool {
	for _, c := range f.calls {
		switch strings.TrimSuffix(c.Name, "()") {
		case "socket.gethostname", "getpass.getuser", "os.getlogin", "platform.node", "platform.uname", "os.uname", "uuid.getnode", "socket.getfqdn":
			return true
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

// networkAtInstall: network access while installing.
type networkAtInstall struct{}

func (networkAtInstall) Info() RuleInfo {
	return RuleInfo{ID: "network-at-install", Severity: Medium,
		Description: "The network is used while the package is installed, at interpreter start or on import. A few builds download native libraries; most packages never need to."}
}

func (x networkAtInstall) Check(f *file, r *reporter) {
	for _, c := range f.calls {
		if c.net && c.ctx.Executes() && !strings.HasPrefix(c.Name, "socket.getaddrinfo") {
			r.report(x.Info(), f, Medium, false, c.Line, c.Col, c.ctx, "uses the network ("+shortName(c.Name)+") at "+string(c.ctx)+" time")
			return
		}
	}
}

// rawIPURL: URLs that name a bare IP address.
type rawIPURL struct{}

func (rawIPURL) Info() RuleInfo {
	return RuleInfo{ID: "raw-ip-url", Severity: Medium,
		Description: "A URL names a bare IP address rather than a host: typical of command-and-control and payload servers."}
}

func (x rawIPURL) Check(f *file, r *reporter) {
	for _, s := range f.strs {
		for _, h := range s.hits {
			if h.class != indRawIP || isPrivateOrLocal(h.match) {
				continue
			}
			sev := Medium
			if s.ctx.Executes() {
				sev = High
				for _, c := range f.calls {
					if c.ctx.Executes() && (c.net || c.proc) {
						sev = Critical // install or import code that talks to a bare IP
						break
					}
				}
			}
			r.report(x.Info(), f, sev, false, s.line, 0, s.ctx, "URL with a bare IP address: "+h.match, h.match)
			return
		}
	}
}

func isPrivateOrLocal(u string) bool {
	host := u[strings.Index(u, "://")+3:]
	for _, p := range []string{"127.", "0.0.0.0", "10.", "192.168.", "169.254.", "172.16.", "172.17.", "172.18.", "172.19.", "172.2", "172.30.", "172.31."} {
		if strings.HasPrefix(host, p) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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
