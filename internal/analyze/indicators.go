package analyze

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// indicator is a class of string that means something when code holds it.
type indicator struct {
	name string
	re   *regexp.Regexp
	// prefilter is a lower-case literal at least one match must contain,
	// checked first because most strings match nothing.
	prefilter []string
}

func ind(name, re string, prefilter ...string) indicator {
	return indicator{name: name, re: regexp.MustCompile(re), prefilter: prefilter}
}

// Indicator classes.
const (
	indWebhook     = "exfil-webhook"      // chat webhooks and bot APIs
	indCatcher     = "request-catcher"    // OAST, DNS-log, request bins, tunnels
	indPaste       = "paste-or-file-drop" // pastebins and anonymous file hosts
	indRawIP       = "raw-ip-url"
	indBrowser     = "browser-credentials"
	indDiscord     = "discord-token-store"
	indWallet      = "crypto-wallet"
	indGameToken   = "game-account-store" // launcher and game-platform session stores
	indCredFile    = "credential-file"
	indSecretEnv   = "secret-env-name"
	indPersistence = "persistence-location"
	indMiner       = "crypto-miner"
	indEvasion     = "defence-evasion"
	indIPLookup    = "public-ip-lookup"
	indSpyware     = "spyware-api"
)

var indicators = []indicator{
	ind(indWebhook, `(?i)discord(?:app)?\.com/api/webhooks/|hooks\.slack\.com/services/|api\.telegram\.org/bot|webhook\.office\.com`, "webhook", "telegram", "hooks.slack"),
	ind(indCatcher, `(?i)burpcollaborator\.net|oastify\.com|\.oast\.[a-z]{2,}\b|interact\.sh|interactsh\.com|dnslog\.(?:cn|link)|ceye\.io|requestbin|pipedream\.net|webhook\.site|canarytokens|beeceptor\.com|requestcatcher\.com|ngrok(?:-free)?\.(?:io|app|dev)|serveo\.net|\.loca\.lt\b|trycloudflare\.com|hookbin\.com|postb\.in|\.m\.pipedream|eo\w+\.m\.pipedream\.net|xss\.ht|bxss\.me|mockapi\.io`,
		"burp", "oast", "interact", "dnslog", "ceye", "requestbin", "pipedream", "webhook.site", "canarytoken", "beeceptor", "requestcatcher", "ngrok", "serveo", "loca.lt", "trycloudflare", "hookbin", "postb.in", "xss.ht", "bxss", "mockapi"),
	ind(indPaste, `(?i)pastebin\.com/raw|paste\.ee/r|hastebin\.com|rentry\.co|transfer\.sh|file\.io\b|anonfiles\.com|gofile\.io|0x0\.st|termbin\.com|bashupload\.com|catbox\.moe|temp\.sh|filebin\.net|cdn\.discordapp\.com/attachments|media\.discordapp\.net/attachments|raw\.githubusercontent\.com/[^/]+/[^/]+/[^/]+/[^'"]*\.(?:exe|ps1|bat|vbs|scr|sh)\b`,
		"pastebin", "paste.ee", "hastebin", "rentry", "transfer.sh", "file.io", "anonfiles", "gofile", "0x0.st", "termbin", "bashupload", "catbox", "temp.sh", "filebin", "discordapp", "raw.githubusercontent"),
	ind(indRawIP, `(?i)\b(?:https?|ftp|tcp)://(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?`, "://"),
	ind(indBrowser, `(?:^|[\\/])(?:Login Data|Web Data|Local State)$|[\\/](?:Network[\\/])?Cookies$|\bos_crypt\b|(?i:(?:Google[\\/]+Chrome|Chromium|Microsoft[\\/]+Edge|BraveSoftware[\\/]+Brave-Browser|Yandex[\\/]+YandexBrowser|Vivaldi)[\\/]+User Data)|\bcookies\.sqlite\b|\blogins\.json\b|\bkey4\.db\b`,
		"login data", "web data", "local state", "cookies", "os_crypt", "user data", "logins.json", "key4.db"),
	ind(indDiscord, `(?i)discord(?:canary|ptb)?[\\/]+Local Storage[\\/]+leveldb|mfa\.[\w-]{84}|dQw4w9WgXcQ:|\{24\}\\\.|\{84\}`, "local storage", "mfa.", "dqw4w9wgxcq", "{24}", "{84}"),
	ind(indGameToken, `(?i)\blauncher_accounts(?:_microsoft_store)?\.json|\bmicrosoft_accounts\.json|\.lunarclient\b|\bloginusers\.vdf\b|\bssfn[0-9]|\.ROBLOSECURITY|Growtopia[\\/]+save\.dat`,
		"launcher_accounts", "microsoft_accounts", "lunarclient", "loginusers", "ssfn", "roblosecurity", "growtopia"),
	ind(indWallet, `(?i)\bwallet\.dat\b|\\Exodus\\|Exodus[\\/]+exodus\.wallet|\\Electrum\\wallets|Electrum[\\/]+wallets|\bnkbihfbeogaeaoehlefnkodbefgpgknn\b|Atomic[\\/]+Local Storage|Armory|Bitcoin[\\/]+wallets|Ethereum[\\/]+keystore|\bmetamask\b`,
		"wallet", "exodus", "electrum", "nkbihfbeogaeaoehlefnkodbefgpgknn", "atomic", "armory", "bitcoin", "ethereum", "metamask"),
	ind(indCredFile, `(?i)\.ssh[\\/]+(?:id_[a-z0-9]+|authorized_keys|known_hosts)|\.aws[\\/]+credentials|\.git-credentials|\.pypirc|\.npmrc|\.kube[\\/]+config|\.docker[\\/]+config\.json|\.netrc\b|\.config[\\/]+gcloud|\.azure[\\/]|/etc/shadow|Telegram Desktop[\\/]+tdata|\.gnupg|FileZilla[\\/]+(?:recentservers|sitemanager)\.xml`,
		".ssh", ".aws", "git-credentials", "pypirc", "npmrc", ".kube", ".docker", "netrc", "gcloud", ".azure", "shadow", "tdata", "gnupg", "filezilla"),
	ind(indSecretEnv, `\b(?:AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|AWS_SESSION_TOKEN|GITHUB_TOKEN|GH_TOKEN|GITLAB_TOKEN|NPM_TOKEN|PYPI_TOKEN|PYPI_API_TOKEN|TWINE_PASSWORD|SLACK_TOKEN|OPENAI_API_KEY|AZURE_CLIENT_SECRET|GOOGLE_APPLICATION_CREDENTIALS|DOCKER_PASSWORD|CI_JOB_TOKEN|HEROKU_API_KEY|DIGITALOCEAN_TOKEN|STRIPE_SECRET_KEY)\b`, "_key", "_token", "_password", "_secret", "credentials"),
	ind(indPersistence, `(?i)\.bashrc\b|\.bash_profile\b|\.zshrc\b|\.zprofile\b|/etc/profile\b|crontab\b|/etc/cron|/var/spool/cron|/etc/systemd/system|\.config[\\/]systemd[\\/]user|\.config[\\/]autostart|CurrentVersion\\+Run|Start Menu\\+Programs\\+Startup|Microsoft\\+Windows\\+Start Menu\\+Programs\\+Startup|\bschtasks\b|LaunchAgents|LaunchDaemons|/etc/rc\.local|/etc/init\.d/|Quick Launch\\+User Pinned|--load-extension\b`,
		"bashrc", "bash_profile", "zshrc", "zprofile", "/etc/profile", "cron", "systemd", "autostart", "currentversion", "start menu", "schtasks", "launchagents", "launchdaemons", "rc.local", "init.d", "quick launch", "load-extension"),
	ind(indMiner, `(?i)\bxmrig\b|stratum\+(?:tcp|ssl|tls)://|--donate-level|\bcryptonight\b|\bnicehash\b|\bminexmr\b|moneroocean|nanopool\.org|\bethminer\b|\bnbminer\b|\bt-rex\b.*--algo`,
		"xmrig", "stratum", "donate-level", "cryptonight", "nicehash", "minexmr", "moneroocean", "nanopool", "ethminer", "nbminer", "t-rex"),
	ind(indEvasion, `(?i)DisableRealtimeMonitoring|Add-MpPreference|Set-MpPreference|-ExclusionPath\b|DisableAntiSpyware|netsh\s+advfirewall\s+set|\bvboxservice\b|\bvmtoolsd\b|\bvboxtray\b|\bSbieDll\b|\bwireshark\b.*\b(?:taskkill|kill)|\btaskkill\b.*\b(?:defender|msmpeng|avast|avg|kaspersky|malwarebytes|wireshark|processhacker)|IsDebuggerPresent|bcdedit\s+/set|vssadmin\s+delete`,
		"disablerealtime", "mppreference", "exclusionpath", "antispyware", "advfirewall", "vbox", "vmtoolsd", "sbiedll", "wireshark", "taskkill", "isdebuggerpresent", "bcdedit", "vssadmin"),
	ind(indIPLookup, `(?i)api\.ipify\.org|ipinfo\.io|ifconfig\.(?:me|io|co)|ipecho\.net|icanhazip\.com|ip-api\.com|checkip\.amazonaws\.com|ipapi\.co|myexternalip|wtfismyip|ident\.me|httpbin\.org/ip`,
		"ipify", "ipinfo", "ifconfig.", "ipecho", "icanhazip", "ip-api", "checkip", "ipapi", "myexternalip", "wtfismyip", "ident.me", "httpbin.org/ip"),
}

// hit is one indicator found in a string.
type hit struct {
	class string
	match string
}

// indicatorFilter finds, in one pass over a string, the indicators whose
// regular expressions need to run: those with a prefilter literal in the
// lower-cased string and, for ASCII strings, a literal of the expression's
// cover (without which it cannot match).
type indicatorFilter struct {
	lits *literalSet // groups: prefilters, then covers
	// noPrefilter and noCover are the indicators without them, which
	// always pass that test; never are those no ASCII string can match.
	noPrefilter, noCover, never uint64
	// windowed are the indicators findNear may search, windowGroups[i]
	// the literal groups one of which every match of indicator i holds.
	windowed     uint64
	windowGroups []uint64
}

var filter = newIndicatorFilter(indicators)

func newIndicatorFilter(ins []indicator) *indicatorFilter {
	f := &indicatorFilter{}
	groups := make([][]string, 2*len(ins))
	for i, in := range ins {
		groups[i] = in.prefilter
		if len(in.prefilter) == 0 {
			f.noPrefilter |= 1 << i
		}
		c, ok := regexCover(in.re.String())
		switch {
		case !ok:
			f.noCover |= 1 << i
		case len(c) == 0:
			f.never |= 1 << i
		}
		groups[len(ins)+i] = c
	}
	f.lits = newLiteralSet(groups)
	f.windowGroups = make([]uint64, len(ins))
	for i, in := range ins {
		if anchored(in.re) {
			continue // tests the text's ends, which a window would fake
		}
		switch {
		case f.noCover&(1<<i) == 0:
			f.windowGroups[i] = 1 << (len(ins) + i)
		case f.noPrefilter&(1<<i) == 0:
			f.windowGroups[i] = 1 << i
		default:
			continue
		}
		f.windowed |= 1 << i
	}
	return f
}

// candidates returns the indicators whose expression must run on s, and
// whether s is ASCII.
func (f *indicatorFilter) candidates(s string) (uint64, bool) {
	n := len(indicators)
	mask := uint64(1)<<n - 1
	found, ascii := f.lits.scan(s)
	if !ascii {
		// Lower-casing can turn other characters into ASCII letters (the
		// Kelvin sign into k) and invalid bytes into U+FFFD: do it exactly.
		// Covers hold for ASCII text only.
		found, _ = f.lits.scan(strings.ToLower(s))
		return (found | f.noPrefilter) & mask, false
	}
	return (found | f.noPrefilter) & (found>>n | f.noCover) &^ f.never & mask, true
}

// scanIndicators returns the indicators found in s.
func scanIndicators(s string) []hit {
	if len(s) < 4 {
		return nil
	}
	if len(s) > 256<<10 {
		s = s[:256<<10]
	}
	found, ascii := filter.candidates(s)
	if found == 0 {
		return nil
	}
	// Long strings are searched around their literals; in text that is
	// not ASCII, also around the characters case-insensitive matching
	// takes for ASCII letters.
	windows := len(s) > 2*searchWindow
	var hits []hit
	for i, in := range indicators {
		if found&(1<<i) == 0 {
			continue
		}
		var m string
		if windows && filter.windowed&(1<<i) != 0 {
			m = filter.findNear(i, s, !ascii)
		} else {
			m = in.re.FindString(s)
		}
		if m != "" {
			hits = append(hits, hit{in.name, m})
		}
	}
	return hits
}

// searchWindow is how far around a literal's occurrence a long string is
// searched: indicators match URLs, paths and names, far shorter.
const searchWindow = 1024

// findNear returns indicator i's first match in s, searching only around
// the occurrences of the literals every match contains and, with folds,
// around each Kelvin sign and long s, which can spell them. A long string
// of code or data may hold a common literal
// ("cookies", "://") a few times; the expression, with its
// case-insensitive alternations, then runs on a few kilobytes instead of
// the whole string. A match that reaches a window's edge may continue
// past it, or be an artefact of the cut: the whole string is searched
// then.
func (f *indicatorFilter) findNear(i int, s string, folds bool) string {
	re := indicators[i].re
	lo, hi := 0, 0 // the last window searched
	var m string
	whole := false
	f.lits.ends(s, f.windowGroups[i], folds, func(end int) bool {
		if end+searchWindow/2 < hi {
			// Any match around here short enough to matter lay
			// inside the last window, which had none.
			return true
		}
		lo, hi = max(0, end-searchWindow), min(len(s), end+searchWindow)
		loc := re.FindStringIndex(s[lo:hi])
		if loc == nil {
			return true
		}
		if loc[0] == 0 && lo > 0 || loc[1] == hi-lo && hi < len(s) {
			whole = true
		} else {
			m = s[lo+loc[0] : lo+loc[1]]
		}
		return false
	})
	if whole {
		return re.FindString(s)
	}
	return m
}

// anchored reports an expression that tests the start or end of the text
// or of a line ([^/] is no anchor).
func anchored(re *regexp.Regexp) bool {
	syn, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return true
	}
	var walk func(*syntax.Regexp) bool
	walk = func(r *syntax.Regexp) bool {
		switch r.Op {
		case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
			return true
		}
		for _, sub := range r.Sub {
			if walk(sub) {
				return true
			}
		}
		return false
	}
	return walk(syn)
}
