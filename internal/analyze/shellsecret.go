package analyze

import (
	"regexp"
	"strings"
)

// reShellVar finds environment variables a command line splices in:
// $NAME, ${NAME}, %NAME%.
var reShellVar = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?|%([A-Za-z_][A-Za-z0-9_]*)%`)

// reEnvDump finds a command substitution that dumps the environment.
var reEnvDump = regexp.MustCompile("\\$\\(\\s*(env|printenv)\\b|`\\s*(env|printenv)\\b")

// isSecretName reports the names of variables that hold credentials: the
// well-known ones and any named as a token, secret, password or key.
func isSecretName(name string) bool {
	n := strings.ToUpper(name)
	for _, w := range []string{"TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	switch n {
	case "GOOGLE_APPLICATION_CREDENTIALS", "AWS_ACCESS_KEY_ID", "NPM_AUTH", "PYPIRC":
		return true
	}
	return false
}

// sentSecret returns the first credential variable a sending command
// (curl, wget, nc...) splices into what it sends — the URL, a form, a
// body, a DNS name — or "". A credential passed where a client
// authenticates itself (a header, -u user:password, --oauth2-bearer) is
// how builds fetch private files, and is not counted.
func sentSecret(cmd string) string {
	words := shellWords(cmd)
	for i, w := range words {
		// The whole environment, every credential in it, spliced in by a
		// command substitution: $(env | base64), `printenv`.
		if m := reEnvDump.FindString(w); m != "" && !authArg(w, prev(words, i)) {
			return m
		}
		for _, m := range reShellVar.FindAllStringSubmatch(w, -1) {
			name := m[1] + m[2]
			if !isSecretName(name) {
				continue
			}
			if authArg(w, prev(words, i)) {
				continue
			}
			return m[0]
		}
	}
	return ""
}

func prev(words []string, i int) string {
	if i == 0 {
		return ""
	}
	return words[i-1]
}

// authArg reports a word that is a client's own credential: the value of
// -H/--header with an Authorization, token or key header, of -u/--user,
// --oauth2-bearer, --http-password, or such an option spelled with "=".
func authArg(w, before string) bool {
	lw := strings.ToLower(w)
	switch strings.ToLower(before) {
	case "-u", "--user", "--oauth2-bearer", "--proxy-user", "-headers":
		return true
	case "-h", "--header":
		return isAuthHeader(lw)
	}
	for _, p := range []string{"--user=", "--oauth2-bearer=", "--http-password=", "--password=", "--http-user="} {
		if strings.HasPrefix(lw, p) {
			return true
		}
	}
	return strings.HasPrefix(lw, "--header=") && isAuthHeader(strings.TrimPrefix(lw, "--header="))
}

func isAuthHeader(h string) bool {
	h = strings.TrimLeft(h, `"'`)
	for _, p := range []string{"authorization:", "private-token:", "x-api-key:", "x-auth-token:", "api-key:", "x-github-token:", "job-token:"} {
		if strings.HasPrefix(h, p) {
			return true
		}
	}
	return false
}

// shellWords splits a command line into words, keeping quoted strings
// whole (quotes kept); enough to tell which option a value belongs to.
func shellWords(cmd string) []string {
	var out []string
	var b strings.Builder
	var quote byte
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch {
		case quote != 0:
			b.WriteByte(c)
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
			b.WriteByte(c)
		case c == ' ' || c == '\t' || c == '\n':
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteByte(c)
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}
