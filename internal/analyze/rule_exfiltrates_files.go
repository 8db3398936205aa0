package analyze

import (
	"net"
	"net/url"
	"strings"
)

// exfilFiles: local files sent over the network.
type exfilFiles struct{}

var _ Rule = (*exfilFiles)(nil)

func (exfilFiles) Info() RuleInfo {
	return RuleInfo{ID: "exfiltrates-files", Severity: Critical,
		Description: "The contents of local files are uploaded (a multipart `files=` upload, or data read from a file as the request body) by code that runs on install, at interpreter start or on import: session files, keys and documents leaving the machine.",
		Triggers:    networkWords}
}

func (x exfilFiles) Check(f *file, r *reporter) {
	for _, c := range f.calls {
		if !c.net {
			continue
		}
		var args []int32
		if a, ok := c.Kwargs["files"]; ok {
			args = append(args, a)
		}
		for _, k := range []string{"data", "json"} {
			if a, ok := c.Kwargs[k]; ok {
				args = append(args, a)
			}
		}
		for _, a := range args {
			v := f.mod.Eval(a)
			src := ""
			for _, from := range v.From {
				if strings.HasPrefix(from, "builtins.open()") || strings.HasPrefix(from, "io.open()") || strings.HasPrefix(from, "pathlib.Path().read_bytes") || strings.HasPrefix(from, "pathlib.Path().open") {
					src = from
					break
				}
			}
			if src == "" {
				continue
			}
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
	}
}

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
