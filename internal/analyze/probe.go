package analyze

import (
	"regexp"
	"strings"
)

// probeTools are commands whose output identifies the machine, the user or
// the network: what a probe collects before sending it home.
var probeTools = map[string]bool{
	"whoami": true, "hostname": true, "id": true, "uname": true, "ifconfig": true, "ipconfig": true, "ip": true,
	"pwd": true, "env": true, "printenv": true, "systeminfo": true, "net": true, "getmac": true, "cat": true,
}

// runsProbe reports a file that runs an identifying command (whoami,
// hostname, env...); the output of its process calls then counts as host
// information.
func runsProbe(f *file) bool {
	for _, c := range f.calls {
		tool := c.sh.tool
		if c.proc && probeTools[tool] && (tool != "cat" || strings.Contains(c.cmd, "/etc/passwd") || strings.Contains(c.cmd, "/etc/hostname")) {
			return true
		}
	}
	return false
}

// isShellSender names the command-line programs that send data out.
func isShellSender(tool string) bool {
	switch tool {
	case "curl", "wget", "nslookup", "dig", "host", "ping", "nc", "ncat":
		return true
	}
	return false
}

// reShellFingerprint finds host details spliced into a command line by the
// shell itself: $(whoami), `hostname`, $USER, %COMPUTERNAME%...
//
// uname counts only where it names the machine (-n, -a, --nodename,
// --all): the architecture or the system (uname -m, -s) is what a build's
// download URL holds.
var reShellFingerprint = regexp.MustCompile(`\$\((?:whoami|hostname|id|uname\s+(?:-[a-z]*[an][a-z]*|--all|--nodename)|pwd|env|printenv)\)|` + "`(?:whoami|hostname|id|uname\\s+(?:-[a-z]*[an][a-z]*|--all|--nodename)|pwd)`" +
	`|\$\{?(?:USER|HOSTNAME|LOGNAME)\b|%(?:USERNAME|COMPUTERNAME|USERDOMAIN)%`)
