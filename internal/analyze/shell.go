package analyze

import (
	"encoding/base64"
	"path"
	"regexp"
	"strings"
	"unicode/utf16"
)

// shellFacts is what a command line does.
type shellFacts struct {
	download   string // the download tool or cmdlet
	decodes    string // a decoder in the pipeline (base64 -d ...)
	runs       string // how fetched content is run: a pipe to a shell, iex, Start-Process...
	reverse    string // a reverse-shell idiom
	hidden     bool   // a hidden window
	pipInstall bool
	tool       string // first program named
	urls       []string
	decoded    string // a PowerShell -EncodedCommand, decoded
}

var (
	reDownload = regexp.MustCompile(`(?i)\b(?:curl|wget|fetch|aria2c)\b[^|;&\n]*(?:https?|ftp)://|Invoke-WebRequest|\biwr\b|Invoke-RestMethod|\birm\b\s+https?|DownloadString|DownloadFile|DownloadData|Net\.WebClient|Start-BitsTransfer|bitsadmin\s+/transfer|certutil[^\n]*-urlcache|mshta\s+(?:https?|vbscript)|\bscp\s|\btftp\s`)
	reDecodes  = regexp.MustCompile(`(?i)base64\s+(?:-d|--decode|-D)\b|certutil\s+-decode|xxd\s+-r|openssl\s+(?:base64|enc)\s[^|]*-d`)
	reRuns     = regexp.MustCompile(`(?i)\|\s*(?:ba|z|da|k)?sh\b|\|\s*python[23]?\b|\|\s*iex\b|\biex\s*[\(\$]|Invoke-Expression|Start-Process|\bstart\s+(?:/b\s+|/min\s+)?\S+\.(?:exe|bat|cmd|vbs|scr|ps1)|&&\s*\./|;\s*\./|chmod\s+(?:\+x|[0-7]*7[0-7]*)\s|\bmsiexec\s|\brundll32\s|\bregsvr32\s|\bwscript\s|\bcscript\s|\.(?:exe|scr|vbs|ps1|bat)\b`)
	reReverse  = regexp.MustCompile(`(?i)/dev/tcp/|/dev/udp/|\bnc(?:at)?(?:\.exe)?\s+(?:-\w+\s+)*-e\s|\bbash\s+-i\b|\bsh\s+-i\b|socat\s[^\n]*exec:|mkfifo\s[^\n]*\bnc\b|TCPClient\(`)
	reHidden   = regexp.MustCompile(`(?i)-w(?:indowstyle)?\s+hidden|-nop\b|-noni\b|CREATE_NO_WINDOW`)
	rePip      = regexp.MustCompile(`(?i)\bpip[0-9.]*(?:\.exe)?\s+install\b|-m\s+pip\s+install\b`)
	reEncoded  = regexp.MustCompile(`(?i)-e(?:nc(?:odedcommand)?|c)?\s+([A-Za-z0-9+/]{16,}={0,2})`)
	reURL      = regexp.MustCompile(`(?i)\b(?:https?|ftp)://[^\s'"<>|;&)]+`)
)

// shellFilter runs a command line's expressions only where they can match.
var shellFilter = newCoverFilter(reDownload, reDecodes, reRuns, reReverse, reHidden, rePip, reURL)

// analyzeShell reads a command line; depth bounds nested encoded commands.
func analyzeShell(cmd string, depth int) shellFacts {
	var f shellFacts
	if len(cmd) > 1<<20 {
		cmd = cmd[:1<<20]
	}
	f.tool = firstProgram(cmd)
	if buildTools[f.tool] && f.tool != "sh" && f.tool != "bash" && f.tool != "cmd" && !strings.ContainsAny(cmd, "|;&`$") && !strings.Contains(cmd, "://") {
		return f // a plain build-tool invocation: nothing more to find
	}
	may := shellFilter.candidates(cmd)
	f.download = may.find(reDownload, cmd)
	f.decodes = may.find(reDecodes, cmd)
	f.runs = may.find(reRuns, cmd)
	f.reverse = reverseShellIn(may, cmd)
	f.hidden = may.find(reHidden, cmd) != ""
	f.pipInstall = may.find(rePip, cmd) != ""
	if may.find(reURL, cmd) != "" {
		f.urls = reURL.FindAllString(cmd, 8)
	}
	lower := strings.ToLower(cmd)
	isPS := strings.Contains(lower, "powershell") || strings.Contains(lower, "pwsh")
	if m := reEncoded.FindStringSubmatch(cmd); m != nil && depth < 3 && isPS {
		if dec, ok := decodePowerShell(m[1]); ok {
			f.decoded = dec
			inner := analyzeShell(dec, depth+1)
			f.download = first(f.download, inner.download)
			f.runs = first(f.runs, inner.runs)
			f.reverse = first(f.reverse, inner.reverse)
			f.urls = append(f.urls, inner.urls...)
		}
	}
	return f
}

// decodePowerShell decodes -EncodedCommand: base64 of UTF-16LE.
func decodePowerShell(s string) (string, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	if err != nil || len(b) < 2 {
		return "", false
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return string(utf16.Decode(u)), true
}

// firstProgram returns the base name of the first word of a command.
func firstProgram(cmd string) string {
	fields := strings.Fields(cmd)
	wrapper := "" // sudo, nohup or env run the next word; alone, they are the program
	for _, w := range fields {
		w = strings.Trim(w, `"'`)
		switch {
		case w == "sudo" || w == "nohup" || w == "env":
			wrapper = w
			continue
		case w == "" || strings.Contains(w, "=") && !strings.Contains(w, "/"):
			continue
		}
		if i := strings.LastIndexAny(w, `/\`); i >= 0 {
			w = w[i+1:]
		}
		return strings.ToLower(strings.TrimSuffix(strings.ToLower(w), ".exe"))
	}
	return wrapper
}

// buildTools are programs legitimate build scripts run.
var buildTools = map[string]bool{
	"gcc": true, "g++": true, "cc": true, "c++": true, "clang": true, "clang++": true, "cl": true, "link": true, "make": true,
	"gmake": true, "nmake": true, "cmake": true, "ninja": true, "meson": true, "pkg-config": true, "pkgconf": true, "git": true,
	"hg": true, "svn": true, "python": true, "python3": true, "python2": true, "configure": true, "./configure": true,
	"autoreconf": true, "autoconf": true, "automake": true, "libtool": true, "nvcc": true, "ld": true, "ar": true, "ranlib": true,
	"xcrun": true, "xcode-select": true, "swig": true, "cython": true, "ldconfig": true, "uname": true, "which": true,
	"where": true, "lsb_release": true, "sw_vers": true, "brew": true, "rustc": true, "cargo": true, "go": true, "npm": true,
	"yarn": true, "node": true, "npx": true, "pnpm": true, "protoc": true, "doxygen": true, "sphinx-build": true, "echo": true,
	"mkdir": true, "cp": true, "rm": true, "ls": true, "tar": true, "unzip": true, "patch": true, "strip": true,
	"install_name_tool": true, "otool": true, "lipo": true, "codesign": true, "dpkg-architecture": true, "nproc": true,
	"sysctl": true, "getconf": true, "gfortran": true, "ifort": true, "mpicc": true, "javac": true, "java": true, "ant": true,
	"mvn": true, "bazel": true, "scons": true, "qmake": true, "llvm-config": true, "ccache": true, "sh": true, "bash": true,
	"cmd": true, "hipcc": true, "rocm-smi": true, "nvidia-smi": true, "ldd": true, "file": true, "perl": true, "pybind11-config": true,
	"mysql_config": true, "pg_config": true, "xml2-config": true, "xslt-config": true, "curl-config": true, "gdal-config": true,
	"icu-config": true, "geos-config": true, "ffmpeg": true, "tox": true, "pytest": true, "coverage": true, "sphinx-apidoc": true,
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// runsProgram reports a command that starts a program other than a build
// tool. A program file named only as an argument ("mklink /J dir
// node.exe") is not run.
func runsProgram(cmd string, sh shellFacts) bool {
	if sh.runs == "" || buildTools[sh.tool] {
		return false
	}
	if strings.HasPrefix(sh.runs, ".") {
		if sh.tool == "" || sh.tool == "?" {
			return true // an unknown program handed a program file
		}
		return strings.HasSuffix(sh.tool+strings.ToLower(path.Ext(firstWord(cmd))), strings.ToLower(sh.runs))
	}
	return true
}

func firstWord(cmd string) string {
	for _, w := range strings.Fields(cmd) {
		if w = strings.Trim(w, `"'`); w != "" && w != "sudo" && w != "nohup" {
			return w
		}
	}
	return ""
}

// programName is the program a command's first word starts: its base
// name, lower case, without quotes or .exe ("C:\\Python\\python.exe" is
// "python").
func programName(word string) string {
	return strings.TrimSuffix(strings.ToLower(path.Base(strings.ReplaceAll(strings.Trim(word, `"'`), "\\", "/"))), ".exe")
}

// isInterpreter reports a program that runs the file named after it.
func isInterpreter(word string) bool {
	prog := programName(word)
	return strings.HasPrefix(prog, "python") || scriptRunners[prog]
}

// reverseShellIn returns the reverse shell cmd holds, or "". A shell
// wired to /dev/tcp reads its commands from the socket: the socket is
// opened for reading (<>, < /dev/tcp), duplicated onto input (<&, 0>&1)
// or read line by line, or the shell is interactive. Writing to it alone
// (echo > /dev/tcp/host/port, a health check's port probe) runs nothing.
func reverseShellIn(may coverMatch, cmd string) string {
	m := may.find(reReverse, cmd)
	if m == "" || !strings.EqualFold(m, "/dev/tcp/") && !strings.EqualFold(m, "/dev/udp/") {
		return m
	}
	if reReadsSocket.MatchString(cmd) {
		return m
	}
	return ""
}

// reReadsSocket matches a shell taking input from a /dev/tcp socket.
var reReadsSocket = regexp.MustCompile(`<>|<&|(?:^|\s)0>&\s*1\b|<\s*/dev/(?:tcp|udp)/|\bwhile\s+read\b|\b(?:ba)?sh\s+-i\b`)
