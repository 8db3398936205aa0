package analyze

import (
	"slices"
	"strings"
)

// credentialAccess: stores of passwords, tokens, keys and wallets.
type credentialAccess struct{}

var _ Rule = (*credentialAccess)(nil)

func (credentialAccess) Info() RuleInfo {
	return RuleInfo{ID: "credential-access", Severity: High,
		Description: "Code reaches for stored secrets: browser passwords and cookies, Discord tokens, crypto wallets, game-launcher and game-platform sessions, SSH and cloud keys, package-registry tokens. With network access in the same file, it is theft.",
		Triggers:    slices.Concat([]string{"Login Data", "Local State", "leveldb", "wallet", ".ssh", ".aws"}, processWords)}
}

func (x credentialAccess) Check(f *file, r *reporter) {
	// A command that sends a credential from the environment (curl -d
	// $AWS_SECRET_ACCESS_KEY https://...) is theft wherever it runs on its
	// own: at install, startup or import.
	for _, c := range f.calls {
		if !c.proc || !isShellSender(c.sh.tool) {
			continue
		}
		if v := sentSecret(c.cmd); v != "" {
			what := "the credential " + v
			if strings.HasPrefix(v, "$(") || strings.HasPrefix(v, "`") {
				what = "the whole environment (" + v + " …)"
			}
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, c.sh.tool+" sends "+what, c.cmd)
		}
	}
	hasNet := false
	for _, c := range f.calls {
		hasNet = hasNet || c.net
	}
	seen := map[string]bool{}
	for _, s := range f.strs {
		if len(s.hits) > 0 && isWordList(s.s) {
			continue // a dictionary of words (a password checker's frequency lists), not paths
		}
		for _, h := range s.hits {
			if h.class == indSecretEnv && !namesEnvVar(s.s, h.match) {
				continue // "taken from the AWS_ACCESS_KEY_ID and ...": a help text
			}
			strong := false
			switch h.class {
			case indBrowser, indDiscord, indWallet, indGameToken:
				strong = true
			case indCredFile, indSecretEnv:
			default:
				continue
			}
			if seen[h.class] {
				continue
			}
			seen[h.class] = true
			// Stores only stealers open (browser, Discord, wallets) next to
			// network access are theft; files libraries legitimately read
			// (.netrc, .pypirc, registry tokens) only in install, startup
			// or import code that also talks to the network.
			sev := Low
			switch {
			case strong && (hasNet || s.ctx.Executes() && f.artifactUsesNet()):
				sev = Critical
			case strong:
				sev = High
			case hasNet && s.ctx.Executes():
				sev = High
			case s.ctx.Executes():
				sev = Medium
			}
			r.report(x.Info(), f, sev, false, s.line, 0, s.ctx, reachMessage(h.class)+h.match, h.match)
		}
	}
}

// namesEnvVar reports a secret's environment name as code uses it: the
// whole string, or written after $, %, {, a quote, =, :, [ or the start
// of a line (a shell command, a template, a dotenv line); not a word in
// a sentence.
func namesEnvVar(s, name string) bool {
	if strings.TrimSpace(s) == name {
		return true
	}
	for i := 0; ; {
		j := strings.Index(s[i:], name)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || strings.IndexByte("$%{'\"=:[(\n", s[at-1]) >= 0 {
			return true
		}
		i = at + 1
	}
}

// isWordList reports a long string of words separated by commas, spaces
// or line breaks with no paths among them: data such as a frequency list,
// where a wallet's or a browser's name is a word.
func isWordList(s string) bool {
	if len(s) < 2048 {
		return false
	}
	seps, paths := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', ' ', '\n':
			seps++
		case '/', '\\':
			paths++
		}
	}
	return seps >= len(s)/16 && paths*100 < seps
}

// reachMessage begins the message of a finding about a store of class
// (combinedThreats tells the weak classes by it).
func reachMessage(class string) string {
	return "reaches for " + strings.ReplaceAll(class, "-", " ") + ": "
}
